//! The rule that gives a client's current consent at an instant.
//!
//! Newest record first, skipping grants whose first day has not come yet
//! (a renewal recorded ahead of time does not cut the running consent short).
//! The first record that has started decides: a withdrawal means none, an
//! expired grant means none, otherwise that grant is in force. A newer record
//! always supersedes an older one once it has started, so an expired renewal
//! never revives an older, broader grant: the safe reading.

use serde::Serialize;

use crate::{ConsentEvent, ConsentLevel, ConsentRecord, Moment, RecordId};

/// A client's consent as the policy sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum CurrentConsent {
    /// A grant is in force (its level may be `Refused`).
    InForce {
        record: RecordId,
        level: ConsentLevel,
    },
    /// The governing grant's last day has passed.
    Expired { record: RecordId },
    /// The governing record is a withdrawal.
    Withdrawn { record: RecordId },
    /// No record has started yet.
    None,
}

impl CurrentConsent {
    /// The record this state relies on, if any.
    pub fn record(&self) -> Option<RecordId> {
        match self {
            Self::InForce { record, .. }
            | Self::Expired { record }
            | Self::Withdrawn { record } => Some(*record),
            Self::None => None,
        }
    }
}

/// `history` in any order. Records made after `at.now` are not yet known.
pub fn current_consent(history: &[ConsentRecord], at: Moment) -> CurrentConsent {
    let today = at.today;
    let mut newest_first: Vec<&ConsentRecord> = history.iter().collect();
    newest_first.sort_by_key(|r| std::cmp::Reverse((r.recorded_at, r.id)));
    for record in newest_first {
        if record.recorded_at > at.now {
            continue;
        }
        match &record.event {
            ConsentEvent::Withdrawn { .. } => {
                return CurrentConsent::Withdrawn { record: record.id }
            }
            ConsentEvent::Granted(grant) if grant.valid_from > today => continue,
            ConsentEvent::Granted(grant) => {
                if grant.valid_until.is_some_and(|until| until < today) {
                    return CurrentConsent::Expired { record: record.id };
                }
                return CurrentConsent::InForce {
                    record: record.id,
                    level: grant.level,
                };
            }
        }
    }
    CurrentConsent::None
}

#[cfg(test)]
#[path = "current_tests.rs"]
mod tests;
