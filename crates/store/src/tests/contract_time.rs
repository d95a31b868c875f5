//! The store's contract for issue 23 (consent over time), over `S: Store`
//! like `contract.rs`: what still shows a client, takedowns, replacement
//! copies, the sealed file ids.

use photo_guard_core::exposure::ShownKind;
use photo_guard_core::store::Store;
use photo_guard_core::{
    ChatId, ClientCode, Enforcement, MessageId, Reason, RecordId, Removal, Step, Verdict,
};

use super::{at, code, share};

/// A share of `tags` in chat -1, acted on as far as `step` with `removal`.
async fn acted<S: Store>(
    store: &S,
    message: i64,
    verdict: Verdict,
    tags: &[&str],
    removal: Option<Removal>,
    copy: Option<i64>,
) -> RecordId {
    let mut new = share(-1, message, verdict, at(2025, 5, 1, 9));
    new.tags = tags.iter().map(|t| code(t)).collect::<Vec<ClientCode>>();
    let id = store.record_share(new).await.unwrap();
    let mut rec = Enforcement {
        chat: ChatId(-1),
        message: MessageId(message),
        update: message,
        verdict,
        enforced: true,
        reason: Reason::NoFaces,
        share: id,
        quarantine: None,
        step: Step::Decided,
        removal: None,
        copy_message: None,
    };
    store.record_decision(&rec, None).await.unwrap();
    rec.step = Step::Done;
    rec.removal = removal;
    rec.copy_message = copy.map(MessageId);
    assert!(store.record_step(&rec).await.unwrap());
    id
}

pub(crate) async fn what_shows_a_client_is_its_originals_in_place_and_the_copies_posted<
    S: Store,
>(
    store: &S,
) {
    acted(store, 1, Verdict::Allow, &["KLN0042", "OTHER1"], None, None).await;
    acted(
        store,
        2,
        Verdict::Blur,
        &["KLN0042"],
        Some(Removal::Removed),
        Some(20),
    )
    .await;
    acted(
        store,
        3,
        Verdict::Blur,
        &["KLN0042"],
        Some(Removal::NotAllowed),
        None,
    )
    .await;
    acted(store, 4, Verdict::Allow, &["KLN00421"], None, None).await;
    acted(
        store,
        5,
        Verdict::Block,
        &["KLN0042"],
        Some(Removal::Removed),
        None,
    )
    .await;
    let shown = store.shown_with(&code("KLN0042")).await.unwrap();
    let found: Vec<(i64, ShownKind)> = shown.iter().map(|s| (s.message.0, s.kind)).collect();
    assert_eq!(
        found,
        [
            (1, ShownKind::Original),
            (3, ShownKind::Original),
            (20, ShownKind::Copy)
        ],
        "originals left in place and posted copies show the client; removed ones and another code do not"
    );
    assert_eq!(shown[0].tags.len(), 2, "the share's tags come back");
}

pub(crate) async fn a_takedown_hides_a_message_and_a_replacement_copy_shows<S: Store>(store: &S) {
    let share = acted(store, 1, Verdict::Allow, &["KLN0042"], None, None).await;
    store
        .record_takedown(ChatId(-1), MessageId(1), RecordId(9), at(2025, 5, 2, 9))
        .await
        .unwrap();
    assert!(
        store.shown_with(&code("KLN0042")).await.unwrap().is_empty(),
        "a message taken down no longer shows the client"
    );
    store
        .record_replacement(ChatId(-1), MessageId(30), share, at(2025, 5, 2, 9))
        .await
        .unwrap();
    let shown = store.shown_with(&code("KLN0042")).await.unwrap();
    assert_eq!(shown.len(), 1, "the replacement copy shows the client");
    assert_eq!(
        (shown[0].message, shown[0].kind),
        (MessageId(30), ShownKind::Copy)
    );
}

pub(crate) async fn a_file_id_comes_back_as_noted<S: Store>(store: &S) {
    let (chat, message) = (ChatId(-1), MessageId(7));
    assert_eq!(store.media_file(chat, message).await.unwrap(), None);
    store
        .note_media(chat, message, "AgACAgIAAxkBAAM")
        .await
        .unwrap();
    assert_eq!(
        store.media_file(chat, message).await.unwrap().as_deref(),
        Some("AgACAgIAAxkBAAM")
    );
}

pub(crate) async fn the_last_digest_time_is_kept_per_user<S: Store>(store: &S) {
    let (a, b) = (photo_guard_core::UserId(1), photo_guard_core::UserId(2));
    assert_eq!(store.last_digest(a).await.unwrap(), None, "no digest yet");
    store.set_last_digest(a, at(2025, 5, 1, 1)).await.unwrap();
    store.set_last_digest(a, at(2025, 5, 2, 1)).await.unwrap();
    assert_eq!(store.last_digest(a).await.unwrap(), Some(at(2025, 5, 2, 1)));
    assert_eq!(store.last_digest(b).await.unwrap(), None, "kept per user");
}

pub(crate) async fn a_persons_language_is_kept_per_user_and_replaced<S: Store>(store: &S) {
    // Issue 23: the digest goes in the language its coordinator last wrote in.
    use photo_guard_core::Lang;
    let (a, b) = (photo_guard_core::UserId(1), photo_guard_core::UserId(2));
    assert_eq!(store.user_lang(a).await.unwrap(), None, "unknown at first");
    store.set_user_lang(a, Lang::En).await.unwrap();
    store.set_user_lang(b, Lang::Id).await.unwrap();
    store.set_user_lang(b, Lang::En).await.unwrap();
    store.set_user_lang(a, Lang::Id).await.unwrap();
    assert_eq!(store.user_lang(a).await.unwrap(), Some(Lang::Id));
    assert_eq!(store.user_lang(b).await.unwrap(), Some(Lang::En));
}

