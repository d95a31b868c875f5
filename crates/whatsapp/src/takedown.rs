//! Issue 23: what the takedown after a consent change needs from the
//! WhatsApp intake: each checked photo's WhatsApp message id, by which the
//! core fetches the original again for a downgrade's blurred copy
//! (`ChatPlatform::fetch_original`; WAHA's own file of a webhook expires).
//! The takedown itself is the core's, through the platform router.

use photo_guard_core::{ChatId, MessageId};

use crate::app::App;

/// Remembers `id`, the WhatsApp id of the photo `message` in `chat`. A
/// failure is logged: only a downgrade's copy depends on it.
pub async fn note_file(app: &App, chat: ChatId, message: MessageId, id: &str) {
    let takedowns = &app.services.takedowns;
    if let Err(e) = takedowns.note_file(chat, message, id).await {
        tracing::warn!(error = %e, "cannot note the photo's message id");
    }
}
