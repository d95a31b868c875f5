//! A photo or video sent in a guarded WhatsApp group, handed to the core's
//! intake (`Services::intake`), the same as Telegram's: this file only maps
//! WhatsApp's ids, reads the message into the core's description
//! ([`Incoming`]) and downloads the media from the gateway within the size
//! limit. The replay check, the guard, the recorded steps, what cannot be
//! fetched or checked (removed, fail closed) and everything said along the
//! way are the core's.

use async_trait::async_trait;
use photo_guard_core::services::{FetchFailure, Fetched, Incoming, Limits, MediaSource, Sender};
use photo_guard_core::{MessageId, Place, Visual};

use crate::app::App;
use crate::client::WahaError;
use crate::event::{Carried, WaMessage};

/// The work could not be finished; it stays in the inbox for a later run.
#[derive(Debug)]
pub struct Unfinished(pub String);

/// Handles the photo in `msg`, whose core message id is `message`.
pub async fn handle_photo(
    app: &App,
    message: MessageId,
    msg: &WaMessage,
) -> Result<(), Unfinished> {
    let ids = app.ids();
    let store_err = |e: photo_guard_core::StoreError| Unfinished(format!("id table: {e}"));
    let chat = ids.chat(&msg.from).await.map_err(store_err)?;
    let sender = ids.user(msg.sender()).await.map_err(store_err)?;
    // Issue 22: alerts name the group by its subject, not its raw id.
    let title = app.platform.group_name(&msg.from).await;
    let media = Incoming {
        place: Place::chat(chat),
        chat_title: title,
        message,
        // WhatsApp has no edits: a message has one state.
        update: message.0,
        reply_to: None,
        sender: Sender {
            id: Some(sender),
            name: msg.sender_name(),
            lang: None,
        },
        sent: None,
        caption: msg.caption().map(str::to_owned),
        album: Vec::new(),
        link: None,
    };
    let limits = Limits {
        download_max_tries: app.settings.download_max_tries,
    };
    // Issue 23: a downgrade fetches the original again by its message id.
    crate::takedown::note_file(app, chat, message, &msg.id).await;
    let source = Source { app, msg };
    let intake = &app.services.intake;
    let handled = intake.handle(&app.platform, limits, &media, &source).await;
    handled.map(drop).map_err(|e| Unfinished(e.to_string()))
}

/// The media WAHA downloaded, fetched from it when the core asks.
struct Source<'a> {
    app: &'a App,
    msg: &'a WaMessage,
}

#[async_trait]
impl MediaSource for Source<'_> {
    async fn fetch(&self) -> Result<Option<Fetched>, FetchFailure> {
        let url = self.msg.media.as_ref().and_then(|m| m.url.as_deref());
        // WAHA did not download it (WHATSAPP_DOWNLOAD_MEDIA off?): nothing to check.
        let Some(url) = url else {
            return Err(FetchFailure::NoFile);
        };
        let limit = self.app.settings.max_download_bytes;
        let bytes = self.app.platform.client().download(url, limit).await;
        let bytes = bytes.map_err(failure)?;
        // A video goes to the guard's video examination (issue 19).
        let kind = match self.msg.carried() {
            Some(Carried::Video) => Visual::Video,
            _ => Visual::Photo,
        };
        Ok(Some(Fetched { bytes, kind }))
    }
}

fn failure(e: WahaError) -> FetchFailure {
    tracing::warn!(error = %e, "WhatsApp media not fetched");
    match e {
        WahaError::TooLarge { limit } => FetchFailure::TooLarge { limit },
        e if e.is_transient() => FetchFailure::Failed(e.to_string()),
        _ => FetchFailure::Refused,
    }
}
