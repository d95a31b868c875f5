//! The bot's own place in a group: `my_chat_member` updates (issue 17.6) and
//! the move of a group to a supergroup (issue 17.5).
//!
//! A group where the bot is added without "Delete messages", or where it
//! loses that right, is recorded (so `doctor` and the reminders know it) and
//! both the chat and the admins are told what is missing; when the bot gains
//! the right, they are told it now guards the chat. When a group becomes a
//! supergroup it gets a new id: its policy (kind, untagged, language, mode,
//! reminders) and its chat row move there, or a chat set to public would show
//! full-consent faces again under the default team policy.

use photo_guard_core::services::StandingChange;
use photo_guard_core::{ChatId as CoreChat, UserId as CoreUser};
use teloxide::types::{ChatId, ChatMemberUpdated, ChatMigration, Message};

use crate::app::{chat_title, App};
use crate::audit;
use crate::rights::standing_of;

/// The bot's status in a chat changed: handed to the core's chats service,
/// which records, audits and tells.
pub async fn bot_status_changed(app: &App, change: &ChatMemberUpdated) {
    if change.chat.is_private() || change.chat.is_channel() {
        return; // A user blocking or unblocking the bot; nothing to guard.
    }
    let old = standing_of(&change.old_chat_member.kind);
    let new = standing_of(&change.new_chat_member.kind);
    let chat = change.chat.id;
    let title = chat_title(&change.chat);
    if old != new {
        tracing::info!(
            chat = chat.0,
            from = old.code(),
            to = new.code(),
            "the bot's standing in a chat changed"
        );
    }
    let change = StandingChange {
        chat: CoreChat(chat.0),
        title: &title,
        by: Some(CoreUser(change.from.id.0 as i64)),
        old,
        new,
    };
    app.services
        .chats
        .standing_changed(&app.platform, change)
        .await;
}

/// The old and the new id of a group that became a supergroup, from either
/// of the two service messages Telegram sends (one in each chat).
pub fn migration(msg: &Message) -> Option<(ChatId, ChatId)> {
    match *msg.chat_migration()? {
        ChatMigration::To { chat_id } => Some((msg.chat.id, chat_id)),
        ChatMigration::From { chat_id } => Some((chat_id, msg.chat.id)),
    }
}

/// Moves the chat's policy and row to its new id; the second notice finds
/// nothing left to move.
pub async fn migrated(app: &App, msg: &Message) {
    let Some((from, to)) = migration(msg) else {
        return;
    };
    let chats = &app.services.chats;
    match chats
        .migrated(CoreChat(from.0), CoreChat(to.0), audit::sender(msg))
        .await
    {
        Ok(false) => {}
        Ok(true) => tracing::info!(
            from = from.0,
            to = to.0,
            "a group became a supergroup; its policy moved with it"
        ),
        Err(e) => tracing::error!(
            from = from.0,
            to = to.0,
            error = %e,
            "cannot move a migrated chat's policy: set it again with /policy in the new supergroup"
        ),
    }
}
