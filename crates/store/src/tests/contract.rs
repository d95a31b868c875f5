//! The store's contract, written once over `S: Store`: any store (SQLite
//! today, PostgreSQL later) must pass every function here. Each panics with a
//! sentence saying what the store got wrong.

use chrono::Duration;
use photo_guard_core::store::Store;
use photo_guard_core::{
    AuditEvent, ChatId, ChatKind, ChatPolicy, ChatStats, ConsentEvent, ConsentLevel, GivenBy, Lang,
    Mode, RecordId, Resolution, Role, StoreError, Untagged, UserId, Verdict,
};

use super::{at, code, day, grant, photo, quarantine, share, withdraw, COORDINATOR};

pub(crate) async fn appended_records_come_back_oldest_first_with_their_ids<S: Store>(store: &S) {
    let first = store
        .append_consent(grant(
            "KLN0001",
            ConsentLevel::Full,
            day(2025, 1, 1),
            Some(day(2025, 12, 31)),
            at(2025, 1, 1, 9),
        ))
        .await
        .unwrap();
    let second = store
        .append_consent(withdraw("KLN0001", at(2025, 3, 1, 9)))
        .await
        .unwrap();
    store
        .append_consent(grant(
            "KLN0002",
            ConsentLevel::Blurred,
            day(2025, 1, 1),
            None,
            at(2025, 1, 2, 9),
        ))
        .await
        .unwrap();
    assert_ne!(first.id, second.id, "each record gets its own id");
    let history = store.consent_history(&code("kln0001")).await.unwrap();
    assert_eq!(
        history,
        vec![first.clone(), second],
        "history is every record of the client, oldest first, as stored"
    );
    assert!(
        matches!(&history[0].event, ConsentEvent::Granted(g) if g.given_by == GivenBy::Client
        && g.evidence.as_deref() == Some("form 17/2025") && g.purpose.as_deref() == Some("case documentation"))
    );
    assert!(
        store
            .consent_history(&code("NOBODY"))
            .await
            .unwrap()
            .is_empty(),
        "an unknown code has no history"
    );
}

pub(crate) async fn clients_are_registered_once_and_listed_sorted<S: Store>(store: &S) {
    for (client, hour) in [("ZED9", 1), ("ABC1", 2), ("ZED9", 3), ("MID5", 4)] {
        store
            .append_consent(grant(
                client,
                ConsentLevel::Full,
                day(2025, 1, 1),
                None,
                at(2025, 1, 1, hour),
            ))
            .await
            .unwrap();
    }
    store
        .append_consent(withdraw("ABC1", at(2025, 1, 2, 1)))
        .await
        .unwrap();
    assert_eq!(
        store.clients().await.unwrap(),
        vec![code("ABC1"), code("MID5"), code("ZED9")]
    );
}

pub(crate) async fn config_admins_are_admins_and_cannot_be_ungranted<S: Store>(
    store: &S,
    config_admin: UserId,
) {
    assert_eq!(store.role(config_admin).await.unwrap(), Some(Role::Admin));
    assert!(store
        .users_with(Role::Admin)
        .await
        .unwrap()
        .contains(&config_admin));
    assert!(
        !store.ungrant(config_admin, UserId(5)).await.unwrap(),
        "ungranting a config admin reports no change"
    );
    store
        .grant(config_admin, Role::Coordinator, UserId(5))
        .await
        .unwrap();
    assert_eq!(
        store.role(config_admin).await.unwrap(),
        Some(Role::Admin),
        "a config admin stays admin"
    );
    assert!(!store
        .users_with(Role::Coordinator)
        .await
        .unwrap()
        .contains(&config_admin));
}

