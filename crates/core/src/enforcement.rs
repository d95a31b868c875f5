//! Acting on a verdict as a recorded sequence of steps, one record per
//! message: decided → original deleted → copy posted or sender told → admins
//! alerted. Each step is written down once done, so a restart resumes at the
//! next step and never checks the photo again, and never does a step twice.
//!
//! A message can change (an edit of its caption or media): each state is
//! carried by a later update, so the update id orders the states. What "the
//! later state wins" means for each pair of verdicts is [`after`]'s table.

use crate::{ChatId, MessageId, Reason, RecordId, Verdict};

/// The last step done for a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Step {
    /// Checked and recorded (share, audit, quarantine, the sealed copy).
    Decided,
    /// The delete of the original was tried; `Enforcement::removal` says how it went.
    Deleted,
    /// The blurred copy was posted, or the sender was told of the block.
    Delivered,
    /// The admins were alerted, or nothing more was needed.
    Done,
}

impl Step {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Decided => "decided",
            Self::Deleted => "deleted",
            Self::Delivered => "delivered",
            Self::Done => "done",
        }
    }
    pub fn parse(raw: &str) -> Option<Self> {
        [Self::Decided, Self::Deleted, Self::Delivered, Self::Done]
            .into_iter()
            .find(|s| s.as_str() == raw)
    }
}

/// How deleting the original went.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Removal {
    Removed,
    /// Already gone: someone else deleted it.
    AlreadyGone,
    /// The bot may not delete it.
    NotAllowed,
}

impl Removal {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Removed => "removed",
            Self::AlreadyGone => "already_gone",
            Self::NotAllowed => "not_allowed",
        }
    }
    pub fn parse(raw: &str) -> Option<Self> {
        [Self::Removed, Self::AlreadyGone, Self::NotAllowed]
            .into_iter()
            .find(|s| s.as_str() == raw)
    }
}

/// What is being done about one message, and how far it got.
#[derive(Debug, Clone, PartialEq)]
pub struct Enforcement {
    pub chat: ChatId,
    pub message: MessageId,
    /// The update that carried the state judged; a later update is a later state.
    pub update: i64,
    pub verdict: Verdict,
    pub enforced: bool,
    pub reason: Reason,
    pub share: RecordId,
    pub quarantine: Option<RecordId>,
    pub step: Step,
    pub removal: Option<Removal>,
    /// The bot's blurred copy in the chat: posted for a blur, still to be
    /// removed for a block that replaced a blur.
    pub copy_message: Option<MessageId>,
}

impl Enforcement {
    /// Whether the bot has taken the original out of the chat.
    pub fn original_removed(&self) -> bool {
        self.step >= Step::Deleted && self.removal == Some(Removal::Removed)
    }

    fn blocked(&self) -> bool {
        self.enforced && self.verdict == Verdict::Block
    }
}

/// Where an update stands against what was already recorded for its message.
#[derive(Debug, PartialEq)]
pub enum Before<'a> {
    /// Nothing recorded: check it.
    Nothing,
    /// This very state was decided (a replay): resume its steps, no check.
    Resume,
    /// A later state was already judged: this one is out of date.
    Stale,
    /// The message was blocked: it stays blocked whatever it became; the
    /// admins decide in review.
    Blocked,
    /// An earlier state was judged: check this one, then see [`after`].
    Earlier(&'a Enforcement),
}

pub fn before(recorded: Option<&Enforcement>, update: i64) -> Before<'_> {
    let Some(rec) = recorded else {
        return Before::Nothing;
    };
    match rec.update.cmp(&update) {
        std::cmp::Ordering::Equal => Before::Resume,
        std::cmp::Ordering::Greater => Before::Stale,
        std::cmp::Ordering::Less if rec.blocked() => Before::Blocked,
        std::cmp::Ordering::Less => Before::Earlier(rec),
    }
}

/// What a newly judged state does to the earlier one.
#[derive(Debug, PartialEq, Eq)]
pub enum After {
    /// Nothing was done in the chat yet (or nothing was to be done): the new
    /// state's steps run as if it were the first.
    Replace,
    /// The original is gone and a blurred copy stands or is on its way, and
    /// the new state is blocked: the copy is removed, the sender told, the
    /// admins alerted.
    Escalate,
    /// The original is gone and the new state asks no more than a blur: the
    /// earlier work stands (and is finished) under the new update.
    Adopt,
}

/// The table: an earlier allow, observed or undeleted state is replaced;
/// once the original was removed for a blur, a later block escalates and
/// anything milder adopts the blur (a removed photo cannot come back).
pub fn after(earlier: &Enforcement, verdict: Verdict, enforced: bool) -> After {
    if !earlier.original_removed() {
        return After::Replace;
    }
    match enforced && verdict == Verdict::Block {
        true => After::Escalate,
        false => After::Adopt,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rec(verdict: Verdict, step: Step, removal: Option<Removal>) -> Enforcement {
        Enforcement {
            chat: ChatId(-1),
            message: MessageId(7),
            update: 10,
            verdict,
            enforced: true,
            reason: Reason::NoFaces,
            share: RecordId(1),
            quarantine: None,
            step,
            removal,
            copy_message: None,
        }
    }

    #[test]
    fn an_update_is_placed_against_the_state_recorded_for_its_message() {
        // Issue 17.7: the update id orders a message's states.
        let blur = rec(Verdict::Blur, Step::Done, Some(Removal::Removed));
        assert_eq!(before(None, 10), Before::Nothing);
        assert_eq!(before(Some(&blur), 10), Before::Resume);
        assert_eq!(before(Some(&blur), 9), Before::Stale);
        assert_eq!(before(Some(&blur), 11), Before::Earlier(&blur));
        let block = rec(Verdict::Block, Step::Decided, None);
        assert_eq!(before(Some(&block), 11), Before::Blocked);
    }

    #[test]
    fn a_later_block_escalates_a_blur_whose_original_is_gone_and_milder_states_adopt_it() {
        // Issue 17.7: the later state wins, but a removed photo never comes back.
        let posted = rec(Verdict::Blur, Step::Done, Some(Removal::Removed));
        assert_eq!(after(&posted, Verdict::Block, true), After::Escalate);
        assert_eq!(after(&posted, Verdict::Allow, true), After::Adopt);
        assert_eq!(after(&posted, Verdict::Blur, true), After::Adopt);
        assert_eq!(after(&posted, Verdict::Block, false), After::Adopt);
        let undeleted = rec(Verdict::Blur, Step::Decided, None);
        assert_eq!(after(&undeleted, Verdict::Block, true), After::Replace);
        let allowed = rec(Verdict::Allow, Step::Done, None);
        assert_eq!(after(&allowed, Verdict::Block, true), After::Replace);
        let gone = rec(Verdict::Blur, Step::Done, Some(Removal::AlreadyGone));
        assert_eq!(after(&gone, Verdict::Blur, true), After::Replace);
    }
}
