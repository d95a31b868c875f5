//! Webhook mode (issue 21): Telegram posts each update to this replica's
//! route (axum; our own rather than teloxide's `webhooks-axum` helper, which
//! sets the webhook at start and deletes it at shutdown, while here several
//! replicas serve one webhook that `photo-guard webhook set` set once). A
//! post without the secret token Telegram was given is refused (401); an
//! update is recorded in the inbox by its `update_id` (a repeat, to this
//! replica or another, is one job) and answered at once: the workers
//! (`jobs.rs`) do its work. An update that cannot be recorded is answered
//! 503, so Telegram sends it again.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use axum::Router;
use teloxide::prelude::*;
use teloxide::types::Update;
use url::Url;

use crate::app::App;
use crate::mode::{Mode, WebhookSecret, WebhookSettings};
use crate::{TelegramError, TelegramSettings};

/// The header Telegram sends the secret token in.
pub const SECRET_HEADER: &str = "x-telegram-bot-api-secret-token";

/// The route: `POST /telegram` (and `/`, for a bare URL).
fn router(app: Arc<App>) -> Router {
    Router::new()
        .route("/telegram", post(receive))
        .route("/", post(receive))
        .with_state(app)
}

/// Serves the webhook until `stop` resolves, then finishes the calls in hand.
pub async fn serve(
    app: Arc<App>,
    hook: &WebhookSettings,
    stop: impl std::future::Future<Output = ()>,
) -> Result<(), TelegramError> {
    let listen = hook.listen;
    let listener = tokio::net::TcpListener::bind(listen)
        .await
        .map_err(|e| TelegramError::Listen(listen, e))?;
    tracing::info!(%listen, "receiving Telegram's updates by webhook");
    let (stopping, stopped) = tokio::sync::oneshot::channel::<()>();
    let serving = axum::serve(listener, router(app)).with_graceful_shutdown(async move {
        let _ = stopped.await;
    });
    let serving = std::future::IntoFuture::into_future(serving);
    tokio::pin!(serving);
    tokio::select! {
        done = &mut serving => return done.map_err(|e| TelegramError::Listen(listen, e)),
        _ = stop => {}
    }
    let _ = stopping.send(());
    serving.await.map_err(|e| TelegramError::Listen(listen, e))
}

async fn receive(State(app): State<Arc<App>>, headers: HeaderMap, body: Bytes) -> StatusCode {
    let Mode::Webhook(hook) = &app.settings.mode else {
        return StatusCode::NOT_FOUND;
    };
    let given = headers.get(SECRET_HEADER).and_then(|v| v.to_str().ok());
    if !hook.secret.matches(given) {
        tracing::warn!("a webhook call without the secret token was refused");
        return StatusCode::UNAUTHORIZED;
    }
    let Ok(update) = serde_json::from_slice::<Update>(&body) else {
        return StatusCode::BAD_REQUEST;
    };
    match crate::jobs::record(&app, &update).await {
        Some(_) => StatusCode::OK,
        None => StatusCode::SERVICE_UNAVAILABLE,
    }
}

/// `photo-guard webhook set URL`: tells Telegram, once for every replica,
/// where to post updates, with the secret token and the updates polling asks
/// for.
pub async fn set(
    settings: &TelegramSettings,
    url: &str,
    secret: &WebhookSecret,
) -> Result<(), TelegramError> {
    let url = Url::parse(url).map_err(|e| TelegramError::WebhookUrl(e.to_string()))?;
    let bot = crate::bot(settings)?;
    bot.set_webhook(url)
        .secret_token(secret.expose().to_owned())
        .allowed_updates(crate::poll::allowed_updates())
        .await
        .map_err(TelegramError::SetWebhook)?;
    Ok(())
}
