//! A guarded chat's policy, set by an admin with `/policy`.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum Mode {
    /// Act on every verdict.
    #[default]
    Enforce,
    /// Log only, for a trial.
    Observe,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum Untagged {
    #[default]
    Blur,
    Block,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum ChatKind {
    /// The team's own chat: `full` consent may be shown unblurred.
    #[default]
    Team,
    /// Faces are always blurred.
    Public,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum Lang {
    #[default]
    Id,
    En,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChatPolicy {
    pub mode: Mode,
    pub untagged: Untagged,
    pub kind: ChatKind,
    pub lang: Lang,
    /// Days between scheduled reminders; `None` is off.
    pub remind_days: Option<u32>,
}

impl Default for ChatPolicy {
    fn default() -> Self {
        Self {
            mode: Mode::Enforce,
            untagged: Untagged::Blur,
            kind: ChatKind::Team,
            lang: Lang::Id,
            remind_days: Some(7),
        }
    }
}

impl Mode {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Enforce => "enforce",
            Self::Observe => "observe",
        }
    }
    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "enforce" => Some(Self::Enforce),
            "observe" => Some(Self::Observe),
            _ => None,
        }
    }
}

impl Untagged {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Blur => "blur",
            Self::Block => "block",
        }
    }
    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "blur" => Some(Self::Blur),
            "block" => Some(Self::Block),
            _ => None,
        }
    }
}

impl ChatKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Team => "team",
            Self::Public => "public",
        }
    }
    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "team" => Some(Self::Team),
            "public" => Some(Self::Public),
            _ => None,
        }
    }
}

impl Lang {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Id => "id",
            Self::En => "en",
        }
    }
    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "id" => Some(Self::Id),
            "en" => Some(Self::En),
            _ => None,
        }
    }
}
