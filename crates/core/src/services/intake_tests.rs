//! The intake's sequence on the in-memory store and the recording fake
//! platform: what is removed, posted and said, in which order, and which
//! steps are written down.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use async_trait::async_trait;

use super::fakes::{trail, MemStore};
use super::fakes_guard::guard;
use super::intake::*;
use crate::platform::fake::{Call, FakePlatform};
use crate::platform::{BotRights, Place, Removed, ReviewAction};
use crate::texts::Unchecked;
use crate::{
    ChatId, ChatPolicy, Enforcement, Lang, LocalWork, MessageId, Mode, Reason, RecordId, Removal,
    Role, Step, Untagged, UserId, Verdict, Visual, PLATFORM_ID_BASE,
};

const CHAT: ChatId = ChatId(-100);
const MESSAGE: MessageId = MessageId(5);
const SENDER: UserId = UserId(9);
const ADMIN: UserId = UserId(1);

pub(super) fn intake(store: &Arc<MemStore>) -> Intake {
    let stores = IntakeStores {
        records: store.clone(),
        tries: store.clone(),
        albums: store.clone(),
        policies: store.clone(),
        roles: store.clone(),
    };
    let work = Arc::new(LocalWork::default());
    Intake::new(guard(store), stores, trail(store), work)
}

/// A store with an admin, and the chat's policy in English.
pub(super) fn store_with(untagged: Untagged, mode: Mode) -> Arc<MemStore> {
    let store = Arc::new(MemStore::default());
    store.roles.lock().unwrap().insert(ADMIN.0, Role::Admin);
    let policy = ChatPolicy {
        untagged,
        mode,
        lang: Lang::En,
        ..ChatPolicy::default()
    };
    store.policies.lock().unwrap().insert(CHAT.0, policy);
    store
}

pub(super) fn incoming() -> Incoming {
    Incoming {
        place: Place::chat(CHAT),
        chat_title: "Tim".into(),
        message: MESSAGE,
        update: 50,
        reply_to: None,
        sender: Sender {
            id: Some(SENDER),
            name: "Ana".into(),
            lang: None,
        },
        sent: None,
        caption: None,
        album: Vec::new(),
        link: None,
    }
}

/// Hands over a photo, or fails as told; counts how often it was asked.
struct Source {
    answer: Result<(), FetchFailure>,
    asked: AtomicUsize,
}

impl Source {
    fn photo() -> Self {
        Self::failing_with(Ok(()))
    }
    fn failing_with(answer: Result<(), FetchFailure>) -> Self {
        Self {
            answer,
            asked: AtomicUsize::new(0),
        }
    }
}

#[async_trait]
impl MediaSource for Source {
    async fn fetch(&self) -> Result<Option<Fetched>, FetchFailure> {
        self.asked.fetch_add(1, Ordering::SeqCst);
        self.answer.clone().map(|()| {
            Some(Fetched {
                bytes: b"original".to_vec(),
                kind: Visual::Photo,
            })
        })
    }
}

const LIMITS: Limits = Limits {
    download_max_tries: 2,
};

async fn run(intake: &Intake, platform: &FakePlatform, source: &Source) -> Handled {
    let handled = intake.handle(platform, LIMITS, &incoming(), source).await;
    handled.expect("the work finished")
}

fn is_post_of(call: &Call, wanted: &[u8]) -> bool {
    matches!(call, Call::PostMedia { bytes, caption, .. } if bytes == wanted && caption.contains("Ana"))
}

