//! What the guard writes down: checked shares, quarantined photos, audit
//! events, per-chat statistics. Plain data; the store decides how to keep it.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::{AuditAction, ChatId, ClientCode, MessageId, RecordId, UserId, Verdict};

/// One checked photo.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewShare {
    pub chat: ChatId,
    pub message: MessageId,
    pub sender: UserId,
    pub tags: Vec<ClientCode>,
    pub verdict: Verdict,
    pub enforced: bool,
    pub relied_on: Vec<RecordId>,
    /// `Reason::code()`.
    pub reason_code: String,
    /// The reason in full, as JSON, for the audit trail.
    pub reason_detail: String,
    pub faces: u32,
    pub at: DateTime<Utc>,
}

/// Where a quarantined photo stands in review.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Resolution {
    Pending,
    ReleasedBlurred,
    ReleasedOriginal,
    Discarded,
}

impl Resolution {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::ReleasedBlurred => "released_blurred",
            Self::ReleasedOriginal => "released_original",
            Self::Discarded => "discarded",
        }
    }
    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "pending" => Some(Self::Pending),
            "released_blurred" => Some(Self::ReleasedBlurred),
            "released_original" => Some(Self::ReleasedOriginal),
            "discarded" => Some(Self::Discarded),
            _ => None,
        }
    }
}

/// A blocked photo held for review (the sealed bytes stay in the store).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QuarantineItem {
    pub id: RecordId,
    pub share: RecordId,
    pub chat: ChatId,
    pub message: MessageId,
    pub sender: UserId,
    /// The sender's display name, for the admins and for a release.
    pub sender_name: String,
    pub caption: Option<String>,
    /// Message thread (forum topic) the photo was posted in, for a release.
    pub thread: Option<i64>,
    pub tags: Vec<ClientCode>,
    pub reason_code: String,
    pub created_at: DateTime<Utc>,
    pub resolution: Resolution,
}

/// What goes into quarantine alongside the sealed bytes.
#[derive(Debug, Clone, PartialEq)]
pub struct NewQuarantine {
    pub share: RecordId,
    pub chat: ChatId,
    pub message: MessageId,
    pub sender: UserId,
    pub sender_name: String,
    pub caption: Option<String>,
    pub thread: Option<i64>,
    pub tags: Vec<ClientCode>,
    pub reason_code: String,
    pub at: DateTime<Utc>,
}

/// One entry of the append-only, hash-chained audit log.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditEvent {
    pub at: DateTime<Utc>,
    pub actor: Option<UserId>,
    pub chat: Option<ChatId>,
    /// Dotted action name as stored, e.g. `share.block`, `consent.recorded`,
    /// `review.discard`. Written only from an [`AuditAction`] (see
    /// [`AuditEvent::new`]); kept as text because a stored row is read back
    /// verbatim, whatever it holds, for the chain and the CSV.
    pub action: String,
    /// Free-form JSON detail; never photo bytes or secrets.
    pub detail: String,
}

impl AuditEvent {
    /// The one way the bot builds an entry: the action is typed.
    pub fn new(
        at: DateTime<Utc>,
        action: AuditAction,
        actor: Option<UserId>,
        chat: Option<ChatId>,
        detail: serde_json::Value,
    ) -> Self {
        Self {
            at,
            actor,
            chat,
            action: action.as_str().to_owned(),
            detail: detail.to_string(),
        }
    }

    /// The stored action, typed; `None` for a name the bot never writes.
    pub fn kind(&self) -> Option<AuditAction> {
        AuditAction::parse(&self.action)
    }
}

/// A stored audit entry with its place in the chain.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditEntry {
    pub seq: i64,
    pub event: AuditEvent,
    pub prev_hash: String,
    pub hash: String,
}

/// Per-chat counts for `/stats`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChatStats {
    pub chat: i64,
    pub checked: u64,
    pub allowed: u64,
    pub blurred: u64,
    pub blocked: u64,
}

/// Checked photos of one chat in one period (a day, or a week from its
/// Monday), by verdict: `/stats`'s chart (issue 23).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PeriodStats {
    pub chat: i64,
    pub start: chrono::NaiveDate,
    pub allowed: u64,
    pub blurred: u64,
    pub blocked: u64,
}
