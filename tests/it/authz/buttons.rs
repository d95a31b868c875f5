//! The review buttons pressed by every role.

use photo_guard_core::store::{AuditLog, Vault};
use photo_guard_core::texts::Msg;
use photo_guard_core::{RecordId, Resolution, Role, UserId};
use photo_guard_store::SqliteStore;

use super::cast::*;
use super::setup::world;
use super::world::*;
use crate::support::*;

/// `review.<action>` audit entries with outcome "denied" by `user`.
pub(super) async fn denied_presses(store: &SqliteStore, user: i64) -> usize {
    let since = chrono::Utc::now() - chrono::Duration::days(1);
    store
        .entries_since(since)
        .await
        .unwrap()
        .iter()
        .filter(|e| e.event.actor == Some(UserId(user)) && e.event.action.starts_with("review."))
        .filter(|e| e.event.detail.contains("\"denied\""))
        .count()
}

#[tokio::test(flavor = "multi_thread")]
pub(super) async fn review_buttons_work_only_for_admins_whatever_the_chat() {
    let w = world().await;
    let fake = &w.app.fake;
    let item = w.item;
    let group_photos = fake.sent_photos(GROUP).len();
    let mut failures = Vec::new();
    // Non-admins press every button, forged onto a bot message in their own
    // private chat and onto the notice in the group.
    for who in [Who::None, Who::Member, Who::Coordinator] {
        let user = who.user();
        fake.send_text(user, user, "/rules");
        assert!(
            fake.wait_until(WAIT, |f| !f.messages_to(user).is_empty())
                .await
        );
        let own = fake.messages_to(user).last().unwrap().message_id;
        for (chat, message, at) in [
            (user, own, Where::Private),
            (GROUP, w.group_notice, Where::Group),
        ] {
            for action in ["v", "b", "o", "d"] {
                let label = format!("button rv:{action} by {who:?} in {at:?}");
                let denied_before = denied_presses(&w.store, user).await;
                let press = fake.press_button(chat, user, message, &format!("rv:{action}:{item}"));
                if !fake
                    .wait_until(WAIT, |f| f.callback_answer(&press).is_some())
                    .await
                {
                    failures.push(format!("{label}: no answer"));
                    continue;
                }
                let answer = fake
                    .callback_answer(&press)
                    .unwrap()
                    .text
                    .unwrap_or_default();
                let mut problems = Vec::new();
                if answer
                    != t(Msg::NotAllowed {
                        needed: Role::Admin,
                    })
                {
                    problems.push(format!("answered {answer:?}"));
                }
                let resolution = w.store.item(RecordId(item)).await.unwrap().resolution;
                if resolution != Resolution::Pending {
                    problems.push(format!("item is now {resolution:?}"));
                }
                if !fake.sent_photos(user).is_empty()
                    || fake.sent_photos(GROUP).len() != group_photos
                {
                    problems.push("a photo was shown or released".into());
                }
                if denied_presses(&w.store, user).await != denied_before + 1 {
                    problems.push("the denied press was not logged".into());
                }
                if !problems.is_empty() {
                    failures.push(format!("{label}: {}", problems.join("; ")));
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "review buttons by non-admins:\n{}",
        failures.join("\n")
    );

    // The admin, on the alert in their private chat.
    let alert = fake
        .messages_to(ADMIN)
        .into_iter()
        .find(|m| m.reply_markup.is_some())
        .unwrap()
        .message_id;
    let app = &w.app;
    let press = |data: String| async move { app.press(ADMIN, ADMIN, alert, &data).await };
    let viewed = press(format!("rv:v:{item}")).await;
    assert_eq!(viewed, t(Msg::ReviewDone { what: "view" }));
    assert!(
        fake.sent_photos(ADMIN)
            .first()
            .is_some_and(|p| p.protect_content),
        "view shows the photo, protected"
    );
    assert_eq!(
        w.store.item(RecordId(item)).await.unwrap().resolution,
        Resolution::Pending,
        "viewing resolves nothing"
    );
    let original = press(format!("rv:o:{item}")).await;
    assert_eq!(
        original,
        t(Msg::ReviewOriginalNotAllowed),
        "the client refused: no original release"
    );
    assert_eq!(
        w.store.item(RecordId(item)).await.unwrap().resolution,
        Resolution::Pending
    );
    // The admin's press counts wherever the button sits (here: forged onto the group notice).
    let discarded = w
        .app
        .press(GROUP, ADMIN, w.group_notice, &format!("rv:d:{item}"))
        .await;
    assert_eq!(discarded, t(Msg::ReviewDone { what: "dibuang" }));
    assert_eq!(
        w.store.item(RecordId(item)).await.unwrap().resolution,
        Resolution::Discarded
    );
    let again = press(format!("rv:b:{item}")).await;
    assert_eq!(
        again,
        t(Msg::ReviewStale),
        "a settled item cannot be released"
    );
    assert_eq!(
        fake.sent_photos(GROUP).len(),
        group_photos,
        "nothing was posted in the group"
    );
}
