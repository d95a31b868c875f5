//! End to end: the review buttons, commands and reminders.

use photo_guard_core::store::Vault;
use photo_guard_core::texts::{text, Msg};
use photo_guard_core::{Lang, Resolution, Role};

use crate::support::*;

/// Blocks one photo and returns the admin alert's message id and item id.
async fn blocked_item(app: &TestApp) -> (i32, i64) {
    app.private_command(ADMIN, "/consent KLN1 refused").await;
    app.fake
        .send_photo(GROUP, ALICE, plain_jpeg(), Some("#KLN1"));
    let alert = app.review_alert(ADMIN).await.expect("no admin alert");
    let item = app.store().await.pending().await.unwrap()[0].id.0;
    (alert, item)
}

#[tokio::test(flavor = "multi_thread")]
async fn an_admin_views_a_blocked_photo_with_content_protection() {
    let app = TestApp::spawn().await;
    let (alert, item) = blocked_item(&app).await;
    app.fake
        .press_button(ADMIN, ADMIN, alert, &format!("rv:v:{item}"));
    assert!(
        app.fake
            .wait_until(WAIT, |f| !f.sent_photos(ADMIN).is_empty())
            .await,
        "nothing was shown"
    );
    let shown = &app.fake.sent_photos(ADMIN)[0];
    assert!(
        shown.protect_content,
        "the photo could be forwarded or saved"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_non_admin_press_is_refused_and_changes_nothing() {
    let app = TestApp::spawn().await;
    let (alert, item) = blocked_item(&app).await;
    let answer = app
        .press(ADMIN, MALLORY, alert, &format!("rv:d:{item}"))
        .await;
    assert_eq!(
        answer,
        text(
            Lang::Id,
            &Msg::NotAllowed {
                needed: Role::Admin
            }
        )
    );
    let still = app
        .store()
        .await
        .item(photo_guard_core::RecordId(item))
        .await
        .unwrap();
    assert_eq!(still.resolution, Resolution::Pending);
}

#[tokio::test(flavor = "multi_thread")]
async fn an_admin_discards_and_a_forged_press_is_answered_as_stale() {
    let app = TestApp::spawn().await;
    let (alert, item) = blocked_item(&app).await;
    app.press(ADMIN, ADMIN, alert, &format!("rv:d:{item}"))
        .await;
    let gone = app
        .store()
        .await
        .item(photo_guard_core::RecordId(item))
        .await
        .unwrap();
    assert_eq!(gone.resolution, Resolution::Discarded);
    assert_eq!(
        app.press(ADMIN, ADMIN, alert, "rv:o:999999").await,
        text(Lang::Id, &Msg::ReviewStale)
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn release_blurred_posts_an_anonymised_copy_in_the_original_chat() {
    let app = TestApp::spawn().await;
    let (alert, item) = blocked_item(&app).await;
    app.fake
        .press_button(ADMIN, ADMIN, alert, &format!("rv:b:{item}"));
    assert!(
        app.fake
            .wait_until(WAIT, |f| !f.sent_photos(GROUP).is_empty())
            .await,
        "nothing was released"
    );
    let released = app
        .store()
        .await
        .item(photo_guard_core::RecordId(item))
        .await
        .unwrap();
    assert_eq!(released.resolution, Resolution::ReleasedBlurred);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_consent_command_from_a_non_coordinator_is_refused_without_effect() {
    let app = TestApp::spawn().await;
    app.fake.user_starts_bot(MALLORY);
    let answer = app.private_command(MALLORY, "/consent KLN5 full").await;
    assert_eq!(
        answer,
        text(
            Lang::Id,
            &Msg::NotAllowed {
                needed: Role::Coordinator
            }
        )
    );
    let clients = photo_guard_core::store::ConsentStore::clients(&app.store().await)
        .await
        .unwrap();
    assert!(clients.is_empty(), "a refused command registered a client");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_granted_coordinator_can_record_consent_but_not_in_a_group() {
    let app = TestApp::spawn().await;
    app.private_command(ADMIN, &format!("/grant {COORDINATOR} coordinator"))
        .await;
    let answer = app
        .private_command(
            COORDINATOR,
            "/consent KLN8 blurred until=2099-01-01 by=guardian evidence=\"F-12 b\"",
        )
        .await;
    assert!(answer.contains("KLN8"), "{answer}");
    app.fake.send_text(GROUP, COORDINATOR, "/consent KLN9 full");
    let refused = text(Lang::Id, &Msg::PrivateOnly);
    assert!(
        app.fake
            .wait_until(WAIT, |f| f
                .sent_messages(GROUP)
                .iter()
                .any(|m| m.text == refused))
            .await
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_new_member_is_greeted_with_the_rules() {
    let app = TestApp::spawn().await;
    app.fake.user(2001, "Budi", None);
    app.fake.user_joins(GROUP, 2001);
    let rules = text(Lang::Id, &Msg::Rules);
    assert!(
        app.fake
            .wait_until(WAIT, |f| f
                .sent_messages(GROUP)
                .iter()
                .any(|m| m.text.contains("Budi") && m.text.contains(&rules)))
            .await
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_report_as_a_reply_reaches_the_admins() {
    let app = TestApp::spawn().await;
    let target = app
        .fake
        .send_text(GROUP, MALLORY, "foto klien di grup lain");
    app.fake.reply_with_command(GROUP, ALICE, target, "/report");
    assert!(
        app.fake
            .wait_until(WAIT, |f| f
                .messages_to(ADMIN)
                .iter()
                .any(|m| m.text.contains("Alice")))
            .await
    );
}

/// The commands in a user's private menu (`setMyCommands` with their chat
/// as scope), if the bot set one.
fn private_menu(app: &TestApp, user: i64) -> Option<Vec<String>> {
    let set = app
        .fake
        .commands()
        .into_iter()
        .find(|set| set.scope["type"] == "chat" && set.scope["chat_id"] == user)?;
    let names = set.commands.as_array()?.iter();
    Some(
        names
            .filter_map(|c| c["command"].as_str().map(str::to_string))
            .collect(),
    )
}

/// Regression: a role granted after start-up used to reach the menu only at
/// the next start (known gap in the issue 5-8 closing note).
#[tokio::test(flavor = "multi_thread")]
async fn a_granted_role_reaches_the_users_menu_at_once_and_leaves_with_ungrant() {
    let app = TestApp::spawn().await;
    assert_eq!(private_menu(&app, ALICE), None);

    app.private_command(ADMIN, &format!("/grant {ALICE} coordinator"))
        .await;
    let menu = private_menu(&app, ALICE).expect("a menu for the new coordinator");
    assert!(menu.iter().any(|c| c == "consent"), "{menu:?}");
    assert!(!menu.iter().any(|c| c == "review"), "{menu:?}");

    app.private_command(ADMIN, &format!("/ungrant {ALICE}"))
        .await;
    assert_eq!(private_menu(&app, ALICE), None);
}
