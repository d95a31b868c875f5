//! Issue 22 end to end: the admins' `/grant`, `/ungrant` and `/audit` on
//! WhatsApp, with the same texts and role checks as on Telegram; the audit
//! CSV arrives as a document (WAHA's `sendFile`) that `audit verify --csv`
//! accepts. Issue 23: `/stats` sends its counts and its chart as a picture
//! (WAHA's `sendImage`).

use photo_guard_core::texts::{text, Msg};
use photo_guard_core::{ClientCode, ConsentLevel, Lang, Role};

use crate::fake_waha::Photo;
use crate::support::{plain_jpeg, WAIT};
use crate::support_whatsapp::{WaApp, ADMIN, ALICE, GROUP};

/// Someone new to the bot, by WhatsApp id and as typed in a command.
const BOB: &str = "6281100000004@c.us";
const BOB_NUMBER: &str = "6281100000004";

fn not_allowed(needed: Role) -> String {
    text(Lang::Id, &Msg::NotAllowed { needed })
}

fn recorded(code: &ClientCode) -> String {
    let msg = Msg::ConsentRecorded {
        code,
        level: ConsentLevel::Full,
        until: None,
    };
    text(Lang::Id, &msg)
}

#[tokio::test]
async fn grant_on_whatsapp_lets_a_new_coordinator_record_consent() {
    // Issue 22: /grant was answered with the help text on WhatsApp; roles come only from the config.
    let app = WaApp::spawn().await;
    let code = ClientCode::parse("KLN0201").unwrap();
    let consent = "/consent KLN0201 full";
    let before = app.private_command(BOB, consent).await;
    assert_eq!(before, not_allowed(Role::Coordinator));
    let grant = format!("/grant {BOB_NUMBER} coordinator");
    let by_member = app.private_command(ALICE, &grant).await;
    assert_eq!(
        by_member,
        not_allowed(Role::Admin),
        "a member may not grant"
    );
    let in_group = app.group_command(ADMIN, &grant).await;
    assert_eq!(in_group, text(Lang::Id, &Msg::PrivateOnly));
    let local = app
        .private_command(ADMIN, "/grant 081100000004 coordinator")
        .await;
    let wrong = Msg::NotAWhatsAppNumber {
        given: "081100000004",
    };
    assert_eq!(
        local,
        text(Lang::Id, &wrong),
        "a local number names a stranger"
    );
    assert_eq!(
        app.private_command(BOB, consent).await,
        before,
        "still nobody"
    );
    let granted = app.private_command(ADMIN, &grant).await;
    let expected = Msg::Granted {
        user: BOB_NUMBER.parse().unwrap(),
        role: Role::Coordinator,
    };
    assert_eq!(granted, text(Lang::Id, &expected));
    assert_eq!(app.private_command(BOB, consent).await, recorded(&code));
}

#[tokio::test]
async fn ungrant_on_whatsapp_takes_the_role_away() {
    // Issue 22: /ungrant was answered with the help text on WhatsApp.
    let app = WaApp::spawn().await;
    app.give_role(BOB, Role::Coordinator).await;
    let code = ClientCode::parse("KLN0202").unwrap();
    let consent = "/consent KLN0202 full";
    assert_eq!(app.private_command(BOB, consent).await, recorded(&code));
    let ungrant = format!("/ungrant {BOB_NUMBER}");
    let by_coordinator = app.private_command(BOB, &ungrant).await;
    assert_eq!(by_coordinator, not_allowed(Role::Admin));
    let n: i64 = BOB_NUMBER.parse().unwrap();
    let removed = app.private_command(ADMIN, &ungrant).await;
    assert_eq!(removed, text(Lang::Id, &Msg::Ungranted { user: n }));
    assert_eq!(
        app.private_command(BOB, consent).await,
        not_allowed(Role::Coordinator),
        "the role is gone"
    );
    let again = app.private_command(ADMIN, &ungrant).await;
    assert_eq!(again, text(Lang::Id, &Msg::UngrantNothing { user: n }));
    // WHATSAPP_ADMINS are made admins again at every start: not removable here.
    let admin_number = ADMIN.trim_end_matches("@c.us");
    let configured = app
        .private_command(ADMIN, &format!("/ungrant {admin_number}"))
        .await;
    let user = admin_number.parse().unwrap();
    let msg = Msg::UngrantConfigAdminWhatsApp { user };
    assert_eq!(configured, text(Lang::Id, &msg));
    let still = app.private_command(ADMIN, "/clients").await;
    assert_ne!(still, not_allowed(Role::Coordinator), "the admin stays");
}

