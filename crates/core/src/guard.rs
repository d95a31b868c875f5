//! The guard service: one shared photo in, a decision acted on in the store out.
//!
//! It reads the chat's policy and the tagged clients' consent, runs vision on
//! a blocking thread (bounded by a semaphore, so a burst cannot starve the
//! runtime), applies the pure policy, and writes the share, the audit entry
//! and, for a block, the sealed original. Anything that goes wrong while the
//! photo is examined becomes a block: the guard fails closed.

use std::sync::Arc;

use thiserror::Error;
use tokio::sync::Semaphore;

use crate::caption::{hashtags, judged_text};
use crate::examine::{examine_blocking, Eyes};
use crate::policy::TaggedClient;
use crate::store::Store;
use crate::{
    current_consent, AuditAction, AuditEvent, ChatId, ClientCode, Clock, Decision, Look, MessageId,
    Moment, NewQuarantine, NewShare, NoVideo, RecordId, StoreError, UserId, Verdict, VideoVision,
    Vision, Visual,
};

/// A photo as the adapter hands it over: bytes and where they came from.
#[derive(Clone)]
pub struct IncomingPhoto {
    pub chat: ChatId,
    pub message: MessageId,
    pub sender: UserId,
    pub sender_name: String,
    pub caption: Option<String>,
    pub thread: Option<i64>,
    /// What it is (photo, video, sticker): says how it is looked at.
    pub kind: Visual,
    pub bytes: Vec<u8>,
}

impl std::fmt::Debug for IncomingPhoto {
    // Photo bytes and captions never reach a log line.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IncomingPhoto")
            .field("chat", &self.chat)
            .field("message", &self.message)
            .field("kind", &self.kind)
            .field("bytes", &self.bytes.len())
            .finish_non_exhaustive()
    }
}

/// What the guard decided and recorded.
#[derive(Debug)]
pub struct Checked {
    pub decision: Decision,
    pub share: RecordId,
    pub tags: Vec<ClientCode>,
    pub faces: usize,
    /// Set for an enforced block.
    pub quarantine: Option<RecordId>,
    /// Set for an enforced blur: the copy to post in place of the original.
    pub anonymised: Option<Vec<u8>>,
}

#[derive(Debug, Error)]
pub enum GuardError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("the vision worker stopped unexpectedly")]
    Worker,
}

pub struct Guard {
    vision: Arc<dyn Vision>,
    videos: Arc<dyn VideoVision>,
    store: Arc<dyn Store>,
    clock: Arc<dyn Clock>,
    permits: Arc<Semaphore>,
    /// Videos have permits of their own: a burst of long clips never holds
    /// the photos' permits.
    video_permits: Arc<Semaphore>,
}

/// What came back from the blocking thread.
pub(crate) struct Examination {
    pub decision: Decision,
    pub faces: usize,
    pub anonymised: Option<Vec<u8>>,
    pub bytes: Vec<u8>,
}

impl Guard {
    /// `max_concurrent` bounds how many photos are examined at once. Videos
    /// cannot be examined (every one is blocked) until [`Guard::with_videos`].
    pub fn new(
        vision: Arc<dyn Vision>,
        store: Arc<dyn Store>,
        clock: Arc<dyn Clock>,
        max_concurrent: usize,
    ) -> Self {
        let permits = Arc::new(Semaphore::new(max_concurrent.max(1)));
        Self {
            vision,
            videos: Arc::new(NoVideo("no video tool is configured".into())),
            store,
            clock,
            permits,
            video_permits: Arc::new(Semaphore::new(1)),
        }
    }

    /// Examines videos with `videos`, at most `max_concurrent` at once.
    pub fn with_videos(mut self, videos: Arc<dyn VideoVision>, max_concurrent: usize) -> Self {
        self.videos = videos;
        self.video_permits = Arc::new(Semaphore::new(max_concurrent.max(1)));
        self
    }

    pub fn videos(&self) -> &Arc<dyn VideoVision> {
        &self.videos
    }

    pub fn store(&self) -> &Arc<dyn Store> {
        &self.store
    }

    pub fn vision(&self) -> &Arc<dyn Vision> {
        &self.vision
    }

    pub fn now(&self) -> Moment {
        self.clock.now()
    }

    pub async fn check(&self, photo: IncomingPhoto) -> Result<Checked, GuardError> {
        self.check_with(photo, &[]).await
    }

