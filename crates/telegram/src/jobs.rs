//! The workers (issue 21): every update is recorded in the inbox, which is
//! the job queue, by whatever received it (long polling or the webhook);
//! this process claims jobs from the queue, at most [`MAX_IN_HAND`] at
//! once, each in its own task (commands and button presses never wait
//! behind photo work, which the guard bounds on its own), its lease renewed
//! while the work runs. One chat's jobs come one at a time, in order, on
//! whichever replica. Work left unfinished is given back and claimed again
//! a minute later; a command or button press whose earlier claim ended
//! unfinished (a crash, a killed replica) is stale and only finished.
//! Each job's work runs fenced by its claim (`Updates::fenced`): its
//! records and effects only while the claim holds the job, so a worker
//! whose lease lapsed and was taken over writes and posts nothing more. At
//! a shutdown the jobs in hand are handed back at once ([`hand_back`]).

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use photo_guard_core::{ChatId as CoreChat, Fence, Job};
use teloxide::types::{Message, Update, UpdateKind};
use tokio::task::JoinHandle;
use tokio::time::MissedTickBehavior;

use crate::app::App;
use crate::enforce::Unfinished;
use crate::{commands, intercept, membership, review, welcome};

/// Jobs this process holds at once.
const MAX_IN_HAND: usize = 32;
/// Work left unfinished (Telegram down, a failed download) is tried again after this.
const RETRY_AFTER: Duration = Duration::from_secs(60);

/// Writes the update to the inbox as a job: whether it is new, or `None`
/// when it could not be stored (then it must not be confirmed to Telegram).
pub async fn record(app: &App, update: &Update) -> Option<bool> {
    let payload = match serde_json::to_string(update) {
        Ok(p) => p,
        Err(e) => {
            tracing::error!(error = %e, "cannot serialise an update; skipping it");
            return Some(false);
        }
    };
    let media = media_message(update);
    if let Some(msg) = media.filter(|m| m.media_group_id().is_some()) {
        // Album items wait in line behind each other: each caption is noted
        // on arrival (the only write; judging reads), so the first item
        // judged already sees its album's.
        crate::intercept::note_album_arrival(app, update_id(update), msg).await?;
    }
    let chat = media.map(|m| CoreChat(m.chat.id.0));
    let updates = &app.services.updates;
    match updates.record(update_id(update), chat, &payload).await {
        Ok(new) => {
            app.wake.notify_one();
            Some(new)
        }
        Err(e) => {
            tracing::error!(error = %e, "cannot record an update in the inbox");
            None
        }
    }
}

fn update_id(update: &Update) -> i64 {
    i64::from(update.id.0)
}

/// At a start: this replica's jobs from its last run (on SQLite, every
/// job leased before) and every retry are due now.
pub async fn requeue(app: &App) {
    match app.services.updates.requeue(&app.settings.replica).await {
        Ok(0) => {}
        Ok(n) => tracing::info!(
            jobs = n,
            "jobs left unfinished by the last run are due again"
        ),
        Err(e) => tracing::error!(error = %e, "cannot requeue the jobs of the last run"),
    }
}

/// Starts the workers; they stop claiming once `true` is sent.
pub fn spawn_workers(app: Arc<App>) -> (tokio::sync::watch::Sender<bool>, JoinHandle<()>) {
    let (stop, mut stopped) = tokio::sync::watch::channel(false);
    let workers = tokio::spawn(work(app, async move {
        let _ = stopped.wait_for(|s| *s).await;
    }));
    (stop, workers)
}

/// Claims and runs jobs until `stop` resolves.
async fn work(app: Arc<App>, stop: impl Future<Output = ()>) {
    tokio::pin!(stop);
    loop {
        while app.services.work.in_hand_count() < MAX_IN_HAND {
            let settings = &app.settings;
            let claimed = app
                .services
                .updates
                .claim(&settings.replica, settings.job_lease)
                .await;
            match claimed {
                Ok(Some(job)) => start(app.clone(), job),
                Ok(None) => break,
                Err(e) => {
                    tracing::error!(error = %e, "cannot claim a job; trying again shortly");
                    break;
                }
            }
        }
        tokio::select! {
            _ = &mut stop => return,
            _ = app.wake.notified() => {}
            _ = tokio::time::sleep(app.settings.queue_poll) => {}
        }
    }
}

fn start(app: Arc<App>, job: Job) {
    if !app.services.work.begin(job.update) {
        return;
    }
    tokio::spawn(async move {
        let id = job.update;
        run(&app, job).await;
        app.services.work.end(id);
        app.wake.notify_one(); // The chat's next job may be free now.
    });
}

