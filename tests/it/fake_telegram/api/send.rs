//! Methods by which the bot posts messages: sendMessage, sendPhoto,
//! sendDocument, sendMediaGroup, copyMessage, forwardMessage.

use serde_json::{json, Map, Value};

use super::params::{
    check_caption, flag, int, int32, reply_target, require_chat_id, resolve_file, text, FileSource,
};
use crate::fake_telegram::body::Params;
use crate::fake_telegram::error::ApiError;
use crate::fake_telegram::files::{guess_mime, image_dimensions};
use crate::fake_telegram::json::is_inline_keyboard;
use crate::fake_telegram::state::{Draft, State};

/// Checks the chat and reply target, then stores the bot's message.
pub(crate) fn post_content(
    state: &mut State,
    p: &Value,
    content: Map<String, Value>,
) -> Result<(i64, i32), ApiError> {
    post(state, p, content)
}

fn post(
    state: &mut State,
    p: &Value,
    mut content: Map<String, Value>,
) -> Result<(i64, i32), ApiError> {
    let chat_id = require_chat_id(p)?;
    state.check_bot_can_send(chat_id)?;
    let (reply_to, allow_without) = reply_target(p);
    let reply_to = match reply_to {
        Some(id) if state.chat(chat_id)?.live(id).is_none() => {
            if allow_without {
                None
            } else {
                return Err(ApiError::bad_request("message to be replied not found"));
            }
        }
        other => other,
    };
    if let Some(markup) = p.get("reply_markup").filter(|m| is_inline_keyboard(m)) {
        content.insert("reply_markup".into(), markup.clone());
    }
    if flag(p, "protect_content") {
        content.insert("has_protected_content".into(), json!(true));
    }
    let draft = Draft {
        from: state.bot_json(),
        from_bot: true,
        content,
        reply_to,
        thread_id: int32(p, "message_thread_id"),
        sent_params: Some(p.clone()),
    };
    let message_id = state.new_message(chat_id, draft)?;
    Ok((chat_id, message_id))
}

pub(crate) fn send_message(state: &mut State, p: &Value) -> Result<Value, ApiError> {
    let body = text(p, "text").unwrap_or_default();
    if body.trim().is_empty() {
        return Err(ApiError::bad_request("message text is empty"));
    }
    if body.chars().count() > 4096 {
        return Err(ApiError::bad_request("message is too long"));
    }
    let mut content = Map::new();
    content.insert("text".into(), json!(body));
    let (chat_id, id) = post(state, p, content)?;
    Ok(state.message_json(chat_id, id))
}

/// `photo` content for an image, or IMAGE_PROCESS_FAILED when it does not decode.
fn photo_content(state: &mut State, src: FileSource) -> Result<Map<String, Value>, ApiError> {
    if image_dimensions(&src.bytes).is_none() {
        return Err(ApiError::bad_request("IMAGE_PROCESS_FAILED"));
    }
    let mut content = Map::new();
    content.insert("photo".into(), state.files.photo_sizes(src.bytes));
    Ok(content)
}

fn document_content(state: &mut State, src: FileSource) -> Map<String, Value> {
    let mime = guess_mime(src.file_name.as_deref(), &src.bytes);
    let mut content = Map::new();
    content.insert(
        "document".into(),
        state
            .files
            .document(src.bytes, src.file_name.as_deref(), &mime),
    );
    content
}

fn add_caption(content: &mut Map<String, Value>, caption: Option<String>) -> Result<(), ApiError> {
    check_caption(caption.as_deref())?;
    if let Some(c) = caption.filter(|c| !c.is_empty()) {
        content.insert("caption".into(), json!(c));
    }
    Ok(())
}

pub(crate) fn send_photo(state: &mut State, params: &Params) -> Result<Value, ApiError> {
    let p = &params.value;
    require_chat_id(p)?;
    let src = resolve_file(state, params, "photo", p.get("photo"))?;
    let mut content = photo_content(state, src)?;
    add_caption(&mut content, text(p, "caption"))?;
    let (chat_id, id) = post(state, p, content)?;
    Ok(state.message_json(chat_id, id))
}

