//! Users posting visuals other than photos and documents, stored the way
//! Telegram shows them to a bot: `video`, `animation` (with the `document`
//! Telegram duplicates), `video_note`, `sticker` (static WebP, video WebM or
//! animated TGS), `paid_media`, `external_reply` (media quoted from another
//! chat) and a forwarded `story` (no file at all).

use std::sync::Arc;

use serde_json::{json, Map, Value};

use super::state::State;
use super::users::{Content, PostOptions};
use super::FakeTelegram;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StickerFormat {
    Static,
    Video,
    Animated,
}

/// What a user posts, beyond photos and documents.
#[derive(Clone, Debug)]
pub enum Visual {
    Video {
        bytes: Vec<u8>,
        caption: Option<String>,
    },
    Animation {
        bytes: Vec<u8>,
        mime: String,
        caption: Option<String>,
    },
    VideoNote {
        bytes: Vec<u8>,
    },
    Sticker {
        bytes: Vec<u8>,
        format: StickerFormat,
    },
    PaidVideo {
        bytes: Vec<u8>,
        caption: Option<String>,
    },
    /// A text quoting a photo from another chat.
    QuotedPhoto {
        bytes: Vec<u8>,
        text: String,
    },
    Story,
}

/// A file's JSON (`file_id`, `file_unique_id`, `file_size`) plus `extra`.
fn file_json(state: &mut State, bytes: Vec<u8>, folder: &str, ext: &str, extra: Value) -> Value {
    let size = bytes.len();
    let f = state.files.add(Arc::new(bytes), folder, ext);
    let mut v = json!({"file_id": f.file_id, "file_unique_id": f.unique_id, "file_size": size});
    for (k, x) in extra.as_object().into_iter().flatten() {
        v[k] = x.clone();
    }
    v
}

fn video_meta() -> Value {
    json!({"width": 320, "height": 240, "duration": 2, "mime_type": "video/mp4"})
}

pub(crate) fn visual_fields(state: &mut State, visual: Visual, fields: &mut Map<String, Value>) {
    let mut caption = None;
    match visual {
        Visual::Video { bytes, caption: c } => {
            fields.insert(
                "video".into(),
                file_json(state, bytes, "videos", "mp4", video_meta()),
            );
            caption = c;
        }
        Visual::Animation {
            bytes,
            mime,
            caption: c,
        } => {
            let ext = if mime == "image/gif" { "gif" } else { "mp4" };
            let meta = json!({"width": 320, "height": 240, "duration": 1, "mime_type": mime, "file_name": format!("a.{ext}")});
            let file = file_json(state, bytes, "animations", ext, meta);
            fields.insert("animation".into(), file.clone());
            fields.insert("document".into(), file);
            caption = c;
        }
        Visual::VideoNote { bytes } => {
            let meta = json!({"length": 240, "duration": 2});
            fields.insert(
                "video_note".into(),
                file_json(state, bytes, "video_notes", "mp4", meta),
            );
        }
        Visual::Sticker { bytes, format } => {
            let ext = match format {
                StickerFormat::Static => "webp",
                StickerFormat::Video => "webm",
                StickerFormat::Animated => "tgs",
            };
            let meta = json!({"width": 512, "height": 512, "type": "regular",
                "is_animated": format == StickerFormat::Animated, "is_video": format == StickerFormat::Video});
            fields.insert(
                "sticker".into(),
                file_json(state, bytes, "stickers", ext, meta),
            );
        }
        Visual::PaidVideo { bytes, caption: c } => {
            let video = file_json(state, bytes, "videos", "mp4", video_meta());
            let paid = json!({"star_count": 5, "paid_media": [{"type": "video", "video": video}]});
            fields.insert("paid_media".into(), paid);
            caption = c;
        }
        Visual::QuotedPhoto { bytes, text } => {
            let sizes = state.files.photo_sizes(Arc::new(bytes));
            let origin = json!({"type": "hidden_user", "sender_user_name": "Someone", "date": 1});
            fields.insert("text".into(), json!(text));
            fields.insert(
                "external_reply".into(),
                json!({"origin": origin, "message_id": 5, "photo": sizes}),
            );
        }
        Visual::Story => {
            let chat = json!({"id": -1_009_999, "type": "channel", "title": "Cerita"});
            fields.insert("story".into(), json!({"chat": chat, "id": 3}));
        }
    }
    if let Some(c) = caption.filter(|c| !c.is_empty()) {
        fields.insert("caption".into(), json!(c));
    }
}

impl FakeTelegram {
    /// Posts a visual as `user_id` in `chat_id`; returns the message id.
    pub fn send_visual(&self, chat_id: i64, user_id: i64, visual: Visual) -> i32 {
        self.post(
            chat_id,
            user_id,
            Content::Visual(visual),
            PostOptions::default(),
        )
    }

    /// A video (sendVideo from a client), with its caption.
    pub fn send_video(
        &self,
        chat_id: i64,
        user_id: i64,
        bytes: &[u8],
        caption: Option<&str>,
    ) -> i32 {
        let visual = Visual::Video {
            bytes: bytes.to_vec(),
            caption: caption.map(str::to_owned),
        };
        self.send_visual(chat_id, user_id, visual)
    }
}
