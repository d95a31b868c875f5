//! The use cases an adapter calls, one service per concept: the consent
//! book, the roles, the chat policies, the reports, the review desk, the
//! reminders and the welcome. Those that speak in a chat do it through the
//! platform port (`crate::platform`), handed in by the adapter. Each takes
//! only the store traits it needs, so a fake (see `fakes.rs`) or another
//! store stands in; each returns typed outcomes that the adapter renders
//! through `texts/`.

pub mod admins;
pub mod answers;
mod audit_trail;
pub mod breaches;
pub mod chat_policies;
pub mod chats;
pub mod consent_book;
pub mod digest;
#[cfg(test)]
pub(crate) mod fakes;
#[cfg(test)]
pub(crate) mod fakes_guard;
#[cfg(test)]
pub(crate) mod fakes_intake;
#[cfg(test)]
pub(crate) mod fakes_time;
pub mod intake;
mod intake_album;
#[cfg(test)]
mod intake_album_tests;
mod intake_notices;
mod intake_steps;
#[cfg(test)]
mod intake_tests;
mod intake_unchecked;
pub mod leader;
pub mod reminders;
pub mod reports;
pub mod review_desk;
mod review_post;
mod review_view;
pub mod roles;
pub mod subjects;
mod takedown_run;
pub mod takedowns;
pub mod updates;
pub mod welcome;

use std::sync::Arc;

use crate::store::Store;
use crate::{
    ChatId, Clock, Guard, LocalWork, PlatformRouter, UserId, VideoVision, Vision, WorkState,
};

pub use admins::{AdminNotices, Reported};
pub use audit_trail::AuditTrail;
pub use breaches::{BreachReminder, Breaches};
pub use chat_policies::{ChatPolicies, PolicyOutcome};
pub use chats::{Chats, StandingChange};
pub use consent_book::{ClientView, ConsentBook, Recorded, Withdrawal};
pub use digest::{Digest, DigestLine, Digests};
pub use intake::{
    FetchFailure, Fetched, Handled, Incoming, Intake, IntakeError, IntakeStores, Limits,
    MediaSource, Sender,
};
pub use leader::Leader;
pub use reminders::{Due, Reminders};
pub use reports::{ReportError, Reports, StatsPicture};
pub use review_desk::{DeskStores, Press, ReviewDesk, ReviewOutcome};
pub use review_view::Shown;
pub use roles::{Permit, Roles, Ungranted};
pub use subjects::Subjects;
pub use takedown_run::{ByHand, TakedownReport};
pub use takedowns::{Acting, ConsentChange, Plan, Takedowns};
pub use updates::Updates;
pub use welcome::Welcome;

/// Who asked, and in which chat: what an audit entry names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Caller {
    pub user: UserId,
    pub chat: ChatId,
}

/// The core as an adapter sees it: the guard and every service, on one store.
pub struct Services {
    pub guard: Arc<Guard>,
    pub consent: ConsentBook,
    pub roles: Roles,
    pub policies: ChatPolicies,
    pub reports: Reports,
    pub review: ReviewDesk,
    pub reminders: Reminders,
    pub takedowns: Takedowns,
    pub digests: Digests,
    pub subjects: Subjects,
    pub breaches: Breaches,
    pub welcome: Welcome,
    /// The photo and video intake, for every platform.
    pub intake: Intake,
    pub chats: Chats,
    pub admins: AdminNotices,
    pub updates: Updates,
    /// Issue 21: which replica runs the scheduled rounds.
    pub leader: Leader,
    /// Every configured chat platform, picked by a chat's or person's id
    /// space; each adapter registers its own when it starts (issue 23's
    /// takedown reaches the chats of both).
    pub platforms: Arc<PlatformRouter>,
    /// The per-process state of the intake (jobs in hand, rights warnings).
    pub work: Arc<dyn WorkState>,
    pub audit: AuditTrail,
}

impl Services {
    /// `max_concurrent` bounds how many photos the guard examines at once;
    /// every video is blocked (see [`Services::with_videos`]).
    pub fn new(
        vision: Arc<dyn Vision>,
        store: Arc<dyn Store>,
        clock: Arc<dyn Clock>,
        max_concurrent: usize,
    ) -> Self {
        let guard = Guard::new(vision, store.clone(), clock.clone(), max_concurrent);
        Self::on(guard, store, clock)
    }

    /// As [`Services::new`], with `videos` examining videos, at most
    /// `max_videos` at once (apart from the photos' `max_concurrent`).
    pub fn with_videos(
        vision: Arc<dyn Vision>,
        videos: Arc<dyn VideoVision>,
        store: Arc<dyn Store>,
        clock: Arc<dyn Clock>,
        max_concurrent: usize,
        max_videos: usize,
    ) -> Self {
        let guard = Guard::new(vision, store.clone(), clock.clone(), max_concurrent)
            .with_videos(videos, max_videos);
        Self::on(guard, store, clock)
    }

    /// Draws `/stats`'s chart with `chart` (without, `/stats` sends its counts alone).
    pub fn with_chart(mut self, chart: Arc<dyn crate::StatsChart>) -> Self {
        self.reports.set_chart(chart);
        self
    }

    fn on(guard: Guard, store: Arc<dyn Store>, clock: Arc<dyn Clock>) -> Self {
        let audit = AuditTrail::new(store.clone(), clock.clone());
        let work: Arc<dyn WorkState> = Arc::new(LocalWork::default());
        let platforms = Arc::new(PlatformRouter::default());
        let guard = Arc::new(guard);
        let acting = takedowns::Acting {
            platforms: platforms.clone(),
            guard: guard.clone(),
            policies: store.clone(),
        };
        let stores = intake_stores(&store);
        let intake = Intake::new(guard.clone(), stores, audit.clone(), work.clone());
        Self {
            review: ReviewDesk::new(guard.clone(), desk_stores(&store), audit.clone()),
            guard,
            consent: ConsentBook::new(store.clone(), audit.clone()),
            roles: Roles::new(store.clone(), audit.clone()),
            policies: ChatPolicies::new(store.clone(), audit.clone()),
            reports: Reports::new(store.clone(), store.clone(), clock.clone()),
            takedowns: Takedowns::new(store.clone(), store.clone(), audit.clone(), acting),
            subjects: Subjects::new(store.clone(), store.clone(), audit.clone()),
            breaches: Breaches::new(store.clone(), clock.clone(), audit.clone()),
            digests: Digests::new(
                store.clone(),
                store.clone(),
                store.clone(),
                clock.clone(),
                audit.clone(),
            ),
            welcome: Welcome::new(store.clone()),
            intake,
            chats: Chats::new(store.clone(), store.clone(), audit.clone(), work.clone()),
            admins: AdminNotices::new(store.clone(), audit.clone()),
            updates: Updates::new(store.clone(), store.clone()),
            leader: Leader::new(store.clone()),
            platforms,
            work,
            reminders: Reminders::new(store, clock),
            audit,
        }
    }
}

fn intake_stores(store: &Arc<dyn Store>) -> IntakeStores {
    IntakeStores {
        records: store.clone(),
        tries: store.clone(),
        albums: store.clone(),
        policies: store.clone(),
        roles: store.clone(),
    }
}

fn desk_stores(store: &Arc<dyn Store>) -> DeskStores {
    DeskStores {
        vault: store.clone(),
        roles: store.clone(),
        policies: store.clone(),
        exposure: store.clone(),
    }
}