pub(crate) async fn roles_are_granted_replaced_and_ungranted<S: Store>(
    store: &S,
    config_admin: UserId,
) {
    let (alice, bob) = (UserId(11), UserId(12));
    assert_eq!(store.role(alice).await.unwrap(), None);
    store
        .grant(alice, Role::Coordinator, config_admin)
        .await
        .unwrap();
    store.grant(bob, Role::Admin, config_admin).await.unwrap();
    assert_eq!(store.role(alice).await.unwrap(), Some(Role::Coordinator));
    assert_eq!(
        store.users_with(Role::Coordinator).await.unwrap(),
        vec![alice]
    );
    let mut admins = vec![config_admin, bob];
    admins.sort();
    assert_eq!(store.users_with(Role::Admin).await.unwrap(), admins);
    store.grant(alice, Role::Admin, bob).await.unwrap();
    assert_eq!(
        store.role(alice).await.unwrap(),
        Some(Role::Admin),
        "a new grant replaces the old role"
    );
    assert!(store
        .users_with(Role::Coordinator)
        .await
        .unwrap()
        .is_empty());
    assert!(store.ungrant(alice, bob).await.unwrap(), "alice had a role");
    assert!(
        !store.ungrant(alice, bob).await.unwrap(),
        "alice has no role left"
    );
    assert_eq!(store.role(alice).await.unwrap(), None);
}

pub(crate) async fn a_chat_policy_defaults_then_round_trips<S: Store>(store: &S) {
    let chat = ChatId(-1001);
    assert_eq!(
        store.chat_policy(chat).await.unwrap(),
        ChatPolicy::default()
    );
    let set = ChatPolicy {
        mode: Mode::Observe,
        untagged: Untagged::Block,
        kind: ChatKind::Public,
        lang: Lang::En,
        remind_days: None,
    };
    store.set_chat_policy(chat, &set).await.unwrap();
    assert_eq!(store.chat_policy(chat).await.unwrap(), set);
    let again = ChatPolicy {
        remind_days: Some(14),
        ..set
    };
    store.set_chat_policy(chat, &again).await.unwrap();
    assert_eq!(
        store.chat_policy(chat).await.unwrap(),
        again,
        "setting again replaces"
    );
    assert_eq!(
        store.chat_policy(ChatId(-1002)).await.unwrap(),
        ChatPolicy::default(),
        "other chats keep the default"
    );
}

pub(crate) async fn guarded_chats_and_reminders_are_remembered<S: Store>(store: &S) {
    assert!(store.guarded_chats().await.unwrap().is_empty());
    store.touch_chat(ChatId(-2), "Team B").await.unwrap();
    store.touch_chat(ChatId(-1), "Team A").await.unwrap();
    store
        .touch_chat(ChatId(-2), "Team B renamed")
        .await
        .unwrap();
    assert_eq!(
        store.guarded_chats().await.unwrap(),
        vec![ChatId(-2), ChatId(-1)]
    );
    assert_eq!(store.last_reminder(ChatId(-1)).await.unwrap(), None);
    let when = at(2025, 5, 6, 7) + Duration::nanoseconds(123_456_789);
    store.set_last_reminder(ChatId(-1), when).await.unwrap();
    assert_eq!(store.last_reminder(ChatId(-1)).await.unwrap(), Some(when));
    assert_eq!(store.last_reminder(ChatId(-2)).await.unwrap(), None);
}

pub(crate) async fn shares_are_recorded_and_counted_per_chat<S: Store>(store: &S) {
    let when = at(2025, 2, 1, 10);
    let a = store
        .record_share(share(-1, 1, Verdict::Allow, when))
        .await
        .unwrap();
    let b = store
        .record_share(share(-1, 2, Verdict::Blur, when))
        .await
        .unwrap();
    store
        .record_share(share(-1, 3, Verdict::Block, when))
        .await
        .unwrap();
    store
        .record_share(share(-1, 4, Verdict::Block, when))
        .await
        .unwrap();
    store
        .record_share(share(-5, 1, Verdict::Allow, when))
        .await
        .unwrap();
    assert_ne!(a, b);
    assert_eq!(
        store.stats().await.unwrap(),
        vec![
            ChatStats {
                chat: -5,
                checked: 1,
                allowed: 1,
                blurred: 0,
                blocked: 0
            },
            ChatStats {
                chat: -1,
                checked: 4,
                allowed: 1,
                blurred: 1,
                blocked: 2
            },
        ]
    );
}

