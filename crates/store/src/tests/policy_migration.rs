//! Issue 17.5: a group upgraded to a supergroup keeps its policy and chat row
//! under the new id.

use photo_guard_core::store::PolicyStore;
use photo_guard_core::{ChatId, ChatKind, ChatPolicy, Lang, Mode, Untagged};

use super::{at, on_both, Fixture};

const OLD: ChatId = ChatId(-4_100);
const NEW: ChatId = ChatId(-1_000_000_004_100);

fn public_policy() -> ChatPolicy {
    ChatPolicy {
        mode: Mode::Enforce,
        untagged: Untagged::Block,
        kind: ChatKind::Public,
        lang: Lang::En,
        remind_days: Some(3),
    }
}

async fn a_migrated_chat_keeps_its_policy_and_row_under_the_new_id(fx: Fixture) {
    // Issue 17.5: the public policy must follow the chat to its new id.
    let store = &fx.store;
    store.touch_chat(OLD, "Tim Lapangan").await.unwrap();
    store.set_chat_policy(OLD, &public_policy()).await.unwrap();
    store
        .set_last_reminder(OLD, at(2025, 3, 1, 9))
        .await
        .unwrap();

    assert!(store.migrate_chat(OLD, NEW).await.unwrap());

    assert_eq!(store.chat_policy(NEW).await.unwrap(), public_policy());
    assert_eq!(store.guarded_chats().await.unwrap(), vec![NEW]);
    assert_eq!(
        store.chat_title(NEW).await.unwrap().as_deref(),
        Some("Tim Lapangan")
    );
    assert_eq!(
        store.last_reminder(NEW).await.unwrap(),
        Some(at(2025, 3, 1, 9))
    );
    assert_eq!(
        store.chat_policy(OLD).await.unwrap(),
        ChatPolicy::default(),
        "the dead group's policy stays behind"
    );
}

async fn the_second_migration_notice_moves_nothing_and_changes_nothing(fx: Fixture) {
    // Issue 17.5: Telegram sends both migrate_to and migrate_from; the second is a no-op.
    let store = &fx.store;
    store.touch_chat(OLD, "Tim").await.unwrap();
    store.set_chat_policy(OLD, &public_policy()).await.unwrap();
    assert!(store.migrate_chat(OLD, NEW).await.unwrap());
    assert!(!store.migrate_chat(OLD, NEW).await.unwrap());
    assert_eq!(store.chat_policy(NEW).await.unwrap(), public_policy());
}

async fn a_policy_already_set_at_the_new_id_is_kept_by_a_migration(fx: Fixture) {
    // Issue 17.5: an admin's /policy in the new supergroup is not overwritten.
    let store = &fx.store;
    store.set_chat_policy(OLD, &public_policy()).await.unwrap();
    let set_there = ChatPolicy {
        mode: Mode::Observe,
        ..ChatPolicy::default()
    };
    store.touch_chat(NEW, "Tim (super)").await.unwrap();
    store.set_chat_policy(NEW, &set_there).await.unwrap();
    assert!(store.migrate_chat(OLD, NEW).await.unwrap());
    assert_eq!(store.chat_policy(NEW).await.unwrap(), set_there);
    assert_eq!(
        store.chat_title(NEW).await.unwrap().as_deref(),
        Some("Tim (super)")
    );
}

on_both!(
    a_migrated_chat_keeps_its_policy_and_row_under_the_new_id,
    the_second_migration_notice_moves_nothing_and_changes_nothing,
    a_policy_already_set_at_the_new_id_is_kept_by_a_migration,
);
