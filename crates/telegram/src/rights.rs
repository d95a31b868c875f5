//! The bot's own standing in a chat as the core names it, links to a
//! message, and Telegram's 48-hour delete window (issue 17.4): with them the
//! platform port tells a message too old to delete from a missing right;
//! what is said about it is the core intake's.

use chrono::{DateTime, Utc};
use teloxide::prelude::*;
use teloxide::types::{ChatId, ChatMemberKind};

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
