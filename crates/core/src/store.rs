//! The store as the core needs it: one trait per concept, so a PostgreSQL
//! store (or a fake in a test) can stand in without touching the core.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use thiserror::Error;

use crate::breach::{Incident, NewIncident};
use crate::exposure::Shown;
use crate::subject::{Erasure, SubjectQuarantine, SubjectShare};
use crate::{
    AuditEntry, AuditEvent, ChatId, ChatPolicy, ChatStats, ClientCode, ConsentRecord, Enforcement,
    Fence, Job, Lease, MessageId, NewConsent, NewQuarantine, NewShare, PeriodStats, QuarantineItem,
    RecordId, ReplicaId, Resolution, Role, UserId,
};

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum StoreError {
    #[error("database error: {0}")]
    Database(String),
    /// A sealed row failed authentication: a wrong key or tampering.
    #[error("integrity check failed: {0}")]
    Integrity(String),
    #[error("not found: {0}")]
    NotFound(String),
    /// Issue 21: the write belongs to a job's work whose claim no longer
    /// holds the job (its lease lapsed and another claim took it, or it was
    /// handed back or finished); nothing was written.
    #[error("job {0}'s lease is no longer held by this claim; nothing was written")]
    LeaseLost(i64),
}

pub type StoreResult<T> = Result<T, StoreError>;

#[async_trait]
pub trait ConsentStore: Send + Sync {
    /// Appends a record, registering the client if new.
    async fn append_consent(&self, record: NewConsent) -> StoreResult<ConsentRecord>;
    /// Every record for the client, oldest first; empty for an unknown code.
    async fn consent_history(&self, client: &ClientCode) -> StoreResult<Vec<ConsentRecord>>;
    /// Every registered client, sorted.
    async fn clients(&self) -> StoreResult<Vec<ClientCode>>;
}

#[async_trait]
pub trait RoleStore: Send + Sync {
    async fn role(&self, user: UserId) -> StoreResult<Option<Role>>;
    async fn grant(&self, user: UserId, role: Role, by: UserId) -> StoreResult<()>;
    /// Returns whether the user had a role. The config's admins cannot be removed.
    async fn ungrant(&self, user: UserId, by: UserId) -> StoreResult<bool>;
    async fn users_with(&self, role: Role) -> StoreResult<Vec<UserId>>;
}

#[async_trait]
pub trait PolicyStore: Send + Sync {
    /// The chat's policy; the default for a chat never configured.
    async fn chat_policy(&self, chat: ChatId) -> StoreResult<ChatPolicy>;
    async fn set_chat_policy(&self, chat: ChatId, policy: &ChatPolicy) -> StoreResult<()>;
    /// Chats the bot has seen (guarded), for reminders and `doctor`.
    async fn guarded_chats(&self) -> StoreResult<Vec<ChatId>>;
    /// Remembers that the bot guards this chat.
    async fn touch_chat(&self, chat: ChatId, title: &str) -> StoreResult<()>;
    /// When the scheduled reminder last went out in the chat.
    async fn last_reminder(&self, chat: ChatId) -> StoreResult<Option<DateTime<Utc>>>;
    async fn set_last_reminder(&self, chat: ChatId, at: DateTime<Utc>) -> StoreResult<()>;
    /// A group became a supergroup under a new id: its policy and its chat
    /// row move to `to` (a policy already set at `to` is kept). False when
    /// there was nothing to move (the second of Telegram's two notices).
    async fn migrate_chat(&self, from: ChatId, to: ChatId) -> StoreResult<bool>;
}

#[async_trait]
pub trait ShareStore: Send + Sync {
    async fn record_share(&self, share: NewShare) -> StoreResult<RecordId>;
    async fn stats(&self) -> StoreResult<Vec<ChatStats>>;
    /// Per chat and UTC day from `since` on, by verdict (issue 23's chart).
    async fn daily_stats(&self, since: DateTime<Utc>) -> StoreResult<Vec<PeriodStats>>;
}

