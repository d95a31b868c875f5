//! Issue 22 end to end: the real binary serving WhatsApp only, against the
//! fake WAHA. Photos arrive as signed `message` webhooks; the bot fetches
//! them from the gateway, checks them and acts through WAHA's REST API.

use chrono::NaiveDate;
use photo_guard_core::store::ConsentStore;
use photo_guard_core::texts::{text, Msg};
use photo_guard_core::{
    ClientCode, ConsentEvent, ConsentLevel, GivenBy, Grant, Lang, NewConsent, UserId, Verdict,
};

use crate::fake_waha::Photo;
use crate::support::{faces_jpeg, plain_jpeg, WAIT};
use crate::support_whatsapp::{WaApp, ADMIN, ALICE, GROUP, SUBJECT};

pub(crate) async fn consent(app: &WaApp, code: &str, level: ConsentLevel) {
    let grant = Grant {
        level,
        purpose: None,
        given_by: GivenBy::Client,
        evidence: None,
        valid_from: NaiveDate::from_ymd_opt(2020, 1, 1).unwrap(),
        valid_until: None,
    };
    let record = NewConsent {
        client: ClientCode::parse(code).unwrap(),
        event: ConsentEvent::Granted(grant),
        recorded_by: UserId(1),
        recorded_at: chrono::Utc::now(),
    };
    app.store().await.append_consent(record).await.unwrap();
}

/// Waits until `id` is deleted and something posted in the group in its place.
async fn replaced_in_group(app: &WaApp, id: &str) -> bool {
    app.waha
        .wait_until(WAIT, |w| w.is_deleted(id) && !w.sent_to(GROUP).is_empty())
        .await
}

/// How many media downloads the bot asked the gateway for.
fn fetches(app: &WaApp) -> usize {
    app.waha.calls_of("GET", "/api/files/").len()
}

pub(crate) fn photo<'a>(caption: Option<&'a str>, jpeg: &'a [u8]) -> Photo<'a> {
    Photo {
        group: GROUP,
        sender: ALICE,
        sender_name: "Alice",
        caption,
        jpeg,
    }
}

#[tokio::test]
async fn untagged_face_photo_in_a_whatsapp_group_is_replaced_by_a_blurred_copy() {
    // Issue 22: the original goes for everyone and a blurred copy credited to the sender replaces it.
    let app = WaApp::spawn().await;
    let (id, body) = app
        .waha
        .photo_message(&photo(Some("kunjungan"), faces_jpeg()));
    assert_eq!(app.waha.deliver(&body).await, 200);
    assert_eq!(app.wait_verdict(&id).await, Verdict::Blur);
    let replaced = replaced_in_group(&app, &id).await;
    assert!(replaced, "the original was not deleted and replaced");
    let copy = &app.waha.sent_to(GROUP)[0];
    assert_eq!(copy.endpoint, "sendImage");
    assert_ne!(copy.bytes, faces_jpeg(), "the copy is not the original");
    image::load_from_memory(&copy.bytes).expect("the copy is an image");
    assert!(
        copy.text.contains("Alice"),
        "the sender is credited: {}",
        copy.text
    );
    assert!(copy.text.contains(&text(Lang::Id, &Msg::Reminder)));
    let calls = app.waha.world().calls.clone();
    let deleted_at = calls.iter().position(|c| c.method == "DELETE").unwrap();
    let posted_at = calls
        .iter()
        .position(|c| c.path == "/api/sendImage")
        .unwrap();
    assert!(
        deleted_at < posted_at,
        "the copy was posted before the original went"
    );
    assert_eq!(
        app.waha.unauthorized_calls(),
        0,
        "every call carried the API key"
    );
}

#[tokio::test]
async fn untagged_faces_in_a_whatsapp_video_are_replaced_by_a_blurred_video() {
    // Issue 22: "a video is blurred": the clip goes to the guard's video
    // examination, the original is deleted and a blurred MP4 is posted.
    let app = WaApp::spawn().await;
    let clip = crate::e2e_video::clips::faces_mp4();
    let (id, body) = app.waha.video_message(&photo(Some("kunjungan"), clip));
    assert_eq!(app.waha.deliver(&body).await, 200);
    assert_eq!(app.wait_verdict(&id).await, Verdict::Blur);
    assert!(
        replaced_in_group(&app, &id).await,
        "the clip was not replaced"
    );
    let copy = &app.waha.sent_to(GROUP)[0];
    assert_eq!(copy.endpoint, "sendVideo");
    assert_ne!(copy.bytes, clip, "the copy is not the original");
    assert_eq!(&copy.bytes[4..8], b"ftyp", "the copy is an MP4");
    assert!(copy.text.contains("Alice"), "credited: {}", copy.text);
}

