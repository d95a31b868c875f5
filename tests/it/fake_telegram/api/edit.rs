//! Methods that change or remove existing messages: deleteMessage(s),
//! editMessageText, editMessageCaption, editMessageReplyMarkup,
//! editMessageMedia.

use serde_json::{json, Value};

use super::params::{check_caption, require_chat_id, require_message_id, text};
use super::send::media_content;
use crate::fake_telegram::body::Params;
use crate::fake_telegram::error::ApiError;
use crate::fake_telegram::json::is_inline_keyboard;
use crate::fake_telegram::model::ChatType;
use crate::fake_telegram::state::{now_secs, State, StoredMessage};

/// Messages older than this cannot be deleted by bots.
const DELETE_WINDOW_SECS: i64 = 48 * 3600;

/// Deletes one message as Telegram would, or says why not.
fn delete_one(state: &mut State, chat_id: i64, message_id: i32) -> Result<(), ApiError> {
    let chat = state.chat_mut(chat_id)?;
    let (kind, bot_role) = (chat.kind, chat.bot_role);
    let message = chat
        .live_mut(message_id)
        .ok_or_else(|| ApiError::bad_request("message to delete not found"))?;
    let date = message
        .json
        .get("date")
        .and_then(Value::as_i64)
        .unwrap_or(0);
    let allowed = match kind {
        ChatType::Private => true,
        ChatType::Group | ChatType::Supergroup => {
            message.from_bot || bot_role.can_delete_messages()
        }
    };
    if !allowed || now_secs() - date > DELETE_WINDOW_SECS {
        return Err(ApiError::bad_request("message can't be deleted"));
    }
    message.deleted = true;
    Ok(())
}

pub(crate) fn delete_message(state: &mut State, p: &Value) -> Result<Value, ApiError> {
    let chat_id = require_chat_id(p)?;
    let message_id = require_message_id(p)?;
    delete_one(state, chat_id, message_id)?;
    Ok(json!(true))
}

/// deleteMessages: deletes what it can; fails only when none could be deleted.
pub(crate) fn delete_messages(state: &mut State, p: &Value) -> Result<Value, ApiError> {
    let chat_id = require_chat_id(p)?;
    let ids: Vec<i32> = p
        .get("message_ids")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|v| v.as_i64())
                .filter_map(|n| i32::try_from(n).ok())
                .collect()
        })
        .unwrap_or_default();
    let deleted = ids
        .iter()
        .filter(|id| delete_one(state, chat_id, **id).is_ok())
        .count();
    if deleted == 0 {
        return Err(ApiError::bad_request("message to delete not found"));
    }
    Ok(json!(true))
}

/// The bot's own live message named by `chat_id` + `message_id`.
fn editable<'a>(state: &'a mut State, p: &Value) -> Result<&'a mut StoredMessage, ApiError> {
    let chat_id = require_chat_id(p)?;
    let message_id = require_message_id(p)?;
    let message = state
        .chat_mut(chat_id)?
        .live_mut(message_id)
        .ok_or_else(|| ApiError::bad_request("message to edit not found"))?;
    if !message.from_bot {
        return Err(ApiError::bad_request("message can't be edited"));
    }
    Ok(message)
}

fn not_modified() -> ApiError {
    ApiError::bad_request(
        "message is not modified: specified new message content and reply markup are \
         exactly the same as a current content and reply markup of the message",
    )
}

