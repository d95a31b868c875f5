//! HTTP side of the fake: routes `POST|GET /bot<token>/<Method>` and
//! `GET /file/bot<token>/<path>`, checks the token, applies injected faults,
//! records every call and long-polls getUpdates.

use std::sync::Arc;
use std::time::Duration;

use axum::extract::{DefaultBodyLimit, Request, State as AxumState};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Router;
use serde_json::{json, Value};
use tokio::time::Instant;

use super::api;
use super::body::{self, Params, BODY_LIMIT};
use super::error::{reply, ApiError};
use super::faults::{fault_error, take_fault};
use super::files::percent_decode;
use super::model::{Call, Fault};
use super::shared::Shared;

/// Longest long poll the fake honours (Telegram allows 50 s).
const MAX_POLL_SECS: u64 = 50;

pub(crate) fn router(shared: Arc<Shared>) -> Router {
    Router::new()
        .fallback(entry)
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .with_state(shared)
}

async fn entry(AxumState(shared): AxumState<Arc<Shared>>, req: Request) -> Response {
    let path = req.uri().path().to_owned();
    if let Some(rest) = path.strip_prefix("/file/bot") {
        return match rest.split_once('/') {
            Some((token, file_path)) => {
                serve_file(&shared, &percent_decode(token), &percent_decode(file_path))
            }
            None => reply(&Err(ApiError::not_found())),
        };
    }
    if let Some(rest) = path.strip_prefix("/bot") {
        if let Some((token, method)) = rest.split_once('/') {
            if !method.is_empty() && !method.contains('/') {
                let method = percent_decode(method).to_ascii_lowercase();
                return call_method(&shared, &percent_decode(token), &method, req).await;
            }
        }
    }
    reply(&Err(ApiError::not_found()))
}

fn record(method: &str, params: &Params, outcome: &Result<Value, ApiError>) -> Call {
    Call {
        method: method.to_owned(),
        chat_id: api::chat_id(&params.value),
        params: params.value.clone(),
        uploads: params.uploads.clone(),
        error: outcome
            .as_ref()
            .err()
            .map(|e| (e.code, e.description.clone())),
    }
}

async fn call_method(shared: &Arc<Shared>, token: &str, method: &str, req: Request) -> Response {
    let params = match body::parse(req).await {
        Ok(params) => params,
        Err(why) => {
            let empty = Params {
                value: json!({}),
                uploads: Vec::new(),
            };
            return finish(shared, method, &empty, Err(ApiError::bad_request(why)));
        }
    };
    if token != shared.token {
        return finish(shared, method, &params, Err(ApiError::unauthorized()));
    }
    match shared.mutate(|s| take_fault(s, method)) {
        Some(Fault::Timeout(delay)) => tokio::time::sleep(delay).await,
        Some(fault) => {
            if let Some(error) = fault_error(&fault) {
                return finish(shared, method, &params, Err(error));
            }
        }
        None => {}
    }
    if method == "getupdates" {
        return long_poll(shared, params).await;
    }
    let outcome = shared.mutate(|s| {
        let outcome = api::dispatch(s, method, &params);
        s.calls.push(record(method, &params, &outcome));
        outcome
    });
    reply(&outcome)
}

/// Records a call that ends without running the method, and answers it.
fn finish(
    shared: &Shared,
    method: &str,
    params: &Params,
    outcome: Result<Value, ApiError>,
) -> Response {
    shared.mutate(|s| s.calls.push(record(method, params, &outcome)));
    reply(&outcome)
}

/// getUpdates: answers as soon as an update is available, else when
/// `timeout` seconds have passed or the server is shutting down.
async fn long_poll(shared: &Arc<Shared>, params: Params) -> Response {
    let secs = api_timeout(&params.value).min(MAX_POLL_SECS);
    let deadline = Instant::now() + Duration::from_secs(secs);
    let mut updates = shared.subscribe_updates();
    let mut closed = shared.subscribe_closed();
    shared.mutate(|s| {
        s.calls
            .push(record("getupdates", &params, &Ok(Value::Null)))
    });
    loop {
        updates.borrow_and_update();
        let batch = shared.mutate(|s| api::take_batch(s, &params.value));
        if !batch.is_empty() || Instant::now() >= deadline || shared.is_closed() {
            return reply(&Ok(Value::Array(batch)));
        }
        tokio::select! {
            _ = updates.changed() => {}
            _ = closed.changed() => {}
            _ = tokio::time::sleep_until(deadline) => {}
        }
    }
}

fn api_timeout(p: &Value) -> u64 {
    match p.get("timeout") {
        Some(Value::Number(n)) => n.as_u64().unwrap_or(0),
        Some(Value::String(s)) => s.parse().unwrap_or(0),
        _ => 0,
    }
}

/// Serves the bytes stored for a `file_path` handed out by getFile.
fn serve_file(shared: &Shared, token: &str, file_path: &str) -> Response {
    if token != shared.token {
        return reply(&Err(ApiError::unauthorized()));
    }
    let served = shared.mutate(|s| {
        // An error fault queued for "download" fails the file server's answer.
        let served = match take_fault(s, "download").and_then(|f| fault_error(&f)) {
            Some(error) => Err(error),
            None => s
                .files
                .by_path(file_path)
                .map(|f| f.bytes.clone())
                .ok_or_else(ApiError::not_found),
        };
        let outcome = served
            .as_ref()
            .map(|_| Value::Bool(true))
            .map_err(Clone::clone);
        let params = Params {
            value: json!({ "file_path": file_path }),
            uploads: Vec::new(),
        };
        s.calls.push(record("download", &params, &outcome));
        served
    });
    match served {
        Ok(bytes) => (
            StatusCode::OK,
            [(header::CONTENT_TYPE, "application/octet-stream")],
            bytes.to_vec(),
        )
            .into_response(),
        Err(error) => reply(&Err(error)),
    }
}
