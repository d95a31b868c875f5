//! The enforcement record, on both back-ends: steps written once and read back
//! after a reopen, the sealed copy, and a later state replacing an earlier one.

use photo_guard_core::store::{EnforcementStore, ShareStore};
use photo_guard_core::{ChatId, Enforcement, MessageId, Reason, RecordId, Removal, Step, Verdict};

use crate::tests::{at, on_both, photo, share, Fixture};

const CHAT: ChatId = ChatId(-100);
const MESSAGE: MessageId = MessageId(7);

async fn decided(fx: &Fixture, update: i64, verdict: Verdict) -> Enforcement {
    let share_id = fx
        .store
        .record_share(share(CHAT.0, MESSAGE.0, verdict, at(2025, 3, 1, 9)))
        .await
        .unwrap();
    Enforcement {
        chat: CHAT,
        message: MESSAGE,
        update,
        verdict,
        enforced: true,
        reason: Reason::UntaggedFaces { faces: 3 },
        share: share_id,
        quarantine: (verdict == Verdict::Block).then_some(RecordId(4)),
        step: Step::Decided,
        removal: None,
        copy_message: None,
    }
}

async fn an_enforcement_record_keeps_its_steps_and_sealed_copy_across_a_reopen(fx: Fixture) {
    // Issue 17.8: a restart resumes at the next step with the copy to post.
    let mut rec = decided(&fx, 50, Verdict::Blur).await;
    let copy = photo(3, 4096);
    fx.store.record_decision(&rec, Some(&copy)).await.unwrap();
    rec.step = Step::Deleted;
    rec.removal = Some(Removal::Removed);
    assert!(fx.store.record_step(&rec).await.unwrap());

    let reopened = fx.reopen_with(&fx.key).await;
    assert_eq!(
        reopened.enforcement(CHAT, MESSAGE).await.unwrap(),
        Some(rec.clone())
    );
    assert_eq!(
        reopened.enforcement_copy(CHAT, MESSAGE).await.unwrap(),
        Some(copy.clone())
    );
    let stored = fx.bytes("SELECT copy_sealed FROM enforcement").await;
    assert!(
        !stored.windows(64).any(|w| w == &copy[..64]),
        "the copy is sealed"
    );

    rec.step = Step::Done;
    rec.copy_message = Some(MessageId(99));
    assert!(reopened.record_step(&rec).await.unwrap());
    assert_eq!(
        reopened.enforcement_copy(CHAT, MESSAGE).await.unwrap(),
        None,
        "wiped once posted"
    );
}

async fn a_later_state_replaces_the_record_and_the_earlier_one_can_no_longer_step(fx: Fixture) {
    // Issue 17.7: the later state of a message wins.
    let mut early = decided(&fx, 50, Verdict::Blur).await;
    fx.store.record_decision(&early, None).await.unwrap();
    let late = decided(&fx, 51, Verdict::Block).await;
    fx.store.record_decision(&late, None).await.unwrap();
    early.step = Step::Deleted;
    assert!(!fx.store.record_step(&early).await.unwrap());
    let got = fx.store.enforcement(CHAT, MESSAGE).await.unwrap().unwrap();
    assert_eq!(
        (got.update, got.verdict, got.step),
        (51, Verdict::Block, Step::Decided)
    );
}

async fn an_adopted_record_moves_to_the_later_update_with_its_copy(fx: Fixture) {
    let rec = decided(&fx, 50, Verdict::Blur).await;
    let copy = photo(5, 512);
    fx.store.record_decision(&rec, Some(&copy)).await.unwrap();
    assert!(!fx.store.adopt(CHAT, MESSAGE, 49, 52).await.unwrap());
    assert!(fx.store.adopt(CHAT, MESSAGE, 50, 52).await.unwrap());
    let got = fx.store.enforcement(CHAT, MESSAGE).await.unwrap().unwrap();
    assert_eq!(got.update, 52);
    assert_eq!(
        fx.store.enforcement_copy(CHAT, MESSAGE).await.unwrap(),
        Some(copy)
    );
}

async fn a_copy_moved_to_another_message_fails_to_open(fx: Fixture) {
    let rec = decided(&fx, 50, Verdict::Blur).await;
    fx.store
        .record_decision(&rec, Some(&photo(1, 256)))
        .await
        .unwrap();
    fx.execute("UPDATE enforcement SET message_id = 8")
        .await
        .unwrap();
    assert!(fx.store.enforcement_copy(CHAT, MessageId(8)).await.is_err());
}

on_both!(
    an_enforcement_record_keeps_its_steps_and_sealed_copy_across_a_reopen,
    a_later_state_replaces_the_record_and_the_earlier_one_can_no_longer_step,
    an_adopted_record_moves_to_the_later_update_with_its_copy,
    a_copy_moved_to_another_message_fails_to_open,
);
