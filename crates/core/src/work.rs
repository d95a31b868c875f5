//! The per-process state the intake needs, behind one owner: which updates
//! are in hand (so a retry sweep never doubles one and a shutdown knows what
//! it waits for), whose turn it is on each message (an edit waits for the
//! original's work), and which chats were already warned that the bot
//! cannot delete there. [`LocalWork`] keeps it in this process; several
//! replicas (the PostgreSQL issue) put a shared implementation behind the
//! same trait.

use async_trait::async_trait;

use crate::{ChatId, MessageId};

/// Holding this is having the message's turn; dropping it ends the turn.
#[must_use = "the turn ends when this is dropped"]
pub struct Turn(#[allow(dead_code)] Box<dyn Send + Sync>);

impl Turn {
    pub fn new(held: impl Send + Sync + 'static) -> Self {
        Self(Box::new(held))
    }
}

#[async_trait]
pub trait WorkState: Send + Sync {
    /// Marks the update in hand; false if it already was.
    fn begin(&self, update: i64) -> bool;
    fn end(&self, update: i64);
    /// Whether the update is in hand (true when it cannot be told: never double one).
    fn in_hand(&self, update: i64) -> bool;
    /// How many updates are in hand.
    fn in_hand_count(&self) -> usize;
    /// Waits until no other work on the message is running.
    async fn take_turn(&self, chat: ChatId, message: MessageId) -> Turn;
    /// Marks the chat warned about missing rights; true if it had not been.
    fn first_warning(&self, chat: ChatId) -> bool;
    /// The bot guards the chat again: a later loss of the right is warned anew.
    fn forget_warning(&self, chat: ChatId);
}

pub use crate::work_local::LocalWork;