#[tokio::test]
async fn full_consent_photo_in_a_whatsapp_group_stays() {
    // Issue 22: the same verdict table as on Telegram: full consent in a team chat allows.
    let app = WaApp::spawn().await;
    consent(&app, "KLN0001", ConsentLevel::Full).await;
    let (id, body) = app
        .waha
        .photo_message(&photo(Some("#KLN0001 kunjungan"), faces_jpeg()));
    assert_eq!(app.waha.deliver(&body).await, 200);
    assert_eq!(app.wait_verdict(&id).await, Verdict::Allow);
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    assert!(!app.waha.is_deleted(&id), "an allowed photo was deleted");
    assert!(
        app.waha.sent_to(GROUP).is_empty(),
        "something was posted for an allowed photo"
    );
}

#[tokio::test]
async fn a_forged_webhook_is_refused_with_401_and_never_acted_on() {
    // Issue 22: only WAHA, holding the secret, can hand the bot a photo.
    let app = WaApp::spawn().await;
    let (forged, body) = app.waha.photo_message(&photo(None, faces_jpeg()));
    assert_eq!(app.waha.post_webhook(&body, None).await, 401, "unsigned");
    assert_eq!(
        app.waha
            .post_webhook(&body, Some("not-the-secret-at-all"))
            .await,
        401,
        "signed with another key"
    );
    // A genuine one after it: once it is judged, the forged one would have been too.
    let (genuine, body) = app.waha.photo_message(&photo(None, plain_jpeg()));
    assert_eq!(app.waha.deliver(&body).await, 200);
    assert_eq!(app.wait_verdict(&genuine).await, Verdict::Allow);
    let fetched = app.waha.calls_of("GET", "/api/files/");
    assert_eq!(fetched.len(), 1, "only the genuine photo was fetched");
    assert!(!fetched[0].path.contains(&forged));
    assert!(!app.waha.is_deleted(&forged));
}

#[tokio::test]
async fn a_repeated_webhook_is_handled_once() {
    // Issue 22: WAHA retries deliveries; a photo must not be deleted, posted or audited twice.
    let app = WaApp::spawn().await;
    let (id, body) = app.waha.photo_message(&photo(None, faces_jpeg()));
    assert_eq!(app.waha.deliver(&body).await, 200);
    assert_eq!(
        app.waha.deliver(&body).await,
        200,
        "a redelivery is acknowledged"
    );
    assert_eq!(app.wait_verdict(&id).await, Verdict::Blur);
    let done = app
        .waha
        .wait_until(WAIT, |w| !w.sent_to(GROUP).is_empty())
        .await;
    assert!(done);
    assert_eq!(app.waha.deliver(&body).await, 200, "and again once done");
    // Something later, judged after both redeliveries were answered.
    let (later, body) = app.waha.photo_message(&photo(None, plain_jpeg()));
    assert_eq!(app.waha.deliver(&body).await, 200);
    assert_eq!(app.wait_verdict(&later).await, Verdict::Allow);
    assert_eq!(app.waha.deletions_of(&id), 1);
    assert_eq!(app.waha.sent_to(GROUP).len(), 1, "one blurred copy");
    assert_eq!(fetches(&app), 2, "fetched once each");
}

/// The item number in an alert's `/discard N` hint.
pub(crate) fn item_in(alert: &str) -> i64 {
    let at = alert.find("/discard ").expect("the alert offers /discard") + "/discard ".len();
    alert[at..]
        .split_whitespace()
        .next()
        .and_then(|n| n.parse().ok())
        .expect("an item number")
}

