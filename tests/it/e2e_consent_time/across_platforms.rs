//! Issue 23 across platforms: the takedown after a consent change goes
//! through the core's platform router, so a `/withdraw` or a downgrade given
//! on one platform reaches the chats of both (one process serving Telegram
//! and WhatsApp, `support_whatsapp.rs`).

use photo_guard_core::{ChatId, Verdict};

use crate::fake_waha::Photo;
use crate::support::{audited_verdict_in, eventually, faces_jpeg, WAIT};
use crate::support_whatsapp::{WaApp, ADMIN, ALICE, GROUP};

fn tagged(caption: &str) -> Photo<'_> {
    Photo {
        group: GROUP,
        sender: ALICE,
        sender_name: "Alice",
        caption: Some(caption),
        jpeg: faces_jpeg(),
    }
}

/// A WhatsApp photo tagged `#KLN0042`, allowed and left in the group, its
/// work finished (what a takedown reads is recorded); its id.
async fn allowed_whatsapp_photo(app: &WaApp) -> String {
    let message = app.waha.photo_message(&tagged("kunjungan #KLN0042"));
    allowed_whatsapp_media(app, message).await
}

/// Delivers `message` (its id and webhook body); once it is allowed and its
/// work finished, its id.
pub(super) async fn allowed_whatsapp_media(app: &WaApp, (id, body): (String, Vec<u8>)) -> String {
    use photo_guard_core::store::{EnforcementStore, PlatformIds};
    assert_eq!(app.waha.deliver(&body).await, 200);
    assert_eq!(app.wait_verdict(&id).await, Verdict::Allow);
    let store = app.store().await;
    let chat = ChatId(store.core_id("whatsapp", GROUP).await.unwrap());
    let message = photo_guard_core::MessageId(store.core_id("whatsapp", &id).await.unwrap());
    let done = eventually(|| async {
        let rec = store.enforcement(chat, message).await.ok()??;
        (rec.step == photo_guard_core::Step::Done).then_some(())
    })
    .await;
    assert!(done.is_some(), "the photo's work never finished");
    id
}

/// A Telegram photo tagged `#KLN0042` in `support::GROUP`, allowed, its work finished.
async fn allowed_telegram_photo(app: &WaApp) -> i32 {
    use photo_guard_core::store::EnforcementStore;
    let telegram = app.telegram.clone().unwrap();
    let (group, alice) = (crate::support::GROUP, crate::support::ALICE);
    let sent = telegram.send_photo(group, alice, faces_jpeg(), Some("#KLN0042"));
    let store = app.store().await;
    let verdict = eventually(|| audited_verdict_in(&store, ChatId(group), sent.into())).await;
    assert_eq!(verdict, Some(Verdict::Allow));
    let message = photo_guard_core::MessageId(sent.into());
    let done = eventually(|| async {
        let rec = store.enforcement(ChatId(group), message).await.ok()??;
        (rec.step == photo_guard_core::Step::Done).then_some(())
    })
    .await;
    assert!(done.is_some(), "the photo's work never finished");
    sent
}

#[tokio::test(flavor = "multi_thread")]
async fn withdrawing_consent_in_telegram_removes_the_clients_photo_from_a_whatsapp_group() {
    // Issue 23: a /withdraw on Telegram clears WhatsApp's groups too, and says so.
    let app = WaApp::spawn_both().await;
    let admin = crate::support::ADMIN;
    let recorded = app.telegram_command(admin, "/consent KLN0042 full").await;
    assert!(recorded.contains("KLN0042"), "{recorded}");
    let id = allowed_whatsapp_photo(&app).await;
    app.telegram_command(admin, "/withdraw KLN0042 minta dihapus")
        .await;
    let gone = app.waha.wait_until(WAIT, |w| w.is_deleted(&id)).await;
    assert!(
        gone,
        "the WhatsApp photo stayed after a withdrawal on Telegram"
    );
    let telegram = app.telegram.as_ref().unwrap();
    let told = telegram
        .wait_until(WAIT, |f| {
            f.messages_to(admin)
                .iter()
                .any(|m| m.text.contains("1 dihapus"))
        })
        .await;
    assert!(told, "the coordinator was not told what was removed");
}