pub(crate) fn send_document(state: &mut State, params: &Params) -> Result<Value, ApiError> {
    let p = &params.value;
    require_chat_id(p)?;
    let src = resolve_file(state, params, "document", p.get("document"))?;
    let mut content = document_content(state, src);
    add_caption(&mut content, text(p, "caption"))?;
    let (chat_id, id) = post(state, p, content)?;
    Ok(state.message_json(chat_id, id))
}

/// Content of one `InputMedia` item (photo or document) with its caption.
pub(crate) fn media_content(
    state: &mut State,
    params: &Params,
    item: &Value,
) -> Result<Map<String, Value>, ApiError> {
    let kind = item.get("type").and_then(Value::as_str).unwrap_or("");
    let src = resolve_file(state, params, "media", item.get("media"))?;
    let mut content = match kind {
        "photo" => photo_content(state, src)?,
        "document" => document_content(state, src),
        other => {
            return Err(ApiError::bad_request(format!(
                "unsupported media type \"{other}\" in the fake"
            )))
        }
    };
    add_caption(&mut content, text(item, "caption"))?;
    Ok(content)
}

pub(crate) fn send_media_group(state: &mut State, params: &Params) -> Result<Value, ApiError> {
    let p = &params.value;
    require_chat_id(p)?;
    let items = p
        .get("media")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    if !(2..=10).contains(&items.len()) {
        return Err(ApiError::bad_request(
            "wrong number of media in the album, must be 2-10",
        ));
    }
    let contents = items
        .iter()
        .map(|item| media_content(state, params, item))
        .collect::<Result<Vec<_>, _>>()?;
    let group_id = format!("{}", 13_000_000_000_000_000u64 + state.serial());
    let mut messages = Vec::new();
    for (mut content, item) in contents.into_iter().zip(&items) {
        content.insert("media_group_id".into(), json!(group_id));
        let mut item_params = p.clone();
        item_params["media_item"] = item.clone();
        let (chat_id, id) = post(state, &item_params, content)?;
        messages.push(state.message_json(chat_id, id));
    }
    Ok(Value::Array(messages))
}

/// Content fields of a stored message that a copy or forward carries over.
fn copied_content(state: &State, p: &Value) -> Result<(Map<String, Value>, Value), ApiError> {
    let from_chat = int(p, "from_chat_id").ok_or_else(ApiError::chat_not_found)?;
    let message_id = int32(p, "message_id").unwrap_or(0);
    let source = state
        .chat(from_chat)?
        .live(message_id)
        .ok_or_else(|| ApiError::bad_request("message to copy not found"))?;
    let mut content = Map::new();
    for key in [
        "text",
        "entities",
        "photo",
        "document",
        "caption",
        "caption_entities",
    ] {
        if let Some(v) = source.json.get(key) {
            content.insert(key.into(), v.clone());
        }
    }
    Ok((content, source.json.clone()))
}

pub(crate) fn copy_message(state: &mut State, p: &Value) -> Result<Value, ApiError> {
    let (mut content, _) = copied_content(state, p)?;
    if let Some(caption) = text(p, "caption") {
        if content.contains_key("photo") || content.contains_key("document") {
            add_caption(&mut content, Some(caption))?;
        }
    }
    let (_, id) = post(state, p, content)?;
    Ok(json!({ "message_id": id }))
}

pub(crate) fn forward_message(state: &mut State, p: &Value) -> Result<Value, ApiError> {
    let (mut content, source) = copied_content(state, p)?;
    let origin = source.get("forward_origin").cloned().unwrap_or_else(
        || json!({ "type": "user", "sender_user": source["from"], "date": source["date"] }),
    );
    content.insert("forward_origin".into(), origin);
    let (chat_id, id) = post(state, p, content)?;
    Ok(state.message_json(chat_id, id))
}