#[tokio::test]
async fn a_refused_clients_photo_is_blocked_and_reviewed_by_reply_commands() {
    // Issue 22: no buttons on WhatsApp: the admin reviews with /review, /release and /discard.
    let app = WaApp::spawn().await;
    consent(&app, "KLN0002", ConsentLevel::Refused).await;
    let (id, body) = app
        .waha
        .photo_message(&photo(Some("#KLN0002"), faces_jpeg()));
    assert_eq!(app.waha.deliver(&body).await, 200);
    assert_eq!(app.wait_verdict(&id).await, Verdict::Block);
    let alerted = app
        .waha
        .wait_until(WAIT, |w| w.is_deleted(&id) && !w.sent_to(ADMIN).is_empty())
        .await;
    assert!(
        alerted,
        "the photo was not removed or the admin not alerted"
    );
    assert!(
        app.waha.sent_to(GROUP).is_empty(),
        "nothing of a blocked photo is posted"
    );
    assert!(
        !app.waha.sent_to(ALICE).is_empty(),
        "the sender is told privately"
    );
    let alert = app.waha.sent_to(ADMIN)[0].text.clone();
    let item = item_in(&alert);
    assert!(
        alert.contains(&format!("/release {item} blurred")),
        "{alert}"
    );

    let listed = app.private_command(ADMIN, "/review").await;
    assert!(listed.contains(&format!("/discard {item}")), "{listed}");
    let refused = app
        .private_command(ALICE, &format!("/discard {item}"))
        .await;
    assert_eq!(
        refused,
        text(
            Lang::Id,
            &Msg::NotAllowed {
                needed: photo_guard_core::Role::Admin
            }
        )
    );
    let original = app
        .private_command(ADMIN, &format!("/release {item} original"))
        .await;
    assert_eq!(original, text(Lang::Id, &Msg::ReviewOriginalNotAllowed));
    let released = app
        .private_command(ADMIN, &format!("/release {item} blurred"))
        .await;
    let done = Msg::ReviewFinished {
        action: photo_guard_core::ReviewAction::ReleaseBlurred,
    };
    assert_eq!(released, text(Lang::Id, &done));
    let posted = app
        .waha
        .wait_until(WAIT, |w| !w.sent_to(GROUP).is_empty())
        .await;
    assert!(posted, "the blurred release was not posted in the group");
    assert_ne!(app.waha.sent_to(GROUP)[0].bytes, faces_jpeg());
    let again = app
        .private_command(ADMIN, &format!("/discard {item}"))
        .await;
    assert_eq!(
        again,
        text(Lang::Id, &Msg::ReviewStale),
        "an item is settled once"
    );
}

#[tokio::test]
async fn a_crash_between_delete_and_repost_loses_nothing() {
    // Issue 22: the blurred copy is sealed before the original goes; a restart posts it, once.
    let mut app = WaApp::spawn().await;
    // Failing until the "crash", so the retry sweep cannot post it first.
    app.waha.fail_next("/api/sendImage", 1000);
    let (id, body) = app.waha.photo_message(&photo(None, faces_jpeg()));
    assert_eq!(app.waha.deliver(&body).await, 200);
    let tried = app
        .waha
        .wait_until(WAIT, |w| {
            w.is_deleted(&id) && !w.calls_of("POST", "/api/sendImage").is_empty()
        })
        .await;
    assert!(
        tried,
        "the original was not deleted or the copy never tried"
    );
    assert!(
        app.waha.sent_to(GROUP).is_empty(),
        "the failed post posted nothing"
    );
    app.kill();
    app.waha.fail_next("/api/sendImage", 0);
    app.start().await;
    let posted = app
        .waha
        .wait_until(WAIT, |w| !w.sent_to(GROUP).is_empty())
        .await;
    assert!(posted, "the blurred copy was lost with the crash");
    assert_eq!(
        app.waha.deletions_of(&id),
        1,
        "the original was deleted once"
    );
    assert_eq!(fetches(&app), 1, "not checked again");
    assert_ne!(app.waha.sent_to(GROUP)[0].bytes, faces_jpeg());
}

