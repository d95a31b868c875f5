//! Identifiers of people and chats as the core sees them: plain numbers from
//! whatever chat platform the adapter speaks, wrapped so they cannot be mixed.

use serde::{Deserialize, Serialize};

/// Where the core ids the store assigns to a platform's string ids (WhatsApp's
/// `...@c.us`, `...@g.us`, message ids) begin: 2^60. Telegram's ids stay
/// within 52 bits (positive users, negative groups), so the two never meet.
pub const PLATFORM_ID_BASE: i64 = 1 << 60;

/// A chat platform's user id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct UserId(pub i64);

/// A chat platform's chat id (groups are negative on Telegram).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct ChatId(pub i64);

/// Whose id a core id is: Telegram's own, or one the store mapped from
/// another platform's string id (at [`PLATFORM_ID_BASE`] and above). What
/// runs on a timer for every chat (the reminders) asks it, so each adapter
/// speaks only in its own chats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum IdSpace {
    Telegram,
    Mapped,
}

impl ChatId {
    pub fn space(self) -> IdSpace {
        match self.0 >= PLATFORM_ID_BASE {
            true => IdSpace::Mapped,
            false => IdSpace::Telegram,
        }
    }
}

impl UserId {
    /// As [`ChatId::space`]: a person mapped from another platform's id is
    /// told on that platform.
    pub fn space(self) -> IdSpace {
        ChatId(self.0).space()
    }
}

/// A message's id within its chat.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct MessageId(pub i64);

/// A row id in the store (consent records, shares, quarantine items).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct RecordId(pub i64);

macro_rules! display_inner {
    ($($t:ty),*) => {$(
        impl std::fmt::Display for $t {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                write!(f, "{}", self.0)
            }
        }
    )*};
}
display_inner!(UserId, ChatId, MessageId, RecordId);
