//! Issue 23 on WhatsApp (issue 22): breaches reach WhatsApp's admins, the
//! deadline reminders as on Telegram, through the core's router.

use photo_guard_core::breach::{local_time, Incident, NewIncident};
use photo_guard_core::store::{IncidentStore, PlatformIds};
use photo_guard_core::texts::{text, Msg};
use photo_guard_core::{Lang, UserId};

use crate::support::WAIT;
use crate::support_whatsapp::{WaApp, ADMIN};

/// The agency's zone in the tests (the default `UTC_OFFSET`).
fn offset() -> chrono::FixedOffset {
    chrono::FixedOffset::east_opt(7 * 3600).unwrap()
}

/// An incident opened by the WhatsApp admin `hours` ago.
async fn opened_ago(app: &WaApp, hours: i64) -> Incident {
    let store = app.store().await;
    let admin = UserId(store.core_id("whatsapp", ADMIN).await.unwrap());
    let new = NewIncident {
        opened_at: chrono::Utc::now() - chrono::Duration::hours(hours),
        opened_by: admin,
        chat: None,
        message: None,
        description: "foto #KLN0042 diteruskan ke grup luar".into(),
        clients: Vec::new(),
    };
    store.open_incident(new).await.unwrap()
}

#[tokio::test]
async fn a_breach_past_its_first_day_reminds_the_whatsapp_admins() {
    // Issue 23: the 24 h reminder reached Telegram's admins only.
    let app = WaApp::spawn().await;
    let incident = opened_ago(&app, 25).await;
    let due = local_time(incident.due(), offset());
    let reminder = Msg::BreachReminder {
        id: incident.id,
        due: &due,
        hours_left: 47,
    };
    let reminder = text(Lang::Id, &reminder);
    let told = app
        .waha
        .wait_until(WAIT, |w| {
            w.sent_to(ADMIN).iter().any(|s| s.text == reminder)
        })
        .await;
    assert!(told, "no reminder: {:?}", app.waha.sent_to(ADMIN));
    tokio::time::sleep(std::time::Duration::from_secs(2)).await;
    let reminders = app.waha.sent_to(ADMIN);
    let reminders = reminders.iter().filter(|s| s.text.starts_with('⏰'));
    assert_eq!(reminders.count(), 1, "a reminder was repeated");
}

#[tokio::test]
async fn breach_on_whatsapp_opens_an_incident_and_drafts_its_notice_as_on_telegram() {
    // Issue 23: /breach answered "not on WhatsApp yet".
    let app = WaApp::spawn().await;
    let told = app
        .private_command(ADMIN, "/breach foto #KLN0042 diteruskan ke grup luar")
        .await;
    let store = app.store().await;
    let incident = store.incident(1).await.unwrap().expect("no incident 1");
    let codes: Vec<&str> = incident.clients.iter().map(|c| c.as_str()).collect();
    assert_eq!(codes, ["KLN0042"]);
    let due = local_time(incident.due(), offset());
    let opened = Msg::BreachAdmin {
        id: 1,
        due: &due,
        what: "foto #KLN0042 diteruskan ke grup luar",
    };
    assert_eq!(told, text(Lang::Id, &opened));

    let before = app.waha.sent_to(ADMIN).len();
    app.private_command(ADMIN, "/breach 1").await;
    let both = app
        .waha
        .wait_until(WAIT, |w| w.sent_to(ADMIN).len() >= before + 2)
        .await;
    assert!(both, "the notice was not drafted in both languages");
    let drafts: Vec<String> = app.waha.sent_to(ADMIN)[before..]
        .iter()
        .map(|s| s.text.clone())
        .collect();
    assert!(
        drafts[0].starts_with("PEMBERITAHUAN KEGAGALAN"),
        "{drafts:?}"
    );
    assert!(
        drafts[1].starts_with("NOTICE OF A PERSONAL DATA BREACH"),
        "{drafts:?}"
    );
    assert!(drafts.iter().all(|d| d.contains("KLN0042")), "{drafts:?}");
}