#[tokio::test]
async fn without_group_admin_rights_the_bot_says_so_and_tells_the_admins() {
    // Issue 22: it never pretends to enforce where WhatsApp will not let it delete.
    let app = WaApp::spawn_with(false).await;
    let (id, body) = app.waha.photo_message(&photo(None, faces_jpeg()));
    assert_eq!(app.waha.deliver(&body).await, 200);
    assert_eq!(app.wait_verdict(&id).await, Verdict::Blur);
    let told = app
        .waha
        .wait_until(WAIT, |w| {
            !w.sent_to(GROUP).is_empty() && !w.sent_to(ADMIN).is_empty()
        })
        .await;
    assert!(told, "neither the group nor the admins were told");
    assert_eq!(
        app.waha.sent_to(GROUP)[0].text,
        text(Lang::Id, &Msg::NoDeleteRights)
    );
    // Issue 18: the shared intake's notice, naming the group, the sender and the cause.
    let admin = &app.waha.sent_to(ADMIN)[0].text;
    let told = text(
        Lang::Id,
        &Msg::UndeletableAdmin {
            chat: SUBJECT,
            sender: "Alice",
            link: None,
            message: 0,
            why: photo_guard_core::texts::Undeletable::NoRight,
        },
    );
    let cause = told.split(" pesan #").next().unwrap_or_default();
    assert!(admin.starts_with(cause), "{admin}");
    assert!(!app.waha.is_deleted(&id));
    assert!(
        app.waha
            .sent_to(GROUP)
            .iter()
            .all(|s| s.endpoint == "sendText"),
        "no blurred copy beside an original still there"
    );
}

#[tokio::test]
async fn a_new_group_member_gets_the_rules() {
    // Issue 22: group participant events greet newcomers as on Telegram.
    let app = WaApp::spawn().await;
    let newcomer = "6281100000009@c.us";
    assert_eq!(
        app.waha
            .deliver(&app.waha.group_join(GROUP, newcomer))
            .await,
        200
    );
    let greeted = app
        .waha
        .wait_until(WAIT, |w| !w.sent_to(GROUP).is_empty())
        .await;
    assert!(greeted, "the newcomer was not greeted");
    let welcome = text(
        Lang::Id,
        &Msg::Welcome {
            name: "6281100000009",
        },
    );
    assert_eq!(app.waha.sent_to(GROUP)[0].text, welcome);
}

#[tokio::test]
async fn a_repeated_group_join_greets_once() {
    // Issue 22: each event is recorded idempotently; a redelivered join greeted the newcomer again.
    let app = WaApp::spawn().await;
    let join = app.waha.group_join(GROUP, "6281100000009@c.us");
    for _ in 0..3 {
        assert_eq!(app.waha.deliver(&join).await, 200);
    }
    let greeted = app
        .waha
        .wait_until(WAIT, |w| !w.sent_to(GROUP).is_empty())
        .await;
    assert!(greeted, "the newcomer was not greeted");
    tokio::time::sleep(std::time::Duration::from_secs(2)).await;
    assert_eq!(app.waha.deliver(&join).await, 200, "a late redelivery");
    tokio::time::sleep(std::time::Duration::from_secs(2)).await;
    assert_eq!(app.waha.sent_to(GROUP).len(), 1, "greeted more than once");
}

#[tokio::test]
async fn consent_recorded_by_a_whatsapp_command_lets_a_full_consent_photo_stay() {
    // Issue 22: the commands work on WhatsApp with the same texts and roles.
    let app = WaApp::spawn().await;
    let refused = app.private_command(ALICE, "/consent KLN0003 full").await;
    let needed = photo_guard_core::Role::Coordinator;
    assert_eq!(refused, text(Lang::Id, &Msg::NotAllowed { needed }));
    let recorded = app.private_command(ADMIN, "/consent KLN0003 full").await;
    let code = ClientCode::parse("KLN0003").unwrap();
    let expected = Msg::ConsentRecorded {
        code: &code,
        level: ConsentLevel::Full,
        until: None,
    };
    assert_eq!(recorded, text(Lang::Id, &expected));
    let listed = app.private_command(ADMIN, "/clients").await;
    assert!(listed.contains("KLN0003"), "{listed}");
    let (id, body) = app
        .waha
        .photo_message(&photo(Some("#KLN0003"), faces_jpeg()));
    assert_eq!(app.waha.deliver(&body).await, 200);
    assert_eq!(app.wait_verdict(&id).await, Verdict::Allow);
    assert!(!app.waha.is_deleted(&id));
}

// The fake WAHA answers on another worker while the test waits for doctor.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn doctor_checks_the_gateway_session_and_admin_rights_in_each_group() {
    // Issue 22: `doctor` says what to fix on the WhatsApp side too.
    let app = WaApp::spawn_with(false).await;
    let (id, body) = app.waha.photo_message(&photo(None, plain_jpeg()));
    assert_eq!(app.waha.deliver(&body).await, 200);
    app.wait_verdict(&id).await;
    let doctor = app.run_command(&["doctor"]);
    let report = String::from_utf8_lossy(&doctor.stdout);
    assert!(report.contains("ok   config: WhatsApp only"), "{report}");
    assert!(
        report.contains("ok   whatsapp: the WAHA session is working"),
        "{report}"
    );
    let fix = format!("FIX  whatsapp {GROUP}: the bot's number is not a group admin");
    assert!(report.contains(&fix), "{report}");
    assert_eq!(
        doctor.status.code(),
        Some(1),
        "a group it cannot guard is a thing to fix"
    );
}

