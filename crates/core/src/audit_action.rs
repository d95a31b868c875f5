//! Every action the audit log records, as one enum, so a call site cannot
//! misspell one. The stored strings are fixed: the audit chain MACs them and
//! readers (`audit verify`, the CSV, the tests) match on them.

use crate::{ReviewAction, Verdict};

/// What an audit entry says happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuditAction {
    /// A checked photo's verdict; `observed` when the chat only logs.
    Share {
        verdict: Verdict,
        observed: bool,
    },
    /// A photo removed (or, observed, left) without being checked.
    ShareUnchecked {
        observed: bool,
    },
    /// A photo that should have gone but could not be deleted.
    ShareUndeletable,
    /// The bot's standing in a chat changed.
    ChatBotStatus,
    /// A group became a supergroup under a new id.
    ChatMigrated,
    ConsentRecorded,
    ConsentWithdrawn,
    RoleGranted,
    RoleUngranted,
    PolicySet,
    /// A command refused for want of a role.
    CommandDenied,
    ReportMade,
    /// A review button press, allowed or not.
    Review(ReviewAction),
    QuarantinePurged,
    /// Issue 23: a message showing a client taken down after consent changed.
    ConsentTakedown,
    /// Issue 23: an allowed original replaced by a blurred copy (a downgrade).
    ConsentReblurred,
    /// Issue 23: a message that should come down, left for the chat's admins.
    ConsentTakedownLeft,
    /// Issue 23: the expiry digest went to a coordinator.
    DigestSent,
    /// Issue 23: a client's data handed out (`/subject`).
    SubjectExported,
    /// Issue 23: a client's data erased (`/erase`).
    SubjectErased,
    /// Issue 23: a breach opened (`/report` or `/breach`).
    BreachOpened,
    /// Issue 23: a breach deadline reminder sent.
    BreachReminded,
    /// Issue 23: a breach notice drafted.
    BreachDrafted,
}

impl AuditAction {
    /// The dotted name stored in the log.
    pub fn as_str(self) -> &'static str {
        use AuditAction::*;
        match self {
            Share { verdict, observed } => share(verdict, observed),
            ShareUnchecked { observed: false } => "share.unchecked",
            ShareUnchecked { observed: true } => "share.unchecked.observed",
            ShareUndeletable => "share.undeletable",
            ChatBotStatus => "chat.bot_status",
            ChatMigrated => "chat.migrated",
            ConsentRecorded => "consent.recorded",
            ConsentWithdrawn => "consent.withdrawn",
            RoleGranted => "role.granted",
            RoleUngranted => "role.ungranted",
            PolicySet => "policy.set",
            CommandDenied => "command.denied",
            ReportMade => "report.made",
            Review(action) => review(action),
            QuarantinePurged => "quarantine.purged",
            ConsentTakedown => "consent.takedown",
            ConsentReblurred => "consent.reblurred",
            ConsentTakedownLeft => "consent.takedown_left",
            DigestSent => "digest.sent",
            SubjectExported => "subject.exported",
            SubjectErased => "subject.erased",
            BreachOpened => "breach.opened",
            BreachReminded => "breach.reminded",
            BreachDrafted => "breach.drafted",
        }
    }

    /// The action a stored name stands for; `None` for a name we never write.
    pub fn parse(raw: &str) -> Option<Self> {
        Self::all().into_iter().find(|a| a.as_str() == raw)
    }

    /// Every action there is (for `parse` and the round-trip test).
    pub fn all() -> Vec<Self> {
        use AuditAction::*;
        let mut out = Vec::new();
        for verdict in [Verdict::Allow, Verdict::Blur, Verdict::Block] {
            for observed in [false, true] {
                out.push(Share { verdict, observed });
            }
        }
        out.extend([
            ShareUnchecked { observed: false },
            ShareUnchecked { observed: true },
            ShareUndeletable,
            ChatBotStatus,
            ChatMigrated,
            ConsentRecorded,
            ConsentWithdrawn,
            RoleGranted,
            RoleUngranted,
            PolicySet,
            CommandDenied,
            ReportMade,
            QuarantinePurged,
            ConsentTakedown,
            ConsentReblurred,
            ConsentTakedownLeft,
            DigestSent,
            SubjectExported,
            SubjectErased,
            BreachOpened,
            BreachReminded,
            BreachDrafted,
        ]);
        out.extend(ReviewAction::ALL.map(Review));
        out
    }
}

fn share(verdict: Verdict, observed: bool) -> &'static str {
    match (verdict, observed) {
        (Verdict::Allow, false) => "share.allow",
        (Verdict::Allow, true) => "share.allow.observed",
        (Verdict::Blur, false) => "share.blur",
        (Verdict::Blur, true) => "share.blur.observed",
        (Verdict::Block, false) => "share.block",
        (Verdict::Block, true) => "share.block.observed",
    }
}

fn review(action: ReviewAction) -> &'static str {
    match action {
        ReviewAction::View => "review.view",
        ReviewAction::ReleaseBlurred => "review.release_blurred",
        ReviewAction::ReleaseOriginal => "review.release_original",
        ReviewAction::Discard => "review.discard",
    }
}

impl std::fmt::Display for AuditAction {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_audit_action_round_trips_through_its_stored_name() {
        // Issue 18: the typed actions read back as themselves.
        let all = AuditAction::all();
        for action in &all {
            assert_eq!(AuditAction::parse(action.as_str()), Some(*action));
        }
        let mut names: Vec<&str> = all.iter().map(|a| a.as_str()).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), all.len(), "two actions share a stored name");
    }

    #[test]
    fn stored_audit_names_are_the_ones_written_before_the_enum() {
        // Issue 18: the chain MACs these strings; a rename breaks old logs.
        let share = |verdict, observed| AuditAction::Share { verdict, observed };
        assert_eq!(share(Verdict::Block, false).as_str(), "share.block");
        assert_eq!(share(Verdict::Blur, true).as_str(), "share.blur.observed");
        let unchecked = AuditAction::ShareUnchecked { observed: true };
        assert_eq!(unchecked.as_str(), "share.unchecked.observed");
        let discard = AuditAction::Review(ReviewAction::Discard);
        assert_eq!(discard.as_str(), "review.discard");
        assert_eq!(
            AuditAction::Review(ReviewAction::ReleaseOriginal).as_str(),
            format!("review.{}", ReviewAction::ReleaseOriginal.code())
        );
        assert_eq!(AuditAction::ChatBotStatus.as_str(), "chat.bot_status");
        assert_eq!(AuditAction::parse("share.blocked"), None);
    }
}
