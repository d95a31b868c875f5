//! The bot posting moving pictures: sendVideo, sendAnimation and
//! sendVideoNote. The upload is stored as Telegram would show it (`video`,
//! `animation` with its `document`, `video_note`); bytes that are not a
//! video container are refused, as Telegram refuses to play them.

use std::sync::Arc;

use serde_json::{json, Map, Value};

use super::params::{check_caption, require_chat_id, resolve_file, text};
use super::send::post_content;
use crate::fake_telegram::body::Params;
use crate::fake_telegram::error::ApiError;
use crate::fake_telegram::state::State;

/// MP4/QuickTime (`ftyp`), WebM/Matroska, or GIF.
fn is_video(bytes: &[u8]) -> bool {
    bytes.get(4..8) == Some(b"ftyp")
        || bytes.starts_with(&[0x1A, 0x45, 0xDF, 0xA3])
        || bytes.starts_with(b"GIF8")
}

fn send_moving(state: &mut State, params: &Params, field: &str) -> Result<Value, ApiError> {
    let p = &params.value;
    require_chat_id(p)?;
    let src = resolve_file(state, params, field, p.get(field))?;
    if !is_video(&src.bytes) {
        return Err(ApiError::bad_request("VIDEO_CONTENT_TYPE_INVALID"));
    }
    let size = src.bytes.len();
    let stored = state
        .files
        .add(Arc::new(src.bytes.to_vec()), "videos", "mp4");
    let mut file = json!({"file_id": stored.file_id, "file_unique_id": stored.unique_id,
        "file_size": size, "duration": 1});
    if field == "video_note" {
        file["length"] = json!(240);
    } else {
        file["width"] = json!(320);
        file["height"] = json!(240);
        file["mime_type"] = json!("video/mp4");
    }
    let mut content = Map::new();
    content.insert(field.into(), file.clone());
    if field == "animation" {
        content.insert("document".into(), file);
    }
    if field != "video_note" {
        let caption = text(p, "caption");
        check_caption(caption.as_deref())?;
        if let Some(c) = caption.filter(|c| !c.is_empty()) {
            content.insert("caption".into(), json!(c));
        }
    }
    let (chat_id, id) = post_content(state, p, content)?;
    Ok(state.message_json(chat_id, id))
}

pub(crate) fn send_video(state: &mut State, params: &Params) -> Result<Value, ApiError> {
    send_moving(state, params, "video")
}

pub(crate) fn send_animation(state: &mut State, params: &Params) -> Result<Value, ApiError> {
    send_moving(state, params, "animation")
}

pub(crate) fn send_video_note(state: &mut State, params: &Params) -> Result<Value, ApiError> {
    send_moving(state, params, "video_note")
}