#[tokio::test]
async fn a_photo_whose_download_fails_for_a_while_is_checked_once_it_can_be_fetched() {
    // Issue 22: a gateway hiccup must not leave the photo unchecked in the group until a restart.
    let app = WaApp::spawn().await;
    let (id, body) = app.waha.photo_message(&photo(None, faces_jpeg()));
    app.waha.fail_next(&format!("/api/files/{id}.jpeg"), 2);
    assert_eq!(app.waha.deliver(&body).await, 200);
    assert_eq!(app.wait_verdict(&id).await, Verdict::Blur);
    let replaced = replaced_in_group(&app, &id).await;
    assert!(
        replaced,
        "the photo was not handled after the gateway came back"
    );
    assert_eq!(fetches(&app), 3, "two failures, then the fetch");
}

#[tokio::test]
async fn a_photo_that_cannot_be_fetched_after_the_tries_is_removed_unchecked() {
    // Issue 22: fail closed: what cannot be looked at does not stay in the group.
    let app = WaApp::spawn().await;
    let (id, body) = app.waha.photo_message(&photo(None, faces_jpeg()));
    app.waha.fail_next(&format!("/api/files/{id}.jpeg"), 100);
    assert_eq!(app.waha.deliver(&body).await, 200);
    let removed = app
        .waha
        .wait_until(WAIT, |w| w.is_deleted(&id) && !w.sent_to(ADMIN).is_empty())
        .await;
    assert!(
        removed,
        "the unfetchable photo stayed, or the admins were not told"
    );
    assert_eq!(fetches(&app), 3, "DOWNLOAD_MAX_TRIES tries");
    let notice = text(Lang::Id, &Msg::UncheckedInChat { sender: "Alice" });
    assert!(app.waha.sent_to(GROUP)[0].text.starts_with(&notice));
    assert!(
        app.waha.sent_to(GROUP).iter().all(|s| s.bytes.is_empty()),
        "nothing of it is shown"
    );
}

#[tokio::test]
async fn one_process_guards_telegram_and_whatsapp_groups_on_one_database() {
    // Issue 22: TELEGRAM_BOT_TOKEN and WHATSAPP_API_URL together serve both platforms.
    let app = WaApp::spawn_both().await;
    let telegram = app.telegram.clone().expect("a fake Telegram");
    let (id, body) = app.waha.photo_message(&photo(None, faces_jpeg()));
    assert_eq!(app.waha.deliver(&body).await, 200);
    let sent = telegram.send_photo(
        crate::support::GROUP,
        crate::support::ALICE,
        faces_jpeg(),
        None,
    );
    assert!(
        replaced_in_group(&app, &id).await,
        "the WhatsApp photo was not replaced"
    );
    let deleted = telegram
        .wait_until(WAIT, |f| f.is_deleted(crate::support::GROUP, sent))
        .await;
    assert!(deleted, "the Telegram photo was not replaced");
    let checked: u64 = {
        use photo_guard_core::store::ShareStore;
        let stats = app.store().await.stats().await.unwrap();
        stats.iter().map(|s| s.checked).sum()
    };
    assert_eq!(checked, 2, "both photos recorded in the one database");
}

#[tokio::test]
async fn sigterm_stops_a_process_serving_both_platforms_cleanly() {
    // Issue 22: one stop for both: neither side keeps the process alive after SIGTERM.
    let mut app = WaApp::spawn_both().await;
    let status = app.terminate(std::time::Duration::from_secs(30)).await;
    let status = status.expect("still running 30 s after SIGTERM");
    assert!(status.success(), "{status:?}");
}

