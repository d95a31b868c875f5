//! The webhook receiver (axum): WAHA posts every event here. A call is
//! verified (HMAC, else 401) before its body is read, recorded in the inbox
//! by its message id before anything is done (a redelivery is answered and
//! not handled again), then handled in its own task.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use axum::Router;
use photo_guard_core::MessageId;

use crate::app::App;
use crate::event::{Carried, Envelope, GroupJoin, WaMessage};
use crate::signature::{ALGORITHM_HEADER, HMAC_HEADER};

/// The receiver's routes: `POST /webhook` (and `/`, for a bare URL).
pub fn router(app: Arc<App>) -> Router {
    Router::new()
        .route("/webhook", post(receive))
        .route("/", post(receive))
        .with_state(app)
}

/// What a verified message asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Work {
    /// A photo in a group: the guard's.
    Photo,
    /// A command, in the sender's own chat or in a group.
    Command,
}

async fn receive(State(app): State<Arc<App>>, headers: HeaderMap, body: Bytes) -> StatusCode {
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    let verified =
        app.settings
            .webhook_secret
            .verify(&body, header(HMAC_HEADER), header(ALGORITHM_HEADER));
    if let Err(e) = verified {
        tracing::warn!(error = %e, "a webhook call was refused");
        return StatusCode::UNAUTHORIZED;
    }
    let Ok(envelope) = serde_json::from_slice::<Envelope>(&body) else {
        return StatusCode::BAD_REQUEST;
    };
    if envelope.session != app.settings.session {
        return StatusCode::OK;
    }
    match envelope.event.as_str() {
        "message" => message(app, envelope.payload, &body).await,
        "group.join" => group_join(app, envelope.payload, &body).await,
        _ => StatusCode::OK,
    }
}

/// What a message asks for, if anything.
pub fn work_of(msg: &WaMessage) -> Option<Work> {
    if msg.from_me {
        return None;
    }
    let command = msg
        .body
        .as_deref()
        .is_some_and(|b| b.trim_start().starts_with('/'));
    match (msg.in_group(), msg.carried()) {
        (true, Some(Carried::Image | Carried::Video)) => Some(Work::Photo),
        (_, None) if command => Some(Work::Command),
        _ => None,
    }
}

async fn message(app: Arc<App>, payload: serde_json::Value, raw: &[u8]) -> StatusCode {
    let Ok(msg) = serde_json::from_value::<WaMessage>(payload) else {
        return StatusCode::BAD_REQUEST;
    };
    let Some(work) = work_of(&msg) else {
        return StatusCode::OK;
    };
    let Ok(id) = app.ids().message(&msg.id).await else {
        return StatusCode::SERVICE_UNAVAILABLE;
    };
    match recorded(&app, id, raw).await {
        Ok(true) => {}
        Ok(false) => return StatusCode::OK,
        Err(status) => return status,
    }
    tokio::spawn(async move { handle(&app, id, &msg, work).await });
    StatusCode::OK
}

/// A `group.join`: recorded in the inbox by its key before the newcomers
/// are greeted, so a redelivery greets no one again (issue 22).
async fn group_join(app: Arc<App>, payload: serde_json::Value, raw: &[u8]) -> StatusCode {
    let Ok(join) = serde_json::from_value::<GroupJoin>(payload) else {
        return StatusCode::BAD_REQUEST;
    };
    let Ok(id) = app.ids().message(&join.key()).await else {
        return StatusCode::SERVICE_UNAVAILABLE;
    };
    match recorded(&app, id, raw).await {
        Ok(true) => {}
        Ok(false) => return StatusCode::OK,
        Err(status) => return status,
    }
    tokio::spawn(async move {
        crate::welcome::greet(&app, &join).await;
        if let Err(e) = app.store().finish(id.0).await {
            tracing::error!(error = %e, "cannot mark a webhook finished");
        }
    });
    StatusCode::OK
}

/// Records a webhook in the inbox: whether it is new; a failure is the
/// status to answer (not recorded, so not acted on: WAHA tries again).
async fn recorded(app: &App, id: MessageId, raw: &[u8]) -> Result<bool, StatusCode> {
    let raw = String::from_utf8_lossy(raw);
    match app.store().receive(id.0, &raw).await {
        Ok(true) => Ok(true),
        Ok(false) => {
            tracing::info!(message = id.0, "a repeated webhook; already handled");
            Ok(false)
        }
        Err(e) => {
            tracing::error!(error = %e, "cannot record a webhook");
            Err(StatusCode::SERVICE_UNAVAILABLE)
        }
    }
}

/// Does the work and marks the inbox entry finished; unfinished work stays
/// for the replay at the next start.
pub async fn handle(app: &App, id: MessageId, msg: &WaMessage, work: Work) {
    if !app.take(id.0) {
        return;
    }
    let done = match work {
        Work::Photo => crate::intake::handle_photo(app, id, msg).await,
        Work::Command => {
            crate::commands::handle(app, msg).await;
            Ok(())
        }
    };
    match done {
        Ok(()) => {
            if let Err(e) = app.store().finish(id.0).await {
                tracing::error!(error = %e, "cannot mark a webhook finished");
            }
        }
        Err(e) => tracing::warn!(message = id.0, why = e.0, "WhatsApp work left unfinished"),
    }
    app.release(id.0);
}

/// Photo work left unfinished (WAHA unreachable, a failed download) is
/// tried again every `retry_every`, not only at the next start.
pub async fn retry_unfinished(app: Arc<App>) {
    let mut tick = tokio::time::interval(app.settings.retry_every);
    tick.tick().await;
    loop {
        tick.tick().await;
        replay_unfinished(&app).await;
    }
}

/// Photo work recorded but not finished by the last run, handled again
/// (commands from before a crash are stale and only marked finished).
pub async fn replay_unfinished(app: &App) {
    let pending = match app.store().unfinished().await {
        Ok(p) => p,
        Err(e) => return tracing::error!(error = %e, "cannot read the inbox"),
    };
    for (id, raw) in pending {
        if id < photo_guard_core::PLATFORM_ID_BASE {
            continue; // Telegram's
        }
        let msg = serde_json::from_str::<Envelope>(&raw)
            .ok()
            .and_then(|e| serde_json::from_value::<WaMessage>(e.payload).ok());
        match msg.as_ref().and_then(|m| work_of(m).map(|w| (m, w))) {
            Some((msg, Work::Photo)) => handle(app, MessageId(id), msg, Work::Photo).await,
            _ => {
                let _ = app.store().finish(id).await;
            }
        }
    }
}
