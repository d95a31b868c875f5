//! photo-guard's own roles. Telegram group admins are not photo-guard admins.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Role {
    /// Records, renews and withdraws consent.
    Coordinator,
    /// Reviews blocked shares, sets policy, names roles; can do what a coordinator does.
    Admin,
}

impl Role {
    pub fn parse(raw: &str) -> Option<Self> {
        match raw.trim().to_ascii_lowercase().as_str() {
            "coordinator" => Some(Self::Coordinator),
            "admin" => Some(Self::Admin),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Coordinator => "coordinator",
            Self::Admin => "admin",
        }
    }

    /// Whether someone holding `self` may act as `needed`.
    pub fn covers(self, needed: Role) -> bool {
        self == Role::Admin || self == needed
    }
}
