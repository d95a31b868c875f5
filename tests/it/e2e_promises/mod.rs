//! Issue 17.14-17.18, "things that do not work as they say": each test runs
//! the real binary (against the fake Telegram, or as a CLI) and checks the
//! promise itself, not a stand-in for it.

mod cli;

use photo_guard_core::store::{ConsentStore, Vault};
use photo_guard_core::texts::{text, Msg};
use photo_guard_core::{
    ClientCode, ConsentEvent, ConsentLevel, GivenBy, Grant, Lang, NewConsent, Resolution, UserId,
};
use photo_guard_vision::encode::{mean_difference, metadata_markers};

use crate::support::*;

fn decoded(bytes: &[u8]) -> image::RgbImage {
    image::load_from_memory(bytes)
        .expect("a decodable image")
        .to_rgb8()
}

// Issue 17.14: "Release original" answered "not allowed" whatever the consent.
#[tokio::test(flavor = "multi_thread")]
async fn release_original_posts_the_photo_once_consent_is_recorded_full() {
    let app = TestApp::spawn().await;
    app.private_command(ADMIN, "/consent KLN1 refused").await;
    app.fake
        .send_photo(GROUP, ALICE, faces_jpeg(), Some("rapat #KLN1"));
    let alert = app.review_alert(ADMIN).await.expect("no admin alert");
    let item = app.store().await.pending().await.unwrap()[0].id;
    assert!(
        app.fake.sent_photos(GROUP).is_empty(),
        "blocked, not posted"
    );

    app.private_command(ADMIN, "/consent KLN1 full").await;
    let answer = app
        .press(ADMIN, ADMIN, alert, &format!("rv:o:{}", item.0))
        .await;

    let done = Msg::ReviewDone {
        what: Resolution::ReleasedOriginal.as_str(),
    };
    assert_eq!(answer, text(Lang::Id, &done));
    assert!(
        app.fake
            .wait_until(WAIT, |f| !f.sent_photos(GROUP).is_empty())
            .await,
        "nothing was posted in the group"
    );
    let posted = &app.fake.sent_photos(GROUP)[0];
    assert_ne!(
        posted.bytes.as_slice(),
        faces_jpeg(),
        "re-encoded, not the bytes as sent"
    );
    assert!(metadata_markers(&posted.bytes).is_empty(), "no metadata");
    let (original, released) = (decoded(faces_jpeg()), decoded(&posted.bytes));
    assert_eq!(original.dimensions(), released.dimensions());
    let diff = mean_difference(&original, &released);
    assert!(diff < 4.0, "faces were changed (mean diff {diff:.1})");
    let settled = app.store().await.item(item).await.unwrap();
    assert_eq!(settled.resolution, Resolution::ReleasedOriginal);
}

/// Consent at `level`, in force since yesterday, as an admin records it.
pub(crate) fn recorded_consent(client: ClientCode, level: ConsentLevel) -> NewConsent {
    let grant = Grant {
        level,
        purpose: None,
        given_by: GivenBy::Client,
        evidence: None,
        valid_from: chrono::Utc::now().date_naive() - chrono::Duration::days(1),
        valid_until: None,
    };
    NewConsent {
        client,
        event: ConsentEvent::Granted(grant),
        recorded_by: UserId(ADMIN),
        recorded_at: chrono::Utc::now(),
    }
}

/// A client code of 32 characters, the longest there is.
fn long_code(i: usize) -> ClientCode {
    ClientCode::parse(&format!("KLN{i:029}")).unwrap()
}

// Issue 17.16: a reply over Telegram's 4096 limit was refused and lost.
#[tokio::test(flavor = "multi_thread")]
async fn clients_with_more_than_4096_characters_arrive_in_several_messages() {
    let app = TestApp::spawn().await;
    let store = app.store().await;
    let clients = 150;
    for i in 0..clients {
        let consent = recorded_consent(long_code(i), ConsentLevel::Full);
        store.append_consent(consent).await.unwrap();
    }
    let before = app.fake.messages_to(ADMIN).len();
    app.fake.send_text(ADMIN, ADMIN, "/clients");

    let every_code_arrived = |f: &crate::fake_telegram::FakeTelegram| {
        let got: String = f.messages_to(ADMIN)[before..]
            .iter()
            .map(|m| m.text.clone())
            .collect();
        (0..clients).all(|i| got.contains(long_code(i).as_str()))
    };
    assert!(
        app.fake.wait_until(WAIT, every_code_arrived).await,
        "some clients never arrived"
    );
    let parts = app.fake.messages_to(ADMIN)[before..].to_vec();
    assert!(parts.len() >= 2, "{} message(s)", parts.len());
    for part in &parts {
        let units = part.text.encode_utf16().count();
        assert!(units <= 4096, "a part of {units} UTF-16 units");
    }
}
