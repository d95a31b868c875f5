//! What an admin's review of a blocked photo may do, decided and recorded by
//! the core: the adapter only shows buttons and posts what comes back.

use crate::guard::{Guard, GuardError};
use crate::policy::{decide, TaggedClient};
use crate::{
    looks_like_video, ChatPolicy, Examined, QuarantineItem, RecordId, Resolution, UserId, Verdict,
    VisionError, Visual,
};

/// The outcome of asking for a release.
#[derive(Debug)]
pub enum Release {
    /// Post these bytes (metadata-free) in the original chat.
    Ready {
        item: QuarantineItem,
        bytes: Vec<u8>,
    },
    /// The item was already handled or purged.
    Stale,
    /// The tagged clients' consent does not allow the original now.
    NotAllowed,
    /// The sealed photo could not be examined or re-encoded: nothing is
    /// posted, the item stays pending (try again, or discard).
    Failed(VisionError),
}

/// What a review action is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReviewAction {
    View,
    ReleaseBlurred,
    ReleaseOriginal,
    Discard,
}

impl ReviewAction {
    pub fn code(self) -> &'static str {
        match self {
            Self::View => "view",
            Self::ReleaseBlurred => "release_blurred",
            Self::ReleaseOriginal => "release_original",
            Self::Discard => "discard",
        }
    }
}

impl Guard {
    /// The sealed original, for viewing with content protection.
    pub async fn view(&self, id: RecordId) -> Result<Option<Vec<u8>>, GuardError> {
        match self.store().item(id).await {
            Ok(_) => Ok(Some(self.store().open(id).await?)),
            Err(crate::StoreError::NotFound(_)) => Ok(None),
            Err(e) => Err(e.into()),
        }
    }

    /// Prepares a release; the caller posts it, then calls [`Guard::settle`].
    pub async fn prepare_release(
        &self,
        id: RecordId,
        original: bool,
    ) -> Result<Release, GuardError> {
        let item = match self.store().item(id).await {
            Ok(item) if item.resolution == Resolution::Pending => item,
            Ok(_) | Err(crate::StoreError::NotFound(_)) => return Ok(Release::Stale),
            Err(e) => return Err(e.into()),
        };
        let sealed = self.store().open(id).await?;
        let caption: String = item.tags.iter().map(|t| format!("#{t} ")).collect();
        let tagged = self.tagged_clients(&caption, self.now()).await?;
        let policy = self.store().chat_policy(item.chat).await?;
        // The sealed bytes say what they are: a video goes to the video tool.
        let kind = match looks_like_video(&sealed) {
            true => Visual::Video,
            false => Visual::Photo,
        };
        let (eyes, _) = self.eyes(kind);
        let made = tokio::task::spawn_blocking(move || match eyes.look(&sealed) {
            Ok(Some(examined)) => release_copy(examined, original, &tagged, &policy),
            Ok(None) => Err(VisionError::Unsupported("nothing to release".into())),
            Err(e) => Err(e),
        })
        .await
        .map_err(|_| GuardError::Worker)?;
        Ok(outcome(item, made))
    }

    /// Marks a pending item resolved; false if someone else got there first.
    pub async fn settle(
        &self,
        id: RecordId,
        resolution: Resolution,
        by: UserId,
    ) -> Result<bool, GuardError> {
        Ok(self.store().resolve(id, resolution, by).await?)
    }
}

/// The copy a release posts: the anonymised one, or the clean original when
/// the tagged clients' consent allows it now (`None` when it does not).
fn release_copy(
    examined: Box<dyn Examined>,
    original: bool,
    tagged: &[TaggedClient],
    policy: &ChatPolicy,
) -> Result<Option<Vec<u8>>, VisionError> {
    if !original {
        return examined.anonymise().map(Some);
    }
    match decide(Ok(examined.faces().len()), tagged, policy).verdict {
        Verdict::Allow => examined.clean_copy().map(Some),
        _ => Ok(None),
    }
}

/// A photo we cannot re-encode is released in no form, and that is a failure
/// to report, not a refusal: consent may well allow it.
fn outcome(item: QuarantineItem, made: Result<Option<Vec<u8>>, VisionError>) -> Release {
    match made {
        Ok(Some(bytes)) => Release::Ready { item, bytes },
        Ok(None) => Release::NotAllowed,
        Err(e) => {
            tracing::error!(item = item.id.0, error = %e, "a release could not be prepared");
            Release::Failed(e)
        }
    }
}

#[cfg(test)]
#[path = "review_tests.rs"]
mod tests;