#[tokio::test(flavor = "multi_thread")]
async fn withdrawal_on_whatsapp_removes_the_clients_photo_from_a_telegram_group() {
    // Issue 23: a /withdraw on WhatsApp clears Telegram's groups too.
    let app = WaApp::spawn_both().await;
    let recorded = app.private_command(ADMIN, "/consent KLN0042 full").await;
    assert!(recorded.contains("KLN0042"), "{recorded}");
    let telegram = app.telegram.clone().unwrap();
    let group = crate::support::GROUP;
    let sent = allowed_telegram_photo(&app).await;
    let answer = app.private_command(ADMIN, "/withdraw KLN0042").await;
    let deleted = telegram
        .wait_until(WAIT, |f| f.is_deleted(group, sent))
        .await;
    assert!(
        deleted,
        "the Telegram photo stayed after a withdrawal on WhatsApp"
    );
    assert!(answer.contains("1 dihapus"), "not told: {answer}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_downgrade_to_blurred_replaces_an_allowed_whatsapp_photo_by_a_blurred_copy() {
    // Issue 23: full -> blurred fetches the WhatsApp original again, blurs it, swaps it.
    let app = WaApp::spawn().await;
    app.private_command(ADMIN, "/consent KLN0042 full").await;
    let id = allowed_whatsapp_photo(&app).await;
    let before = app.waha.sent_to(GROUP).len();
    let answer = app.private_command(ADMIN, "/consent KLN0042 blurred").await;
    assert!(answer.contains("1 diganti"), "not told: {answer}");
    assert!(app.waha.is_deleted(&id), "the original stayed");
    let refetched = app.waha.calls_of("GET", "/api/default/chats/").len();
    assert_eq!(refetched, 1, "the original was not fetched again by its id");
    let copies: Vec<_> = app.waha.sent_to(GROUP).into_iter().skip(before).collect();
    assert_eq!(copies.len(), 1, "{copies:?}");
    assert_eq!(copies[0].endpoint, "sendImage");
    assert!(copies[0].text.contains("#KLN0042"), "{}", copies[0].text);
    let (was, now) = (
        image::load_from_memory(faces_jpeg()).unwrap().to_rgb8(),
        image::load_from_memory(&copies[0].bytes).unwrap().to_rgb8(),
    );
    assert_eq!(was.dimensions(), now.dimensions());
    assert_ne!(was.as_raw(), now.as_raw(), "the copy is not blurred");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_whatsapp_photo_the_bot_cannot_remove_is_named_by_its_group_and_time() {
    // Issue 23: WhatsApp has no message links: the coordinator gets the group's name and the time.
    let app = WaApp::spawn().await;
    app.waha.name_group(GROUP, "Tim Kunjungan Rumah");
    app.private_command(ADMIN, "/consent KLN0042 full").await;
    let id = allowed_whatsapp_photo(&app).await;
    // The bot's number stops being a group admin: WhatsApp refuses the delete.
    app.waha
        .group(GROUP, &[crate::support_whatsapp::ADMIN, ALICE], false);
    let answer = app.private_command(ADMIN, "/withdraw KLN0042").await;
    assert!(app.waha.stands(&id), "removed without the right?");
    assert!(answer.contains("«Tim Kunjungan Rumah»"), "{answer}");
    // When it was sent, in the agency's time (UTC_OFFSET, +07:00 by default).
    let local = chrono::Utc::now().with_timezone(&chrono::FixedOffset::east_opt(7 * 3600).unwrap());
    let day = local.format("%Y-%m-%d").to_string();
    assert!(answer.contains(&day), "{answer}");
}
