//! The photo and video intake, one for every chat platform: an incoming
//! visual message, described by the adapter ([`Incoming`]), is taken in
//! turn, placed against what was recorded for it (a replay resumes without
//! a second check), fetched through the adapter's [`MediaSource`], checked
//! by the guard and acted on through the platform port as recorded steps
//! (`intake_steps.rs`). What cannot be fetched or checked is removed and the
//! admins told (`intake_unchecked.rs`); an album item is judged with the
//! captions of its album (`intake_album.rs`). The adapter only reads its
//! message into the description, downloads, and maps the outcome to its retry.

use std::sync::Arc;

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use super::{AuditTrail, Chats};
use crate::enforcement::{before, Before};
use crate::platform::{ChatPlatform, Place};
use crate::platform_fenced::FencedPlatform;
use crate::store::{
    AlbumStore, DownloadTries, EnforcementStore, PolicyStore, RoleStore, StoreError,
};
use crate::texts::Unchecked;
use crate::{
    Enforcement, Guard, IncomingPhoto, Lang, MessageId, UserId, Verdict, Visual, WorkState,
};

/// Who sent the message, as the texts name them.
#[derive(Debug, Clone)]
pub struct Sender {
    /// `None` when the platform did not say (a channel's post).
    pub id: Option<UserId>,
    pub name: String,
    /// The language of their private chat; `None`: the chat's.
    pub lang: Option<Lang>,
}

/// An incoming visual message, as the adapter read it.
#[derive(Clone)]
pub struct Incoming {
    pub place: Place,
    pub chat_title: String,
    pub message: MessageId,
    /// The update that carried this state of the message; a later update is
    /// a later state (an edit). A platform without edits uses the message id.
    pub update: i64,
    /// The message it answers, where the platform has replies.
    pub reply_to: Option<MessageId>,
    pub sender: Sender,
    /// When it was sent, where known (the platform's delete window).
    pub sent: Option<DateTime<Utc>>,
    pub caption: Option<String>,
    /// The other captions of its album (see [`Intake::album_captions`]).
    pub album: Vec<String>,
    /// A link that opens the message, for the admins, where there is one.
    pub link: Option<String>,
}

impl std::fmt::Debug for Incoming {
    // Captions never reach a log line.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Incoming")
            .field("place", &self.place)
            .field("message", &self.message)
            .field("update", &self.update)
            .finish_non_exhaustive()
    }
}

/// The media's bytes and what they turned out to be.
pub struct Fetched {
    pub bytes: Vec<u8>,
    pub kind: Visual,
}

/// Why the media could not be fetched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FetchFailure {
    /// Nothing the bot can fetch (a forwarded story, a gateway that kept none).
    NoFile,
    /// Over the download limit, in bytes.
    TooLarge { limit: u64 },
    /// The platform's final answer: trying again changes nothing.
    Refused,
    /// Worth another try; it counts towards [`Limits::download_max_tries`].
    Failed(String),
}

/// Where the adapter gets the media from; asked only when it is to be checked.
#[async_trait]
pub trait MediaSource: Send + Sync {
    /// `Ok(None)`: nothing to guard after all (a file that shows nothing).
    async fn fetch(&self) -> Result<Option<Fetched>, FetchFailure>;
}

/// The adapter's settings the intake follows.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub download_max_tries: u32,
}

/// What became of an incoming message.
#[must_use]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Handled {
    /// Nothing more to do: a replay was resumed, or the state is out of
    /// date, or the message stays blocked for review.
    Settled,
    /// Nothing to guard after all.
    Nothing,
    Checked(Verdict),
    /// Removed without a check (or, in a chat on trial, only recorded).
    Unchecked(Unchecked),
    /// The guard failed: removed without showing it.
    FailedClosed,
}

