//! Time as the core sees it: an instant plus the agency's local date, since
//! consent runs by calendar day where the agency works, not by UTC.

use chrono::{DateTime, FixedOffset, NaiveDate, Utc};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Moment {
    pub now: DateTime<Utc>,
    pub today: NaiveDate,
}

impl Moment {
    pub fn new(now: DateTime<Utc>, offset: FixedOffset) -> Self {
        Self {
            now,
            today: now.with_timezone(&offset).date_naive(),
        }
    }
}

/// Where the guard gets the time; tests inject a fixed one.
pub trait Clock: Send + Sync + 'static {
    fn now(&self) -> Moment;
    /// The agency's offset from UTC, for a local hour (the expiry digest's).
    fn offset(&self) -> FixedOffset {
        FixedOffset::east_opt(0).expect("zero is a valid offset")
    }
}

/// The wall clock, read in the agency's time zone.
pub struct SystemClock {
    pub offset: FixedOffset,
}

impl Clock for SystemClock {
    fn now(&self) -> Moment {
        Moment::new(Utc::now(), self.offset)
    }
    fn offset(&self) -> FixedOffset {
        self.offset
    }
}

/// A clock stuck at one moment, for tests and replays.
pub struct FixedClock(pub Moment);

impl Clock for FixedClock {
    fn now(&self) -> Moment {
        self.0
    }
}

/// The wall clock moved by a fixed amount, read in the agency's time zone:
/// `CLOCK_START` for drills and end-to-end tests (a deadline or a digest
/// hour reached without waiting for it). Time still runs.
pub struct ShiftedClock {
    pub offset: FixedOffset,
    pub shift: chrono::Duration,
}

impl Clock for ShiftedClock {
    fn now(&self) -> Moment {
        Moment::new(Utc::now() + self.shift, self.offset)
    }
    fn offset(&self) -> FixedOffset {
        self.offset
    }
}
