//! Taking shares down on the in-memory fake: which messages a change of
//! consent concerns, and that every removal is audited with its record.

use std::sync::Arc;

use chrono::Duration;

use super::*;
use crate::services::fakes::{caller, moment, trail, MemStore};
use crate::services::{ConsentBook, Withdrawal};
use crate::{ChatId, ConsentEvent, GivenBy, Grant, NewConsent, UserId};

fn code(raw: &str) -> ClientCode {
    ClientCode::parse(raw).unwrap()
}

fn shown(message: i64, kind: ShownKind, verdict: Verdict, hours_ago: i64) -> Shown {
    Shown {
        chat: ChatId(-100),
        message: MessageId(message),
        kind,
        share: RecordId(message),
        verdict,
        tags: vec![code("KLN1")],
        faces: 2,
        at: moment().now - Duration::hours(hours_ago),
    }
}

async fn grant(store: &MemStore, level: ConsentLevel) -> RecordId {
    let grant = Grant {
        level,
        purpose: None,
        given_by: GivenBy::Client,
        evidence: None,
        valid_from: moment().today,
        valid_until: None,
    };
    let record = NewConsent {
        client: code("KLN1"),
        event: ConsentEvent::Granted(grant),
        recorded_by: UserId(7),
        recorded_at: moment().now,
    };
    store.append_consent(record).await.unwrap().id
}

fn takedowns(store: &Arc<MemStore>) -> Takedowns {
    Takedowns::new(store.clone(), store.clone(), trail(store))
}

#[tokio::test]
async fn a_withdrawal_plans_every_message_showing_the_client_and_lists_the_old_ones() {
    // Issue 23: withdrawal takes down originals and copies; past 48 h they are listed.
    let store = Arc::new(MemStore::default());
    grant(&store, ConsentLevel::Full).await;
    *store.time.shown.lock().unwrap() = vec![
        shown(1, ShownKind::Original, Verdict::Allow, 2),
        shown(2, ShownKind::Copy, Verdict::Blur, 5),
        shown(3, ShownKind::Original, Verdict::Allow, 49),
    ];
    let book = ConsentBook::new(store.clone(), trail(&store));
    let Withdrawal::Withdrawn { record } =
        book.withdraw(caller(), &code("KLN1"), None).await.unwrap()
    else {
        panic!("not withdrawn")
    };
    let plan = takedowns(&store)
        .plan(&code("KLN1"), record)
        .await
        .unwrap()
        .unwrap();
    let ids = |v: &[Shown]| v.iter().map(|s| s.message.0).collect::<Vec<_>>();
    assert_eq!(ids(&plan.remove), [1, 2]);
    assert_eq!(ids(&plan.too_old), [3]);
    assert!(plan.reblur.is_empty());
    assert_eq!(plan.record, record);
}

#[tokio::test]
async fn a_downgrade_from_full_to_blurred_reblurs_only_allowed_originals_with_faces() {
    // Issue 23: full -> blurred replaces allowed originals; copies and faceless photos stay.
    let store = Arc::new(MemStore::default());
    grant(&store, ConsentLevel::Full).await;
    let mut faceless = shown(3, ShownKind::Original, Verdict::Allow, 1);
    faceless.faces = 0;
    *store.time.shown.lock().unwrap() = vec![
        shown(1, ShownKind::Original, Verdict::Allow, 2),
        shown(2, ShownKind::Copy, Verdict::Blur, 2),
        faceless,
    ];
    let record = grant(&store, ConsentLevel::Blurred).await;
    let plan = takedowns(&store)
        .plan(&code("KLN1"), record)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(plan.reblur.len(), 1);
    assert_eq!(plan.reblur[0].message, MessageId(1));
    assert!(plan.remove.is_empty() && plan.too_old.is_empty());
}

#[tokio::test]
async fn a_grant_that_narrows_nothing_plans_nothing() {
    // Issue 23: blurred -> full, or a first grant, takes nothing down.
    let store = Arc::new(MemStore::default());
    grant(&store, ConsentLevel::Blurred).await;
    *store.time.shown.lock().unwrap() = vec![shown(1, ShownKind::Copy, Verdict::Blur, 1)];
    let record = grant(&store, ConsentLevel::Full).await;
    assert_eq!(
        takedowns(&store).plan(&code("KLN1"), record).await.unwrap(),
        None
    );
}

#[tokio::test]
async fn a_removal_is_audited_with_the_record_it_followed_and_not_planned_again() {
    // Issue 23: every removal is in the audit log with its consent record.
    let store = Arc::new(MemStore::default());
    grant(&store, ConsentLevel::Full).await;
    *store.time.shown.lock().unwrap() = vec![shown(1, ShownKind::Original, Verdict::Allow, 1)];
    let record = grant(&store, ConsentLevel::Refused).await;
    let service = takedowns(&store);
    let plan = service.plan(&code("KLN1"), record).await.unwrap().unwrap();
    service
        .removed(caller(), &plan, &plan.remove[0])
        .await
        .unwrap();
    let audit = store.audit.lock().unwrap().clone();
    let entry = audit
        .iter()
        .find(|e| e.action == "consent.takedown")
        .unwrap();
    let detail: serde_json::Value = serde_json::from_str(&entry.detail).unwrap();
    assert_eq!(detail["record"], record.0);
    assert_eq!(detail["message"], 1);
    let again = service.plan(&code("KLN1"), record).await.unwrap().unwrap();
    assert!(again.is_empty());
}
