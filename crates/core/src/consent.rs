//! Consent records: what a client (or their guardian) agreed to, and when.
//!
//! Records are append-only: a renewal is a new grant, a withdrawal is a new
//! record, nothing is edited. Which record governs a photo right now is the
//! job of [`crate::current`].

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::{ClientCode, RecordId, UserId};

/// What a client agreed to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ConsentLevel {
    /// No photo of this client may be shared.
    Refused,
    /// Shared in team chats with faces blurred.
    Blurred,
    /// Shared unblurred in team chats.
    Full,
}

impl ConsentLevel {
    pub fn parse(raw: &str) -> Option<Self> {
        match raw.trim().to_ascii_lowercase().as_str() {
            "refused" => Some(Self::Refused),
            "blurred" => Some(Self::Blurred),
            "full" => Some(Self::Full),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Refused => "refused",
            Self::Blurred => "blurred",
            Self::Full => "full",
        }
    }
}

/// Who gave consent: the client, or a guardian for a minor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum GivenBy {
    Client,
    Guardian,
}

impl GivenBy {
    pub fn parse(raw: &str) -> Option<Self> {
        match raw.trim().to_ascii_lowercase().as_str() {
            "client" => Some(Self::Client),
            "guardian" => Some(Self::Guardian),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Client => "client",
            Self::Guardian => "guardian",
        }
    }
}

/// A grant of consent, valid on the days `valid_from..=valid_until`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Grant {
    pub level: ConsentLevel,
    pub purpose: Option<String>,
    pub given_by: GivenBy,
    pub evidence: Option<String>,
    pub valid_from: NaiveDate,
    /// Inclusive; `None` means until withdrawn.
    pub valid_until: Option<NaiveDate>,
}

/// What a record says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum ConsentEvent {
    Granted(Grant),
    Withdrawn { reason: Option<String> },
}

/// A record to append; the store gives it an id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewConsent {
    pub client: ClientCode,
    pub event: ConsentEvent,
    pub recorded_by: UserId,
    pub recorded_at: DateTime<Utc>,
}

/// A stored record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsentRecord {
    pub id: RecordId,
    pub client: ClientCode,
    pub event: ConsentEvent,
    pub recorded_by: UserId,
    pub recorded_at: DateTime<Utc>,
}
