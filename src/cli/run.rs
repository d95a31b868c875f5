//! `photo-guard run`: the bot itself.

use std::process::ExitCode;
use std::time::Duration;

use anyhow::Context;
use photo_guard_core::store::Vault;

use crate::{config, wiring};

pub fn run() -> anyhow::Result<ExitCode> {
    let whatsapp = config::whatsapp_from_env()?;
    // The token is checked first: a newcomer without one learns what to do at
    // once. With WhatsApp configured, Telegram is served only if it has a token.
    let telegram = match whatsapp.is_some() && !config::telegram_configured() {
        true => None,
        false => Some(config::telegram_from_env(false)?),
    };
    let runtime = tokio::runtime::Runtime::new().context("cannot start the async runtime")?;
    runtime.block_on(async move {
        let parts = wiring::assemble().await?;
        if let Some(why) = &parts.degraded {
            eprintln!("WARNING: DEGRADED FACE DETECTION: {why}");
        }
        match &parts.videos {
            Ok(version) => tracing::info!(ffmpeg = %version, "videos are examined"),
            Err(why) => {
                eprintln!("WARNING: EVERY VIDEO IS BLOCKED: {why}");
                tracing::warn!(error = %why, "ffmpeg is missing: every video is blocked for review");
            }
        }
        let purge = tokio::spawn(purge_loop(parts.store.clone(), parts.retention_days));
        // One stop for both platforms: a signal, or either of them failing.
        let (stop, stopped) = tokio::sync::watch::channel(false);
        let stop = std::sync::Arc::new(stop);
        let signal = stop.clone();
        tokio::spawn(async move {
            shutdown_signal().await;
            let _ = signal.send(true);
        });
        let until_stopped = |mut rx: tokio::sync::watch::Receiver<bool>| async move {
            let _ = rx.wait_for(|s| *s).await;
        };
        let services = parts.services.clone();
        let tg = async {
            let Some(mut settings) = telegram else {
                return Ok(());
            };
            settings.detector_degraded = parts.degraded.is_some();
            let done = photo_guard_telegram::run(
                settings,
                services.clone(),
                until_stopped(stopped.clone()),
            )
            .await;
            let _ = stop.send(true);
            done.map_err(anyhow::Error::from)
        };
        let wa = async {
            let Some(settings) = whatsapp else {
                return Ok(());
            };
            let ids = std::sync::Arc::new(parts.store.clone());
            let done = photo_guard_whatsapp::run(
                settings,
                services.clone(),
                ids,
                until_stopped(stopped.clone()),
            )
            .await;
            let _ = stop.send(true);
            done.map_err(anyhow::Error::from)
        };
        let (tg, wa) = tokio::join!(tg, wa);
        purge.abort();
        tg?;
        wa?;
        Ok(ExitCode::SUCCESS)
    })
}

/// Deletes quarantined photos past the retention period, hourly.
async fn purge_loop(store: photo_guard_store::SqlStore, days: u32) {
    let mut tick = tokio::time::interval(Duration::from_secs(3600));
    loop {
        tick.tick().await;
        let cutoff = chrono::Utc::now() - chrono::Duration::days(i64::from(days));
        match store.purge_before(cutoff).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(deleted = n, "purged quarantined photos past retention"),
            Err(e) => tracing::error!(error = %e, "retention purge failed"),
        }
    }
}

/// Ctrl-C, or SIGTERM from systemd or Docker.
async fn shutdown_signal() {
    #[cfg(unix)]
    {
        let mut term =
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(s) => s,
                Err(_) => return std::future::pending().await,
            };
        tokio::select! {
            _ = tokio::signal::ctrl_c() => {}
            _ = term.recv() => {}
        }
    }
    #[cfg(not(unix))]
    let _ = tokio::signal::ctrl_c().await;
    tracing::info!("shutting down");
}