/// Blocked photos, sealed with an authenticated cipher.
#[async_trait]
pub trait Vault: Send + Sync {
    async fn seal(&self, item: NewQuarantine, bytes: &[u8]) -> StoreResult<RecordId>;
    async fn item(&self, id: RecordId) -> StoreResult<QuarantineItem>;
    /// The clear bytes; `Integrity` on a wrong key or a tampered row.
    async fn open(&self, id: RecordId) -> StoreResult<Vec<u8>>;
    async fn pending(&self) -> StoreResult<Vec<QuarantineItem>>;
    /// Moves a pending item to `resolution`; false if it was no longer pending.
    async fn resolve(&self, id: RecordId, resolution: Resolution, by: UserId) -> StoreResult<bool>;
    /// Deletes every item created before `cutoff`; returns how many.
    async fn purge_before(&self, cutoff: DateTime<Utc>) -> StoreResult<u64>;
}

#[async_trait]
pub trait AuditLog: Send + Sync {
    async fn append(&self, event: AuditEvent) -> StoreResult<AuditEntry>;
    async fn entries_since(&self, since: DateTime<Utc>) -> StoreResult<Vec<AuditEntry>>;
}

/// Updates recorded before they are acted on, so a crash loses none.
#[async_trait]
pub trait Inbox: Send + Sync {
    /// Records an update; false if it was already recorded (a redelivery).
    async fn receive(&self, update_id: i64, payload: &str) -> StoreResult<bool>;
    async fn finish(&self, update_id: i64) -> StoreResult<()>;
    /// Recorded but not finished, oldest first.
    async fn unfinished(&self) -> StoreResult<Vec<(i64, String)>>;
}

/// The inbox as a job queue (issue 21): any replica claims a job under a
/// lease, one chat's jobs one at a time and in the order they were recorded,
/// and a job whose lease lapsed returns to the queue. Only updates below
/// [`crate::PLATFORM_ID_BASE`] (Telegram's) are claimed: WhatsApp's work
/// runs in its adapter.
#[async_trait]
pub trait JobQueue: Send + Sync {
    /// Records an update as a job in `chat`'s line (`None`: ordered with
    /// nothing); false if it was already recorded (a redelivery).
    async fn enqueue(
        &self,
        update_id: i64,
        chat: Option<ChatId>,
        payload: &str,
    ) -> StoreResult<bool>;
    /// Claims the oldest job free at `now` under `lease`: unfinished, not
    /// leased (or its lease lapsed), not waiting for a retry, and no other job
    /// of its chat leased or waiting ahead of it.
    async fn claim(&self, lease: &Lease, now: DateTime<Utc>) -> StoreResult<Option<Job>>;
    /// Extends the lease; false if `lease.holder` no longer holds the job.
    async fn renew(&self, update_id: i64, lease: &Lease) -> StoreResult<bool>;
    /// Gives the job back, to be claimed again from `at` (work left unfinished).
    async fn retry_at(
        &self,
        update_id: i64,
        holder: &ReplicaId,
        at: DateTime<Utc>,
    ) -> StoreResult<()>;
    /// At a start: the leases `holder` held (on a store one process uses,
    /// every lease) return to the queue and every retry is due now.
    async fn requeue(&self, holder: &ReplicaId) -> StoreResult<u64>;
    /// Extends the lease of the claim `fence` names to `until`; false if
    /// that claim no longer holds the job (taken over, handed back, finished).
    async fn hold(&self, fence: &Fence, until: DateTime<Utc>) -> StoreResult<bool>;
    /// Marks the job finished if the claim `fence` names still holds it.
    async fn finish_held(&self, fence: &Fence) -> StoreResult<bool>;
    /// Hands back every job `holder` holds, free to claim at once (a shutdown).
    async fn release(&self, holder: &ReplicaId) -> StoreResult<u64>;
}

