//! Issue 22: what admins read about a blocked WhatsApp photo: the group by
//! its subject (the raw id only when the gateway cannot say), and viewing
//! it where WhatsApp cannot protect the original: the blurred copy first,
//! the original only on an explicit `/view N original`.

use photo_guard_core::store::AuditLog;
use photo_guard_core::texts::{text, Msg};
use photo_guard_core::{ConsentLevel, Lang, Role, Verdict};

use crate::e2e_whatsapp::{consent, item_in, photo};
use crate::support::{faces_jpeg, WAIT};
use crate::support_whatsapp::{WaApp, ADMIN, ALICE, GROUP, SUBJECT};

/// Sends a refused client's photo; the admin's alert about it.
async fn blocked(app: &WaApp) -> String {
    let before = app.waha.sent_to(ADMIN).len();
    let (id, body) = app
        .waha
        .photo_message(&photo(Some("#KLN0301"), faces_jpeg()));
    assert_eq!(app.waha.deliver(&body).await, 200);
    assert_eq!(app.wait_verdict(&id).await, Verdict::Block);
    let alerted = app
        .waha
        .wait_until(WAIT, |w| w.sent_to(ADMIN).len() > before)
        .await;
    assert!(alerted, "the admin was not alerted");
    app.waha.sent_to(ADMIN)[before].text.clone()
}

/// How often the bot asked the gateway about the group itself.
fn group_lookups(app: &WaApp) -> usize {
    let path = format!("/api/default/groups/{GROUP}");
    let calls = app.waha.calls_of("GET", &path);
    calls.iter().filter(|c| c.path == path).count()
}

#[tokio::test]
async fn an_alert_names_the_whatsapp_group_by_its_subject() {
    // Issue 22: alerts said "120363...@g.us", which no admin recognises.
    let app = WaApp::spawn().await;
    consent(&app, "KLN0301", ConsentLevel::Refused).await;
    let first = blocked(&app).await;
    assert!(first.contains(&format!("\"{SUBJECT}\"")), "{first}");
    assert!(!first.contains(GROUP), "the raw id: {first}");
    let second = blocked(&app).await;
    assert!(second.contains(SUBJECT), "{second}");
    assert_eq!(
        group_lookups(&app),
        1,
        "the subject is kept, not asked per alert"
    );
    let listed = app.private_command(ADMIN, "/review").await;
    assert!(
        listed.contains(SUBJECT) && !listed.contains(GROUP),
        "{listed}"
    );
}

#[tokio::test]
async fn a_group_the_gateway_cannot_describe_is_named_by_its_id() {
    // Issue 22: a gateway that cannot say still lets the alert out, naming the id.
    let app = WaApp::spawn().await;
    consent(&app, "KLN0301", ConsentLevel::Refused).await;
    app.waha
        .fail_next(&format!("/api/default/groups/{GROUP}"), 1000);
    let alert = blocked(&app).await;
    assert!(alert.contains(GROUP), "{alert}");
}

#[tokio::test]
async fn viewing_a_blocked_photo_on_whatsapp_sends_the_original_only_on_explicit_confirmation() {
    // Issue 22: WhatsApp has no protect_content; the original never goes out by a plain /view.
    let app = WaApp::spawn().await;
    consent(&app, "KLN0301", ConsentLevel::Refused).await;
    let alert = blocked(&app).await;
    let item = item_in(&alert);
    assert!(alert.contains(&format!("/view {item}")), "{alert}");
    let view = format!("/view {item}");
    let original = format!("/view {item} original");
    let refused = app.private_command(ALICE, &original).await;
    let needed = Role::Admin;
    assert_eq!(refused, text(Lang::Id, &Msg::NotAllowed { needed }));
    assert!(app.waha.sent_to(ALICE).iter().all(|s| s.bytes.is_empty()));

    let first = app.private_command(ADMIN, &view).await;
    let sent = app.waha.sent_to(ADMIN).last().cloned().unwrap();
    let caption = Msg::ViewBlurredOnWhatsApp { item };
    assert_eq!(first, text(Lang::Id, &caption));
    assert!(first.contains(&original), "says how to confirm: {first}");
    assert_eq!(sent.endpoint, "sendImage");
    assert_ne!(sent.bytes, faces_jpeg(), "a plain /view sent the original");
    image::load_from_memory(&sent.bytes).expect("the blurred copy is an image");

    let confirmed = app.private_command(ADMIN, &original).await;
    let sent = app.waha.sent_to(ADMIN).last().cloned().unwrap();
    let caption = Msg::ViewOriginalUnprotected { item };
    assert_eq!(confirmed, text(Lang::Id, &caption));
    assert_eq!(
        sent.bytes,
        faces_jpeg(),
        "the confirmed view is the original"
    );
    assert!(
        app.waha.sent_to(GROUP).is_empty(),
        "nothing posted in the group"
    );
    let listed = app.private_command(ADMIN, "/review").await;
    assert!(
        listed.contains(&format!("/discard {item}")),
        "still pending"
    );
    let since = chrono::Utc::now() - chrono::Duration::hours(1);
    let entries = app.store().await.entries_since(since).await.unwrap();
    let originals = |outcome: &str| {
        let outcome = format!("\"outcome\":\"{outcome}\"");
        let shown = |d: &str| d.contains("\"shown\":\"original\"") && d.contains(&outcome);
        entries
            .iter()
            .filter(|e| e.event.action == "review.view" && shown(&e.event.detail))
            .count()
    };
    assert_eq!(originals("done"), 1, "the unprotected view is audited");
    assert_eq!(originals("denied"), 1, "and the member's refused one");
}
