//! Breach incidents on the in-memory fake: opened with their clients and
//! deadline, reminded once at each mark, drafted.

use std::sync::Arc;

use chrono::Duration;

use super::*;
use crate::services::fakes::{caller, moment, trail, MemStore};
use crate::{FixedClock, Moment};

fn breaches(store: &Arc<MemStore>, hours_later: i64) -> Breaches {
    let now = moment().now + Duration::hours(hours_later);
    let clock = Arc::new(FixedClock(Moment {
        now,
        today: now.date_naive(),
    }));
    Breaches::new(store.clone(), clock, trail(store))
}

#[tokio::test]
async fn a_breach_opened_names_its_clients_and_is_reminded_at_24_and_60_hours() {
    // Issue 23: 3x24 h deadline, reminders at 24 h and 60 h, once each.
    let store = Arc::new(MemStore::default());
    let text = "foto #KLN1 dan #kln2 diteruskan ke grup luar";
    let opened = breaches(&store, 0)
        .open(caller(), text, None)
        .await
        .unwrap();
    assert_eq!(opened.clients.len(), 2);
    assert_eq!(opened.due(), moment().now + Duration::hours(72));
    assert!(breaches(&store, 23)
        .due_reminders()
        .await
        .unwrap()
        .is_empty());
    let first = breaches(&store, 24).due_reminders().await.unwrap();
    assert_eq!((first[0].count, first[0].hours_left), (1, 48));
    breaches(&store, 24).reminded(&first[0]).await.unwrap();
    assert!(breaches(&store, 30)
        .due_reminders()
        .await
        .unwrap()
        .is_empty());
    let second = breaches(&store, 60).due_reminders().await.unwrap();
    assert_eq!((second[0].count, second[0].hours_left), (2, 12));
    breaches(&store, 60).reminded(&second[0]).await.unwrap();
    assert!(breaches(&store, 71)
        .due_reminders()
        .await
        .unwrap()
        .is_empty());
    let actions = store.actions();
    assert_eq!(
        actions.iter().filter(|a| *a == "breach.reminded").count(),
        2
    );
}

#[tokio::test]
async fn a_reported_message_opens_an_incident_for_the_clients_it_tagged_and_drafts_a_notice() {
    // Issue 23: /report opens an incident; /breach N drafts the notice.
    let store = Arc::new(MemStore::default());
    let service = breaches(&store, 0);
    let at = Some((crate::ChatId(-1), crate::MessageId(5)));
    let opened = service
        .open(caller(), "a message reported", at)
        .await
        .unwrap();
    assert_eq!(opened.clients, [ClientCode::parse("TAGGED1").unwrap()]);
    let draft = service.draft(caller(), opened.id).await.unwrap().unwrap();
    assert_eq!(draft.clients, opened.clients);
    assert_eq!(draft.what, "a message reported");
    assert!(service.draft(caller(), 99).await.unwrap().is_none());
    assert!(store.actions().contains(&"breach.drafted".to_owned()));
}

#[tokio::test]
async fn a_breach_reminder_reaches_the_admins_of_both_platforms_once() {
    // Issue 23: the reminders went through Telegram alone, so WhatsApp's admins never got them.
    use crate::platform::fake::{Call, FakePlatform};
    use crate::{Role, UserId, PLATFORM_ID_BASE};
    let store = Arc::new(MemStore::default());
    let whatsapp_admin = PLATFORM_ID_BASE + 1;
    for admin in [1, whatsapp_admin] {
        store.roles.lock().unwrap().insert(admin, Role::Admin);
    }
    let text = "foto #KLN1 diteruskan";
    breaches(&store, 0)
        .open(caller(), text, None)
        .await
        .unwrap();
    let (router, telegram, whatsapp) = crate::platform::fake::both();
    let notices = AdminNotices::new(store.clone(), trail(&store));
    let later = breaches(&store, 25);
    assert_eq!(later.remind_due(&notices, &router).await.unwrap(), 1);
    assert_eq!(later.remind_due(&notices, &router).await.unwrap(), 0);
    let told = |p: &FakePlatform| -> Vec<UserId> {
        let calls = p.calls().into_iter();
        calls
            .filter_map(|c| match c {
                Call::TellUser(user, body) if body.starts_with('⏰') => Some(user),
                _ => None,
            })
            .collect()
    };
    assert_eq!(told(&telegram), [UserId(1)]);
    assert_eq!(told(&whatsapp), [UserId(whatsapp_admin)]);
}
