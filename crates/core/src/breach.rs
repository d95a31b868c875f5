//! Breaches (issue 23, UU PDP Art. 46): an incident opened by `/report` or an
//! admin's `/breach`, its 3x24 hour deadline for the written notice, the
//! reminders at 24 h and 60 h, and the notice's draft.

use chrono::{DateTime, Duration, FixedOffset, Utc};
use serde::{Deserialize, Serialize};

use crate::{ChatId, ClientCode, MessageId, UserId};

/// The notice is due this long after the incident is opened.
pub const NOTICE_WITHIN_HOURS: i64 = 72;
/// Reminders go out this long after opening, in order.
pub const REMINDERS_AT_HOURS: [i64; 2] = [24, 60];

/// An incident to open.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewIncident {
    pub opened_at: DateTime<Utc>,
    pub opened_by: UserId,
    /// The chat and message reported, for `/report`.
    pub chat: Option<ChatId>,
    pub message: Option<MessageId>,
    /// What happened, as written (kept sealed by the store).
    pub description: String,
    /// Clients concerned, by code.
    pub clients: Vec<ClientCode>,
}

/// A stored incident.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Incident {
    pub id: i64,
    pub opened_at: DateTime<Utc>,
    pub opened_by: UserId,
    pub chat: Option<ChatId>,
    pub message: Option<MessageId>,
    pub description: String,
    pub clients: Vec<ClientCode>,
    /// Reminders sent so far (0, 1 or 2).
    pub reminders: u32,
}

impl Incident {
    pub fn due(&self) -> DateTime<Utc> {
        self.opened_at + Duration::hours(NOTICE_WITHIN_HOURS)
    }

    /// The reminder due at `now`, if any: how many will have gone out once it
    /// is sent, and the hours left. After a long stop only the latest one
    /// due is sent, never a burst.
    pub fn reminder_due(&self, now: DateTime<Utc>) -> Option<(u32, i64)> {
        let reached = REMINDERS_AT_HOURS
            .iter()
            .filter(|h| now >= self.opened_at + Duration::hours(**h))
            .count() as u32;
        if reached <= self.reminders || now >= self.due() {
            return None;
        }
        let left = ((self.due() - now).num_minutes() + 59) / 60;
        Some((reached, left))
    }
}

/// The notice, drafted for the agency to complete and send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Draft {
    pub id: i64,
    pub what: String,
    /// When it happened, as far as known.
    pub when: String,
    pub opened: String,
    pub clients: Vec<ClientCode>,
    pub done: Vec<String>,
    pub due: String,
}

/// A time in the agency's zone, as the notices and reminders write it.
pub fn local_time(at: DateTime<Utc>, offset: FixedOffset) -> String {
    at.with_timezone(&offset)
        .format("%Y-%m-%d %H:%M (UTC%:z)")
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn incident(reminders: u32) -> Incident {
        Incident {
            id: 1,
            opened_at: Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap(),
            opened_by: UserId(1),
            chat: None,
            message: None,
            description: "x".into(),
            clients: Vec::new(),
            reminders,
        }
    }

    #[test]
    fn reminders_fall_due_at_24_and_60_hours_once_each() {
        // Issue 23: the admins are reminded at 24 h and 60 h of the 72.
        let opened = incident(0).opened_at;
        let at = |h: i64| opened + Duration::hours(h);
        assert_eq!(incident(0).reminder_due(at(23)), None);
        assert_eq!(incident(0).reminder_due(at(24)), Some((1, 48)));
        assert_eq!(incident(1).reminder_due(at(59)), None);
        assert_eq!(incident(1).reminder_due(at(60)), Some((2, 12)));
        assert_eq!(
            incident(0).reminder_due(at(61)),
            Some((2, 11)),
            "only the latest"
        );
        assert_eq!(incident(2).reminder_due(at(70)), None);
        assert_eq!(incident(0).reminder_due(at(73)), None, "past the deadline");
    }
}
