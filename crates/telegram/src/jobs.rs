//! The workers (issue 21): every update is recorded in the inbox, which is
//! the job queue, by whatever received it (long polling or the webhook);
//! this process claims jobs from the queue, at most [`MAX_IN_HAND`] at
//! once, each in its own task (commands and button presses never wait
//! behind photo work, which the guard bounds on its own), its lease renewed
//! while the work runs. One chat's jobs come one at a time, in order, on
//! whichever replica. Work left unfinished is given back and claimed again
//! a minute later; a command or button press whose earlier claim ended
//! unfinished (a crash, a killed replica) is stale and only finished.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use photo_guard_core::{ChatId as CoreChat, Job};
use teloxide::types::{Message, Update, UpdateKind};
use tokio::task::JoinHandle;

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
    let update = match serde_json::from_str::<Update>(&job.payload) {
        Ok(update) => update,
        Err(e) => {
            tracing::warn!(update = id, error = %e, "a job is not an update; finished unread");
            return updates.finish(id).await;
        }
    };
    if job.was_claimed_before() && media_message(&update).is_none() {
        return updates.finish(id).await;
    }
    let Some(done) = leased(app, id, handle(app.clone(), update)).await else {
        // Another replica holds the job now: the work stops here, as if this
        // process had died, and the holder resumes from the recorded steps.
        return tracing::warn!(
            update = id,
            "a job's lease was lost; the work is left to its holder"
        );
    };
    match done {
        Ok(()) => updates.finish(id).await,
        Err(Unfinished(why)) => {
            tracing::warn!(
                update = id,
                why,
                "update left unfinished; it will be tried again"
            );
            updates
                .retry_later(id, &app.settings.replica, RETRY_AFTER)
                .await;
        }
    }
}

/// Runs `work`, renewing the job's lease every third of it meanwhile;
/// `None` when the lease was lost to another replica (the work is dropped,
/// so two replicas do not both act on one job).
async fn leased<T>(app: &App, id: i64, work: impl Future<Output = T>) -> Option<T> {
    tokio::pin!(work);
    let (replica, lease) = (&app.settings.replica, app.settings.job_lease);
    let mut tick = tokio::time::interval(lease / 3);
    tick.tick().await;
    loop {
        tokio::select! {
            done = &mut work => return Some(done),
            _ = tick.tick() => {
                if !app.services.updates.renew(id, replica, lease).await {
                    return None;
                }
            }
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

/// Waits, at most `grace`, until this process holds no job. Whatever is
/// still running then stays unfinished in the inbox with its last step
/// recorded, and is claimed again once its lease lapses (at this replica's
/// next start at once).
pub async fn drain(app: &App, grace: Duration) {
    let deadline = tokio::time::Instant::now() + grace;
    loop {
        let left = app.services.work.in_hand_count();
        if left == 0 {
            tracing::info!("every job in hand was finished");
            return;
        }
        if tokio::time::Instant::now() >= deadline {
            tracing::warn!(
                left,
                "jobs still in hand at the shutdown deadline; they resume later"
            );
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}