/// Applies an edit: sets or removes `key` in the message, replaces the
/// inline keyboard with the one in `p` (none = removed), stamps edit_date and
/// keeps `sent_params` in step so inspection shows the current state.
fn apply_edit(message: &mut StoredMessage, p: &Value, key: &str, value: Option<Value>) -> Value {
    let markup = p
        .get("reply_markup")
        .filter(|m| is_inline_keyboard(m))
        .cloned();
    let json = &mut message.json;
    if let Some(obj) = json.as_object_mut() {
        match &value {
            Some(v) => obj.insert(key.to_owned(), v.clone()),
            None => obj.remove(key),
        };
        match &markup {
            Some(m) => obj.insert("reply_markup".into(), m.clone()),
            None => obj.remove("reply_markup"),
        };
        obj.insert("edit_date".into(), json!(now_secs()));
    }
    if let Some(Value::Object(sent)) = message.sent_params.as_mut() {
        match value {
            Some(v) if key == "text" || key == "caption" => sent.insert(key.to_owned(), v),
            None => sent.remove(key),
            _ => None,
        };
        match p.get("reply_markup") {
            Some(m) => sent.insert("reply_markup".into(), m.clone()),
            None => sent.remove("reply_markup"),
        };
        if let Some(mode) = p.get("parse_mode") {
            sent.insert("parse_mode".into(), mode.clone());
        }
    }
    message.json.clone()
}

fn same_markup(message: &StoredMessage, p: &Value) -> bool {
    let new = p.get("reply_markup").filter(|m| is_inline_keyboard(m));
    message.json.get("reply_markup") == new
}

pub(crate) fn edit_message_text(state: &mut State, p: &Value) -> Result<Value, ApiError> {
    if p.get("inline_message_id").is_some() {
        return Ok(json!(true));
    }
    let new_text = text(p, "text").unwrap_or_default();
    if new_text.trim().is_empty() {
        return Err(ApiError::bad_request("message text is empty"));
    }
    if new_text.chars().count() > 4096 {
        return Err(ApiError::bad_request("MESSAGE_TOO_LONG"));
    }
    let message = editable(state, p)?;
    let Some(old_text) = message.json.get("text") else {
        return Err(ApiError::bad_request(
            "there is no text in the message to edit",
        ));
    };
    if old_text.as_str() == Some(new_text.as_str()) && same_markup(message, p) {
        return Err(not_modified());
    }
    Ok(apply_edit(message, p, "text", Some(json!(new_text))))
}

pub(crate) fn edit_message_caption(state: &mut State, p: &Value) -> Result<Value, ApiError> {
    if p.get("inline_message_id").is_some() {
        return Ok(json!(true));
    }
    let caption = text(p, "caption").filter(|c| !c.is_empty());
    check_caption(caption.as_deref())?;
    let message = editable(state, p)?;
    if message.json.get("text").is_some() {
        return Err(ApiError::bad_request(
            "there is no caption in the message to edit",
        ));
    }
    let old = message
        .json
        .get("caption")
        .and_then(Value::as_str)
        .map(str::to_owned);
    if old == caption && same_markup(message, p) {
        return Err(not_modified());
    }
    Ok(apply_edit(
        message,
        p,
        "caption",
        caption.map(Value::String),
    ))
}

pub(crate) fn edit_message_reply_markup(state: &mut State, p: &Value) -> Result<Value, ApiError> {
    if p.get("inline_message_id").is_some() {
        return Ok(json!(true));
    }
    let message = editable(state, p)?;
    if same_markup(message, p) {
        return Err(not_modified());
    }
    let key = if message.json.get("text").is_some() {
        "text"
    } else {
        "caption"
    };
    let current = message.json.get(key).cloned();
    Ok(apply_edit(message, p, key, current))
}

pub(crate) fn edit_message_media(state: &mut State, params: &Params) -> Result<Value, ApiError> {
    let p = &params.value;
    if p.get("inline_message_id").is_some() {
        return Ok(json!(true));
    }
    editable(state, p)?;
    let item = p.get("media").cloned().unwrap_or(Value::Null);
    let content = media_content(state, params, &item)?;
    let message = editable(state, p)?;
    if let Some(obj) = message.json.as_object_mut() {
        for key in ["photo", "document", "caption", "caption_entities"] {
            obj.remove(key);
        }
        obj.extend(content.clone());
    }
    if let Some(Value::Object(sent)) = message.sent_params.as_mut() {
        sent.insert("media_item".into(), item);
    }
    let caption = content.get("caption").cloned();
    Ok(apply_edit(message, p, "caption", caption))
}
