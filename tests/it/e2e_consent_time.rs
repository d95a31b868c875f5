//! End to end, issue 23: consent over time. Withdrawal takes earlier shares
//! down, expiry is foreseen in a daily digest, a client's data on request,
//! breaches followed to their 3x24 hour deadline, `/stats` with a chart.
//! The bot's clock is moved with `CLOCK_START`; Telegram's stays real.

use photo_guard_core::store::AuditLog;
use photo_guard_core::texts::{text, Msg};
use photo_guard_core::{ClientCode, Lang, Verdict};

use crate::e2e_photos::consent;
use crate::support::*;

mod across_platforms;
mod data_and_breaches;
mod videos;

/// `CLOCK_START` for a bot clock `hours` from now (negative: the past).
pub(super) fn clock_at(hours: i64) -> String {
    (chrono::Utc::now() + chrono::Duration::hours(hours)).to_rfc3339()
}

/// Waits for a private message to `user` containing `needle`; its text.
pub(super) async fn message_containing(app: &TestApp, user: i64, needle: &str) -> Option<String> {
    let found = |f: &crate::fake_telegram::FakeTelegram| {
        f.messages_to(user)
            .into_iter()
            .map(|m| m.text)
            .find(|t| t.contains(needle))
    };
    app.fake.wait_until(WAIT, |f| found(f).is_some()).await;
    found(&app.fake)
}