#[tokio::test]
async fn policy_set_in_a_whatsapp_group_decides_its_next_photo() {
    // Issue 22: /policy works in a WhatsApp group, checked against the sender's role.
    let app = WaApp::spawn().await;
    let by_member = app
        .waha
        .group_text(GROUP, ALICE, "/policy untagged=block", None);
    assert_eq!(app.waha.deliver(&by_member).await, 200);
    let refused = app
        .waha
        .wait_until(WAIT, |w| !w.sent_to(GROUP).is_empty())
        .await;
    assert!(refused, "no answer to a member's /policy");
    let needed = photo_guard_core::Role::Admin;
    assert_eq!(
        app.waha.sent_to(GROUP)[0].text,
        text(Lang::Id, &Msg::NotAllowed { needed })
    );
    let by_admin = app
        .waha
        .group_text(GROUP, ADMIN, "/policy untagged=block", None);
    assert_eq!(app.waha.deliver(&by_admin).await, 200);
    let set = app
        .waha
        .wait_until(WAIT, |w| w.sent_to(GROUP).len() > 1)
        .await;
    assert!(set, "no answer to the admin's /policy");
    let (id, body) = app.waha.photo_message(&photo(None, faces_jpeg()));
    assert_eq!(app.waha.deliver(&body).await, 200);
    assert_eq!(
        app.wait_verdict(&id).await,
        Verdict::Block,
        "untagged faces now block"
    );
}

#[tokio::test]
async fn a_report_in_a_whatsapp_group_reaches_the_admins() {
    // Issue 22: /report, as a reply in a group, tells the admins which message.
    let app = WaApp::spawn().await;
    let target = "false_120363000000000001@g.us_3EB0TARGET_6281100000009@c.us";
    let report = app.waha.group_text(GROUP, ALICE, "/report", Some(target));
    assert_eq!(app.waha.deliver(&report).await, 200);
    let told = app
        .waha
        .wait_until(WAIT, |w| {
            !w.sent_to(ADMIN).is_empty() && !w.sent_to(GROUP).is_empty()
        })
        .await;
    assert!(
        told,
        "the admins were not told, or the reporter not thanked"
    );
    assert!(app.waha.sent_to(ADMIN)[0].text.contains(target));
    assert_eq!(
        app.waha.sent_to(GROUP)[0].text,
        text(Lang::Id, &Msg::ReportThanks)
    );
}

#[tokio::test]
async fn a_whatsapp_group_due_its_reminder_gets_the_rules() {
    // Issue 22: the scheduled rules reminder reaches WhatsApp groups too.
    use photo_guard_core::store::{PlatformIds, PolicyStore};
    let app = WaApp::spawn().await;
    let (id, body) = app.waha.photo_message(&photo(None, plain_jpeg()));
    assert_eq!(app.waha.deliver(&body).await, 200);
    app.wait_verdict(&id).await;
    let store = app.store().await;
    let chat = photo_guard_core::ChatId(store.core_id("whatsapp", GROUP).await.unwrap());
    let long_ago = chrono::Utc::now() - chrono::Duration::days(8);
    store.set_last_reminder(chat, long_ago).await.unwrap();
    let rules = text(Lang::Id, &Msg::Rules);
    let reminded = app
        .waha
        .wait_until(WAIT, |w| w.sent_to(GROUP).iter().any(|s| s.text == rules))
        .await;
    assert!(
        reminded,
        "the weekly reminder never reached the WhatsApp group"
    );
}

#[tokio::test]
async fn a_photo_the_gateway_refuses_to_hand_over_is_removed_and_the_admins_told() {
    // Issue 18: the shared intake tells WhatsApp's admins of every unchecked removal, as Telegram's.
    let app = WaApp::spawn().await;
    let (id, body) = app.waha.photo_message(&photo(None, faces_jpeg()));
    // The gateway answers 404 for a file it no longer has: a final answer.
    let body = String::from_utf8(body).expect("a JSON body");
    let body = body
        .replace(&format!("{id}.jpeg"), "gone.jpeg")
        .into_bytes();
    assert_eq!(app.waha.deliver(&body).await, 200);
    let told = app
        .waha
        .wait_until(WAIT, |w| w.is_deleted(&id) && !w.sent_to(ADMIN).is_empty())
        .await;
    assert!(told, "the photo stayed, or the admins were not told");
    let admin = Msg::UncheckedAdmin {
        chat: SUBJECT,
        sender: "Alice",
        why: photo_guard_core::texts::Unchecked::Refused,
    };
    assert_eq!(app.waha.sent_to(ADMIN)[0].text, text(Lang::Id, &admin));
}
