//! The scheduled work: the reminder of the rules, per chat (default weekly),
//! and, for issue 23, the daily expiry digest and the breach deadlines. The
//! core's services say what is due; this sends (the rules through the
//! platform port) and reports back. Only the replica that leads the rounds
//! runs them (issue 21: `services.leader`).

use std::sync::Arc;

use photo_guard_core::IdSpace;

use crate::app::App;

/// The rounds, on the replica that leads them (issue 21: `Leader::rounds`).
pub async fn run(app: Arc<App>) {
    let (replica, lease) = (&app.settings.replica, app.settings.job_lease);
    let every = app.settings.reminder_tick;
    let leader = &app.services.leader;
    leader.rounds(replica, lease, every, || round(&app)).await;
}

/// One round of the scheduled work.
async fn round(app: &App) {
    if let Err(e) = app
        .services
        .reminders
        .remind_due(&app.platform, IdSpace::Telegram)
        .await
    {
        tracing::warn!(error = %e, "reminder round failed");
    }
    if let Err(e) = send_due_digests(app).await {
        tracing::warn!(error = %e, "digest round failed");
    }
    if let Err(e) = remind_breaches(app).await {
        tracing::warn!(error = %e, "breach reminder round failed");
    }
}

/// Issue 23: the expiry digest, in a private chat, once a day, in the
/// language each coordinator last wrote in.
async fn send_due_digests(app: &App) -> Result<(), photo_guard_core::StoreError> {
    let digests = &app.services.digests;
    let hour = app.settings.digest_hour;
    digests
        .send_due(&app.platform, IdSpace::Telegram, hour)
        .await
}

/// Issue 23: the 24 h and 60 h reminders of an open breach incident, to
/// every admin on the platform they are known by (the core's router).
async fn remind_breaches(app: &App) -> Result<usize, photo_guard_core::StoreError> {
    let s = &app.services;
    s.breaches.remind_due(&s.admins, s.platforms.as_ref()).await
}
