//! The bot's standing in a chat, as any platform reports it: what the
//! core decides on when it changes (`services/chats.rs`).

/// What the bot can do in a chat.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Standing {
    /// The owner, or an admin with the right to delete messages.
    Guarding,
    /// In the chat, but unable to delete other people's messages.
    Unguarded,
    /// Not in the chat (left, removed or banned).
    Absent,
}

impl Standing {
    /// As the audit entry's detail and the logs name it.
    pub fn code(self) -> &'static str {
        match self {
            Self::Guarding => "guarding",
            Self::Unguarded => "unguarded",
            Self::Absent => "absent",
        }
    }
}