/// The audit entries with `action`, as JSON details.
pub(super) async fn audited(app: &TestApp, action: &str) -> Vec<serde_json::Value> {
    let store = app.store().await;
    let since = chrono::Utc::now() - chrono::Duration::days(30);
    let entries = store.entries_since(since).await.unwrap();
    entries
        .iter()
        .filter(|e| e.event.action == action)
        .map(|e| serde_json::from_str(&e.event.detail).unwrap())
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_withdrawn_clients_earlier_allowed_photo_is_deleted_and_the_coordinator_told() {
    // Issue 23: withdrawal takes down earlier shares; older than 48 h is listed with a link.
    let three_days_ago = clock_at(-72);
    let mut app = TestApp::spawn_with_env(&[("CLOCK_START", &three_days_ago)]).await;
    consent(&app, "KLN0042", "full").await;
    let old = app
        .fake
        .send_photo(GROUP, ALICE, plain_jpeg(), Some("kunjungan #KLN0042"));
    // Audited three days ago by the bot's clock: counted, not looked up by
    // day; and finished before the kill, or the restart would check it anew.
    assert!(app.wait_checked(1).await, "the old photo was never checked");
    let done = eventually(|| async {
        use photo_guard_core::store::EnforcementStore;
        let (chat, message) = (
            photo_guard_core::ChatId(GROUP),
            photo_guard_core::MessageId(old.into()),
        );
        let rec = app.store().await.enforcement(chat, message).await.ok()??;
        (rec.step == photo_guard_core::Step::Done).then_some(())
    })
    .await;
    assert!(done.is_some(), "the old photo's work never finished");
    app.fake.backdate(GROUP, old, 72 * 3600);
    app.kill();
    app.env.clear();
    app.start().await;
    let recent = app
        .fake
        .send_photo(GROUP, ALICE, plain_jpeg(), Some("#kln0042 lagi"));
    let other = app
        .fake
        .send_photo(GROUP, ALICE, plain_jpeg(), Some("tanpa klien"));
    assert_eq!(app.wait_verdict(recent).await, Verdict::Allow);
    assert_eq!(app.wait_verdict(other).await, Verdict::Allow);

    app.private_command(ADMIN, "/withdraw KLN0042 minta dihapus")
        .await;
    let link = format!("https://t.me/c/500/{old}");
    let report = message_containing(&app, ADMIN, &link).await;
    let code = ClientCode::parse("KLN0042").unwrap();
    let expected = text(
        Lang::Id,
        &Msg::TakedownDone {
            code: &code,
            removed: 1,
            replaced: 0,
            by_hand: &[link],
        },
    );
    assert_eq!(report.as_deref(), Some(expected.as_str()));
    assert!(
        app.fake.is_deleted(GROUP, recent),
        "the recent photo stayed"
    );
    assert!(!app.fake.is_deleted(GROUP, other), "an untagged photo went");
    assert!(
        !app.fake.is_deleted(GROUP, old),
        "the bot deleted past 48 h?"
    );
    let removed = audited(&app, "consent.takedown").await;
    assert_eq!(removed.len(), 1);
    assert_eq!(removed[0]["message"], i64::from(recent));
    let withdrawn = audited(&app, "consent.withdrawn").await;
    assert_eq!(
        removed[0]["record"], withdrawn[0]["record"],
        "not the record it followed"
    );
    let left = audited(&app, "consent.takedown_left").await;
    assert_eq!(left.len(), 1);
    assert_eq!(left[0]["why"], "too_old");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_downgrade_to_blurred_replaces_an_allowed_original_by_a_blurred_copy() {
    // Issue 23: full -> blurred re-fetches the original by its file id, blurs it, swaps it.
    let app = TestApp::spawn().await;
    consent(&app, "KLN0042", "full").await;
    let original = app
        .fake
        .send_photo(GROUP, ALICE, faces_jpeg(), Some("#KLN0042"));
    assert_eq!(app.wait_verdict(original).await, Verdict::Allow);
    consent(&app, "KLN0042", "blurred").await;
    let posted = app
        .fake
        .wait_until(WAIT, |f| !f.sent_photos(GROUP).is_empty())
        .await;
    assert!(posted, "no blurred copy was posted");
    assert!(app.fake.is_deleted(GROUP, original), "the original stayed");
    let copy = &app.fake.sent_photos(GROUP)[0];
    assert!(copy.caption.as_deref().unwrap_or("").contains("#KLN0042"));
    let (before, after) = (
        image::load_from_memory(faces_jpeg()).unwrap().to_rgb8(),
        image::load_from_memory(&copy.bytes).unwrap().to_rgb8(),
    );
    assert_eq!(before.dimensions(), after.dimensions());
    assert_ne!(before.as_raw(), after.as_raw(), "the copy is not blurred");
    // Audited just after the copy is posted.
    let reblurred = eventually(|| async {
        Some(audited(&app, "consent.reblurred").await).filter(|a| !a.is_empty())
    })
    .await
    .expect("the replacement was not audited");
    assert_eq!(reblurred.len(), 1);
    assert_eq!(reblurred[0]["copy"], i64::from(copy.message_id));
    // A later withdrawal takes the replacement copy down too.
    app.private_command(ADMIN, "/withdraw KLN0042").await;
    let gone = app
        .fake
        .wait_until(WAIT, |f| f.is_deleted(GROUP, copy.message_id))
        .await;
    assert!(gone, "the replacement copy stayed after the withdrawal");
}

/// `day` at `hh:mm` in the agency's zone (UTC+7, the default), as RFC 3339.
fn local(day: chrono::NaiveDate, hh: u32, mm: u32) -> String {
    format!("{day}T{hh:02}:{mm:02}:00+07:00")
}

#[tokio::test(flavor = "multi_thread")]
async fn a_consent_expiring_in_5_days_appears_in_the_morning_digest() {
    // Issue 23: expiry is foreseen; the digest comes at DIGEST_HOUR (08:00) local time.
    let d = (chrono::Utc::now() + chrono::Duration::days(30)).date_naive();
    let days = chrono::Duration::days;
    let early = local(d - days(10), 7, 0);
    let env = [("CLOCK_START", early.as_str()), ("REMINDER_TICK_SECS", "1")];
    let mut app = TestApp::spawn_with_env(&env).await;
    let soon = format!("/consent KLN0005 blurred until={}", d + days(5));
    let gone = format!("/consent GONE3 full until={} by=guardian", d - days(3));
    app.private_command(ADMIN, &soon).await;
    app.private_command(ADMIN, &gone).await;
    // Ten days earlier at 07:00: before the digest hour, nothing is sent.
    tokio::time::sleep(std::time::Duration::from_secs(2)).await;
    let early_digest = app
        .fake
        .messages_to(ADMIN)
        .iter()
        .any(|m| m.text.contains("KLN0005 ("));
    assert!(!early_digest, "a digest went out before its hour");
    app.kill();
    let morning = local(d, 8, 30);
    app.env = vec![
        ("CLOCK_START".into(), morning),
        ("REMINDER_TICK_SECS".into(), "1".into()),
    ];
    app.start().await;
    let renew = format!("/consent KLN0005 blurred until={} by=client", d + days(370));
    let digest = message_containing(&app, ADMIN, &renew).await;
    let digest = digest.expect("no digest with the renew command came");
    assert!(
        digest.contains(&format!("KLN0005 ({})", d + days(5))),
        "{digest}"
    );
    let renew_gone = format!(
        "/consent GONE3 full until={} by=guardian",
        d - days(3) + days(365)
    );
    assert!(
        digest.contains(&renew_gone),
        "the expired one is missing: {digest}"
    );
    let expired_at = digest.find(&renew_gone).unwrap();
    assert!(
        digest.find(&renew).unwrap() < expired_at,
        "expired listed as expiring"
    );
    let clients = app.private_command(ADMIN, "/clients").await;
    let code = ClientCode::parse("GONE3").unwrap();
    let expired = text(
        Lang::Id,
        &Msg::ClientList {
            rows: &[(code, photo_guard_core::texts::ClientState::Expired)],
        },
    );
    assert!(clients.contains(&expired), "{clients}");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_digest_comes_in_the_language_the_coordinator_writes_in() {
    // Issue 23: the digest was Indonesian for everyone; an English-speaking coordinator reads English.
    let d = (chrono::Utc::now() + chrono::Duration::days(30)).date_naive();
    let early = local(d, 7, 0);
    let env = [("CLOCK_START", early.as_str()), ("REMINDER_TICK_SECS", "1")];
    let mut app = TestApp::spawn_with_env(&env).await;
    app.fake.set_user_language(ADMIN, Some("en"));
    let until = d + chrono::Duration::days(5);
    app.private_command(ADMIN, &format!("/consent KLN0005 blurred until={until}"))
        .await;
    app.kill();
    app.env = vec![
        ("CLOCK_START".into(), local(d, 8, 30)),
        ("REMINDER_TICK_SECS".into(), "1".into()),
    ];
    app.start().await;
    let digest = message_containing(&app, ADMIN, &format!("KLN0005 ({until})")).await;
    let digest = digest.expect("no digest came");
    let header = text(
        Lang::En,
        &Msg::Digest {
            expiring: &[],
            expired: &[],
        },
    );
    let header = header.lines().next().unwrap();
    assert!(digest.starts_with(header), "not in English: {digest}");
}

#[tokio::test(flavor = "multi_thread")]
async fn stats_sends_a_png_chart_that_decodes() {
    // Issue 23: /stats answers with its counts and a PNG chart per chat and week.
    let app = TestApp::spawn().await;
    let photo = app.fake.send_photo(GROUP, ALICE, plain_jpeg(), None);
    app.wait_verdict(photo).await;
    let answer = app.private_command(ADMIN, "/stats").await;
    assert!(
        answer.starts_with(&text(Lang::Id, &Msg::StatsHeader)),
        "{answer}"
    );
    let sent = app
        .fake
        .wait_until(WAIT, |f| !f.sent_documents(ADMIN).is_empty())
        .await;
    assert!(sent, "no chart came");
    let chart = &app.fake.sent_documents(ADMIN)[0];
    assert_eq!(chart.file_name.as_deref(), Some("photo-guard-stats.png"));
    assert_chart_of_an_allowed_photo(&chart.bytes);
    let caption = chart.caption.clone().unwrap_or_default();
    assert!(caption.contains(&GROUP.to_string()), "{caption}");
}

/// `/stats`'s chart: a PNG that decodes, with the green bar of an allowed photo.
pub(crate) fn assert_chart_of_an_allowed_photo(png: &[u8]) {
    assert!(png.starts_with(b"\x89PNG"), "not a PNG");
    let img = image::load_from_memory(png)
        .expect("the PNG decodes")
        .to_rgb8();
    assert!(img.width() > 100 && img.height() > 100);
    let green = img.pixels().any(|p| p.0 == [46, 160, 67]);
    assert!(green, "the allowed photo's bar is missing");
}
