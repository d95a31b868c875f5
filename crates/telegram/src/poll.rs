//! Long polling with a durable inbox.
//!
//! Every update is written to the store's inbox before the offset that
//! confirms it to Telegram moves past it, and marked finished only once its
//! work is done. On start, photo updates left unfinished by a crash are
//! handled again. Each update runs in its own task, so commands and button
//! presses never wait behind photo work (which the guard bounds on its own).

use std::sync::Arc;
use std::time::Duration;

use teloxide::prelude::*;
use teloxide::types::{AllowedUpdate, Update, UpdateKind};

use crate::app::App;
use crate::enforce::Unfinished;
use crate::retry::with_retry;
use crate::{commands, intercept, membership, review, welcome};

/// Photo work left unfinished by a long Telegram outage is tried again every
/// minute, not only at the next start.
pub async fn retry_unfinished(app: Arc<App>) {
    let mut tick = tokio::time::interval(Duration::from_secs(60));
    tick.tick().await;
    loop {
        tick.tick().await;
        replay_unfinished(&app).await;
    }
}

pub async fn replay_unfinished(app: &Arc<App>) {
    let pending = match app.services.updates.unfinished().await {
        Ok(p) => p,
        Err(e) => {
            tracing::error!(error = %e, "cannot read the inbox; unfinished photos will wait for the next start");
            return;
        }
    };
    if !pending.is_empty() {
        tracing::info!(
            count = pending.len(),
            "handling updates left unfinished by the last run"
        );
    }
    for (id, payload) in pending {
        // Another platform's work (WhatsApp's ids start at 2^60): its adapter replays it.
        if id >= photo_guard_core::PLATFORM_ID_BASE {
            continue;
        }
        match serde_json::from_str::<Update>(&payload) {
            // Only photo work is replayed: a command or a button press from
            // before the crash is stale and may not be repeated.
            Ok(update) if media_message(&update).is_some() => spawn_update(app.clone(), update),
            Ok(_) if is_in_flight(app, id) => {}
            _ => finish(app, id).await,
        }
    }
}

/// Polls until `stop` resolves.
pub async fn poll(app: Arc<App>, stop: impl std::future::Future<Output = ()>) {
    tokio::pin!(stop);
    let mut offset: i32 = 0;
    let timeout = app.settings.poll_timeout.as_secs() as u32;
    loop {
        let fetch = with_retry("getUpdates", || {
            app.bot
                .get_updates()
                .offset(offset)
                .timeout(timeout)
                .allowed_updates(vec![
                    AllowedUpdate::Message,
                    AllowedUpdate::EditedMessage,
                    AllowedUpdate::CallbackQuery,
                    AllowedUpdate::MyChatMember,
                ])
                .send()
        });
        let updates = tokio::select! {
            _ = &mut stop => return,
            res = fetch => res,
        };
        let updates = match updates {
            Ok(u) => u,
            Err(e) => {
                tracing::warn!(error = %e, "getUpdates failed; trying again shortly");
                tokio::time::sleep(Duration::from_secs(2)).await;
                continue;
            }
        };
        for update in updates {
            let Some(new) = record(&app, &update).await else {
                break; // Not durable yet: ask for it again rather than risk losing it.
            };
            offset = update.id.0 as i32 + 1;
            // A redelivery of an update already recorded is replayed from the inbox, not here.
            if new {
                spawn_update(app.clone(), update);
            }
        }
    }
}

/// Writes the update to the inbox: whether it is new, or `None` when it could
/// not be stored.
async fn record(app: &App, update: &Update) -> Option<bool> {
    let payload = match serde_json::to_string(update) {
        Ok(p) => p,
        Err(e) => {
            tracing::error!(error = %e, "cannot serialise an update; skipping it");
            return Some(false);
        }
    };
    match app
        .services
        .updates
        .receive(update.id.0 as i64, &payload)
        .await
    {
        Ok(new) => Some(new),
        Err(e) => {
            tracing::error!(error = %e, "cannot record an update in the inbox");
            None
        }
    }
}

fn spawn_update(app: Arc<App>, update: Update) {
    let id = update.id.0 as i64;
    if !app.services.work.begin(id) {
        return; // Already being handled.
    }
    tokio::spawn(async move {
        match handle(app.clone(), update).await {
            Ok(()) => finish(&app, id).await,
            Err(Unfinished(why)) => tracing::warn!(
                update = id,
                why,
                "update left unfinished; it will be tried again"
            ),
        }
        app.services.work.end(id);
    });
}

async fn finish(app: &App, id: i64) {
    app.services.updates.finish(id).await;
}

fn media_message(update: &Update) -> Option<&Message> {
    match &update.kind {
        UpdateKind::Message(m) | UpdateKind::EditedMessage(m) if intercept::is_guarded_media(m) => {
            Some(m)
        }
        _ => None,
    }
}

async fn handle(app: Arc<App>, update: Update) -> Result<(), Unfinished> {
    if let Some(msg) = media_message(&update) {
        return intercept::handle_media(app, i64::from(update.id.0), msg.clone()).await;
    }
    match update.kind {
        UpdateKind::Message(msg) if msg.new_chat_members().is_some() => {
            welcome::greet(&app, &msg).await
        }
        UpdateKind::Message(msg) if membership::migration(&msg).is_some() => {
            membership::migrated(&app, &msg).await
        }
        UpdateKind::Message(msg) => commands::handle(&app, &msg).await,
        UpdateKind::MyChatMember(change) => membership::bot_status_changed(&app, &change).await,
        UpdateKind::CallbackQuery(q) => review::handle(&app, q).await,
        _ => {}
    }
    Ok(())
}

/// Waits, at most `grace`, until no update is being handled. Whatever is
/// still running then stays unfinished in the inbox with its last step
/// recorded, and is resumed at the next start.
pub async fn drain(app: &App, grace: Duration) {
    let deadline = tokio::time::Instant::now() + grace;
    loop {
        let left = app.services.work.in_hand_count();
        if left == 0 {
            tracing::info!("every update in hand was finished");
            return;
        }
        if tokio::time::Instant::now() >= deadline {
            tracing::warn!(
                left,
                "updates still in hand at the shutdown deadline; they resume at the next start"
            );
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

fn is_in_flight(app: &App, id: i64) -> bool {
    app.services.work.in_hand(id)
}
