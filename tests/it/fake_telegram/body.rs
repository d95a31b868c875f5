//! Parsing a Bot API request into parameters: JSON, multipart (text parts as
//! JSON where they hold JSON, file parts kept as uploads), urlencoded forms
//! and query strings.

use std::sync::Arc;

use axum::body::to_bytes;
use axum::extract::{FromRequest, Multipart, Request};
use axum::http::header::CONTENT_TYPE;
use serde_json::{json, Map, Value};

use super::files::percent_decode;
use super::model::UploadedFile;

/// Largest request body the fake accepts (the real API takes 50 MB documents).
pub(crate) const BODY_LIMIT: usize = 64 * 1024 * 1024;

/// Fields whose text must stay a string even when it looks like JSON.
const STRING_FIELDS: &[&str] = &[
    "text",
    "caption",
    "photo",
    "document",
    "parse_mode",
    "file_id",
    "callback_query_id",
    "inline_message_id",
    "business_connection_id",
    "message_effect_id",
    "url",
    "title",
    "description",
    "language_code",
    "secret_token",
];

/// A request's parameters and uploaded files.
pub(crate) struct Params {
    pub value: Value,
    pub uploads: Vec<UploadedFile>,
}

impl Params {
    pub fn upload(&self, part: &str) -> Option<&UploadedFile> {
        self.uploads.iter().find(|u| u.part == part)
    }
}

/// Reads the parameters of a method call; `Err` carries a description for a 400.
pub(crate) async fn parse(req: Request) -> Result<Params, String> {
    let mut fields = Map::new();
    if let Some(query) = req.uri().query() {
        add_form_pairs(&mut fields, query);
    }
    let content_type = req
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_ascii_lowercase();
    let mut uploads = Vec::new();
    if content_type.starts_with("multipart/form-data") {
        let multipart = Multipart::from_request(req, &())
            .await
            .map_err(|e| e.body_text())?;
        read_multipart(multipart, &mut fields, &mut uploads).await?;
    } else {
        let bytes = to_bytes(req.into_body(), BODY_LIMIT)
            .await
            .map_err(|e| e.to_string())?;
        if content_type.starts_with("application/x-www-form-urlencoded") {
            add_form_pairs(&mut fields, &String::from_utf8_lossy(&bytes));
        } else if !bytes.iter().all(u8::is_ascii_whitespace) {
            match serde_json::from_slice::<Value>(&bytes) {
                Ok(Value::Object(obj)) => fields.extend(obj),
                Ok(_) => return Err("request body must be a JSON object".to_owned()),
                Err(e) => return Err(format!("can't parse JSON body: {e}")),
            }
        }
    }
    Ok(Params {
        value: Value::Object(fields),
        uploads,
    })
}

async fn read_multipart(
    mut multipart: Multipart,
    fields: &mut Map<String, Value>,
    uploads: &mut Vec<UploadedFile>,
) -> Result<(), String> {
    while let Some(field) = multipart.next_field().await.map_err(|e| e.body_text())? {
        let name = field.name().unwrap_or("").to_owned();
        let file_name = field.file_name().map(str::to_owned);
        let content_type = field.content_type().map(str::to_owned);
        let bytes = field.bytes().await.map_err(|e| e.body_text())?;
        if file_name.is_some() {
            fields.insert(
                name.clone(),
                json!({ "uploaded_file": { "file_name": file_name, "bytes": bytes.len() } }),
            );
            uploads.push(UploadedFile {
                part: name,
                file_name: file_name.filter(|n| !n.is_empty()),
                content_type,
                bytes: Arc::new(bytes.to_vec()),
            });
        } else {
            let text = String::from_utf8_lossy(&bytes).into_owned();
            let value = text_value(&name, text);
            fields.insert(name, value);
        }
    }
    Ok(())
}

fn add_form_pairs(fields: &mut Map<String, Value>, form: &str) {
    for pair in form.split('&').filter(|p| !p.is_empty()) {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        let key = percent_decode(&key.replace('+', " "));
        let value = percent_decode(&value.replace('+', " "));
        let value = text_value(&key, value);
        fields.insert(key, value);
    }
}

/// A text parameter as a JSON value: numbers, booleans, objects and arrays
/// are parsed (teloxide sends `reply_markup` and `chat_id` this way), known
/// text fields stay strings.
fn text_value(name: &str, text: String) -> Value {
    if STRING_FIELDS.contains(&name) {
        return Value::String(text);
    }
    match serde_json::from_str::<Value>(&text) {
        Ok(v @ (Value::Object(_) | Value::Array(_) | Value::Number(_) | Value::Bool(_))) => v,
        _ => Value::String(text),
    }
}