/// Issue 21: who leads a kind of work among the replicas on one database
/// (the scheduled rounds): a named lease, held by one replica at a time.
#[async_trait]
pub trait LeaderStore: Send + Sync {
    /// Takes or keeps the lead `name` for `holder` until `until`: it is
    /// taken when no one holds it or its holder's lease ended before `now`,
    /// kept when `holder` holds it. Whether `holder` leads now.
    async fn lead(
        &self,
        name: &str,
        holder: &ReplicaId,
        until: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> StoreResult<bool>;
    /// Gives the lead up, if `holder` holds it (a shutdown).
    async fn resign(&self, name: &str, holder: &ReplicaId) -> StoreResult<()>;
}

/// Failed downloads of a message's media, counted across restarts, so a
/// photo that can never be fetched is removed instead of retried forever.
#[async_trait]
pub trait DownloadTries: Send + Sync {
    /// Counts one more failed try for the message; returns the tries so far.
    async fn failed_download(&self, chat: ChatId, message: MessageId) -> StoreResult<u32>;
    /// Forgets the message's tries (it was fetched, or removed).
    async fn forget_downloads(&self, chat: ChatId, message: MessageId) -> StoreResult<()>;
}

/// The captions of album items, so each item is judged with every caption of
/// its album, also when it is replayed after a restart. Captions are what
/// people wrote: the store keeps them sealed.
#[async_trait]
pub trait AlbumStore: Send + Sync {
    /// Remembers one item's caption as of `update`; `None` forgets it (an
    /// edit removed it). An older update never overwrites a newer one.
    async fn note_album_caption(
        &self,
        chat: ChatId,
        album: &str,
        message: MessageId,
        update: i64,
        caption: Option<&str>,
    ) -> StoreResult<()>;
    /// Every caption remembered for the album, by item.
    async fn album_captions(
        &self,
        chat: ChatId,
        album: &str,
    ) -> StoreResult<Vec<(MessageId, String)>>;
    /// When the album's first item was noted (`None`: none is), from the
    /// store's records, so every replica counts the album's wait alike.
    async fn album_arrival(&self, chat: ChatId, album: &str) -> StoreResult<Option<DateTime<Utc>>>;
}

/// How far acting on each message's verdict got (see [`crate::enforcement`]).
#[async_trait]
pub trait EnforcementStore: Send + Sync {
    async fn enforcement(
        &self,
        chat: ChatId,
        message: MessageId,
    ) -> StoreResult<Option<Enforcement>>;
    /// Records a decision, replacing whatever was recorded for the message,
    /// with the anonymised copy to post (sealed) before anything is deleted.
    async fn record_decision(&self, record: &Enforcement, copy: Option<&[u8]>) -> StoreResult<()>;
    /// Writes `record`'s step, removal and copy message; false if a later
    /// state of the message replaced it. The sealed copy goes once posted.
    async fn record_step(&self, record: &Enforcement) -> StoreResult<bool>;
    /// Moves the record of update `from` to update `to` (a later state that
    /// changes nothing); false if `from` is no longer the recorded state.
    async fn adopt(
        &self,
        chat: ChatId,
        message: MessageId,
        from: i64,
        to: i64,
    ) -> StoreResult<bool>;
    /// The anonymised copy recorded with the message's decision, opened.
    async fn enforcement_copy(
        &self,
        chat: ChatId,
        message: MessageId,
    ) -> StoreResult<Option<Vec<u8>>>;
}

/// What still shows a client in a chat, and what the bot took down when
/// consent changed (issue 23).
#[async_trait]
pub trait ExposureStore: Send + Sync {
    /// Remembers the platform's file id of a checked message (kept sealed),
    /// so a downgrade can fetch the original again while it stands.
    async fn note_media(&self, chat: ChatId, message: MessageId, file_id: &str) -> StoreResult<()>;
    async fn media_file(&self, chat: ChatId, message: MessageId) -> StoreResult<Option<String>>;
    /// Every message still showing `client` by its tag: originals left in
    /// place (allowed, observed, or undeletable) and blurred copies the bot
    /// posted, each by its latest state, none already taken down.
    async fn shown_with(&self, client: &ClientCode) -> StoreResult<Vec<Shown>>;
    /// The message was taken down following consent record `record`.
    async fn record_takedown(
        &self,
        chat: ChatId,
        message: MessageId,
        record: RecordId,
        at: DateTime<Utc>,
    ) -> StoreResult<()>;
    /// A blurred copy posted in place of share `share`'s original.
    async fn record_replacement(
        &self,
        chat: ChatId,
        copy: MessageId,
        share: RecordId,
        at: DateTime<Utc>,
    ) -> StoreResult<()>;
}

/// When each coordinator last got the expiry digest (issue 23), and the
/// language they last wrote to the bot in, which it is told in.
#[async_trait]
pub trait DigestStore: Send + Sync {
    async fn last_digest(&self, user: UserId) -> StoreResult<Option<DateTime<Utc>>>;
    async fn set_last_digest(&self, user: UserId, at: DateTime<Utc>) -> StoreResult<()>;
    async fn user_lang(&self, user: UserId) -> StoreResult<Option<crate::Lang>>;
    async fn set_user_lang(&self, user: UserId, lang: crate::Lang) -> StoreResult<()>;
}

/// What is held about one client, and its erasure (issue 23).
#[async_trait]
pub trait SubjectStore: Send + Sync {
    /// Every checked photo tagging the client, oldest first.
    async fn shares_of(&self, client: &ClientCode) -> StoreResult<Vec<SubjectShare>>;
    /// Every quarantined photo tagging the client, oldest first.
    async fn quarantine_of(&self, client: &ClientCode) -> StoreResult<Vec<SubjectQuarantine>>;
    /// Every audit entry whose detail names the client, in order.
    async fn audit_naming(&self, client: &ClientCode) -> StoreResult<Vec<AuditEntry>>;
    /// Deletes the client's quarantined photos, the file ids of its photos
    /// and their sealed copies not yet posted; what proves consent and what
    /// was done (consent records, shares, the audit log) stays.
    async fn erase(&self, client: &ClientCode) -> StoreResult<Erasure>;
}

/// Breach incidents (issue 23).
#[async_trait]
pub trait IncidentStore: Send + Sync {
    async fn open_incident(&self, incident: NewIncident) -> StoreResult<Incident>;
    async fn incident(&self, id: i64) -> StoreResult<Option<Incident>>;
    /// Incidents with a reminder still to send, oldest first.
    async fn open_incidents(&self) -> StoreResult<Vec<Incident>>;
    async fn set_reminders(&self, id: i64, sent: u32) -> StoreResult<()>;
    /// The clients tagged in a message's latest checked state.
    async fn tags_of(&self, chat: ChatId, message: MessageId) -> StoreResult<Vec<ClientCode>>;
}

/// Core ids for a platform whose own ids are strings (WhatsApp): each
/// (platform, external id) gets one core id, at or above
/// [`crate::PLATFORM_ID_BASE`], recorded so it maps back. Not part of
/// [`Store`]: only such an adapter needs it.
#[async_trait]
pub trait PlatformIds: Send + Sync {
    /// The core id of `external` on `platform`, assigned on first sight.
    async fn core_id(&self, platform: &str, external: &str) -> StoreResult<i64>;
    /// The external id a core id was assigned to on `platform`, if any.
    async fn external_id(&self, platform: &str, id: i64) -> StoreResult<Option<String>>;
}

/// Everything the guard and the adapter need from one store.
pub trait Store:
    ConsentStore
    + RoleStore
    + PolicyStore
    + ShareStore
    + Vault
    + AuditLog
    + Inbox
    + JobQueue
    + LeaderStore
    + DownloadTries
    + AlbumStore
    + EnforcementStore
    + ExposureStore
    + DigestStore
    + SubjectStore
    + IncidentStore
{
}

impl<T> Store for T where
    T: ConsentStore
        + RoleStore
        + PolicyStore
        + ShareStore
        + Vault
        + AuditLog
        + Inbox
        + JobQueue
        + LeaderStore
        + DownloadTries
        + AlbumStore
        + EnforcementStore
        + ExposureStore
        + DigestStore
        + SubjectStore
        + IncidentStore
{
}