    /// Checks a photo against its own caption's tags and those of `context`
    /// (the other captions of its album) together: the guard sees the union,
    /// so the strictest consent among them decides.
    pub async fn check_with(
        &self,
        photo: IncomingPhoto,
        context: &[String],
    ) -> Result<Checked, GuardError> {
        let now = self.clock.now();
        let policy = self.store.chat_policy(photo.chat).await?;
        let captions = judged_text(photo.caption.as_deref(), context);
        let tagged = self.tagged_clients(&captions, now).await?;
        let exam = self
            .examine(photo.kind, photo.bytes.clone(), tagged.clone(), policy)
            .await?;
        let tags: Vec<ClientCode> = tagged.into_iter().map(|t| t.code).collect();
        let share = self.record_share(&photo, &tags, &exam, now).await?;
        let enforced_block = exam.decision.enforce && exam.decision.verdict == Verdict::Block;
        let quarantine = match enforced_block {
            true => Some(self.quarantine(&photo, share, &tags, &exam, now).await?),
            false => None,
        };
        self.audit(&photo, share, &tags, &exam, now).await?;
        Ok(Checked {
            decision: exam.decision,
            share,
            tags,
            faces: exam.faces,
            quarantine,
            anonymised: exam.anonymised,
        })
    }

    /// The registered clients tagged in the caption with their consent now.
    /// A tag that names no registered client is ignored.
    pub async fn tagged_clients(
        &self,
        caption: &str,
        now: Moment,
    ) -> Result<Vec<TaggedClient>, GuardError> {
        let mut tagged = Vec::new();
        for code in hashtags(caption) {
            let history = self.store.consent_history(&code).await?;
            if history.is_empty() {
                continue;
            }
            tagged.push(TaggedClient {
                consent: current_consent(&history, now),
                code,
            });
        }
        Ok(tagged)
    }

    /// What looks at `kind`, and the permits it takes its turn on.
    pub(crate) fn eyes(&self, kind: Visual) -> (Eyes, &Arc<Semaphore>) {
        match kind.look() {
            Look::Image => (Eyes::Image(self.vision.clone()), &self.permits),
            Look::Video => (Eyes::Video(self.videos.clone()), &self.video_permits),
            Look::Nothing => (Eyes::Nothing, &self.permits),
            Look::Refuse => (Eyes::Refuse, &self.permits),
        }
    }

    async fn examine(
        &self,
        kind: Visual,
        bytes: Vec<u8>,
        tagged: Vec<TaggedClient>,
        policy: crate::ChatPolicy,
    ) -> Result<Examination, GuardError> {
        let (eyes, permits) = self.eyes(kind);
        let _permit = permits
            .clone()
            .acquire_owned()
            .await
            .map_err(|_| GuardError::Worker)?;
        tokio::task::spawn_blocking(move || examine_blocking(&eyes, bytes, &tagged, &policy))
            .await
            .map_err(|_| GuardError::Worker)
    }

    async fn record_share(
        &self,
        photo: &IncomingPhoto,
        tags: &[ClientCode],
        exam: &Examination,
        now: Moment,
    ) -> Result<RecordId, GuardError> {
        let d = &exam.decision;
        let share = NewShare {
            chat: photo.chat,
            message: photo.message,
            sender: photo.sender,
            tags: tags.to_vec(),
            verdict: d.verdict,
            enforced: d.enforce,
            relied_on: d.relied_on.clone(),
            reason_code: d.reason.code().to_owned(),
            reason_detail: serde_json::to_string(&d.reason).unwrap_or_default(),
            faces: exam.faces as u32,
            at: now.now,
        };
        Ok(self.store.record_share(share).await?)
    }

    async fn quarantine(
        &self,
        photo: &IncomingPhoto,
        share: RecordId,
        tags: &[ClientCode],
        exam: &Examination,
        now: Moment,
    ) -> Result<RecordId, GuardError> {
        let item = NewQuarantine {
            share,
            chat: photo.chat,
            message: photo.message,
            sender: photo.sender,
            sender_name: photo.sender_name.clone(),
            caption: photo.caption.clone(),
            thread: photo.thread,
            tags: tags.to_vec(),
            reason_code: exam.decision.reason.code().to_owned(),
            at: now.now,
        };
        Ok(self.store.seal(item, &exam.bytes).await?)
    }

    async fn audit(
        &self,
        photo: &IncomingPhoto,
        share: RecordId,
        tags: &[ClientCode],
        exam: &Examination,
        now: Moment,
    ) -> Result<(), GuardError> {
        let d = &exam.decision;
        let detail = serde_json::json!({
            "share": share.0,
            "message": photo.message.0,
            "kind": photo.kind.code(),
            "tags": tags,
            "faces": exam.faces,
            "reason": d.reason,
            "relied_on": d.relied_on,
        });
        let action = AuditAction::Share {
            verdict: d.verdict,
            observed: !d.enforce,
        };
        let event = AuditEvent::new(
            now.now,
            action,
            Some(photo.sender),
            Some(photo.chat),
            detail,
        );
        self.store.append(event).await?;
        Ok(())
    }
}