/// The work could not be finished; the adapter leaves it for another try.
#[derive(Debug, thiserror::Error)]
pub enum IntakeError {
    #[error("enforcement record: {0}")]
    Record(#[from] StoreError),
    #[error("{0}")]
    Platform(String),
    /// Why the download failed, as the adapter said it.
    #[error("{0}")]
    Download(String),
    #[error("a blur verdict without its copy")]
    NoCopy,
}

/// The stores the intake writes, one trait each.
pub struct IntakeStores {
    pub records: Arc<dyn EnforcementStore>,
    pub tries: Arc<dyn DownloadTries>,
    pub albums: Arc<dyn AlbumStore>,
    pub policies: Arc<dyn PolicyStore>,
    pub roles: Arc<dyn RoleStore>,
}

pub struct Intake {
    pub(super) guard: Arc<Guard>,
    pub(super) stores: IntakeStores,
    pub(super) chats: Chats,
    pub(super) audit: AuditTrail,
    pub(super) work: Arc<dyn WorkState>,
    /// When this process took up the intake: an album's wait runs from here
    /// at the earliest (`intake_album.rs`).
    pub(super) started: DateTime<Utc>,
}

/// What an update needs, given what was recorded for its message.
enum Next {
    Check(Option<Enforcement>),
    Settled,
}

impl Intake {
    pub fn new(
        guard: Arc<Guard>,
        stores: IntakeStores,
        audit: AuditTrail,
        work: Arc<dyn WorkState>,
    ) -> Self {
        let chats = Chats::new(
            stores.policies.clone(),
            stores.roles.clone(),
            audit.clone(),
            work.clone(),
        );
        Self {
            guard,
            stores,
            chats,
            audit,
            work,
            started: Utc::now(),
        }
    }

    /// Checks `media` and acts on it, or resumes what was recorded for it.
    pub async fn handle(
        &self,
        platform: &dyn ChatPlatform,
        limits: Limits,
        media: &Incoming,
        source: &dyn MediaSource,
    ) -> Result<Handled, IntakeError> {
        // Issue 21: every effect only while this job's claim holds its lease.
        let fenced = FencedPlatform(platform);
        let platform: &dyn ChatPlatform = &fenced;
        let (chat, message) = (media.place.chat, media.message);
        self.chats.seen(chat, &media.chat_title).await;
        let earlier = match self.earlier_state(platform, media).await? {
            Next::Check(earlier) => earlier,
            Next::Settled => return Ok(Handled::Settled),
        };
        let fetched = match source.fetch().await {
            Ok(fetched) => fetched,
            Err(why) => return self.fetch_failed(platform, limits, media, why).await,
        };
        self.forget_tries(media).await;
        let Some(Fetched { bytes, kind }) = fetched else {
            return Ok(Handled::Nothing);
        };
        let photo = IncomingPhoto {
            chat,
            message,
            sender: media.sender.id.unwrap_or(UserId(0)),
            sender_name: media.sender.name.clone(),
            caption: media.caption.clone(),
            thread: media.place.thread,
            kind,
            bytes,
        };
        let checked = match self.guard.check_with(photo, &media.album).await {
            Ok(checked) => checked,
            Err(e) => return self.fail_closed(platform, media, &e.to_string()).await,
        };
        let verdict = checked.decision.verdict;
        tracing::info!(
            chat = chat.0,
            message = message.0,
            kind = kind.code(),
            verdict = verdict.as_str(),
            reason = checked.decision.reason.code(),
            enforced = checked.decision.enforce,
            faces = checked.faces,
            "media checked"
        );
        self.decided(platform, media, checked, earlier).await?;
        Ok(Handled::Checked(verdict))
    }

    async fn earlier_state(
        &self,
        platform: &dyn ChatPlatform,
        media: &Incoming,
    ) -> Result<Next, IntakeError> {
        let (chat, message, update) = (media.place.chat, media.message, media.update);
        let recorded = self.stores.records.enforcement(chat, message).await?;
        let ignored = |why: &str| {
            tracing::info!(
                chat = chat.0,
                message = message.0,
                update,
                why,
                "photo not checked again"
            );
            Ok(Next::Settled)
        };
        match before(recorded.as_ref(), update) {
            Before::Nothing => Ok(Next::Check(None)),
            Before::Earlier(rec) => Ok(Next::Check(Some(rec.clone()))),
            Before::Stale => ignored("a later state of the message was judged"),
            Before::Blocked => ignored("the message was blocked and stays blocked for review"),
            Before::Resume => {
                let rec = recorded.expect("a resumed state was recorded");
                self.resume(platform, media, rec).await?;
                Ok(Next::Settled)
            }
        }
    }
}
