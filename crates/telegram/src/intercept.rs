//! Catching every photo and video in a guarded chat and handing it to the
//! core's intake (`Services::intake`): compressed photos, images and videos
//! sent as files, animations, video notes, stickers, paid and quoted media,
//! album items (judged with every caption of their album), forwards, and
//! edits of any of them.
//!
//! This file only reads the Telegram message into the core's description
//! ([`Incoming`]) and fetches the file through getFile (`photo.rs`); the
//! turn, the replay check, the guard, the recorded steps and everything
//! said along the way are the core's, the same for every platform.
//! One chat's jobs are claimed one at a time (the job queue, issue 21), so
//! an edit's work follows its original's, on whichever replica.

use std::sync::Arc;

use async_trait::async_trait;
use photo_guard_core::services::{
    FetchFailure, Fetched, Incoming, IntakeError, Limits, MediaSource, Sender,
};
use photo_guard_core::{
    ChatId as CoreChat, MessageId as CoreMessage, Place, UserId as CoreUser, Visual,
};
use teloxide::types::Message;

use crate::app::{chat_title, display_name, App};
use crate::candidate::{candidate, Candidate};
use crate::enforce::Unfinished;
use crate::photo::{failure, fetch, FetchError};

/// Whether a message carries something the guard must look at.
pub fn is_guarded_media(msg: &Message) -> bool {
    !msg.chat.is_private() && candidate(msg).is_some()
}

/// Handles the state of a photo or video message carried by update `update`.
pub async fn handle_media(app: Arc<App>, update: i64, msg: Message) -> Result<(), Unfinished> {
    let Some(found) = candidate(&msg) else {
        return Ok(());
    };
    let intake = &app.services.intake;
    let mut media = incoming(&msg, update);
    if let Some(album) = msg.media_group_id() {
        // The core waits what is left of the album's wait, then reads.
        let wait = app.settings.album_wait;
        let captions = intake.album_captions(&media, &album.0, wait).await;
        media.album = captions.map_err(unfinished)?;
    }
    // Videos queue apart: a burst of clips never takes every photo's place.
    let slots = match found.kind {
        Visual::Video => &app.video_slots,
        _ => &app.photo_slots,
    };
    let _slot = slots
        .clone()
        .acquire_owned()
        .await
        .map_err(|_| Unfinished("shutting down".into()))?;
    let limits = Limits {
        download_max_tries: app.settings.download_max_tries,
    };
    let source = Source {
        app: &app,
        msg: &msg,
        found: &found,
    };
    let handled = intake.handle(&app.platform, limits, &media, &source).await;
    handled.map(drop).map_err(unfinished)
}

fn unfinished(e: IntakeError) -> Unfinished {
    Unfinished(e.to_string())
}

/// Hands an album item's caption to the core as its update is recorded (the
/// first item judged must see the others'; the core writes it, once);
/// `None` when the store refused it.
pub async fn note_album_arrival(app: &App, update: i64, msg: &Message) -> Option<()> {
    let album = msg.media_group_id()?;
    let media = incoming(msg, update);
    let noted = app.services.intake.note_album_item(&media, &album.0).await;
    noted
        .map_err(|e| tracing::error!(error = %e, "cannot note an album caption"))
        .ok()
}

/// The core's description of the message.
fn incoming(msg: &Message, update: i64) -> Incoming {
    let from = msg.from.as_ref();
    Incoming {
        place: Place {
            chat: CoreChat(msg.chat.id.0),
            thread: msg.thread_id.map(|t| i64::from(t.0 .0)),
        },
        chat_title: chat_title(&msg.chat),
        message: CoreMessage(i64::from(msg.id.0)),
        update,
        reply_to: msg
            .reply_to_message()
            .map(|parent| CoreMessage(i64::from(parent.id.0))),
        sender: Sender {
            id: from.map(|u| CoreUser(u.id.0 as i64)),
            name: display_name(from),
            lang: from.map(|u| App::user_lang(Some(u))),
        },
        sent: Some(msg.date),
        caption: caption_of(msg).map(str::to_owned),
        album: Vec::new(),
        link: crate::rights::message_link(msg),
    }
}

/// The text that goes with the item: its caption, or the text of a message
/// that quotes media from elsewhere.
pub fn caption_of(msg: &Message) -> Option<&str> {
    msg.caption().or_else(|| msg.text())
}

/// The message's file, fetched through getFile when the core asks.
struct Source<'a> {
    app: &'a App,
    msg: &'a Message,
    found: &'a Candidate,
}

#[async_trait]
impl MediaSource for Source<'_> {
    async fn fetch(&self) -> Result<Option<Fetched>, FetchFailure> {
        // Whatever it shows, the bot cannot see it: removed, not let through.
        let Some((file_id, declared_size)) = &self.found.file else {
            return Err(FetchFailure::NoFile);
        };
        // A drawing cannot show anyone: recorded without a download.
        let fetched = match self.found.kind {
            Visual::AnimatedSticker => (Vec::new(), Some(Visual::AnimatedSticker)),
            _ => {
                let bytes = self.download(file_id, *declared_size).await?;
                let kind = self.found.settle(&bytes);
                (bytes, kind)
            }
        };
        let (bytes, Some(kind)) = fetched else {
            return Ok(None);
        };
        // Issue 23: the file id, sealed, so a downgrade can fetch it again.
        crate::takedown::note_file(self.app, self.msg, file_id).await;
        Ok(Some(Fetched { bytes, kind }))
    }
}

impl Source<'_> {
    async fn download(
        &self,
        file_id: &teloxide::types::FileId,
        declared_size: u64,
    ) -> Result<Vec<u8>, FetchFailure> {
        let limit = self.app.settings.max_download_bytes;
        // A declared size over the limit is refused without downloading a byte.
        let fetched = match declared_size > limit {
            true => Err(FetchError::TooLarge { limit }),
            false => fetch(&self.app.bot, file_id, limit).await,
        };
        fetched.map_err(failure)
    }
}
