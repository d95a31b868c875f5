//! The current-consent rule over time, through the store: records go in with
//! `append_consent`, come back with `consent_history`, and the core's rule
//! reads them at different moments. Generic over `S: Store`.

use chrono::{DateTime, NaiveDate, Utc};
use photo_guard_core::store::Store;
use photo_guard_core::{
    current_consent, ConsentEvent, ConsentLevel, CurrentConsent, GivenBy, Moment,
};

use super::{at, code, day, grant, withdraw};

async fn current<S: Store>(
    store: &S,
    client: &str,
    now: DateTime<Utc>,
    today: NaiveDate,
) -> CurrentConsent {
    let history = store.consent_history(&code(client)).await.unwrap();
    current_consent(&history, Moment { now, today })
}

pub(crate) async fn consent_is_in_force_on_its_until_day<S: Store>(store: &S) {
    let rec = store
        .append_consent(grant(
            "KLN0042",
            ConsentLevel::Full,
            day(2025, 1, 1),
            Some(day(2025, 6, 30)),
            at(2025, 1, 1, 8),
        ))
        .await
        .unwrap();
    let late_on_the_last_day = at(2025, 6, 30, 23);
    assert_eq!(
        current(store, "KLN0042", late_on_the_last_day, day(2025, 6, 30)).await,
        CurrentConsent::InForce {
            record: rec.id,
            level: ConsentLevel::Full
        }
    );
}

pub(crate) async fn expired_consent_is_not_in_force_the_day_after_until<S: Store>(store: &S) {
    let rec = store
        .append_consent(grant(
            "KLN0042",
            ConsentLevel::Full,
            day(2025, 1, 1),
            Some(day(2025, 6, 30)),
            at(2025, 1, 1, 8),
        ))
        .await
        .unwrap();
    assert_eq!(
        current(store, "KLN0042", at(2025, 7, 1, 0), day(2025, 7, 1)).await,
        CurrentConsent::Expired { record: rec.id }
    );
}

pub(crate) async fn consent_is_not_in_force_before_its_first_day<S: Store>(store: &S) {
    store
        .append_consent(grant(
            "KLN0042",
            ConsentLevel::Full,
            day(2025, 2, 1),
            None,
            at(2025, 1, 20, 8),
        ))
        .await
        .unwrap();
    assert_eq!(
        current(store, "KLN0042", at(2025, 1, 31, 12), day(2025, 1, 31)).await,
        CurrentConsent::None
    );
}

pub(crate) async fn a_withdrawal_ends_consent_and_a_renewal_restores_it<S: Store>(store: &S) {
    let first = store
        .append_consent(grant(
            "KLN0042",
            ConsentLevel::Full,
            day(2025, 1, 1),
            None,
            at(2025, 1, 1, 8),
        ))
        .await
        .unwrap();
    let gone = store
        .append_consent(withdraw("KLN0042", at(2025, 3, 1, 8)))
        .await
        .unwrap();
    let renewed = store
        .append_consent(grant(
            "KLN0042",
            ConsentLevel::Blurred,
            day(2025, 4, 1),
            None,
            at(2025, 4, 1, 8),
        ))
        .await
        .unwrap();
    assert_eq!(
        current(store, "KLN0042", at(2025, 2, 1, 8), day(2025, 2, 1)).await,
        CurrentConsent::InForce {
            record: first.id,
            level: ConsentLevel::Full
        },
        "before the withdrawal was recorded"
    );
    assert_eq!(
        current(store, "KLN0042", at(2025, 3, 15, 8), day(2025, 3, 15)).await,
        CurrentConsent::Withdrawn { record: gone.id }
    );
    assert_eq!(
        current(store, "KLN0042", at(2025, 4, 2, 8), day(2025, 4, 2)).await,
        CurrentConsent::InForce {
            record: renewed.id,
            level: ConsentLevel::Blurred
        },
        "the renewal, not the older full grant"
    );
}

pub(crate) async fn guardian_given_consent_is_kept_and_in_force<S: Store>(store: &S) {
    let mut record = grant(
        "ANAK07",
        ConsentLevel::Blurred,
        day(2025, 1, 1),
        Some(day(2025, 12, 31)),
        at(2025, 1, 1, 8),
    );
    if let ConsentEvent::Granted(g) = &mut record.event {
        g.given_by = GivenBy::Guardian;
        g.evidence = Some("guardian form G-3".into());
    }
    let rec = store.append_consent(record).await.unwrap();
    let history = store.consent_history(&code("ANAK07")).await.unwrap();
    assert!(
        matches!(&history[0].event, ConsentEvent::Granted(g) if g.given_by == GivenBy::Guardian
        && g.evidence.as_deref() == Some("guardian form G-3"))
    );
    assert_eq!(
        current(store, "ANAK07", at(2025, 5, 5, 5), day(2025, 5, 5)).await,
        CurrentConsent::InForce {
            record: rec.id,
            level: ConsentLevel::Blurred
        }
    );
}

pub(crate) async fn a_renewal_recorded_ahead_of_time_does_not_cut_the_current_one<S: Store>(
    store: &S,
) {
    let running = store
        .append_consent(grant(
            "KLN0042",
            ConsentLevel::Full,
            day(2025, 1, 1),
            Some(day(2025, 6, 30)),
            at(2025, 1, 1, 8),
        ))
        .await
        .unwrap();
    let renewal = store
        .append_consent(grant(
            "KLN0042",
            ConsentLevel::Blurred,
            day(2025, 7, 1),
            Some(day(2026, 6, 30)),
            at(2025, 6, 1, 8),
        ))
        .await
        .unwrap();
    assert_eq!(
        current(store, "KLN0042", at(2025, 6, 15, 8), day(2025, 6, 15)).await,
        CurrentConsent::InForce {
            record: running.id,
            level: ConsentLevel::Full
        },
        "the renewal has not started yet"
    );
    assert_eq!(
        current(store, "KLN0042", at(2025, 7, 1, 0), day(2025, 7, 1)).await,
        CurrentConsent::InForce {
            record: renewal.id,
            level: ConsentLevel::Blurred
        },
        "the renewal takes over on its first day"
    );
}

pub(crate) async fn the_local_day_decides_expiry_not_the_utc_day<S: Store>(store: &S) {
    // 2025-06-30T20:00Z is already 1 July in Jakarta (UTC+7).
    let rec = store
        .append_consent(grant(
            "KLN0042",
            ConsentLevel::Full,
            day(2025, 1, 1),
            Some(day(2025, 6, 30)),
            at(2025, 1, 1, 8),
        ))
        .await
        .unwrap();
    let now = at(2025, 6, 30, 20);
    let jakarta = chrono::FixedOffset::east_opt(7 * 3600).unwrap();
    let history = store.consent_history(&code("KLN0042")).await.unwrap();
    assert_eq!(
        current_consent(&history, Moment::new(now, jakarta)),
        CurrentConsent::Expired { record: rec.id }
    );
}
