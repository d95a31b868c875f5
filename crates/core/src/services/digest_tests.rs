//! The expiry digest on the in-memory fake: who is due when, and what it
//! lists.

use std::sync::Arc;

use chrono::{Duration, TimeZone};

use super::*;
use crate::services::fakes::{moment, trail, MemStore};
use crate::{ConsentLevel, FixedClock, GivenBy, NewConsent};

/// 2026-11-26 at `hour`:00 UTC (the fake clock's zone).
fn at_hour(hour: u32) -> Moment {
    let now = Utc.with_ymd_and_hms(2026, 11, 26, hour, 0, 0).unwrap();
    Moment {
        now,
        today: now.date_naive(),
    }
}

fn digests(store: &Arc<MemStore>, now: Moment) -> Digests {
    let clock = Arc::new(FixedClock(now));
    Digests::new(
        store.clone(),
        store.clone(),
        store.clone(),
        clock,
        trail(store),
    )
}

async fn grant_until(store: &MemStore, code: &str, until_in_days: i64) {
    let grant = Grant {
        level: ConsentLevel::Blurred,
        purpose: Some("laporan".into()),
        given_by: GivenBy::Guardian,
        evidence: None,
        valid_from: moment().today - Duration::days(400),
        valid_until: Some(moment().today + Duration::days(until_in_days)),
    };
    let record = NewConsent {
        client: ClientCode::parse(code).unwrap(),
        event: ConsentEvent::Granted(grant),
        recorded_by: UserId(7),
        recorded_at: moment().now - Duration::days(400),
    };
    store.append_consent(record).await.unwrap();
}

#[tokio::test]
async fn a_consent_expiring_in_5_days_is_in_the_digest_with_its_renew_command() {
    // Issue 23: expiry is foreseen; the renew command is pre-filled.
    let store = Arc::new(MemStore::default());
    store.roles.lock().unwrap().insert(7, Role::Coordinator);
    grant_until(&store, "SOON5", 5).await;
    grant_until(&store, "LATER", 30).await;
    grant_until(&store, "GONE1", -1).await;
    let due = digests(&store, at_hour(9)).due(8).await.unwrap();
    assert_eq!(due.len(), 1);
    let (user, digest) = &due[0];
    assert_eq!(*user, UserId(7));
    let codes = |l: &[DigestLine]| l.iter().map(|d| d.code.to_string()).collect::<Vec<_>>();
    assert_eq!(codes(&digest.expiring), ["SOON5"]);
    assert_eq!(codes(&digest.expired), ["GONE1"]);
    let until = moment().today + Duration::days(5 + 365);
    assert_eq!(
        digest.expiring[0].renew,
        format!("/consent SOON5 blurred until={until} by=guardian purpose=\"laporan\"")
    );
}

#[tokio::test]
async fn the_digest_waits_for_its_hour_and_goes_once_a_day() {
    // Issue 23: one digest a day, at the configured local hour.
    let store = Arc::new(MemStore::default());
    store.roles.lock().unwrap().insert(7, Role::Coordinator);
    grant_until(&store, "SOON5", 5).await;
    assert!(digests(&store, at_hour(7)).due(8).await.unwrap().is_empty());
    let service = digests(&store, at_hour(8));
    let due = service.due(8).await.unwrap();
    assert_eq!(due.len(), 1);
    service.sent(due[0].0, &due[0].1).await.unwrap();
    assert!(digests(&store, at_hour(20))
        .due(8)
        .await
        .unwrap()
        .is_empty());
    assert!(store.actions().contains(&"digest.sent".to_owned()));
}

#[tokio::test]
async fn a_consent_that_expired_before_the_last_digest_is_not_repeated() {
    // Issue 23: "expired since the last digest", not every expired consent forever.
    let store = Arc::new(MemStore::default());
    store.roles.lock().unwrap().insert(7, Role::Coordinator);
    grant_until(&store, "GONE3", -3).await;
    let yesterday = at_hour(8).now - Duration::days(1);
    store.time.digests.lock().unwrap().insert(7, yesterday);
    let due = digests(&store, at_hour(9)).due(8).await.unwrap();
    assert!(due[0].1.expired.is_empty(), "{:?}", due[0].1);
}

#[tokio::test]
async fn the_digest_goes_out_in_the_language_its_coordinator_last_wrote_in() {
    // Issue 23: the digest was Indonesian only; an English-speaking coordinator reads English.
    let store = Arc::new(MemStore::default());
    let mapped = UserId(crate::PLATFORM_ID_BASE + 3);
    store.roles.lock().unwrap().insert(7, Role::Coordinator);
    store
        .roles
        .lock()
        .unwrap()
        .insert(mapped.0, Role::Coordinator);
    grant_until(&store, "SOON5", 5).await;
    let service = digests(&store, at_hour(9));
    service.wrote_in(UserId(7), Lang::En).await;
    let platform = crate::platform::fake::FakePlatform::default();
    service
        .send_due(&platform, IdSpace::Telegram, 8)
        .await
        .unwrap();
    let calls = platform.calls();
    let [crate::platform::fake::Call::TellUser(user, body)] = calls.as_slice() else {
        panic!("one digest, to the Telegram coordinator only: {calls:?}");
    };
    assert_eq!(*user, UserId(7));
    assert!(body.starts_with("📅 Consent digest"), "{body}");
    assert!(body.contains("/consent SOON5"), "{body}");
    assert_eq!(
        service.lang_of(mapped).await,
        Lang::Id,
        "Indonesian by default"
    );
    assert_eq!(
        service.due(8).await.unwrap().len(),
        1,
        "the other is still due"
    );
}
