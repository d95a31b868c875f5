//! photo-guard's Telegram adapter: turns updates into the core's types and
//! verdicts into Bot API calls, through teloxide.

mod app;
mod audit;
mod candidate;
mod commands;
mod doctor;
mod document;
mod enforce;
mod intercept;
mod jobs;
mod membership;
mod menu;
mod mode;
mod photo;
mod platform;
mod poll;
mod post;
mod reminders;
mod retry;
mod review;
mod rights;
mod settings;
mod split;
mod takedown;
mod webhook;
mod welcome;

use std::sync::Arc;

use photo_guard_core::texts::Msg;
use photo_guard_core::{Role, Services};
use teloxide::prelude::*;
use thiserror::Error;
use tokio::sync::Semaphore;

pub use doctor::{diagnose, Finding};
pub use mode::{Mode, WebhookSecret, WebhookSecretError, WebhookSettings};
pub use photo::sniff_image;
pub use review::parse_data as parse_review_data;
pub use settings::TelegramSettings;
pub use webhook::set as set_webhook;

#[derive(Debug, Error)]
pub enum TelegramError {
    #[error("TELEGRAM_API_URL is not a valid URL: {0}")]
    ApiUrl(String),
    #[error("Telegram did not accept the bot token (getMe failed: {0}); check TELEGRAM_BOT_TOKEN with @BotFather")]
    GetMe(teloxide::RequestError),
    #[error("not a webhook URL: {0}")]
    WebhookUrl(String),
    #[error("Telegram refused the webhook: {0}")]
    SetWebhook(teloxide::RequestError),
    #[error("cannot listen for Telegram's webhook on {0}: {1}")]
    Listen(std::net::SocketAddr, std::io::Error),
    #[error(transparent)]
    Store(#[from] photo_guard_core::StoreError),
}

/// Builds the Bot API client the way every command of ours talks to Telegram.
pub fn bot(settings: &TelegramSettings) -> Result<Bot, TelegramError> {
    let bot = Bot::new(settings.token.clone());
    match &settings.api_url {
        None => Ok(bot),
        Some(url) => {
            let parsed = url::Url::parse(url).map_err(|e| TelegramError::ApiUrl(e.to_string()))?;
            Ok(bot.set_api_url(parsed))
        }
    }
}

/// Runs the bot until `stop` resolves (Ctrl-C or SIGTERM in production),
/// then hands the jobs in hand back to the queue (`jobs::hand_back`).
pub async fn run(
    settings: TelegramSettings,
    services: Arc<Services>,
    stop: impl std::future::Future<Output = ()>,
) -> Result<(), TelegramError> {
    let bot = bot(&settings)?;
    let me = bot.get_me().await.map_err(TelegramError::GetMe)?;
    tracing::info!(username = me.username(), "connected to Telegram");
    let platform = platform::TelegramPlatform {
        bot: bot.clone(),
        bot_id: me.id,
        max_download_bytes: settings.max_download_bytes,
    };
    // Issue 23: the takedown after a consent change reaches Telegram's chats
    // whichever platform the change was made on.
    let routed: Arc<dyn photo_guard_core::ChatPlatform> = Arc::new(platform.clone());
    services
        .platforms
        .register(photo_guard_core::IdSpace::Telegram, routed);
    let app = Arc::new(app::App {
        bot: bot.clone(),
        platform: platform.clone(),
        services,
        username: me.username().to_owned(),
        wake: tokio::sync::Notify::new(),
        photo_slots: Arc::new(Semaphore::new(settings.photo_queue.max(1))),
        video_slots: Arc::new(Semaphore::new((settings.photo_queue / 2).max(1))),
        settings,
    });
    let admins = app.services.roles.holders(Role::Admin).await?;
    let coordinators = app.services.roles.holders(Role::Coordinator).await?;
    menu::install(&bot, &coordinators, &admins).await;
    if app.settings.detector_degraded {
        let notices = &app.services.admins;
        notices.tell(&app.platform, &Msg::DetectorDegraded).await;
    }
    jobs::requeue(&app).await;
    let reminders = tokio::spawn(reminders::run(app.clone()));
    let (stop_work, workers) = jobs::spawn_workers(app.clone());
    let received = match &app.settings.mode {
        Mode::Polling => {
            poll::poll(&app, stop).await;
            Ok(())
        }
        Mode::Webhook(hook) => webhook::serve(app.clone(), hook, stop).await,
    };
    // No new work is taken from here on; the jobs in hand are finished.
    let _ = stop_work.send(true);
    let _ = workers.await;
    reminders.abort();
    // Issue 21: another replica takes the scheduled rounds at once.
    app.services.leader.resign(&app.settings.replica).await;
    tracing::info!("stopped receiving updates");
    jobs::hand_back(&app, app.settings.shutdown_grace).await;
    received
}