#[tokio::test]
async fn audit_on_whatsapp_sends_a_csv_that_verifies() {
    // Issue 22: /audit sent nothing but help on WhatsApp; now the keyed CSV, as a document.
    let app = WaApp::spawn().await;
    // Something in the log: a refusal, then a grant.
    let refused = app.private_command(ALICE, "/audit").await;
    assert_eq!(refused, not_allowed(Role::Admin));
    app.private_command(ADMIN, &format!("/grant {BOB_NUMBER} coordinator"))
        .await;
    let caption = app.private_command(ADMIN, "/audit 7").await;
    assert_eq!(caption, text(Lang::Id, &Msg::AuditCaption { days: 7 }));
    let sent = app.waha.sent_to(ADMIN).last().cloned().unwrap();
    assert_eq!(sent.endpoint, "sendFile");
    assert_eq!(
        (sent.filename.as_str(), sent.mimetype.as_str()),
        ("photo-guard-audit.csv", "text/csv")
    );
    assert!(
        app.waha.sent_to(ALICE).iter().all(|s| s.bytes.is_empty()),
        "the member got no file"
    );
    let csv = app.dir.path().join("from-whatsapp.csv");
    std::fs::write(&csv, &sent.bytes).unwrap();
    let verified = app.run_command(&["audit", "verify", "--csv", csv.to_str().unwrap()]);
    let said = String::from_utf8_lossy(&verified.stdout).into_owned()
        + &String::from_utf8_lossy(&verified.stderr);
    assert_eq!(verified.status.code(), Some(0), "{said}");
    assert!(said.contains("audit CSV ok"), "{said}");
    let text = String::from_utf8_lossy(&sent.bytes);
    assert!(
        text.contains("role.granted") && text.contains("command.denied"),
        "{text}"
    );
}

#[tokio::test]
async fn stats_on_whatsapp_sends_its_counts_and_a_png_chart_as_a_picture() {
    // Issue 23: /stats on WhatsApp was text only; now the counts, then the chart through sendImage.
    let app = WaApp::spawn().await;
    let photo = Photo {
        group: GROUP,
        sender: ALICE,
        sender_name: "Alice",
        caption: None,
        jpeg: plain_jpeg(),
    };
    let (id, body) = app.waha.photo_message(&photo);
    assert_eq!(app.waha.deliver(&body).await, 200);
    app.wait_verdict(&id).await;
    let counts = app.private_command(ADMIN, "/stats").await;
    let header = text(Lang::Id, &Msg::StatsHeader);
    assert!(counts.starts_with(&header), "{counts}");
    let picture = |w: &crate::fake_waha::FakeWaha| {
        let mut sent = w.sent_to(ADMIN).into_iter();
        sent.rfind(|s| s.endpoint == "sendImage")
    };
    let came = app.waha.wait_until(WAIT, |w| picture(w).is_some()).await;
    assert!(came, "no chart came");
    let chart = picture(&app.waha).unwrap();
    assert_eq!(chart.mimetype, "image/png");
    assert_eq!(chart.filename, "photo-guard-stats.png");
    crate::e2e_consent_time::assert_chart_of_an_allowed_photo(&chart.bytes);
    assert!(!chart.text.is_empty(), "the chart has no caption");
}
