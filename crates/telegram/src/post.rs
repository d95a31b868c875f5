//! Posting media, one function for every kind: a photo goes out with
//! sendPhoto, a video with sendVideo (streamable), in a place (chat, thread,
//! the message it answers) with a caption. It takes the core's
//! `OutgoingMedia`; it is the Telegram side of `ChatPlatform::post_media`
//! and `post_media_reply` (`platform.rs`).

use photo_guard_core::{MediaKind, OutgoingMedia};
use teloxide::payloads::{SendPhotoSetters, SendVideoSetters};
use teloxide::prelude::*;
use teloxide::types::{ChatId, InputFile, MessageId, ReplyParameters, ThreadId};
use teloxide::RequestError;

use crate::retry::with_retry;

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
    bot: &Bot,
    to: Place,
    media: OutgoingMedia,
    caption: Option<String>,
) -> Result<Message, RequestError> {
    let reply = to
        .reply_to
        .map(|id| ReplyParameters::new(id).allow_sending_without_reply());
    let (bytes, caption, protect) = (&media.bytes, caption.as_ref(), media.protect);
    match media.kind {
        MediaKind::Photo => {
            with_retry("sendPhoto", || {
                let file = InputFile::memory(bytes.clone()).file_name("photo.jpg");
                placed!(bot.send_photo(to.chat, file), to, caption, reply, protect)
            })
            .await
        }
        MediaKind::Video => {
            with_retry("sendVideo", || {
                let file = InputFile::memory(bytes.clone()).file_name("video.mp4");
                let req = bot.send_video(to.chat, file).supports_streaming(true);
                placed!(req, to, caption, reply, protect)
            })
            .await
        }
    }
}
