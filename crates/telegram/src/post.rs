//! Posting media, one function for every kind: a photo goes out with
//! sendPhoto, a video with sendVideo, in a place (chat, thread, the message
//! it answers) with a caption. The shapes mirror the core's platform port
//! (`OutgoingMedia { kind, bytes, protect }`, issue 18), so this becomes the
//! Telegram side of `ChatPlatform::post_media`.

use photo_guard_core::looks_like_video;
use teloxide::payloads::{SendPhotoSetters, SendVideoSetters};
use teloxide::prelude::*;
use teloxide::types::{ChatId, InputFile, MessageId, ReplyParameters, ThreadId};
use teloxide::RequestError;

use crate::app::App;
use crate::retry::with_retry;

/// What kind of media is posted (the port's `MediaKind`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PostKind {
    Photo,
    Video,
}

impl PostKind {
    /// What bytes the bot made or sealed are: our video copies are MP4, our
    /// photo copies JPEG; a sealed original is read by its first bytes.
    pub fn of(bytes: &[u8]) -> Self {
        match looks_like_video(bytes) {
            true => Self::Video,
            false => Self::Photo,
        }
    }
}

/// Media the bot posts (the port's `OutgoingMedia`).
#[derive(Debug, Clone)]
pub struct Outgoing {
    pub kind: PostKind,
    pub bytes: Vec<u8>,
    /// protect_content: no forwarding, no saving.
    pub protect: bool,
}

impl Outgoing {
    /// `bytes` as what they are, unprotected.
    pub fn of(bytes: Vec<u8>) -> Self {
        Self {
            kind: PostKind::of(&bytes),
            bytes,
            protect: false,
        }
    }
}

/// Where a post goes.
#[derive(Debug, Clone, Copy)]
pub struct Place {
    pub chat: ChatId,
    pub thread: Option<ThreadId>,
    /// Answered if it still exists.
    pub reply_to: Option<MessageId>,
}

/// Sets what every kind of post shares on a request (the payload types
/// differ, the setters have the same names).
macro_rules! placed {
    ($req:expr, $to:expr, $caption:expr, $reply:expr, $protect:expr) => {{
        let mut req = $req;
        if let Some(c) = $caption {
            req = req.caption(c.clone());
        }
        if let Some(t) = $to.thread {
            req = req.message_thread_id(t);
        }
        if let Some(r) = $reply.clone() {
            req = req.reply_parameters(r);
        }
        req.protect_content($protect).send()
    }};
}

/// Posts `media` with `caption`, retrying through Telegram's faults.
pub async fn post_media(
    app: &App,
    to: Place,
    media: Outgoing,
    caption: Option<String>,
) -> Result<Message, RequestError> {
    let reply = to
        .reply_to
        .map(|id| ReplyParameters::new(id).allow_sending_without_reply());
    let (bytes, caption, protect) = (&media.bytes, caption.as_ref(), media.protect);
    match media.kind {
        PostKind::Photo => {
            with_retry("sendPhoto", || {
                let file = InputFile::memory(bytes.clone()).file_name("photo.jpg");
                placed!(
                    app.bot.send_photo(to.chat, file),
                    to,
                    caption,
                    reply,
                    protect
                )
            })
            .await
        }
        PostKind::Video => {
            with_retry("sendVideo", || {
                let file = InputFile::memory(bytes.clone()).file_name("video.mp4");
                let req = app.bot.send_video(to.chat, file).supports_streaming(true);
                placed!(req, to, caption, reply, protect)
            })
            .await
        }
    }
}
