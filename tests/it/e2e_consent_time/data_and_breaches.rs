//! End to end, issue 23: a client's data on request (`/subject`, `/erase`)
//! and breaches (`/report`, `/breach`) followed to their 3x24 hour deadline,
//! the bot's clock moved with `CLOCK_START` across restarts.

use photo_guard_core::texts::{text, Msg};
use photo_guard_core::{ClientCode, Lang};

use super::{audited, clock_at, message_containing};
use crate::e2e_photos::consent;
use crate::support::*;

#[tokio::test(flavor = "multi_thread")]
async fn subject_lists_exactly_that_clients_records_and_shares_and_erase_keeps_the_proof() {
    // Issue 23: /subject gives one client's data with its 3x24 h date; /erase is audited.
    let app = TestApp::spawn().await;
    consent(&app, "KLN0042", "full").await;
    consent(&app, "OTHER7", "full").await;
    let both = app
        .fake
        .send_photo(GROUP, ALICE, plain_jpeg(), Some("#KLN0042 #OTHER7"));
    let theirs = app
        .fake
        .send_photo(GROUP, ALICE, plain_jpeg(), Some("#OTHER7"));
    app.wait_verdict(both).await;
    app.wait_verdict(theirs).await;
    app.fake.send_text(ADMIN, ADMIN, "/subject KLN0042");
    let sent = app
        .fake
        .wait_until(WAIT, |f| !f.sent_documents(ADMIN).is_empty())
        .await;
    assert!(sent, "no file came");
    let file = &app.fake.sent_documents(ADMIN)[0];
    let json: serde_json::Value = serde_json::from_slice(&file.bytes).expect("JSON");
    assert_eq!(json["client"], "KLN0042");
    let records = json["consent_records"].as_array().unwrap();
    assert_eq!(records.len(), 1);
    assert_eq!(records[0]["client"], "KLN0042");
    let shares = json["shares"].as_array().unwrap();
    assert_eq!(shares.len(), 1, "{shares:?}");
    assert_eq!(shares[0]["message"], i64::from(both));
    assert_eq!(shares[0]["verdict"], "allow");
    let raw = String::from_utf8(file.bytes.to_vec()).unwrap();
    assert!(
        !raw.contains("OTHER7"),
        "another client's code is in the file"
    );
    let asked =
        chrono::DateTime::parse_from_rfc3339(json["requested_at"].as_str().unwrap()).unwrap();
    let due =
        chrono::DateTime::parse_from_rfc3339(json["answer_due_by"].as_str().unwrap()).unwrap();
    assert_eq!(due - asked, chrono::Duration::hours(72));
    assert!(
        !json["audit"].as_array().unwrap().is_empty(),
        "no audit entries"
    );

    let answer = app.private_command(ADMIN, "/erase KLN0042").await;
    let code = ClientCode::parse("KLN0042").unwrap();
    let erased = photo_guard_core::subject::Erasure {
        quarantined: 0,
        files: 1,
        copies: 0,
    };
    assert_eq!(
        answer,
        text(
            Lang::Id,
            &Msg::Erased {
                code: &code,
                erased
            }
        )
    );
    assert_eq!(audited(&app, "subject.erased").await.len(), 1);
    let history = app.private_command(ADMIN, "/client KLN0042").await;
    assert!(
        history.starts_with("KLN0042: "),
        "the consent proof went: {history}"
    );
}

/// Waits until the admin is told of incident 1 with `saying` in the text;
/// the incident as stored.
async fn incident_told(app: &TestApp, saying: &str) -> photo_guard_core::breach::Incident {
    use photo_guard_core::store::IncidentStore;
    let told = message_containing(app, ADMIN, "#1").await;
    assert!(
        told.is_some_and(|t| t.contains(saying)),
        "the admins were not told"
    );
    let stored = app.store().await.incident(1).await.unwrap();
    stored.expect("no incident 1")
}

/// The reminders of incident 1 the admin got so far.
fn reminders(app: &TestApp) -> Vec<String> {
    let all = app.fake.messages_to(ADMIN);
    all.into_iter()
        .map(|m| m.text)
        .filter(|t| t.starts_with("⏰"))
        .collect()
}

/// Restarts the bot with its clock `hours` after now, ticking every second.
async fn restart_at(app: &mut TestApp, hours: i64) {
    app.kill();
    app.env = vec![
        ("CLOCK_START".into(), clock_at(hours)),
        ("REMINDER_TICK_SECS".into(), "1".into()),
    ];
    app.start().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_breach_opened_gets_its_reminders_at_24_and_60_hours_across_restarts() {
    // Issue 23: 3x24 h deadline; reminders at 24 h and 60 h, scheduled, surviving restarts.
    let mut app = TestApp::spawn_with_env(&[("REMINDER_TICK_SECS", "1")]).await;
    app.fake.send_text(
        ADMIN,
        ADMIN,
        "/breach foto #KLN0042 diteruskan ke grup luar",
    );
    let incident = incident_told(&app, "diteruskan").await;
    let offset = chrono::FixedOffset::east_opt(7 * 3600).unwrap();
    let due = photo_guard_core::breach::local_time(incident.due(), offset);
    let reminder = |hours_left| {
        text(
            Lang::Id,
            &Msg::BreachReminder {
                id: 1,
                due: &due,
                hours_left,
            },
        )
    };
    restart_at(&mut app, 23).await;
    tokio::time::sleep(std::time::Duration::from_secs(2)).await;
    assert!(reminders(&app).is_empty(), "a reminder before 24 h");
    restart_at(&mut app, 24).await;
    let first = message_containing(&app, ADMIN, "⏰").await;
    assert_eq!(first, Some(reminder(48)));
    restart_at(&mut app, 60).await;
    let second = message_containing(&app, ADMIN, &reminder(12)).await;
    assert!(second.is_some(), "no 60 h reminder: {:?}", reminders(&app));
    tokio::time::sleep(std::time::Duration::from_secs(2)).await;
    assert_eq!(
        reminders(&app),
        [reminder(48), reminder(12)],
        "a reminder was repeated"
    );

    app.fake.send_text(ADMIN, ADMIN, "/breach 1");
    let english = message_containing(&app, ADMIN, "NOTICE OF A PERSONAL DATA BREACH").await;
    let english = english.expect("no English notice");
    assert!(english.contains("KLN0042"), "{english}");
    let indonesian = message_containing(&app, ADMIN, "PEMBERITAHUAN KEGAGALAN").await;
    assert!(indonesian.is_some_and(|t| t.contains("KLN0042")));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_report_opens_an_incident_naming_the_clients_tagged_in_the_reported_photo() {
    // Issue 23: /report opens a breach incident; the admins get its deadline.
    let app = TestApp::spawn().await;
    consent(&app, "KLN0042", "full").await;
    let photo = app
        .fake
        .send_photo(GROUP, ALICE, plain_jpeg(), Some("#KLN0042"));
    app.wait_verdict(photo).await;
    app.fake
        .reply_with_command(GROUP, MALLORY, photo, "/report");
    let incident = incident_told(&app, "3×24").await;
    assert_eq!(incident.clients, [ClientCode::parse("KLN0042").unwrap()]);
    assert_eq!(incident.message.map(|m| m.0), Some(i64::from(photo)));
}
