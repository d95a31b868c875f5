//! Bot API error answers (`ok:false`) and the JSON envelope of every reply.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};

/// An `ok:false` answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct ApiError {
    pub code: u16,
    pub description: String,
    pub retry_after: Option<u32>,
}

impl ApiError {
    pub fn new(code: u16, description: impl Into<String>) -> Self {
        ApiError {
            code,
            description: description.into(),
            retry_after: None,
        }
    }

    /// 400 "Bad Request: {what}".
    pub fn bad_request(what: impl AsRef<str>) -> Self {
        Self::new(400, format!("Bad Request: {}", what.as_ref()))
    }

    /// 403 "Forbidden: {what}".
    pub fn forbidden(what: impl AsRef<str>) -> Self {
        Self::new(403, format!("Forbidden: {}", what.as_ref()))
    }

    pub fn unauthorized() -> Self {
        Self::new(401, "Unauthorized")
    }

    pub fn not_found() -> Self {
        Self::new(404, "Not Found")
    }

    pub fn too_many_requests(retry_after: u32) -> Self {
        ApiError {
            code: 429,
            description: format!("Too Many Requests: retry after {retry_after}"),
            retry_after: Some(retry_after),
        }
    }

    pub fn chat_not_found() -> Self {
        Self::bad_request("chat not found")
    }

    pub fn body(&self) -> Value {
        let mut v =
            json!({ "ok": false, "error_code": self.code, "description": self.description });
        if let Some(secs) = self.retry_after {
            v["parameters"] = json!({ "retry_after": secs });
        }
        v
    }
}

/// Turns a method's outcome into the HTTP reply Telegram would give.
pub(crate) fn reply(outcome: &Result<Value, ApiError>) -> Response {
    match outcome {
        Ok(result) => Json(json!({ "ok": true, "result": result })).into_response(),
        Err(e) => {
            let status = StatusCode::from_u16(e.code).unwrap_or(StatusCode::BAD_REQUEST);
            (status, Json(e.body())).into_response()
        }
    }
}
