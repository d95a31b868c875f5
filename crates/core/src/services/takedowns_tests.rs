//! Taking shares down on the in-memory fake: which messages a change of
//! consent concerns, and that every removal is audited with its record.

use std::sync::Arc;

use chrono::Duration;

use super::*;
use crate::platform::fake::{Call, FakePlatform};
use crate::services::fakes::{caller, moment, trail, MemStore};
use crate::services::ByHand;
use crate::services::{ConsentBook, Withdrawal};
use crate::{ChatId, ConsentEvent, GivenBy, Grant, IdSpace, NewConsent, UserId};

#[path = "takedown_video_tests.rs"]
mod video;

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
    on_platforms(store, Arc::new(crate::PlatformRouter::default()))
}

fn on_platforms(store: &Arc<MemStore>, platforms: Arc<crate::PlatformRouter>) -> Takedowns {
    let acting = super::Acting {
        platforms,
        guard: crate::services::fakes_guard::guard(store),
        policies: store.clone(),
    };
    Takedowns::new(store.clone(), store.clone(), trail(store), acting)
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

/// A router with a fake Telegram (links under `https://t.me/c/`) and, if
/// `whatsapp`, a fake WhatsApp (no links).
fn router(
    whatsapp: bool,
) -> (
    Arc<crate::PlatformRouter>,
    Arc<FakePlatform>,
    Arc<FakePlatform>,
) {
    let (telegram, other) = (
        Arc::new(FakePlatform::default()),
        Arc::new(FakePlatform::default()),
    );
    *telegram.links.lock().unwrap() = Some("https://t.me/c/".into());
    let router = Arc::new(crate::PlatformRouter::default());
    router.register(IdSpace::Telegram, telegram.clone());
    if whatsapp {
        router.register(IdSpace::Mapped, other.clone());
    }
    (router, telegram, other)
}

fn in_chat(chat: ChatId, s: Shown) -> Shown {
    Shown { chat, ..s }
}

#[tokio::test]
async fn a_takedown_removes_the_clients_photos_in_the_chats_of_both_platforms() {
    // Issue 23: a withdrawal clears Telegram and WhatsApp chats, each through its platform.
    let store = Arc::new(MemStore::default());
    grant(&store, ConsentLevel::Full).await;
    let wa = ChatId(crate::PLATFORM_ID_BASE + 5);
    *store.time.shown.lock().unwrap() = vec![
        shown(1, ShownKind::Original, Verdict::Allow, 1),
        in_chat(wa, shown(2, ShownKind::Original, Verdict::Allow, 1)),
    ];
    let record = grant(&store, ConsentLevel::Refused).await;
    let (platforms, telegram, whatsapp) = router(true);
    let service = on_platforms(&store, platforms);
    let report = service
        .follow(caller(), &code("KLN1"), record)
        .await
        .unwrap();
    assert_eq!(
        report.map(|r| (r.removed, r.by_hand)),
        Some((1 + 1, vec![]))
    );
    assert_eq!(
        telegram.calls(),
        vec![Call::Remove(ChatId(-100), MessageId(1))]
    );
    assert_eq!(whatsapp.calls(), vec![Call::Remove(wa, MessageId(2))]);
}

#[tokio::test]
async fn a_takedown_lists_a_chat_of_a_platform_not_running_by_its_name_and_time() {
    // Issue 23: never skipped silently; no link on WhatsApp, so the chat and the time.
    let store = Arc::new(MemStore::default());
    grant(&store, ConsentLevel::Full).await;
    let wa = ChatId(crate::PLATFORM_ID_BASE + 5);
    let photo = in_chat(wa, shown(2, ShownKind::Original, Verdict::Allow, 1));
    *store.time.shown.lock().unwrap() =
        vec![photo.clone(), shown(1, ShownKind::Copy, Verdict::Blur, 50)];
    let record = grant(&store, ConsentLevel::Refused).await;
    let (platforms, _, _) = router(false);
    let report = on_platforms(&store, platforms)
        .follow(caller(), &code("KLN1"), record)
        .await
        .unwrap()
        .unwrap();
    let at = photo.at.format("%Y-%m-%d %H:%M").to_string();
    let place = ByHand::Place {
        chat: wa.to_string(),
        at,
    };
    let link = ByHand::Link("https://t.me/c/-100/1".into());
    assert_eq!((report.removed, report.by_hand), (0, vec![place, link]));
    let audit = store.audit.lock().unwrap().clone();
    let left = audit
        .iter()
        .find(|e| e.action == "consent.takedown_left")
        .unwrap();
    assert!(left.detail.contains("no_platform"), "{}", left.detail);
}

#[tokio::test]
async fn a_downgrade_takedown_posts_a_blurred_copy_made_from_the_original_fetched_again() {
    // Issue 23: full -> blurred re-fetches by the noted file, deletes, posts the copy.
    let store = Arc::new(MemStore::default());
    grant(&store, ConsentLevel::Full).await;
    let wa = ChatId(crate::PLATFORM_ID_BASE + 5);
    *store.time.shown.lock().unwrap() = vec![in_chat(
        wa,
        shown(2, ShownKind::Original, Verdict::Allow, 1),
    )];
    let record = grant(&store, ConsentLevel::Blurred).await;
    let (platforms, _, whatsapp) = router(true);
    whatsapp
        .originals
        .lock()
        .unwrap()
        .insert("wa-msg-2".into(), b"original".to_vec());
    let service = on_platforms(&store, platforms);
    service
        .note_file(wa, MessageId(2), "wa-msg-2")
        .await
        .unwrap();
    let report = service
        .follow(caller(), &code("KLN1"), record)
        .await
        .unwrap()
        .unwrap();
    assert_eq!((report.removed, report.replaced), (0, 1));
    let calls = whatsapp.calls();
    assert_eq!(
        calls[0],
        Call::FetchOriginal(wa, MessageId(2), "wa-msg-2".into())
    );
    assert_eq!(calls[1], Call::Remove(wa, MessageId(2)));
    let Call::PostMedia {
        to, bytes, caption, ..
    } = &calls[2]
    else {
        panic!("no copy posted: {calls:?}");
    };
    assert_eq!((to.chat, bytes.as_slice()), (wa, &b"blurred"[..]));
    assert!(caption.contains("#KLN1"), "{caption}");
}
