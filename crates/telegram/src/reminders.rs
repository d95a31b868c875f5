//! The scheduled work: the reminder of the rules, per chat (default weekly),
//! and, for issue 23, the daily expiry digest and the breach deadlines. The
//! core's services say what is due; this sends (the rules through the
//! platform port) and reports back. Only the replica that leads the rounds
//! runs them (issue 21: `services.leader`).

use std::sync::Arc;

use photo_guard_core::texts::Msg;
use photo_guard_core::IdSpace;

use crate::app::App;

/// The rounds, on the replica that leads them (issue 21): the lead is
/// kept every third of a lease, between rounds too, so a dead leader's is
/// taken by another replica within a lease; a round runs every
/// `reminder_tick` while this replica leads, the first as soon as it does.
pub async fn run(app: Arc<App>) {
    let (replica, lease) = (&app.settings.replica, app.settings.job_lease);
    let leader = &app.services.leader;
    let mut beat = tokio::time::interval((lease / 3).min(app.settings.reminder_tick));
    let mut next = tokio::time::Instant::now();
    loop {
        beat.tick().await;
        if !leader.hold(replica, lease).await || tokio::time::Instant::now() < next {
            continue;
        }
        next = tokio::time::Instant::now() + app.settings.reminder_tick;
        leader.lead(replica, lease, round(&app)).await;
    }
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
/// every admin. The count sent is stored, so a restart neither loses nor
/// repeats one; none reached, it stays due.
async fn remind_breaches(app: &App) -> Result<(), photo_guard_core::StoreError> {
    let breaches = &app.services.breaches;
    for reminder in breaches.due_reminders().await? {
        let due = breaches.due_text(&reminder.incident);
        let body = |l| {
            let msg = Msg::BreachReminder {
                id: reminder.incident.id,
                due: &due,
                hours_left: reminder.hours_left,
            };
            (photo_guard_core::texts::text(l, &msg), None)
        };
        if app.tell_admins(body).await > 0 {
            breaches.reminded(&reminder).await?;
        }
    }
    Ok(())
}
