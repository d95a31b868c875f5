//! Long polling into the durable inbox: every update is recorded (as a job
//! of the queue, `jobs.rs`) before the offset that confirms it to Telegram
//! moves past it. Polling only records; the workers claim the jobs.

use std::time::Duration;

use teloxide::prelude::*;
use teloxide::types::AllowedUpdate;

use crate::app::App;
use crate::jobs::record;
use crate::retry::with_retry;

/// The updates the bot asks for, polling or by webhook.
pub fn allowed_updates() -> Vec<AllowedUpdate> {
    vec![
        AllowedUpdate::Message,
        AllowedUpdate::EditedMessage,
        AllowedUpdate::CallbackQuery,
        AllowedUpdate::MyChatMember,
    ]
}

/// Polls until `stop` resolves.
pub async fn poll(app: &App, stop: impl std::future::Future<Output = ()>) {
    tokio::pin!(stop);
    let mut offset: i32 = 0;
    let timeout = app.settings.poll_timeout.as_secs() as u32;
    loop {
        let fetch = with_retry("getUpdates", || {
            app.bot
                .get_updates()
                .offset(offset)
                .timeout(timeout)
                .allowed_updates(allowed_updates())
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
            if record(app, &update).await.is_none() {
                break; // Not durable yet: ask for it again rather than risk losing it.
            }
            offset = update.id.0 as i32 + 1;
        }
    }
}