#[tokio::test]
async fn a_blurred_verdict_removes_the_original_then_posts_the_copy_and_records_each_step() {
    // Issue 18: the shared intake deletes first, posts the credited copy after, each step written.
    let store = store_with(Untagged::Blur, Mode::Enforce);
    let platform = FakePlatform::default();
    let handled = run(&intake(&store), &platform, &Source::photo()).await;
    assert_eq!(handled, Handled::Checked(Verdict::Blur));
    let calls = platform.calls();
    assert_eq!(calls.len(), 2, "{calls:?}");
    assert_eq!(calls[0], Call::Remove(CHAT, MESSAGE));
    assert!(is_post_of(&calls[1], b"blurred"), "{calls:?}");
    assert_eq!(store.steps(), [Step::Deleted, Step::Done]);
    let rec = store.record(CHAT, MESSAGE).expect("recorded");
    assert_eq!(rec.removal, Some(Removal::Removed));
    assert!(rec.copy_message.is_some(), "the copy's message is recorded");
}

fn recorded_at(step: Step) -> Enforcement {
    Enforcement {
        chat: CHAT,
        message: MESSAGE,
        update: 50,
        verdict: Verdict::Blur,
        enforced: true,
        reason: Reason::NoFaces,
        share: RecordId(1),
        quarantine: None,
        step,
        removal: Some(Removal::Removed),
        copy_message: None,
    }
}

/// Runs the intake on a message with `rec` recorded (and `sealed`, its copy).
async fn replayed(
    store: &Arc<MemStore>,
    rec: Enforcement,
    sealed: Option<Vec<u8>>,
) -> (FakePlatform, Source) {
    let key = (CHAT.0, MESSAGE.0);
    store
        .intake
        .records
        .lock()
        .unwrap()
        .insert(key, (rec, sealed));
    let (platform, source) = (FakePlatform::default(), Source::photo());
    let handled = run(&intake(store), &platform, &source).await;
    assert_eq!(handled, Handled::Settled);
    (platform, source)
}

#[tokio::test]
async fn a_replay_after_the_delete_posts_the_copy_without_checking_again() {
    // Issue 18: a crash after the delete resumes at the post, from the sealed copy.
    let store = store_with(Untagged::Blur, Mode::Enforce);
    let sealed = Some(b"sealed copy".to_vec());
    let (platform, source) = replayed(&store, recorded_at(Step::Deleted), sealed).await;
    assert_eq!(source.asked.load(Ordering::SeqCst), 0, "fetched again");
    let calls = platform.calls();
    assert_eq!(calls.len(), 1, "{calls:?}");
    assert!(is_post_of(&calls[0], b"sealed copy"), "{calls:?}");
    assert_eq!(store.steps(), [Step::Done]);
}

#[tokio::test]
async fn a_removal_refused_for_a_missing_right_tells_the_admins() {
    // Issue 18: a refused delete is told to the admins, the chat warned, and audited.
    let store = store_with(Untagged::Blur, Mode::Enforce);
    let platform = FakePlatform::default();
    *platform.removed.lock().unwrap() = Some(Removed::NoRight);
    *platform.rights.lock().unwrap() = Some(BotRights {
        is_admin: false,
        can_delete: false,
    });
    let _ = run(&intake(&store), &platform, &Source::photo()).await;
    let calls = platform.calls();
    let told = calls.iter().any(|c| {
        matches!(c, Call::TellUser(admin, body) if *admin == ADMIN && body.contains("Ana") && body.contains("Tim"))
    });
    assert!(told, "the admins were not told: {calls:?}");
    let warned = calls.iter().any(|c| matches!(c, Call::PostText(..)));
    assert!(warned, "the chat was not warned: {calls:?}");
    assert!(!calls.iter().any(|c| matches!(c, Call::PostMedia { .. })));
    assert!(store.actions().contains(&"share.undeletable".to_owned()));
    let rec = store.record(CHAT, MESSAGE).expect("recorded");
    assert_eq!(rec.removal, Some(Removal::NotAllowed));
}