async fn run(app: &Arc<App>, job: Job) {
    let (id, updates) = (job.update, &app.services.updates);
    let (replica, lease) = (&app.settings.replica, app.settings.job_lease);
    let fence = Fence::of(&job, replica);
    let update = match serde_json::from_str::<Update>(&job.payload) {
        Ok(update) => update,
        Err(e) => {
            tracing::warn!(update = id, error = %e, "a job is not an update; finished unread");
            return finish(app, &fence).await;
        }
    };
    if job.was_claimed_before() && media_message(&update).is_none() {
        return finish(app, &fence).await;
    }
    let work = updates.fenced(&job, replica, lease, handle(app.clone(), update));
    let done = match leased(app, &fence, work).await {
        Some(Ok(done)) => done,
        // An effect was refused: at a shutdown the job goes back at once.
        Some(Err(why)) if shutting_down(app) => {
            tracing::info!(update = id, %why, "a job in hand is handed back");
            return updates.retry_later(id, replica, Duration::ZERO).await;
        }
        // Another replica holds the job now (or may: the lease could not be
        // confirmed): the work stops here, as if this process had died, and
        // the holder resumes from the recorded steps.
        Some(Err(why)) => return tracing::warn!(update = id, %why, "a job's work was given up"),
        None => {
            return tracing::warn!(
                update = id,
                "a job's lease was lost; the work is left to its holder"
            )
        }
    };
    match done {
        Ok(()) => finish(app, &fence).await,
        Err(Unfinished(why)) => {
            tracing::warn!(
                update = id,
                why,
                "update left unfinished; it will be tried again"
            );
            let wait = match shutting_down(app) {
                true => Duration::ZERO,
                false => RETRY_AFTER,
            };
            updates.retry_later(id, replica, wait).await;
        }
    }
}

/// Whether this process is stopping ([`hand_back`] closed the slots).
fn shutting_down(app: &App) -> bool {
    app.photo_slots.is_closed()
}

/// Marks the job finished, if this claim still holds it.
async fn finish(app: &App, fence: &Fence) {
    if !app.services.updates.finish_held(fence).await {
        tracing::warn!(
            update = fence.update,
            "a job's lease was lost before it was marked finished"
        );
    }
}

/// Runs `work` while [`keep_lease`] holds the job's lease beside it; `None`
/// when the store says another claim holds the job now (the work stops).
/// The renewal runs beside the work, never inside it: a renewal waits for
/// the job's inbox row, which the work's own fenced write locks until it
/// commits, so a renewal awaited in place of the work deadlocked the two
/// until the lease ran out, and the work was dropped after its effect but
/// before its record (seen as a copy posted twice in the replica test).
async fn leased<T>(app: &App, fence: &Fence, work: impl Future<Output = T>) -> Option<T> {
    tokio::select! {
        done = work => Some(done),
        () = keep_lease(app, fence) => None,
    }
}

/// Holds the job's lease every third of it; returns only once the store
/// says this claim lost the job. A renewal that fails or is not confirmed
/// in time is logged and tried again: every record and effect of the work
/// is fenced, so the work may go on (dropping it midway, between an effect
/// and its record, is what would make an effect twice).
async fn keep_lease(app: &App, fence: &Fence) {
    let lease = app.settings.job_lease;
    let mut tick = tokio::time::interval(lease / 3);
    tick.set_missed_tick_behavior(MissedTickBehavior::Delay);
    tick.tick().await;
    loop {
        tick.tick().await;
        let held = tokio::time::timeout(lease, app.services.updates.hold(fence, lease)).await;
        match held {
            Ok(Ok(true)) => {}
            Ok(Ok(false)) => return,
            Ok(Err(e)) => {
                tracing::warn!(update = fence.update, error = %e, "cannot renew a job's lease")
            }
            Err(_) => tracing::warn!(update = fence.update, "a job's lease renewal took too long"),
        }
    }
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
        return intercept::handle_media(app, update_id(&update), msg.clone()).await;
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

/// At a shutdown, once the workers stopped claiming: the jobs waiting for
/// a photo or video slot stop at once (the slots close) and go back to the
/// queue free to claim; the work under way is finished, for at most
/// `grace`. Then no job's work starts another effect, and every job this
/// replica still holds is handed back (its work fenced out), so another
/// replica takes it now instead of after the lease. (An effect already
/// under way at that moment, and not yet recorded, may be made twice.)
pub async fn hand_back(app: &App, grace: Duration) {
    app.photo_slots.close();
    app.video_slots.close();
    drain(app, grace).await;
    let updates = &app.services.updates;
    updates.stop_effects();
    match updates.release(&app.settings.replica).await {
        Ok(0) => {}
        Ok(n) => tracing::info!(jobs = n, "jobs still in hand handed back to the queue"),
        Err(e) => {
            tracing::error!(error = %e, "cannot hand the jobs in hand back; they return after their lease")
        }
    }
}

/// Waits, at most `grace`, until this process holds no job.
async fn drain(app: &App, grace: Duration) {
    let deadline = tokio::time::Instant::now() + grace;
    loop {
        let left = app.services.work.in_hand_count();
        if left == 0 {
            tracing::info!("no job in hand");
            return;
        }
        if tokio::time::Instant::now() >= deadline {
            tracing::warn!(left, "jobs still running at the shutdown deadline");
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}
