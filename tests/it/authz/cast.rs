//! Who acts, where, and what the matrix expects back.

use photo_guard_core::{ChatPolicy, Role};

use crate::support::*;

/// Not in the group; talks to the bot privately.
pub(super) const NOBODY: i64 = 2002;
/// The user /grant and /ungrant act on.
pub(super) const TARGET: i64 = 3001;
/// A client with consent, for /withdraw and /client.
pub(super) const KNOWN: &str = "AUTHZ_WD";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Who {
    None,
    Member,
    Coordinator,
    Admin,
}

impl Who {
    pub const ALL: [Who; 4] = [Who::None, Who::Member, Who::Coordinator, Who::Admin];

    pub fn user(self) -> i64 {
        match self {
            Who::None => NOBODY,
            Who::Member => ALICE,
            Who::Coordinator => COORDINATOR,
            Who::Admin => ADMIN,
        }
    }

    pub fn role(self) -> Option<Role> {
        match self {
            Who::None | Who::Member => None,
            Who::Coordinator => Some(Role::Coordinator),
            Who::Admin => Some(Role::Admin),
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Who::None => "Nobody",
            Who::Member => "Alice",
            Who::Coordinator => "Citra",
            Who::Admin => "Ade",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Where {
    Group,
    Private,
}

impl Where {
    pub fn chat(self, who: Who) -> i64 {
        match self {
            Where::Group => GROUP,
            Where::Private => who.user(),
        }
    }
}

/// What the answer in the chat must be.
#[derive(Debug, Clone)]
pub(super) enum Answer {
    /// Exactly one text message, this one.
    Is(String),
    /// One text message starting with this.
    StartsWith(String),
    /// One text message containing this.
    Contains(String),
    /// The review queue: one message per pending item, with its buttons.
    ReviewItem(i64),
    /// Only a document (the audit CSV), sent with content protection.
    Document,
    /// One text starting with this and one protected document (`/stats`
    /// and its chart, issue 23).
    TextAndDocument(String),
}

/// The change the command must make, if any.
#[derive(Debug, Clone)]
pub(super) enum Effect {
    Nothing,
    ClientRegistered(String),
    RecordAppended(String),
    RoleIs(i64, Option<Role>),
    GroupPolicy(ChatPolicy),
    AdminsTold,
}
