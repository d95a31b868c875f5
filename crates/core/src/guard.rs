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
use crate::policy::{decide, TaggedClient};
use crate::store::Store;
use crate::{
    current_consent, AuditAction, AuditEvent, ChatId, ClientCode, Clock, Decision, MessageId,
    Moment, NewQuarantine, NewShare, Reason, RecordId, StoreError, UserId, Verdict, Vision,
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
    pub bytes: Vec<u8>,
}

impl std::fmt::Debug for IncomingPhoto {
    // Photo bytes and captions never reach a log line.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IncomingPhoto")
            .field("chat", &self.chat)
            .field("message", &self.message)
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
    store: Arc<dyn Store>,
    clock: Arc<dyn Clock>,
    permits: Arc<Semaphore>,
}

/// What came back from the blocking thread.
struct Examination {
    decision: Decision,
    faces: usize,
    anonymised: Option<Vec<u8>>,
    bytes: Vec<u8>,
}

impl Guard {
    /// `max_concurrent` bounds how many photos are examined at once.
    pub fn new(
        vision: Arc<dyn Vision>,
        store: Arc<dyn Store>,
        clock: Arc<dyn Clock>,
        max_concurrent: usize,
    ) -> Self {
        let permits = Arc::new(Semaphore::new(max_concurrent.max(1)));
        Self {
            vision,
            store,
            clock,
            permits,
        }
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
            .examine(photo.bytes.clone(), tagged.clone(), policy)
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

    async fn examine(
        &self,
        bytes: Vec<u8>,
        tagged: Vec<TaggedClient>,
        policy: crate::ChatPolicy,
    ) -> Result<Examination, GuardError> {
        let _permit = self
            .permits
            .clone()
            .acquire_owned()
            .await
            .map_err(|_| GuardError::Worker)?;
        let vision = self.vision.clone();
        tokio::task::spawn_blocking(move || {
            examine_blocking(vision.as_ref(), bytes, &tagged, &policy)
        })
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

/// Runs on a blocking thread: examine, decide, anonymise when the verdict is
/// an enforced blur. A failed anonymisation turns the blur into a block.
fn examine_blocking(
    vision: &dyn Vision,
    bytes: Vec<u8>,
    tagged: &[TaggedClient],
    policy: &crate::ChatPolicy,
) -> Examination {
    let examined =
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| vision.examine(&bytes)))
            .unwrap_or_else(|_| Err(crate::VisionError::Detector("the detector panicked".into())));
    let (examined, error) = match examined {
        Ok(e) => (Some(e), None),
        Err(e) => (None, Some(e.to_string())),
    };
    let faces = examined.as_ref().map_or(0, |e| e.faces().len());
    let sight = match &error {
        Some(detail) => Err(detail.as_str()),
        None => Ok(faces),
    };
    let mut decision = decide(sight, tagged, policy);
    let mut anonymised = None;
    if decision.enforce && decision.verdict == Verdict::Blur {
        match examined.map(|e| e.anonymise()) {
            Some(Ok(copy)) => anonymised = Some(copy),
            Some(Err(e)) => block_unreadable(&mut decision, e.to_string()),
            None => block_unreadable(&mut decision, "no image to anonymise".into()),
        }
    }
    Examination {
        decision,
        faces,
        anonymised,
        bytes,
    }
}

fn block_unreadable(decision: &mut Decision, detail: String) {
    decision.verdict = Verdict::Block;
    decision.reason = Reason::Unreadable { detail };
}
