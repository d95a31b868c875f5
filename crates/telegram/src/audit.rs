//! Audit entries written by the adapter outside a command (a photo removed
//! unchecked, one that could not be deleted, the bot's standing in a chat, a
//! migration). A failure to write is logged: what happened has happened.

use photo_guard_core::{AuditAction, AuditEvent, ChatId as CoreChat, UserId as CoreUser};
use teloxide::types::ChatId;

use crate::app::App;

pub async fn record(
    app: &App,
    chat: ChatId,
    actor: Option<CoreUser>,
    action: AuditAction,
    detail: serde_json::Value,
) {
    let at = app.guard.now().now;
    let event = AuditEvent::new(at, action, actor, Some(CoreChat(chat.0)), detail);
    if let Err(e) = app.store().append(event).await {
        tracing::error!(action = action.as_str(), error = %e, "cannot write the audit log");
    }
}

/// The sender of a message as the core names users (0 when unknown).
pub fn sender(msg: &teloxide::types::Message) -> Option<CoreUser> {
    msg.from.as_ref().map(|u| CoreUser(u.id.0 as i64))
}
