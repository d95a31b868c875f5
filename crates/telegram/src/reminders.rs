//! The scheduled reminder of the rules, per chat (default weekly): the clock
//! that ticks here; the core's reminders service says which chats are due
//! and posts through the platform port.

use std::sync::Arc;

use photo_guard_core::IdSpace;

use crate::app::App;

pub async fn run(app: Arc<App>) {
    let mut tick = tokio::time::interval(app.settings.reminder_tick);
    loop {
        tick.tick().await;
        if let Err(e) = app
            .services
            .reminders
            .remind_due(&app.platform, IdSpace::Telegram)
            .await
        {
            tracing::warn!(error = %e, "reminder round failed");
        }
    }
}
