//! The guard service with a fake detector (a constructor argument) and the
//! real SQLite store: what a check leaves behind.

use std::sync::Arc;

use chrono::{TimeZone, Utc};
use photo_guard_core::store::{AuditLog, ConsentStore, ShareStore, Vault};
use photo_guard_core::{
    ChatId, ClientCode, ConsentEvent, ConsentLevel, Examined, Face, FixedClock, GivenBy, Grant,
    Guard, IncomingPhoto, MessageId, Moment, NewConsent, Reason, UserId, Verdict, Vision,
    VisionError,
};
use photo_guard_store::{SqliteStore, VaultKey};

/// Finds `faces` faces in anything, or fails like a broken detector.
struct FakeVision {
    faces: usize,
    fail: bool,
}

struct FakeExamined(Vec<Face>);

impl Examined for FakeExamined {
    fn width(&self) -> u32 {
        100
    }
    fn height(&self) -> u32 {
        100
    }
    fn faces(&self) -> &[Face] {
        &self.0
    }
    fn anonymise(self: Box<Self>) -> Result<Vec<u8>, VisionError> {
        Ok(b"blurred".to_vec())
    }
    fn clean_copy(self: Box<Self>) -> Result<Vec<u8>, VisionError> {
        Ok(b"clean".to_vec())
    }
}

impl Vision for FakeVision {
    fn examine(&self, _bytes: &[u8]) -> Result<Box<dyn Examined>, VisionError> {
        if self.fail {
            return Err(VisionError::Detector("boom".into()));
        }
        let face = Face {
            x: 1,
            y: 1,
            w: 10,
            h: 10,
            score: 0.9,
        };
        Ok(Box::new(FakeExamined(vec![face; self.faces])))
    }
}

fn moment() -> Moment {
    let now = Utc.with_ymd_and_hms(2026, 11, 26, 5, 0, 0).unwrap();
    Moment {
        now,
        today: now.date_naive(),
    }
}

async fn guard(dir: &tempfile::TempDir, vision: FakeVision) -> (Guard, SqliteStore) {
    let url = format!("sqlite://{}", dir.path().join("g.db").display());
    let store = SqliteStore::open(&url, VaultKey::generate(), &[UserId(1)])
        .await
        .unwrap();
    let guard = Guard::new(
        Arc::new(vision),
        Arc::new(store.clone()),
        Arc::new(FixedClock(moment())),
        2,
    );
    (guard, store)
}

fn photo(caption: &str) -> IncomingPhoto {
    IncomingPhoto {
        chat: ChatId(-5),
        message: MessageId(77),
        sender: UserId(9),
        sender_name: "Alice".into(),
        caption: Some(caption.into()),
        thread: None,
        kind: photo_guard_core::Visual::Photo,
        bytes: b"original photo bytes".to_vec(),
    }
}

async fn record(store: &SqliteStore, code: &str, level: ConsentLevel) -> i64 {
    let grant = Grant {
        level,
        purpose: None,
        given_by: GivenBy::Client,
        evidence: None,
        valid_from: moment().today,
        valid_until: None,
    };
    let new = NewConsent {
        client: ClientCode::parse(code).unwrap(),
        event: ConsentEvent::Granted(grant),
        recorded_by: UserId(1),
        recorded_at: moment().now,
    };
    store.append_consent(new).await.unwrap().id.0
}

#[tokio::test]
async fn a_blocked_share_leaves_a_share_an_audit_entry_and_a_sealed_original() {
    let dir = tempfile::tempdir().unwrap();
    let (guard, store) = guard(
        &dir,
        FakeVision {
            faces: 2,
            fail: false,
        },
    )
    .await;
    let record_id = record(&store, "KLN1", ConsentLevel::Refused).await;
    let checked = guard.check(photo("#KLN1 #NOTACLIENT")).await.unwrap();
    assert_eq!(checked.decision.verdict, Verdict::Block);
    assert_eq!(
        checked
            .decision
            .relied_on
            .iter()
            .map(|r| r.0)
            .collect::<Vec<_>>(),
        [record_id]
    );
    assert_eq!(
        checked.tags,
        [ClientCode::parse("KLN1").unwrap()],
        "an unregistered tag was not ignored"
    );
    let stats = store.stats().await.unwrap();
    assert_eq!((stats[0].checked, stats[0].blocked), (1, 1));
    let audit = store
        .entries_since(moment().now - chrono::Duration::days(1))
        .await
        .unwrap();
    assert_eq!(audit.last().unwrap().event.action, "share.block");
    let item = checked.quarantine.expect("a quarantine row");
    assert_eq!(store.open(item).await.unwrap(), b"original photo bytes");
}

#[tokio::test]
async fn a_vision_error_is_a_block() {
    let dir = tempfile::tempdir().unwrap();
    let (guard, store) = guard(
        &dir,
        FakeVision {
            faces: 0,
            fail: true,
        },
    )
    .await;
    let checked = guard.check(photo("no tags")).await.unwrap();
    assert_eq!(checked.decision.verdict, Verdict::Block);
    assert!(matches!(checked.decision.reason, Reason::Unreadable { .. }));
    assert_eq!(store.pending().await.unwrap().len(), 1);
}

#[tokio::test]
async fn a_blur_returns_the_anonymised_copy_and_seals_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let (guard, store) = guard(
        &dir,
        FakeVision {
            faces: 1,
            fail: false,
        },
    )
    .await;
    record(&store, "KLN2", ConsentLevel::Blurred).await;
    let checked = guard.check(photo("#kln2")).await.unwrap();
    assert_eq!(checked.decision.verdict, Verdict::Blur);
    assert_eq!(checked.anonymised.as_deref(), Some(&b"blurred"[..]));
    assert!(checked.quarantine.is_none());
    assert!(store.pending().await.unwrap().is_empty());
}

#[tokio::test]
async fn full_consent_and_faces_are_allowed_and_recorded() {
    let dir = tempfile::tempdir().unwrap();
    let (guard, store) = guard(
        &dir,
        FakeVision {
            faces: 3,
            fail: false,
        },
    )
    .await;
    record(&store, "KLN3", ConsentLevel::Full).await;
    let checked = guard.check(photo("#KLN3")).await.unwrap();
    assert_eq!(checked.decision.verdict, Verdict::Allow);
    assert_eq!(store.stats().await.unwrap()[0].allowed, 1);
}
