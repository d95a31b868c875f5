//! The current-consent rule over time.

use chrono::{NaiveDate, TimeZone, Utc};

use super::*;
use crate::{ClientCode, ConsentLevel, GivenBy, Grant, UserId};

fn day(d: &str) -> NaiveDate {
    NaiveDate::parse_from_str(d, "%Y-%m-%d").unwrap()
}

fn at(d: &str) -> Moment {
    let date = day(d);
    Moment {
        now: Utc.from_utc_datetime(&date.and_hms_opt(12, 0, 0).unwrap()),
        today: date,
    }
}

fn grant(
    id: i64,
    recorded: &str,
    level: ConsentLevel,
    from: &str,
    until: Option<&str>,
) -> ConsentRecord {
    let event = ConsentEvent::Granted(Grant {
        level,
        purpose: None,
        given_by: GivenBy::Guardian,
        evidence: None,
        valid_from: day(from),
        valid_until: until.map(day),
    });
    record(id, recorded, event)
}

fn record(id: i64, recorded: &str, event: ConsentEvent) -> ConsentRecord {
    ConsentRecord {
        id: RecordId(id),
        client: ClientCode::parse("KLN1").unwrap(),
        event,
        recorded_by: UserId(1),
        recorded_at: at(recorded).now,
    }
}

#[test]
fn consent_is_in_force_on_its_last_day_and_expired_the_day_after() {
    let h = [grant(
        1,
        "2026-01-01",
        ConsentLevel::Full,
        "2026-01-01",
        Some("2026-06-30"),
    )];
    assert_eq!(
        current_consent(&h, at("2026-06-30")),
        CurrentConsent::InForce {
            record: RecordId(1),
            level: ConsentLevel::Full
        }
    );
    assert_eq!(
        current_consent(&h, at("2026-07-01")),
        CurrentConsent::Expired {
            record: RecordId(1)
        }
    );
}

#[test]
fn withdrawal_ends_consent_and_a_later_renewal_restores_it() {
    let h = [
        grant(1, "2026-01-01", ConsentLevel::Full, "2026-01-01", None),
        record(2, "2026-02-01", ConsentEvent::Withdrawn { reason: None }),
        grant(3, "2026-03-01", ConsentLevel::Blurred, "2026-03-01", None),
    ];
    assert_eq!(
        current_consent(&h, at("2026-02-15")),
        CurrentConsent::Withdrawn {
            record: RecordId(2)
        }
    );
    assert_eq!(
        current_consent(&h, at("2026-03-02")),
        CurrentConsent::InForce {
            record: RecordId(3),
            level: ConsentLevel::Blurred
        }
    );
}

#[test]
fn a_renewal_recorded_ahead_of_time_does_not_cut_the_running_consent_short() {
    let h = [
        grant(
            1,
            "2026-01-01",
            ConsentLevel::Full,
            "2026-01-01",
            Some("2026-12-31"),
        ),
        grant(2, "2026-12-01", ConsentLevel::Blurred, "2027-01-01", None),
    ];
    assert_eq!(
        current_consent(&h, at("2026-12-15")).record(),
        Some(RecordId(1))
    );
    assert_eq!(
        current_consent(&h, at("2027-01-01")).record(),
        Some(RecordId(2))
    );
}

#[test]
fn an_expired_renewal_does_not_revive_an_older_broader_grant() {
    let h = [
        grant(1, "2026-01-01", ConsentLevel::Full, "2026-01-01", None),
        grant(
            2,
            "2026-02-01",
            ConsentLevel::Blurred,
            "2026-02-01",
            Some("2026-03-01"),
        ),
    ];
    assert_eq!(
        current_consent(&h, at("2026-04-01")),
        CurrentConsent::Expired {
            record: RecordId(2)
        }
    );
}

#[test]
fn no_record_yet_means_no_consent() {
    let h = [grant(
        1,
        "2026-05-01",
        ConsentLevel::Full,
        "2026-05-01",
        None,
    )];
    assert_eq!(current_consent(&h, at("2026-04-01")), CurrentConsent::None);
    assert_eq!(current_consent(&[], at("2026-04-01")), CurrentConsent::None);
}