pub(crate) async fn a_sealed_photo_opens_to_the_same_bytes<S: Store>(store: &S) {
    let when = at(2025, 2, 1, 10);
    let share_id = store
        .record_share(share(-1, 9, Verdict::Block, when))
        .await
        .unwrap();
    let bytes = photo(1, 5000);
    let id = store
        .seal(quarantine(share_id, -1, 9, when), &bytes)
        .await
        .unwrap();
    let other = store
        .seal(quarantine(share_id, -1, 9, when), &photo(2, 10))
        .await
        .unwrap();
    assert_eq!(store.open(id).await.unwrap(), bytes);
    assert_eq!(store.open(other).await.unwrap(), photo(2, 10));
    assert_eq!(
        store
            .seal(quarantine(share_id, -1, 9, when), &[])
            .await
            .map(|_| ()),
        Ok(()),
        "even an empty photo seals"
    );
    let item = store.item(id).await.unwrap();
    let expected = quarantine(share_id, -1, 9, when);
    assert_eq!(
        (item.id, item.share, item.chat, item.message, item.sender),
        (
            id,
            share_id,
            expected.chat,
            expected.message,
            expected.sender
        )
    );
    assert_eq!(
        (item.sender_name, item.caption, item.thread, item.tags),
        (
            expected.sender_name,
            expected.caption,
            expected.thread,
            expected.tags
        )
    );
    assert_eq!(
        (item.reason_code, item.created_at, item.resolution),
        (expected.reason_code, when, Resolution::Pending)
    );
    assert!(matches!(
        store.open(RecordId(999_999)).await,
        Err(StoreError::NotFound(_))
    ));
    assert!(matches!(
        store.item(RecordId(999_999)).await,
        Err(StoreError::NotFound(_))
    ));
}

pub(crate) async fn a_quarantined_photo_is_resolved_once_and_a_discard_wipes_it<S: Store>(
    store: &S,
) {
    let when = at(2025, 2, 1, 10);
    let share_id = store
        .record_share(share(-1, 9, Verdict::Block, when))
        .await
        .unwrap();
    let kept = store
        .seal(quarantine(share_id, -1, 9, when), &photo(1, 64))
        .await
        .unwrap();
    let dropped = store
        .seal(
            quarantine(share_id, -1, 10, when + Duration::seconds(1)),
            &photo(2, 64),
        )
        .await
        .unwrap();
    let ids = |items: Vec<photo_guard_core::QuarantineItem>| {
        items.into_iter().map(|i| i.id).collect::<Vec<_>>()
    };
    assert_eq!(
        ids(store.pending().await.unwrap()),
        vec![kept, dropped],
        "pending, oldest first"
    );
    assert!(store
        .resolve(kept, Resolution::ReleasedBlurred, COORDINATOR)
        .await
        .unwrap());
    assert!(
        !store
            .resolve(kept, Resolution::Discarded, COORDINATOR)
            .await
            .unwrap(),
        "a second resolution loses"
    );
    assert_eq!(
        store.item(kept).await.unwrap().resolution,
        Resolution::ReleasedBlurred
    );
    assert_eq!(
        store.open(kept).await.unwrap(),
        photo(1, 64),
        "a released photo can still be opened until retention"
    );
    assert!(store
        .resolve(dropped, Resolution::Discarded, COORDINATOR)
        .await
        .unwrap());
    assert!(
        matches!(store.open(dropped).await, Err(StoreError::NotFound(_))),
        "a discarded photo's bytes are gone"
    );
    assert_eq!(
        store.item(dropped).await.unwrap().resolution,
        Resolution::Discarded
    );
    assert!(store.pending().await.unwrap().is_empty());
    assert!(matches!(
        store
            .resolve(RecordId(999_999), Resolution::Discarded, COORDINATOR)
            .await,
        Err(StoreError::NotFound(_))
    ));
}

