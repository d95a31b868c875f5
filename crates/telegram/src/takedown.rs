//! Issue 23: what the takedown after a consent change needs from Telegram's
//! intake: the file id of each photo checked, for a later downgrade (the bot
//! keeps no bytes of an allowed photo; the core fetches it again through the
//! port, `ChatPlatform::fetch_original`). The takedown itself is the core's
//! (`Takedowns::follow`, through the platform router), so a change made on
//! either platform clears the chats of both.

use photo_guard_core::{ChatId as CoreChat, MessageId as CoreMessage};
use teloxide::prelude::*;
use teloxide::types::FileId;

use crate::app::App;

/// Remembers the file of a photo being checked, for a later downgrade. A
/// failure is logged: only a downgrade's copy depends on it.
pub async fn note_file(app: &App, msg: &Message, file: &FileId) {
    let (chat, message) = (CoreChat(msg.chat.id.0), CoreMessage(i64::from(msg.id.0)));
    let exposure = &app.services.takedowns;
    if let Err(e) = exposure.note_file(chat, message, &file.0).await {
        tracing::warn!(error = %e, "cannot note the photo's file id");
    }
}
