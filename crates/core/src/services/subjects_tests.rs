//! A client's data on the in-memory fake: the file holds that client's
//! records and shares only, with its due date; the erasure is audited.

use std::sync::Arc;

use chrono::Duration;

use super::*;
use crate::services::fakes::{caller, moment, trail, MemStore};
use crate::services::ConsentBook;
use crate::subject::SubjectShare;
use crate::{ChatId, MessageId, RecordId};

fn code(raw: &str) -> ClientCode {
    ClientCode::parse(raw).unwrap()
}

fn args(text: &str) -> crate::command::ConsentArgs {
    match crate::command::parse(text, "bot") {
        Some(Ok(crate::command::Command::Consent(a))) => a,
        other => panic!("{other:?}"),
    }
}

fn share(id: i64) -> SubjectShare {
    SubjectShare {
        share: RecordId(id),
        chat: ChatId(-1),
        message: MessageId(id),
        at: moment().now,
        verdict: "allow".into(),
        enforced: true,
        reason_code: "full_consent".into(),
    }
}

#[tokio::test]
async fn a_subject_file_holds_exactly_that_clients_records_and_shares_and_its_due_date() {
    // Issue 23: /subject lists one client's data, nothing of another's.
    let store = Arc::new(MemStore::default());
    let book = ConsentBook::new(store.clone(), trail(&store));
    let _ = book
        .record(caller(), &args("/consent KLN1 full"))
        .await
        .unwrap();
    let _ = book
        .record(caller(), &args("/consent OTHER2 blurred"))
        .await
        .unwrap();
    *store.time.subject_shares.lock().unwrap() =
        vec![(code("KLN1"), share(1)), (code("OTHER2"), share(2))];
    let subjects = Subjects::new(store.clone(), store.clone(), trail(&store));
    let file = subjects
        .export(caller(), &code("KLN1"))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(file.consent_records.len(), 1);
    assert_eq!(file.shares, [share(1)]);
    assert_eq!(file.answer_due_by, moment().now + Duration::hours(72));
    let json = file.to_json();
    assert!(!json.contains("OTHER2"), "{json}");
    assert_eq!(
        file.audit.len(),
        1,
        "the consent.recorded entry naming KLN1"
    );
    assert!(store.actions().contains(&"subject.exported".to_owned()));
    assert!(subjects
        .export(caller(), &code("NOBODY"))
        .await
        .unwrap()
        .is_none());
}

#[tokio::test]
async fn an_erasure_is_done_in_the_store_and_audited() {
    // Issue 23: /erase deletes what is not proof and says so in the audit log.
    let store = Arc::new(MemStore::default());
    let book = ConsentBook::new(store.clone(), trail(&store));
    let _ = book
        .record(caller(), &args("/consent KLN1 full"))
        .await
        .unwrap();
    let subjects = Subjects::new(store.clone(), store.clone(), trail(&store));
    assert!(subjects
        .erase(caller(), &code("KLN1"))
        .await
        .unwrap()
        .is_some());
    assert_eq!(*store.time.erased.lock().unwrap(), [code("KLN1")]);
    assert!(store.actions().contains(&"subject.erased".to_owned()));
    assert!(subjects
        .erase(caller(), &code("NOBODY"))
        .await
        .unwrap()
        .is_none());
}
