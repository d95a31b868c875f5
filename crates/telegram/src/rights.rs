//! The bot's own standing in a chat (getChatMember on itself), links to a
//! message, and what happens when Telegram will not delete a photo that
//! should go (issue 17.4): the two causes are told apart (the bot lacks
//! "Delete messages", or the message is older than Telegram's 48 hours), the
//! admins are told every time with a link, and the chat is warned about
//! missing rights at most once per chat per run (the core's `WorkState`).

use chrono::{DateTime, Utc};
use photo_guard_core::texts::{Msg, Undeletable};
use photo_guard_core::{AuditAction, ChatId as CoreChat, Lang, Place};
use teloxide::prelude::*;
use teloxide::types::{ChatId, ChatMemberKind};

use crate::app::{display_name, App};
use crate::audit;
use crate::retry::with_retry;

/// Telegram lets bots delete only messages younger than this.
const DELETE_WINDOW_HOURS: i64 = 48;

pub use photo_guard_core::Standing;

/// The core's standing of a Telegram chat member: the owner or an admin
/// with "Delete messages" guards; anyone else present does not.
pub fn standing_of(kind: &ChatMemberKind) -> Standing {
    if !kind.is_present() {
        Standing::Absent
    } else if kind.can_delete_messages() {
        Standing::Guarding
    } else {
        Standing::Unguarded
    }
}

/// The bot's standing in `chat`, asked of Telegram; `None` if it would not say.
pub async fn own_standing(app: &App, chat: ChatId) -> Option<Standing> {
    let member = with_retry("getChatMember", || {
        app.bot.get_chat_member(chat, app.bot_id).send()
    })
    .await
    .ok()?;
    Some(standing_of(&member.kind))
}

/// A link to the message: `t.me/<username>/<id>` in a public supergroup,
/// `t.me/c/<id without -100>/<id>` in a private one; basic groups have none.
pub fn message_link(msg: &Message) -> Option<String> {
    let supergroup = msg.chat.is_supergroup() || msg.chat.is_channel();
    link(msg.chat.id, msg.chat.username(), supergroup, msg.id.0)
}

pub(crate) fn link(
    chat: ChatId,
    username: Option<&str>,
    supergroup: bool,
    message: i32,
) -> Option<String> {
    if !supergroup {
        return None;
    }
    match username {
        Some(name) => Some(format!("https://t.me/{name}/{message}")),
        None => chat
            .0
            .to_string()
            .strip_prefix("-100")
            .map(|bare| format!("https://t.me/c/{bare}/{message}")),
    }
}

/// Whether the message is past the window in which bots may delete it.
pub fn too_old(sent: DateTime<Utc>, now: DateTime<Utc>) -> bool {
    now - sent >= chrono::Duration::hours(DELETE_WINDOW_HOURS)
}

fn undeletable_code(why: Undeletable) -> &'static str {
    match why {
        Undeletable::TooOld => "too_old",
        Undeletable::NoRight => "no_right",
        Undeletable::Unknown => "unknown",
    }
}

/// Why Telegram refused: the bot's rights first (a missing right explains
/// any refusal), then the message's age.
async fn why_undeletable(app: &App, msg: &Message) -> Undeletable {
    match own_standing(app, msg.chat.id).await {
        Some(Standing::Unguarded | Standing::Absent) => Undeletable::NoRight,
        _ if too_old(msg.date, Utc::now()) => Undeletable::TooOld,
        _ => Undeletable::Unknown,
    }
}

/// Telegram answered "message can't be deleted" for a photo that should go:
/// the admins hear of it every time, with a link so they can remove it.
pub async fn cannot_delete(app: &App, msg: &Message, _lang: Lang) {
    let why = why_undeletable(app, msg).await;
    tracing::warn!(
        chat = msg.chat.id.0,
        message = msg.id.0,
        why = undeletable_code(why),
        "a photo that should go could not be deleted"
    );
    if why == Undeletable::NoRight && app.services.work.first_warning(CoreChat(msg.chat.id.0)) {
        let place = Place {
            chat: CoreChat(msg.chat.id.0),
            thread: msg.thread_id.map(|t| i64::from(t.0 .0)),
        };
        app.services
            .chats
            .warn_unguarded(&app.platform, place)
            .await;
    }
    let chat = crate::app::chat_title(&msg.chat);
    let sender = display_name(msg.from.as_ref());
    let link = message_link(msg);
    let told = Msg::UndeletableAdmin {
        chat: &chat,
        sender: &sender,
        link: link.as_deref(),
        message: i64::from(msg.id.0),
        why,
    };
    app.services.admins.tell(&app.platform, &told).await;
    let detail = serde_json::json!({ "message": msg.id.0, "why": undeletable_code(why) });
    audit::record(
        app,
        msg.chat.id,
        audit::sender(msg),
        AuditAction::ShareUndeletable,
        detail,
    )
    .await;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_private_supergroup_links_through_t_me_c_without_the_minus_100() {
        // Issue 17.4: the admins' link must open the message.
        let link = link(ChatId(-1_001_555_296_434), None, true, 42);
        assert_eq!(link.as_deref(), Some("https://t.me/c/1555296434/42"));
    }

    #[test]
    fn a_public_supergroup_links_through_its_username_and_a_basic_group_not_at_all() {
        // Issue 17.4: public chats have their own links; basic groups have none.
        let public = link(ChatId(-1_001_555_296_434), Some("tim_lapangan"), true, 7);
        assert_eq!(public.as_deref(), Some("https://t.me/tim_lapangan/7"));
        assert_eq!(link(ChatId(-599_075_523), None, false, 7), None);
    }

    fn standing_from(member: serde_json::Value) -> Standing {
        let kind: ChatMemberKind = serde_json::from_value(member).expect("a ChatMember");
        standing_of(&kind)
    }

    #[test]
    fn only_an_owner_or_an_admin_with_delete_messages_guards() {
        // Issue 17.6: an admin without "Delete messages" is as unguarded as a member.
        let admin = |can_delete: bool| {
            let mut rights = serde_json::json!({ "status": "administrator", "can_be_edited": false, "is_anonymous": false });
            for right in [
                "can_manage_chat",
                "can_change_info",
                "can_post_messages",
                "can_edit_messages",
                "can_post_stories",
                "can_edit_stories",
                "can_delete_stories",
                "can_manage_video_chats",
                "can_invite_users",
                "can_restrict_members",
                "can_pin_messages",
                "can_manage_topics",
                "can_promote_members",
            ] {
                rights[right] = true.into();
            }
            rights["can_delete_messages"] = can_delete.into();
            rights
        };
        assert_eq!(standing_from(admin(true)), Standing::Guarding);
        assert_eq!(standing_from(admin(false)), Standing::Unguarded);
        let owner = serde_json::json!({ "status": "creator", "is_anonymous": false });
        assert_eq!(standing_from(owner), Standing::Guarding);
        assert_eq!(
            standing_from(serde_json::json!({ "status": "member" })),
            Standing::Unguarded
        );
        assert_eq!(
            standing_from(serde_json::json!({ "status": "left" })),
            Standing::Absent
        );
    }

    #[test]
    fn a_message_is_too_old_to_delete_from_48_hours_on() {
        // Issue 17.4: "can't be deleted" on an old message is not a missing right.
        let sent = Utc::now() - chrono::Duration::hours(49);
        assert!(too_old(sent, Utc::now()));
        assert!(!too_old(
            Utc::now() - chrono::Duration::hours(47),
            Utc::now()
        ));
    }
}
