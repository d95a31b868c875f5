//! `photo-guard run`: the bot itself.

use std::process::ExitCode;
use std::time::Duration;

use anyhow::Context;
use photo_guard_core::store::Vault;

use crate::{config, wiring};

pub fn run() -> anyhow::Result<ExitCode> {
    // The token is checked first: a newcomer without one learns what to do at once.
    let mut settings = config::telegram_from_env(false)?;
    let runtime = tokio::runtime::Runtime::new().context("cannot start the async runtime")?;
    runtime.block_on(async move {
        let parts = wiring::assemble().await?;
        if let Some(why) = &parts.degraded {
            eprintln!("WARNING: DEGRADED FACE DETECTION: {why}");
        }
        settings.detector_degraded = parts.degraded.is_some();
        let purge = tokio::spawn(purge_loop(parts.store.clone(), parts.retention_days));
        photo_guard_telegram::run(settings, parts.services, shutdown_signal()).await?;
        purge.abort();
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
