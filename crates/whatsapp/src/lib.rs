//! photo-guard's WhatsApp adapter, on WAHA (`devlikeapro/waha`), a
//! self-hosted gateway that logs in as a linked device: WAHA posts webhooks
//! (`webhook`, verified by `signature`, payloads in `event`), photos in
//! groups go through the core's intake (`intake`), which acts through the
//! platform port (`platform` on the REST `client`).
//! WhatsApp's string ids become core ids through the store (`ids`). Depends
//! on the core only.

mod admin;
mod app;
mod breach;
pub mod client;
mod commands;
mod doctor;
pub mod event;
mod files;
mod group_names;
pub mod ids;
mod intake;
pub mod platform;
mod reminders;
mod review;
mod settings;
pub mod signature;
mod takedown;
mod webhook;
mod welcome;
mod wire;

use std::sync::Arc;

use photo_guard_core::store::PlatformIds;
use photo_guard_core::Services;
use thiserror::Error;

pub use client::{WahaClient, WahaError};
pub use doctor::diagnose;
pub use settings::WhatsAppSettings;
pub use signature::{SignatureError, WebhookSecret};

#[derive(Debug, Error)]
pub enum RunError {
    #[error("cannot set up the WAHA client: {0}")]
    Client(#[from] WahaError),
    #[error("cannot listen for WAHA's webhooks on {addr}: {source}")]
    Listen {
        addr: std::net::SocketAddr,
        source: std::io::Error,
    },
}

/// Receives WAHA's webhooks until `stop` resolves.
pub async fn run(
    settings: WhatsAppSettings,
    services: Arc<Services>,
    ids: Arc<dyn PlatformIds>,
    stop: impl std::future::Future<Output = ()> + Send + 'static,
) -> Result<(), RunError> {
    let client = WahaClient::new(
        settings.api_url.clone(),
        settings.api_key.clone(),
        settings.session.clone(),
    )?;
    let limit = settings.max_download_bytes;
    let platform = platform::WahaPlatform::new(client, ids::Ids::new(ids), limit);
    // Issue 23: the takedown after a consent change reaches WhatsApp's groups
    // whichever platform the change was made on.
    let routed: Arc<dyn photo_guard_core::ChatPlatform> = Arc::new(platform.clone());
    services
        .platforms
        .register(photo_guard_core::IdSpace::Mapped, routed);
    let app = Arc::new(app::App {
        services,
        platform,
        settings,
        in_flight: Default::default(),
    });
    app.grant_configured_admins().await;
    match app.platform.client().session_info().await {
        Ok(info) if info.status == "WORKING" => tracing::info!("the WAHA session is working"),
        Ok(info) => tracing::warn!(
            status = info.status,
            "the WAHA session is not working yet; scan its QR code"
        ),
        Err(e) => tracing::warn!(error = %e, "cannot ask WAHA about the session"),
    }
    webhook::replay_unfinished(&app).await;
    let retry = tokio::spawn(webhook::retry_unfinished(app.clone()));
    let remind = tokio::spawn(reminders::run(app.clone()));
    let addr = app.settings.listen;
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|source| RunError::Listen { addr, source })?;
    tracing::info!(%addr, "listening for WAHA's webhooks");
    let served = axum::serve(listener, webhook::router(app.clone())).with_graceful_shutdown(stop);
    if let Err(e) = served.await {
        tracing::error!(error = %e, "the webhook receiver stopped");
    }
    retry.abort();
    remind.abort();
    // Issue 21: another replica takes the scheduled rounds at once.
    app.services.leader.resign(&app.settings.replica).await;
    Ok(())
}
