//! Audit entries written by the adapter outside a command (a photo removed
//! unchecked, one that could not be deleted, the bot's standing in a chat, a
//! migration). A failure to write is logged: what happened has happened.

use photo_guard_core::{AuditAction, ChatId as CoreChat, UserId as CoreUser};
use teloxide::types::ChatId;

use crate::app::App;

pub async fn record(
    app: &App,
    chat: ChatId,
    actor: Option<CoreUser>,
    action: AuditAction,
    detail: serde_json::Value,
) {
    let chat = Some(CoreChat(chat.0));
    app.services.audit.record(action, actor, chat, detail).await;
}

/// The sender of a message as the core names users (0 when unknown).
pub fn sender(msg: &teloxide::types::Message) -> Option<CoreUser> {
    msg.from.as_ref().map(|u| CoreUser(u.id.0 as i64))
}
