//! Reading typed values out of a call's parameters, and resolving InputFile
//! parameters (`attach://<part>`, a file part itself, or a known file_id).

use std::sync::Arc;

use serde_json::Value;

use crate::fake_telegram::body::Params;
use crate::fake_telegram::error::ApiError;
use crate::fake_telegram::state::State;

/// An integer given as a JSON number or a numeric string.
pub(crate) fn int(p: &Value, key: &str) -> Option<i64> {
    match p.get(key)? {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

pub(crate) fn int32(p: &Value, key: &str) -> Option<i32> {
    int(p, key).and_then(|n| i32::try_from(n).ok())
}

pub(crate) fn text(p: &Value, key: &str) -> Option<String> {
    match p.get(key)? {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

pub(crate) fn flag(p: &Value, key: &str) -> bool {
    match p.get(key) {
        Some(Value::Bool(b)) => *b,
        Some(Value::String(s)) => s == "true",
        _ => false,
    }
}

/// The numeric `chat_id` of a call, if any.
pub(crate) fn chat_id(p: &Value) -> Option<i64> {
    int(p, "chat_id")
}

pub(crate) fn require_chat_id(p: &Value) -> Result<i64, ApiError> {
    match p.get("chat_id") {
        None | Some(Value::Null) => Err(ApiError::bad_request("chat_id is empty")),
        Some(_) => chat_id(p).ok_or_else(ApiError::chat_not_found),
    }
}

pub(crate) fn require_message_id(p: &Value) -> Result<i32, ApiError> {
    int32(p, "message_id")
        .ok_or_else(|| ApiError::bad_request("message identifier is not specified"))
}

/// Message being replied to (`reply_parameters` or the legacy
/// `reply_to_message_id`) and whether sending without it is allowed.
pub(crate) fn reply_target(p: &Value) -> (Option<i32>, bool) {
    if let Some(rp) = p.get("reply_parameters").filter(|v| v.is_object()) {
        return (
            int32(rp, "message_id"),
            flag(rp, "allow_sending_without_reply"),
        );
    }
    (
        int32(p, "reply_to_message_id"),
        flag(p, "allow_sending_without_reply"),
    )
}

/// Bytes of an InputFile parameter and what is known about them.
pub(crate) struct FileSource {
    pub bytes: Arc<Vec<u8>>,
    pub file_name: Option<String>,
}

/// Resolves the InputFile `value` of parameter `field`: an `attach://<part>`
/// reference, the file part named `field` itself, or a file_id we stored.
pub(crate) fn resolve_file(
    state: &State,
    params: &Params,
    field: &str,
    value: Option<&Value>,
) -> Result<FileSource, ApiError> {
    let from_upload = |part: &str| {
        params.upload(part).map(|u| FileSource {
            bytes: u.bytes.clone(),
            file_name: u.file_name.clone(),
        })
    };
    match value {
        None | Some(Value::Null) => from_upload(field)
            .ok_or_else(|| ApiError::bad_request(format!("there is no {field} in the request"))),
        Some(Value::Object(o)) if o.contains_key("uploaded_file") => from_upload(field)
            .ok_or_else(|| ApiError::bad_request(format!("there is no {field} in the request"))),
        Some(Value::String(s)) => {
            if let Some(part) = s.strip_prefix("attach://") {
                from_upload(part).ok_or_else(|| {
                    ApiError::bad_request("wrong file identifier/HTTP URL specified")
                })
            } else if let Some(file) = state.files.get(s) {
                Ok(FileSource {
                    bytes: file.bytes.clone(),
                    file_name: None,
                })
            } else if s.starts_with("http://") || s.starts_with("https://") {
                Err(ApiError::bad_request("failed to get HTTP URL content"))
            } else {
                Err(ApiError::bad_request(
                    "wrong file identifier/HTTP URL specified",
                ))
            }
        }
        Some(_) => Err(ApiError::bad_request(format!("can't parse {field}"))),
    }
}

/// Rejects captions over Telegram's 1024-character limit.
pub(crate) fn check_caption(caption: Option<&str>) -> Result<(), ApiError> {
    match caption {
        Some(c) if c.encode_utf16().count() > 1024 => {
            Err(ApiError::bad_request("message caption is too long"))
        }
        _ => Ok(()),
    }
}
