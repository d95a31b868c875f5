//! End to end, issue 17.2-17.4: what the bot cannot download, look at or
//! delete. Nothing stays visible unremarked: it is removed and the admins
//! told, or, when Telegram will not delete it, the admins are told every time
//! with a link.

use photo_guard_core::store::AuditLog;
use photo_guard_core::texts::{text, Msg, Unchecked, Undeletable};
use photo_guard_core::Lang;
use serde_json::Value;

use crate::fake_telegram::Fault;
use crate::support::*;

/// The details of the audit entries named `action`, once there are `n`
/// (empty if there never are).
pub(crate) async fn audited(app: &TestApp, action: &str, n: usize) -> Vec<Value> {
    let store = &app.store().await;
    let found = eventually(|| async move {
        let details: Vec<Value> = store
            .entries_since(chrono::DateTime::<chrono::Utc>::MIN_UTC)
            .await
            .expect("the test reads the audit log")
            .into_iter()
            .filter(|e| e.event.action == action)
            .map(|e| serde_json::from_str(&e.event.detail).expect("audit detail is JSON"))
            .collect();
        (details.len() >= n).then_some(details)
    });
    found.await.unwrap_or_default()
}

/// Waits until `user` has received exactly the text `body`.
pub(crate) async fn told(app: &TestApp, user: i64, body: &str) -> bool {
    app.fake
        .wait_until(WAIT, |f| f.messages_to(user).iter().any(|m| m.text == body))
        .await
}

fn unchecked_alert(why: Unchecked) -> String {
    let msg = Msg::UncheckedAdmin {
        chat: "Tim Lapangan",
        sender: "Alice",
        why,
    };
    text(Lang::Id, &msg)
}