pub(crate) async fn purge_deletes_only_items_older_than_the_cutoff<S: Store>(store: &S) {
    let cutoff = at(2025, 3, 1, 0);
    let share_id = store
        .record_share(share(-1, 1, Verdict::Block, cutoff))
        .await
        .unwrap();
    let old_pending = store
        .seal(
            quarantine(share_id, -1, 1, cutoff - Duration::days(31)),
            &photo(1, 8),
        )
        .await
        .unwrap();
    let old_released = store
        .seal(
            quarantine(share_id, -1, 2, cutoff - Duration::nanoseconds(1)),
            &photo(2, 8),
        )
        .await
        .unwrap();
    store
        .resolve(old_released, Resolution::ReleasedOriginal, COORDINATOR)
        .await
        .unwrap();
    let at_cutoff = store
        .seal(quarantine(share_id, -1, 3, cutoff), &photo(3, 8))
        .await
        .unwrap();
    let young = store
        .seal(
            quarantine(share_id, -1, 4, cutoff + Duration::days(2)),
            &photo(4, 8),
        )
        .await
        .unwrap();
    assert_eq!(
        store.purge_before(cutoff).await.unwrap(),
        2,
        "both older items go, whatever their resolution"
    );
    for gone in [old_pending, old_released] {
        assert!(matches!(
            store.item(gone).await,
            Err(StoreError::NotFound(_))
        ));
        assert!(matches!(
            store.open(gone).await,
            Err(StoreError::NotFound(_))
        ));
    }
    assert_eq!(store.open(at_cutoff).await.unwrap(), photo(3, 8));
    assert_eq!(store.open(young).await.unwrap(), photo(4, 8));
    assert_eq!(store.purge_before(cutoff).await.unwrap(), 0);
}

pub(crate) async fn audit_entries_chain_and_come_back_since_a_time<S: Store>(store: &S) {
    let event = |hour, action: &str| AuditEvent {
        at: at(2025, 4, 1, hour),
        actor: Some(COORDINATOR),
        chat: if hour % 2 == 0 {
            Some(ChatId(-1))
        } else {
            None
        },
        action: action.into(),
        detail: format!(r#"{{"hour":{hour}}}"#),
    };
    let first = store.append(event(1, "consent.recorded")).await.unwrap();
    let second = store.append(event(2, "share.blocked")).await.unwrap();
    let third = store.append(event(3, "review.discard")).await.unwrap();
    assert_eq!(
        first.prev_hash,
        "0".repeat(64),
        "the first entry chains to 64 zeros"
    );
    assert_eq!(second.prev_hash, first.hash);
    assert_eq!(third.prev_hash, second.hash);
    assert_eq!((second.seq, third.seq), (first.seq + 1, first.seq + 2));
    assert_eq!(first.hash.len(), 64);
    assert!(first
        .hash
        .chars()
        .all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase()));
    assert_eq!(
        store.entries_since(at(2025, 4, 1, 2)).await.unwrap(),
        vec![second, third]
    );
    assert_eq!(
        store
            .entries_since(at(2025, 4, 1, 0))
            .await
            .unwrap()
            .first(),
        Some(&first)
    );
}

pub(crate) async fn updates_are_received_once_and_finished<S: Store>(store: &S) {
    assert!(store.receive(10, r#"{"update_id":10}"#).await.unwrap());
    assert!(store.receive(11, r#"{"update_id":11}"#).await.unwrap());
    assert!(store.receive(12, r#"{"update_id":12}"#).await.unwrap());
    assert!(
        !store
            .receive(11, r#"{"update_id":11,"again":true}"#)
            .await
            .unwrap(),
        "a redelivery is recognised"
    );
    store.finish(11).await.unwrap();
    store.finish(11).await.unwrap();
    store.finish(99).await.unwrap();
    assert_eq!(
        store.unfinished().await.unwrap(),
        vec![
            (10, r#"{"update_id":10}"#.to_string()),
            (12, r#"{"update_id":12}"#.to_string())
        ],
        "unfinished, oldest first, with the first payload kept"
    );
    assert!(
        !store.receive(11, "{}").await.unwrap(),
        "a finished update is still a redelivery"
    );
}
