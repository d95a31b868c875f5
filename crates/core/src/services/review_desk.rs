//! The review desk: the blocked photos waiting, and what an admin's press on
//! one of them comes to (view, release blurred, release original, discard).
//! The desk checks the presser's role at the time of the press, settles the
//! item before anything is posted (two admins pressing at once cannot post
//! twice), posts through the platform port what the press comes to, and
//! records every press with its outcome. The adapter only turns a button
//! press into [`ReviewDesk::handle`] and answers with [`ReviewOutcome::msg`].

use std::sync::Arc;

use super::AuditTrail;
use crate::store::{ExposureStore, PolicyStore, RoleStore, StoreResult, Vault};
use crate::texts::Msg;
use crate::{
    AuditAction, Guard, GuardError, QuarantineItem, RecordId, Release, Resolution, ReviewAction,
    Role, UserId,
};

/// How a press ended, as told to the presser and written in the audit log.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReviewOutcome {
    /// The presser is not (or no longer) an admin.
    Denied,
    Done(ReviewAction),
    /// Already handled by someone, or purged.
    Stale,
    /// The tagged clients' consent does not allow the original now.
    OriginalNotAllowed,
    /// The copy could not be made; the item stays pending.
    ReleaseFailed,
    /// The store or the platform failed; nothing is settled by the desk's say.
    Failed,
}

impl ReviewOutcome {
    /// The outcome as the audit entry's detail names it.
    pub fn code(self) -> &'static str {
        match self {
            Self::Denied => "denied",
            Self::Done(_) => "done",
            Self::Stale => "stale",
            Self::OriginalNotAllowed => "not_allowed",
            Self::ReleaseFailed => "release_failed",
            Self::Failed => "failed",
        }
    }

    /// What the presser is told.
    pub fn msg(self) -> Msg<'static> {
        match self {
            Self::Denied => Msg::NotAllowed {
                needed: Role::Admin,
            },
            Self::Done(action) => Msg::ReviewFinished { action },
            Self::Stale => Msg::ReviewStale,
            Self::OriginalNotAllowed => Msg::ReviewOriginalNotAllowed,
            Self::ReleaseFailed => Msg::ReviewReleaseFailed,
            Self::Failed => Msg::TryAgainLater,
        }
    }
}

/// What the platform is to do for a press.
#[derive(Debug)]
#[must_use]
pub enum Press {
    /// Nothing to send: answer the presser with this.
    Answer(ReviewOutcome),
    /// Send the sealed original to the presser privately, with content protection.
    Show { bytes: Vec<u8> },
    /// The item is settled: post `bytes` in its chat (thread, sender, caption).
    Post {
        item: QuarantineItem,
        bytes: Vec<u8>,
        resolution: Resolution,
    },
}

/// The stores the desk reads besides the guard's.
pub struct DeskStores {
    pub vault: Arc<dyn Vault>,
    pub roles: Arc<dyn RoleStore>,
    pub policies: Arc<dyn PolicyStore>,
    /// Where a released copy is noted, so a later withdrawal takes it down.
    pub exposure: Arc<dyn ExposureStore>,
}

pub struct ReviewDesk {
    pub(super) guard: Arc<Guard>,
    vault: Arc<dyn Vault>,
    roles: Arc<dyn RoleStore>,
    /// For the chat's language when posting (`review_post.rs`).
    pub(super) policies: Arc<dyn PolicyStore>,
    /// A released copy is noted here (issue 23, `review_post.rs`).
    pub(super) exposure: Arc<dyn ExposureStore>,
    pub(super) audit: AuditTrail,
}

impl ReviewDesk {
    pub fn new(guard: Arc<Guard>, stores: DeskStores, audit: AuditTrail) -> Self {
        Self {
            guard,
            vault: stores.vault,
            roles: stores.roles,
            policies: stores.policies,
            exposure: stores.exposure,
            audit,
        }
    }

    /// The blocked photos waiting for review.
    pub async fn pending(&self) -> StoreResult<Vec<QuarantineItem>> {
        self.vault.pending().await
    }

    /// Whether `user` may review now; a store error says no.
    pub(super) async fn may_review(&self, user: UserId) -> bool {
        match self.roles.role(user).await {
            Ok(role) => role.is_some_and(|r| r.covers(Role::Admin)),
            Err(e) => {
                tracing::error!(error = %e, "role lookup failed");
                false
            }
        }
    }

    /// Decides a press. Call [`ReviewDesk::finish`] once the platform has
    /// acted (or at once for an [`Press::Answer`]).
    pub async fn press(
        &self,
        presser: UserId,
        action: ReviewAction,
        item: RecordId,
    ) -> Result<Press, GuardError> {
        if !self.may_review(presser).await {
            return Ok(Press::Answer(ReviewOutcome::Denied));
        }
        match action {
            ReviewAction::View => Ok(match self.guard.view(item).await? {
                Some(bytes) => Press::Show { bytes },
                None => Press::Answer(ReviewOutcome::Stale),
            }),
            ReviewAction::Discard => {
                let settled = self
                    .guard
                    .settle(item, Resolution::Discarded, presser)
                    .await?;
                Ok(Press::Answer(match settled {
                    true => ReviewOutcome::Done(action),
                    false => ReviewOutcome::Stale,
                }))
            }
            ReviewAction::ReleaseBlurred => self.release(presser, item, false).await,
            ReviewAction::ReleaseOriginal => self.release(presser, item, true).await,
        }
    }

    async fn release(
        &self,
        presser: UserId,
        id: RecordId,
        original: bool,
    ) -> Result<Press, GuardError> {
        let (item, bytes) = match self.guard.prepare_release(id, original).await? {
            Release::Ready { item, bytes } => (item, bytes),
            Release::Stale => return Ok(Press::Answer(ReviewOutcome::Stale)),
            Release::NotAllowed => return Ok(Press::Answer(ReviewOutcome::OriginalNotAllowed)),
            // Logged by the guard; the item stays pending for another try.
            Release::Failed(_) => return Ok(Press::Answer(ReviewOutcome::ReleaseFailed)),
        };
        let resolution = match original {
            true => Resolution::ReleasedOriginal,
            false => Resolution::ReleasedBlurred,
        };
        // Settle first, so two admins pressing at once cannot post twice.
        if !self.guard.settle(id, resolution, presser).await? {
            return Ok(Press::Answer(ReviewOutcome::Stale));
        }
        Ok(Press::Post {
            item,
            bytes,
            resolution,
        })
    }

    /// Records the press and how it ended, allowed or not.
    pub async fn finish(
        &self,
        presser: UserId,
        action: ReviewAction,
        item: RecordId,
        outcome: ReviewOutcome,
    ) {
        let detail = serde_json::json!({ "item": item.0, "outcome": outcome.code() });
        let action = AuditAction::Review(action);
        self.audit.record(action, Some(presser), None, detail).await;
    }
}

#[cfg(test)]
#[path = "review_desk_tests.rs"]
mod tests;

#[cfg(test)]
#[path = "review_view_tests.rs"]
mod view_tests;
