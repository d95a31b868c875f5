//! The per-process state the intake needs, behind one owner: which jobs
//! this process holds (so a shutdown knows what it waits for) and which
//! chats it already warned that the bot cannot delete there. What several
//! replicas must agree on (a job taken by one only, one chat's work in
//! order, an edit after its original) is the job queue's (issue 21:
//! `Updates`, the store's `JobQueue`), not this.

use crate::ChatId;

pub trait WorkState: Send + Sync {
    /// Notes a job this process took; false if it already held it.
    fn begin(&self, update: i64) -> bool;
    fn end(&self, update: i64);
    /// How many jobs this process holds.
    fn in_hand_count(&self) -> usize;
    /// Marks the chat warned about missing rights; true if it had not been.
    fn first_warning(&self, chat: ChatId) -> bool;
    /// The bot guards the chat again: a later loss of the right is warned anew.
    fn forget_warning(&self, chat: ChatId);
}

pub use crate::work_local::LocalWork;
