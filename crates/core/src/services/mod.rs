//! The use cases an adapter calls, one service per concept: the consent
//! book, the roles, the chat policies, the reports, the review desk and the
//! reminders. Each takes only the store traits it needs, so a fake (see
//! `fakes.rs`) or another store stands in; each returns typed outcomes that
//! the adapter renders through `texts/`.

mod audit_trail;
pub mod breaches;
pub mod chat_policies;
pub mod consent_book;
pub mod digest;
#[cfg(test)]
pub(crate) mod fakes;
#[cfg(test)]
pub(crate) mod fakes_guard;
#[cfg(test)]
pub(crate) mod fakes_time;
pub mod reminders;
pub mod reports;
pub mod review_desk;
pub mod roles;
pub mod subjects;
pub mod takedowns;

use std::sync::Arc;

use crate::store::Store;
use crate::{ChatId, Clock, Guard, UserId, Vision};

pub use audit_trail::AuditTrail;
pub use breaches::{BreachReminder, Breaches};
pub use chat_policies::{ChatPolicies, PolicyOutcome};
pub use consent_book::{ClientView, ConsentBook, Recorded, Withdrawal};
pub use digest::{Digest, DigestLine, Digests};
pub use reminders::{Due, Reminders};
pub use reports::{ReportError, Reports};
pub use review_desk::{Press, ReviewDesk, ReviewOutcome};
pub use roles::{Permit, Roles, Ungranted};
pub use subjects::Subjects;
pub use takedowns::{ConsentChange, Plan, Takedowns};

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
    pub audit: AuditTrail,
}

impl Services {
    /// `max_concurrent` bounds how many photos the guard examines at once.
    pub fn new(
        vision: Arc<dyn Vision>,
        store: Arc<dyn Store>,
        clock: Arc<dyn Clock>,
        max_concurrent: usize,
    ) -> Self {
        let audit = AuditTrail::new(store.clone(), clock.clone());
        let guard = Arc::new(Guard::new(
            vision,
            store.clone(),
            clock.clone(),
            max_concurrent,
        ));
        Self {
            review: ReviewDesk::new(guard.clone(), store.clone(), store.clone(), audit.clone()),
            guard,
            consent: ConsentBook::new(store.clone(), audit.clone()),
            roles: Roles::new(store.clone(), audit.clone()),
            policies: ChatPolicies::new(store.clone(), audit.clone()),
            reports: Reports::new(store.clone(), store.clone(), clock.clone()),
            takedowns: Takedowns::new(store.clone(), store.clone(), audit.clone()),
            subjects: Subjects::new(store.clone(), store.clone(), audit.clone()),
            breaches: Breaches::new(store.clone(), clock.clone(), audit.clone()),
            digests: Digests::new(
                store.clone(),
                store.clone(),
                store.clone(),
                clock.clone(),
                audit.clone(),
            ),
            reminders: Reminders::new(store, clock),
            audit,
        }
    }
}
