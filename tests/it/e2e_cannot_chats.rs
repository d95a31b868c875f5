//! End to end, issue 17.5-17.6: the bot's own place in a group. A group that
//! becomes a supergroup keeps its policy; a group where the bot cannot delete
//! is recorded, and the chat and the admins hear what is missing.

use photo_guard_core::store::PolicyStore;
use photo_guard_core::texts::{text, Msg};
use photo_guard_core::{ChatId, ChatKind, Lang};

use crate::e2e_cannot::{audited, consent, told};
use crate::fake_telegram::Role;
use crate::support::*;

/// Waits until the bot has said exactly `body` in `chat` `n` times.
async fn said_in(app: &TestApp, chat: i64, body: &str, n: usize) -> bool {
    app.fake
        .wait_until(WAIT, |f| {
            f.sent_messages(chat)
                .iter()
                .filter(|m| m.text == body)
                .count()
                >= n
        })
        .await
}

#[tokio::test(flavor = "multi_thread")]
async fn a_chat_migrated_to_a_supergroup_keeps_its_public_policy() {
    // Issue 17.5: under its new id a public chat must still blur full-consent faces.
    const OLD: i64 = -4_200;
    const NEW: i64 = -1_000_000_004_200;
    let app = TestApp::spawn().await;
    app.fake.basic_group(OLD, "Tim Publik");
    app.fake.bot_is_admin(OLD, true);
    app.fake.make_member(OLD, ALICE);
    app.fake.send_text(OLD, ADMIN, "/policy kind=public");
    assert!(
        app.fake
            .wait_until(WAIT, |f| f
                .sent_messages(OLD)
                .iter()
                .any(|m| m.text.contains("kind=public")))
            .await,
        "the policy was not set"
    );
    consent(&app, "KLN8", "full").await;
    app.fake.upgrade_to_supergroup(OLD, NEW, ADMIN);
    let moved = audited(&app, "chat.migrated", 1).await;
    assert_eq!(moved.len(), 1, "{moved:?}");
    assert_eq!(
        (moved[0]["from"].as_i64(), moved[0]["to"].as_i64()),
        (Some(OLD), Some(NEW))
    );
    let policy = app.store().await.chat_policy(ChatId(NEW)).await.unwrap();
    assert_eq!(policy.kind, ChatKind::Public);

    let msg = app
        .fake
        .send_photo(NEW, ALICE, faces_jpeg(), Some("#KLN8 terapi"));
    assert!(
        app.fake
            .wait_until(WAIT, |f| f.sent_photos(NEW).len() == 1)
            .await,
        "full-consent faces were shown in a public chat"
    );
    assert!(app.fake.is_deleted(NEW, msg));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_group_where_the_bot_is_added_without_delete_rights_is_told_and_the_admins_too() {
    // Issue 17.6: an unguarded group is recorded, and nobody is left to think it is guarded.
    const NEW_GROUP: i64 = -1_000_000_004_300;
    let app = TestApp::spawn().await;
    app.fake.group(NEW_GROUP, "Tim Baru");
    app.fake.set_bot_role(NEW_GROUP, Role::Left);
    app.fake.change_bot_role(NEW_GROUP, ADMIN, Role::Member);
    let warning = text(Lang::Id, &Msg::NoDeleteRights);
    assert!(
        said_in(&app, NEW_GROUP, &warning, 1).await,
        "the chat was not told"
    );
    let alert = text(Lang::Id, &Msg::NoDeleteRightsAdmin { chat: "Tim Baru" });
    assert!(told(&app, ADMIN, &alert).await, "the admins were not told");
    let chats = app.store().await.guarded_chats().await.unwrap();
    assert!(
        chats.contains(&ChatId(NEW_GROUP)),
        "not recorded: {chats:?}"
    );

    // `doctor` lists it as something to fix.
    let out = tokio::task::block_in_place(|| app.run_command(&["doctor"]));
    let report = String::from_utf8_lossy(&out.stdout);
    assert!(
        report
            .lines()
            .any(|l| l.starts_with("FIX") && l.contains("\"Tim Baru\"")),
        "{report}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_bot_promoted_then_demoted_says_it_guards_then_warns_again() {
    // Issue 17.6: every change of the right is said, in the chat and to the admins.
    const NEW_GROUP: i64 = -1_000_000_004_400;
    let app = TestApp::spawn().await;
    app.fake.group(NEW_GROUP, "Tim Baru");
    app.fake.set_bot_role(NEW_GROUP, Role::Left);
    app.fake.change_bot_role(NEW_GROUP, ADMIN, Role::Member);
    let warning = text(Lang::Id, &Msg::NoDeleteRights);
    assert!(said_in(&app, NEW_GROUP, &warning, 1).await);

    let with_right = Role::Admin {
        can_delete_messages: true,
    };
    app.fake.change_bot_role(NEW_GROUP, ADMIN, with_right);
    let guarding = text(Lang::Id, &Msg::NowGuarding);
    assert!(
        said_in(&app, NEW_GROUP, &guarding, 1).await,
        "not told it guards"
    );
    let alert = text(Lang::Id, &Msg::NowGuardingAdmin { chat: "Tim Baru" });
    assert!(
        told(&app, ADMIN, &alert).await,
        "the admins were not told it guards"
    );

    let without = Role::Admin {
        can_delete_messages: false,
    };
    app.fake.change_bot_role(NEW_GROUP, ADMIN, without);
    assert!(
        said_in(&app, NEW_GROUP, &warning, 2).await,
        "the demotion was not said"
    );
    let statuses = audited(&app, "chat.bot_status", 3).await;
    let to: Vec<_> = statuses
        .iter()
        .map(|d| d["to"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(to, ["unguarded", "guarding", "unguarded"]);
}
