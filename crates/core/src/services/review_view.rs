//! Viewing a blocked photo where the platform has no protected media
//! (WhatsApp cannot stop a forward or a save): the blurred copy first, the
//! original only when the admin asks for it again explicitly, every view
//! recorded with which copy went out unprotected.

use super::review_desk::{Press, ReviewDesk, ReviewOutcome};
use crate::{AuditAction, GuardError, RecordId, Release, ReviewAction, UserId};

/// Which copy a view without protection shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shown {
    /// What releasing it blurred would post: safe to send unprotected.
    Blurred,
    /// The sealed original, asked for explicitly.
    Original,
}

impl Shown {
    fn code(self) -> &'static str {
        match self {
            Self::Blurred => "blurred",
            Self::Original => "original",
        }
    }
}

impl ReviewDesk {
    /// Decides a view of `item` on a platform without protected media; a
    /// [`Press::Show`] carries the copy `shown` names. The item stays
    /// pending. Call [`ReviewDesk::finish_unprotected_view`] afterwards.
    pub async fn view_unprotected(
        &self,
        presser: UserId,
        item: RecordId,
        shown: Shown,
    ) -> Result<Press, GuardError> {
        if !self.may_review(presser).await {
            return Ok(Press::Answer(ReviewOutcome::Denied));
        }
        if shown == Shown::Original {
            return Ok(match self.guard.view(item).await? {
                Some(bytes) => Press::Show { bytes },
                None => Press::Answer(ReviewOutcome::Stale),
            });
        }
        // The copy a blurred release would post, without settling anything.
        Ok(match self.guard.prepare_release(item, false).await? {
            Release::Ready { bytes, .. } => Press::Show { bytes },
            Release::Stale => Press::Answer(ReviewOutcome::Stale),
            Release::NotAllowed | Release::Failed(_) => Press::Answer(ReviewOutcome::Failed),
        })
    }

    /// Records the view, saying which copy was shown and that it went out
    /// without protection.
    pub async fn finish_unprotected_view(
        &self,
        presser: UserId,
        item: RecordId,
        shown: Shown,
        outcome: ReviewOutcome,
    ) {
        let detail = serde_json::json!({
            "item": item.0,
            "outcome": outcome.code(),
            "shown": shown.code(),
            "protected": false,
        });
        let action = AuditAction::Review(ReviewAction::View);
        self.audit.record(action, Some(presser), None, detail).await;
    }
}
