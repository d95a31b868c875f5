//! The consent book on the in-memory fake: what each command records, what
//! it reports, and the "expiring within 30 days" rule.

use std::sync::atomic::Ordering;
use std::sync::Arc;

use chrono::NaiveDate;

use super::*;
use crate::command::{parse, Command};
use crate::services::fakes::{caller, moment, trail, MemStore};

fn book() -> (ConsentBook, Arc<MemStore>) {
    let store = Arc::new(MemStore::default());
    (ConsentBook::new(store.clone(), trail(&store)), store)
}

fn args(text: &str) -> ConsentArgs {
    match parse(text, "bot") {
        Some(Ok(Command::Consent(a))) => a,
        other => panic!("{text:?} parsed as {other:?}"),
    }
}

fn code(raw: &str) -> ClientCode {
    ClientCode::parse(raw).unwrap()
}

#[tokio::test]
async fn recording_consent_appends_the_record_and_its_audit_entry() {
    // Issue 18: the consent book, not the adapter, writes the record and its audit entry.
    let (book, store) = book();
    let done = book
        .record(caller(), &args("/consent KLN1 blurred"))
        .await
        .unwrap();
    assert_eq!(
        done,
        Recorded::Recorded {
            record: RecordId(1)
        }
    );
    assert_eq!(store.actions(), ["consent.recorded"]);
    let event = store.audit.lock().unwrap()[0].clone();
    assert_eq!(
        (event.actor, event.chat),
        (Some(caller().user), Some(caller().chat))
    );
    assert!(
        event.detail.contains("\"level\":\"blurred\""),
        "{}",
        event.detail
    );
}

#[tokio::test]
async fn consent_until_a_past_day_records_nothing() {
    // Issue 18: a consent expired on arrival is refused before the store is touched.
    let (book, store) = book();
    let done = book
        .record(caller(), &args("/consent KLN1 full until=2026-11-25"))
        .await
        .unwrap();
    assert_eq!(done, Recorded::UntilInPast);
    assert!(store.consents.lock().unwrap().is_empty());
    assert!(store.actions().is_empty());
}

#[tokio::test]
async fn withdrawing_an_unknown_client_records_nothing() {
    // Issue 18: /withdraw of a code never registered changes nothing.
    let (book, store) = book();
    let done = book.withdraw(caller(), &code("KLN9"), None).await.unwrap();
    assert_eq!(done, Withdrawal::UnknownClient);
    assert!(store.actions().is_empty());
}

#[tokio::test]
async fn a_withdrawn_client_shows_withdrawn_with_its_reason_first_in_history() {
    // Issue 18: state and history lines come from the core, newest first.
    let (book, store) = book();
    let _ = book
        .record(caller(), &args("/consent KLN1 full"))
        .await
        .unwrap();
    let done = book
        .withdraw(caller(), &code("KLN1"), Some("keluarga meminta".into()))
        .await
        .unwrap();
    assert_eq!(
        done,
        Withdrawal::Withdrawn {
            record: RecordId(2)
        }
    );
    assert_eq!(store.actions(), ["consent.recorded", "consent.withdrawn"]);
    let view = book.client(&code("KLN1")).await.unwrap().unwrap();
    assert_eq!(view.state, ClientState::Withdrawn);
    assert_eq!(view.lines[0].what, "withdrawn: keluarga meminta");
    assert_eq!(view.lines[0].when, "#2 2026-11-26 05:00 UTC (user 7)");
    assert_eq!(view.lines[1].what, "full by=client from=2026-11-26");
    assert!(book.client(&code("KLN2")).await.unwrap().is_none());
}

#[tokio::test]
async fn every_client_is_listed_with_its_state_and_thirty_days_is_expiring_soon() {
    // Issue 18: the "expiring within 30 days" rule, at its edge.
    let (book, _store) = book();
    for text in [
        "/consent KLN3 full until=2026-12-26",
        "/consent KLN2 blurred until=2026-12-27",
        "/consent KLN1 refused",
    ] {
        let _ = book.record(caller(), &args(text)).await.unwrap();
    }
    let rows = book.clients().await.unwrap();
    let want = [
        (code("KLN1"), ClientState::Refused),
        (code("KLN2"), ClientState::InForce),
        (code("KLN3"), ClientState::ExpiringSoon),
    ];
    assert_eq!(rows, want);
}

#[test]
fn consent_past_its_last_day_is_expired() {
    // Issue 18: state_of reads the current consent at the clock's day.
    let grant = crate::Grant {
        level: ConsentLevel::Full,
        purpose: None,
        given_by: crate::GivenBy::Client,
        evidence: None,
        valid_from: NaiveDate::from_ymd_opt(2025, 1, 1).unwrap(),
        valid_until: NaiveDate::from_ymd_opt(2026, 11, 25),
    };
    let record = ConsentRecord {
        id: RecordId(1),
        client: code("KLN1"),
        event: ConsentEvent::Granted(grant),
        recorded_by: crate::UserId(7),
        recorded_at: moment().now,
    };
    assert_eq!(state_of(&[record], moment()), ClientState::Expired);
}

#[tokio::test]
async fn a_broken_store_is_an_error_not_an_outcome() {
    // Issue 18: the adapter answers "try again later" on this, never "recorded".
    let (book, store) = book();
    store.broken.store(true, Ordering::SeqCst);
    assert!(book
        .record(caller(), &args("/consent KLN1 full"))
        .await
        .is_err());
    assert!(book.clients().await.is_err());
}