#[tokio::test]
async fn a_block_removes_the_original_tells_the_sender_and_alerts_the_admins_with_every_review_action(
) {
    // Issue 18: a block's steps on the port, the alert offering ReviewAction::ALL.
    let store = store_with(Untagged::Block, Mode::Enforce);
    let platform = FakePlatform::default();
    let handled = run(&intake(&store), &platform, &Source::photo()).await;
    assert_eq!(handled, Handled::Checked(Verdict::Block));
    let calls = platform.calls();
    assert_eq!(calls[0], Call::Remove(CHAT, MESSAGE));
    assert!(matches!(&calls[1], Call::TellUser(user, _) if *user == SENDER));
    match &calls[2] {
        Call::AlertAdmin { admin, actions, .. } => {
            assert_eq!(*admin, ADMIN);
            assert_eq!(actions, &ReviewAction::ALL);
        }
        other => panic!("expected the alert, got {other:?}"),
    }
    assert_eq!(store.steps(), [Step::Deleted, Step::Delivered, Step::Done]);
}

#[tokio::test]
async fn only_the_admins_of_the_chats_platform_are_alerted() {
    // Issue 18: a Telegram block is not sent to a WhatsApp admin's id, and back.
    let store = store_with(Untagged::Block, Mode::Enforce);
    let whatsapp_admin = PLATFORM_ID_BASE + 3;
    store
        .roles
        .lock()
        .unwrap()
        .insert(whatsapp_admin, Role::Admin);
    let platform = FakePlatform::default();
    let _ = run(&intake(&store), &platform, &Source::photo()).await;
    let alerted: Vec<UserId> = platform
        .calls()
        .into_iter()
        .filter_map(|c| match c {
            Call::AlertAdmin { admin, .. } => Some(admin),
            _ => None,
        })
        .collect();
    assert_eq!(alerted, [ADMIN]);
}

#[tokio::test]
async fn a_download_that_keeps_failing_is_left_for_another_try_then_removed_unchecked() {
    // Issue 18: tries are counted; the last one removes the media and tells the admins.
    let store = store_with(Untagged::Blur, Mode::Enforce);
    let platform = FakePlatform::default();
    let intake = intake(&store);
    let source = Source::failing_with(Err(FetchFailure::Failed("timeout".into())));
    let first = intake.handle(&platform, LIMITS, &incoming(), &source).await;
    assert!(matches!(first, Err(IntakeError::Download(_))), "{first:?}");
    assert!(platform.calls().is_empty(), "removed after one try");
    let second = run(&intake, &platform, &source).await;
    assert_eq!(second, Handled::Unchecked(Unchecked::GaveUp { tries: 2 }));
    let calls = platform.calls();
    assert_eq!(calls[0], Call::Remove(CHAT, MESSAGE));
    assert!(matches!(&calls[1], Call::PostText(place, _) if place.chat == CHAT));
    assert!(matches!(&calls[2], Call::TellUser(admin, _) if *admin == ADMIN));
    assert_eq!(store.actions(), ["share.unchecked"]);
    assert!(store.intake.tries.lock().unwrap().is_empty(), "tries kept");
}

#[tokio::test]
async fn media_over_the_limit_in_a_chat_on_trial_is_recorded_and_left_alone() {
    // Issue 18: observe mode touches nothing, on every platform; the entry says so.
    let store = store_with(Untagged::Blur, Mode::Observe);
    let platform = FakePlatform::default();
    let source = Source::failing_with(Err(FetchFailure::TooLarge { limit: 20 << 20 }));
    let handled = run(&intake(&store), &platform, &source).await;
    assert_eq!(
        handled,
        Handled::Unchecked(Unchecked::TooLarge { limit_mb: 20 })
    );
    assert!(platform.calls().is_empty(), "{:?}", platform.calls());
    assert_eq!(store.actions(), ["share.unchecked.observed"]);
}

#[tokio::test]
async fn a_later_state_of_a_blocked_message_is_not_checked_again() {
    // Issue 18: a blocked message stays blocked for review whatever its edit shows.
    let store = store_with(Untagged::Blur, Mode::Enforce);
    let mut rec = recorded_at(Step::Done);
    rec.verdict = Verdict::Block;
    rec.update = 40;
    let (platform, source) = replayed(&store, rec, None).await;
    assert_eq!(source.asked.load(Ordering::SeqCst), 0);
    assert!(platform.calls().is_empty());
}
