//! The outcome of checking one photo: the verdict and why.

use serde::{Deserialize, Serialize};

use crate::{ClientCode, RecordId};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Verdict {
    Allow,
    Blur,
    Block,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Allow => "allow",
            Self::Blur => "blur",
            Self::Block => "block",
        }
    }
    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "allow" => Some(Self::Allow),
            "blur" => Some(Self::Blur),
            "block" => Some(Self::Block),
            _ => None,
        }
    }
}

/// Why the policy decided as it did; names the clients and records involved.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Reason {
    /// A tagged client refused; the record that says so.
    ConsentRefused {
        client: ClientCode,
        record: RecordId,
    },
    ConsentWithdrawn {
        client: ClientCode,
        record: RecordId,
    },
    ConsentExpired {
        client: ClientCode,
        record: RecordId,
    },
    /// A registered client with no record in force yet.
    NoConsent { client: ClientCode },
    /// The photo could not be examined (undecodable, too large, detector error).
    Unreadable { detail: String },
    /// Faces, nobody tagged.
    UntaggedFaces { faces: usize },
    /// Faces, the chat is public-facing.
    PublicChat { faces: usize },
    /// Faces, a tagged client allows only blurred sharing.
    BlurredConsent { client: ClientCode },
    /// Faces, every tagged client has full consent, team chat.
    FullConsent { faces: usize },
    /// No face found.
    NoFaces,
}

impl Reason {
    /// A short stable code for logs, the audit trail and statistics.
    pub fn code(&self) -> &'static str {
        match self {
            Self::ConsentRefused { .. } => "consent_refused",
            Self::ConsentWithdrawn { .. } => "consent_withdrawn",
            Self::ConsentExpired { .. } => "consent_expired",
            Self::NoConsent { .. } => "no_consent",
            Self::Unreadable { .. } => "unreadable",
            Self::UntaggedFaces { .. } => "untagged_faces",
            Self::PublicChat { .. } => "public_chat",
            Self::BlurredConsent { .. } => "blurred_consent",
            Self::FullConsent { .. } => "full_consent",
            Self::NoFaces => "no_faces",
        }
    }
}

/// A verdict, why, the records relied on, and whether it is acted upon.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Decision {
    pub verdict: Verdict,
    pub reason: Reason,
    /// Every consent record the decision relied on.
    pub relied_on: Vec<RecordId>,
    /// False in observe mode: logged, not acted on.
    pub enforce: bool,
}