#[tokio::test(flavor = "multi_thread")]
async fn an_oversized_file_with_no_image_name_is_removed_and_the_admins_told() {
    // Issue 17.2: over the limit, whatever its name, it is removed unchecked.
    let app = TestApp::spawn().await;
    let big = vec![b'P'; 21 * 1024 * 1024];
    let msg = app
        .fake
        .send_document(GROUP, ALICE, &big, "rekaman.zip", "application/zip", None);
    let alert = unchecked_alert(Unchecked::TooLarge { limit_mb: 20 });
    assert!(told(&app, ADMIN, &alert).await, "the admins were not told");
    assert!(
        app.fake.is_deleted(GROUP, msg),
        "the file stayed in the chat"
    );
    let notice = text(
        Lang::Id,
        &Msg::TooLargeInChat {
            sender: "Alice",
            limit_mb: 20,
        },
    );
    let in_chat = app.fake.sent_messages(GROUP);
    assert!(
        in_chat.iter().any(|m| m.text.starts_with(&notice)),
        "{in_chat:?}"
    );
    let entries = audited(&app, "share.unchecked", 1).await;
    assert_eq!(entries.len(), 1, "{entries:?}");
    assert_eq!(entries[0]["why"], "too_large");
    assert_eq!(entries[0]["message"], msg);
    assert!(
        app.fake.calls_of("download").is_empty(),
        "a file declared over the limit must not be downloaded"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_permanent_download_error_removes_the_photo_and_tells_the_admins() {
    // Issue 17.3: a 4xx from getFile is Telegram's final answer, not "try again in a minute".
    let app = TestApp::spawn().await;
    app.fake
        .fail_next("getfile", Fault::BadRequest("wrong file_id".into()));
    let msg = app
        .fake
        .send_photo(GROUP, ALICE, faces_jpeg(), Some("kunjungan"));
    let alert = unchecked_alert(Unchecked::Refused);
    assert!(told(&app, ADMIN, &alert).await, "the admins were not told");
    assert!(
        app.fake.is_deleted(GROUP, msg),
        "the photo stayed in the chat"
    );
    assert!(
        app.fake.sent_photos(GROUP).is_empty(),
        "nothing unchecked is re-posted"
    );
    assert_eq!(
        app.fake.calls_of("getfile").len(),
        1,
        "a 4xx is not retried"
    );
    let entries = audited(&app, "share.unchecked", 1).await;
    assert_eq!(entries.len(), 1, "{entries:?}");
    assert_eq!(entries[0]["why"], "download_refused");
}

/// Whether the failed tries recorded for `message` come to `n`.
async fn wait_tries(app: &TestApp, message: i32, n: i64) -> bool {
    let store = &app.store().await;
    let counted = eventually(|| async move {
        let tries: Option<i64> = sqlx::query_scalar(
            "SELECT tries FROM download_tries WHERE chat_id = ? AND message_id = ?",
        )
        .bind(GROUP)
        .bind(message)
        .fetch_optional(store.sqlite_pool().unwrap())
        .await
        .expect("the test reads the download tries");
        (tries == Some(n)).then_some(())
    });
    counted.await.is_some()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_photo_that_cannot_be_downloaded_after_three_tries_is_removed() {
    // Issue 17.3: a download that keeps failing is given up after 3 tries,
    // counted across restarts (each start replays the photo from the inbox).
    let mut app = TestApp::spawn().await;
    app.fake
        .fail_next_n("download", Fault::ServerError(503), 10);
    let msg = app.fake.send_photo(GROUP, ALICE, faces_jpeg(), None);
    for tries in 1..=2 {
        assert!(
            wait_tries(&app, msg, tries).await,
            "try {tries} was not counted"
        );
        assert!(
            !app.fake.is_deleted(GROUP, msg),
            "removed after {tries} tries"
        );
        app.kill();
        app.start().await;
    }
    let alert = unchecked_alert(Unchecked::GaveUp { tries: 3 });
    assert!(told(&app, ADMIN, &alert).await, "the admins were not told");
    assert!(
        app.fake.is_deleted(GROUP, msg),
        "the photo stayed in the chat"
    );
    assert_eq!(
        app.fake.calls_of("download").len(),
        3,
        "one download per try"
    );
    let entries = audited(&app, "share.unchecked", 1).await;
    assert_eq!(entries.len(), 1, "{entries:?}");
    assert_eq!(entries[0]["why"], "download_failed");
    assert_eq!(entries[0]["tries"], 3);
}

/// Records consent for `code` through the admin's private chat.
pub(crate) async fn consent(app: &TestApp, code: &str, level: &str) {
    let answer = app
        .private_command(ADMIN, &format!("/consent {code} {level}"))
        .await;
    assert!(
        answer.contains(code),
        "unexpected answer to /consent: {answer}"
    );
}

fn undeletable_alert(message: i32, why: Undeletable) -> String {
    // GROUP is -100500: its t.me/c id is the id without -100.
    let link = format!("https://t.me/c/500/{message}");
    let msg = Msg::UndeletableAdmin {
        chat: "Tim Lapangan",
        sender: "Alice",
        link: Some(&link),
        message: i64::from(message),
        why,
    };
    text(Lang::Id, &msg)
}

#[tokio::test(flavor = "multi_thread")]
async fn an_undeletable_old_photo_is_reported_to_the_admins_with_a_link_every_time() {
    // Issue 17.4: a photo past Telegram's 48 h cannot be deleted even with the
    // right; the admins hear of each one, with a link, and nobody is told the
    // bot lacks a right it has.
    let app = TestApp::spawn().await;
    consent(&app, "KLN5", "refused").await;
    let photos = [
        app.fake
            .send_photo(GROUP, ALICE, plain_jpeg(), Some("kegiatan")),
        app.fake
            .send_photo(GROUP, ALICE, plain_jpeg(), Some("kegiatan lagi")),
    ];
    assert!(app.wait_checked(2).await);
    for msg in photos {
        app.fake.backdate(GROUP, msg, 49 * 3600);
        app.fake.edit_caption(GROUP, msg, Some("ternyata #KLN5"));
        let alert = undeletable_alert(msg, Undeletable::TooOld);
        assert!(told(&app, ADMIN, &alert).await, "no link to photo {msg}");
    }
    let entries = audited(&app, "share.undeletable", 2).await;
    assert_eq!(entries.len(), 2, "{entries:?}");
    assert!(entries.iter().all(|e| e["why"] == "too_old"), "{entries:?}");
    let wrong = text(Lang::Id, &Msg::NoDeleteRights);
    assert!(
        app.fake
            .sent_messages(GROUP)
            .iter()
            .all(|m| m.text != wrong),
        "the chat was told the bot lacks a right it has"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn without_delete_rights_the_chat_is_warned_once_and_the_admins_for_every_photo() {
    // Issue 17.4: each photo left in place reaches the admins; the chat's
    // warning is not repeated for every photo.
    let app = TestApp::spawn().await;
    app.fake.bot_is_admin(GROUP, false);
    let photos = [
        app.fake.send_photo(GROUP, ALICE, faces_jpeg(), None),
        app.fake.send_photo(GROUP, ALICE, faces_jpeg(), None),
    ];
    for msg in photos {
        let alert = undeletable_alert(msg, Undeletable::NoRight);
        assert!(told(&app, ADMIN, &alert).await, "no link to photo {msg}");
    }
    assert_eq!(audited(&app, "share.undeletable", 2).await.len(), 2);
    let warning = text(Lang::Id, &Msg::NoDeleteRights);
    let warnings = app
        .fake
        .sent_messages(GROUP)
        .iter()
        .filter(|m| m.text == warning)
        .count();
    assert_eq!(warnings, 1, "the chat must be warned once per run");
}