pub(crate) async fn a_subjects_data_is_found_by_its_code_and_erased_but_the_proof_stays<
    S: Store,
>(
    store: &S,
) {
    use photo_guard_core::{AuditAction, AuditEvent};
    let mine = acted(store, 1, Verdict::Block, &["KLN0042", "OTHER1"], None, None).await;
    acted(store, 2, Verdict::Allow, &["OTHER1"], None, None).await;
    let mut q = super::quarantine(mine, -1, 1, at(2025, 5, 1, 9));
    q.tags = vec![code("KLN0042"), code("OTHER1")];
    store.seal(q, &super::photo(1, 64)).await.unwrap();
    store
        .note_media(ChatId(-1), MessageId(1), "file-1")
        .await
        .unwrap();
    store
        .note_media(ChatId(-1), MessageId(2), "file-2")
        .await
        .unwrap();
    let named = serde_json::json!({ "client": "KLN0042" });
    let event = AuditEvent::new(
        at(2025, 5, 1, 9),
        AuditAction::ConsentRecorded,
        None,
        None,
        named,
    );
    store.append(event).await.unwrap();
    let shares = store.shares_of(&code("KLN0042")).await.unwrap();
    assert_eq!(shares.len(), 1, "only the share tagging the code");
    assert_eq!(
        (shares[0].share, shares[0].verdict.as_str()),
        (mine, "block")
    );
    assert_eq!(
        store.quarantine_of(&code("KLN0042")).await.unwrap().len(),
        1
    );
    assert_eq!(store.audit_naming(&code("KLN0042")).await.unwrap().len(), 1);
    assert!(
        store
            .audit_naming(&code("KLN004"))
            .await
            .unwrap()
            .is_empty(),
        "a prefix is another code"
    );
    let erased = store.erase(&code("KLN0042")).await.unwrap();
    assert_eq!((erased.quarantined, erased.files), (1, 1));
    assert!(store
        .quarantine_of(&code("KLN0042"))
        .await
        .unwrap()
        .is_empty());
    assert_eq!(
        store.media_file(ChatId(-1), MessageId(1)).await.unwrap(),
        None
    );
    assert!(
        store
            .media_file(ChatId(-1), MessageId(2))
            .await
            .unwrap()
            .is_some(),
        "another client's file stays"
    );
    assert_eq!(
        store.shares_of(&code("KLN0042")).await.unwrap().len(),
        1,
        "shares are proof"
    );
    assert_eq!(
        store.audit_naming(&code("KLN0042")).await.unwrap().len(),
        1,
        "the log stays"
    );
}

pub(crate) async fn an_incident_keeps_its_description_clients_and_reminder_count<S: Store>(
    store: &S,
) {
    use photo_guard_core::breach::NewIncident;
    acted(store, 4, Verdict::Allow, &["KLN0042"], None, None).await;
    let tags = store.tags_of(ChatId(-1), MessageId(4)).await.unwrap();
    assert_eq!(
        tags,
        [code("KLN0042")],
        "a reported message's tags come from its share"
    );
    let new = NewIncident {
        opened_at: at(2025, 5, 1, 9),
        opened_by: photo_guard_core::UserId(1),
        chat: Some(ChatId(-1)),
        message: Some(MessageId(4)),
        description: "difoto dan diteruskan".into(),
        clients: tags,
    };
    let opened = store.open_incident(new).await.unwrap();
    assert_eq!(
        store.incident(opened.id).await.unwrap(),
        Some(opened.clone())
    );
    assert_eq!(store.open_incidents().await.unwrap().len(), 1);
    store.set_reminders(opened.id, 1).await.unwrap();
    assert_eq!(
        store.incident(opened.id).await.unwrap().unwrap().reminders,
        1
    );
    store.set_reminders(opened.id, 2).await.unwrap();
    assert!(
        store.open_incidents().await.unwrap().is_empty(),
        "every reminder sent"
    );
    assert_eq!(store.incident(99).await.unwrap(), None);
}

pub(crate) async fn shares_are_counted_per_chat_and_day_by_verdict<S: Store>(store: &S) {
    for (chat, message, verdict, hour) in [
        (-1, 1, Verdict::Allow, 9),
        (-1, 2, Verdict::Block, 10),
        (-1, 3, Verdict::Allow, 33),
        (-2, 4, Verdict::Blur, 9),
    ] {
        let when = at(2025, 5, 1, 0) + chrono::Duration::hours(hour);
        store
            .record_share(share(chat, message, verdict, when))
            .await
            .unwrap();
    }
    store
        .record_share(share(-1, 9, Verdict::Allow, at(2025, 4, 1, 9)))
        .await
        .unwrap();
    let days = store.daily_stats(at(2025, 5, 1, 0)).await.unwrap();
    let got: Vec<(i64, String, u64, u64, u64)> = days
        .iter()
        .map(|d| (d.chat, d.start.to_string(), d.allowed, d.blurred, d.blocked))
        .collect();
    assert_eq!(
        got,
        [
            (-2, "2025-05-01".to_owned(), 0, 1, 0),
            (-1, "2025-05-01".to_owned(), 1, 0, 1),
            (-1, "2025-05-02".to_owned(), 1, 0, 0),
        ],
        "per chat and UTC day, nothing before `since`"
    );
}
