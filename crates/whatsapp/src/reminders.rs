//! The scheduled reminder of the rules in WhatsApp groups: the clock that
//! ticks here; the core's reminders service posts the rules through the port
//! in the chats whose ids were mapped from WhatsApp's (Telegram's loop
//! reminds the others). The expiry digest (issue 23) goes the same way to
//! the coordinators known by their WhatsApp ids.

use std::sync::Arc;

use photo_guard_core::IdSpace;

use crate::app::App;

pub async fn run(app: Arc<App>) {
    let mut tick = tokio::time::interval(app.settings.reminder_tick);
    loop {
        tick.tick().await;
        let round = app
            .services
            .reminders
            .remind_due(&app.platform, IdSpace::Mapped)
            .await;
        if let Err(e) = round {
            tracing::warn!(error = %e, "reminder round failed");
        }
        let digests = &app.services.digests;
        let hour = app.settings.digest_hour;
        let sent = digests.send_due(&app.platform, IdSpace::Mapped, hour).await;
        if let Err(e) = sent {
            tracing::warn!(error = %e, "digest round failed");
        }
    }
}
