//! `photo-guard doctor`: checks config, database, migrations, the quarantine
//! key, the face model, the token, and every guarded chat, printing what to
//! fix. Exits 1 when anything needs fixing, including a missing CenterFace
//! model: the bot would run, but weaker than it should.

use std::process::ExitCode;

use anyhow::Context;
use photo_guard_core::store::{PolicyStore, Vault};
use photo_guard_core::StoreError;

use crate::{config, wiring};

struct Report {
    failures: usize,
}

impl Report {
    fn line(&mut self, ok: bool, what: impl std::fmt::Display) {
        if !ok {
            self.failures += 1;
        }
        println!("{} {what}", if ok { "ok  " } else { "FIX " });
    }
}

pub fn doctor() -> anyhow::Result<ExitCode> {
    let mut report = Report { failures: 0 };
    let runtime = tokio::runtime::Runtime::new().context("cannot start the async runtime")?;
    runtime.block_on(run(&mut report));
    println!(
        "{}",
        if report.failures == 0 {
            "all good".to_owned()
        } else {
            format!("{} thing(s) to fix", report.failures)
        }
    );
    Ok(if report.failures == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

async fn run(report: &mut Report) {
    let whatsapp = config::whatsapp_from_env();
    if let Err(e) = &whatsapp {
        report.line(false, format!("config: {e}"));
    }
    let whatsapp = whatsapp.ok().flatten();
    let telegram = config::telegram_from_env(false);
    match (&telegram, &whatsapp) {
        (Ok(_), _) => report.line(true, "config: TELEGRAM_BOT_TOKEN is set"),
        (Err(_), Some(_)) if !config::telegram_configured() => {
            report.line(true, "config: WhatsApp only (no TELEGRAM_BOT_TOKEN)")
        }
        (Err(e), _) => report.line(false, format!("config: {e}")),
    }
    let parts = match wiring::assemble().await {
        Ok(p) => p,
        Err(e) => return report.line(false, format!("config/database/model: {e:#}")),
    };
    report.line(
        true,
        "database: opened, migrations applied, quarantine key well-formed",
    );
    match &parts.degraded {
        None => report.line(true, format!("faces: {}", parts.faces)),
        Some(why) => report.line(false, format!("faces: DEGRADED: {why}")),
    }
    report_engine(report, &parts.faces);
    match &parts.videos {
        Ok(version) => report.line(true, format!("videos: examined with {version}")),
        Err(why) => report.line(false, format!("videos: EVERY VIDEO IS BLOCKED: {why}")),
    }
    check_key_opens_quarantine(report, &parts).await;
    check_unreadable_rows(report, &parts).await;
    let chats = match parts.store.guarded_chats().await {
        Ok(chats) => chats,
        Err(e) => return report.line(false, format!("database: cannot list chats: {e}")),
    };
    // WhatsApp's chats have core ids at PLATFORM_ID_BASE and above.
    let (whatsapp_chats, telegram_chats): (Vec<_>, Vec<_>) = chats
        .into_iter()
        .partition(|c| c.0 >= photo_guard_core::PLATFORM_ID_BASE);
    if let Some(settings) = &whatsapp {
        let ids = std::sync::Arc::new(parts.store.clone());
        for (ok, what) in photo_guard_whatsapp::diagnose(settings, ids, &whatsapp_chats).await {
            report.line(ok, what);
        }
    }
    let Ok(settings) = telegram else { return };
    let mut named = Vec::new();
    for chat in telegram_chats {
        let title = parts
            .store
            .chat_title(chat)
            .await
            .ok()
            .flatten()
            .unwrap_or_default();
        named.push((chat.0, title));
    }
    for finding in photo_guard_telegram::diagnose(&settings, &named).await {
        report.line(finding.ok, finding.what);
    }
}

/// Which engine runs CenterFace (the pipeline's description ends with
/// "on ENGINE"); tract is the slower fallback, not a fault.
fn report_engine(report: &mut Report, faces: &str) {
    let Some((_, engine)) = faces.split_once(") on ") else {
        return;
    };
    if engine.starts_with("tract") {
        report.line(
            true,
            "faces engine: tract (about 2x slower than ONNX Runtime; scripts/fetch-model fetches \
             libonnxruntime.so, or set FACE_ENGINE=tract to mean it)",
        );
    } else {
        report.line(true, format!("faces engine: {engine}"));
    }
}

/// Rows the bot skips because it cannot read them (issue 17.9).
async fn check_unreadable_rows(report: &mut Report, parts: &wiring::Parts) {
    match parts.store.unreadable().await {
        Ok(n) if n.is_none() => report.line(true, "store: every unfinished update and pending photo can be read"),
        Ok(n) => report.line(
            false,
            format!(
                "store: {} unfinished update(s) and {} pending photo(s) cannot be read (sealed under another QUARANTINE_KEY, or altered); the bot skips them (ids in its log)",
                n.updates, n.photos
            ),
        ),
        Err(e) => report.line(false, format!("store: cannot count unreadable rows: {e}")),
    }
}

/// A key that does not open what is already sealed is the wrong key.
async fn check_key_opens_quarantine(report: &mut Report, parts: &wiring::Parts) {
    let pending = match parts.store.pending().await {
        Ok(p) => p,
        Err(e) => return report.line(false, format!("quarantine: cannot list: {e}")),
    };
    let Some(item) = pending.first() else {
        return report.line(true, "quarantine: empty");
    };
    match parts.store.open(item.id).await {
        Ok(_) => report.line(
            true,
            format!(
                "quarantine: {} item(s) pending review; the key opens them",
                pending.len()
            ),
        ),
        Err(StoreError::Integrity(_)) => report.line(
            false,
            "quarantine: QUARANTINE_KEY does not open the sealed photos (wrong key?)",
        ),
        Err(e) => report.line(false, format!("quarantine: {e}")),
    }
}
