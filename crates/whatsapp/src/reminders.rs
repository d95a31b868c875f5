//! The scheduled rounds on WhatsApp: the reminder of the rules in the
//! groups whose ids were mapped from WhatsApp's and the expiry digest
//! (issue 23) to the coordinators known by their WhatsApp ids, posted by
//! the core's services through the port (Telegram's loop does the
//! others'), and the breach reminders to every admin through the core's
//! router. Only the replica that leads the rounds runs them (issue 21:
//! `Leader::rounds`, the same lead as Telegram's).

use std::sync::Arc;

use photo_guard_core::IdSpace;

use crate::app::App;

pub async fn run(app: Arc<App>) {
    let (replica, lease) = (&app.settings.replica, app.settings.job_lease);
    let every = app.settings.reminder_tick;
    let leader = &app.services.leader;
    leader.rounds(replica, lease, every, || round(&app)).await;
}

/// One round of the scheduled work.
async fn round(app: &App) {
    let s = &app.services;
    let reminded = s.reminders.remind_due(&app.platform, IdSpace::Mapped).await;
    if let Err(e) = reminded {
        tracing::warn!(error = %e, "reminder round failed");
    }
    let hour = app.settings.digest_hour;
    let sent = s
        .digests
        .send_due(&app.platform, IdSpace::Mapped, hour)
        .await;
    if let Err(e) = sent {
        tracing::warn!(error = %e, "digest round failed");
    }
    let breaches = s.breaches.remind_due(&s.admins, s.platforms.as_ref()).await;
    if let Err(e) = breaches {
        tracing::warn!(error = %e, "breach reminder round failed");
    }
}
