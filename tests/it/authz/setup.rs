//! The world the matrix starts from: the bot, a coordinator, a client with
//! consent and one blocked photo.

use photo_guard_core::store::{Inbox, Vault};
use photo_guard_core::texts::Msg;
use photo_guard_core::Role;

use super::cast::*;
use super::world::*;
use crate::support::*;

/// Starts the bot, names the coordinator, registers a client and blocks one
/// photo so that /review and the buttons have an item.
pub(super) async fn world() -> World {
    let app = TestApp::spawn().await;
    app.fake.user(NOBODY, "Nobody", None);
    app.fake.user(TARGET, "Target", None);
    let answer = app
        .private_command(ADMIN, &format!("/grant {COORDINATOR} coordinator"))
        .await;
    assert_eq!(
        answer,
        t(Msg::Granted {
            user: COORDINATOR,
            role: Role::Coordinator
        })
    );
    let answer = app
        .private_command(ADMIN, &format!("/consent {KNOWN} full"))
        .await;
    assert!(answer.contains(KNOWN), "{answer}");
    app.private_command(ADMIN, "/consent AUTHZ_BLK refused")
        .await;
    app.fake
        .send_photo(GROUP, MALLORY, plain_jpeg(), Some("#AUTHZ_BLK"));
    let notice = t(Msg::BlockedInChat { sender: "Mallory" });
    let blocked = app.fake.wait_until(WAIT, |f| {
        f.messages_to(ADMIN)
            .iter()
            .any(|m| m.reply_markup.is_some())
            && f.sent_messages(GROUP)
                .iter()
                .any(|m| m.text.contains(&notice))
    });
    assert!(blocked.await, "the setup photo was not blocked");
    let store = app.store().await;
    let item = store.pending().await.unwrap()[0].id.0;
    let group_notice = app
        .fake
        .sent_messages(GROUP)
        .iter()
        .find(|m| m.text.contains(&notice))
        .unwrap()
        .message_id;
    // Make sure the setup's updates are all done before the matrix starts.
    let deadline = tokio::time::Instant::now() + WAIT;
    while !store.unfinished().await.unwrap().is_empty() && tokio::time::Instant::now() < deadline {
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    World {
        app,
        store,
        item,
        group_notice,
        consent_codes: 0,
    }
}
