//! Self-test of the fake Telegram server: a real teloxide `Bot` (and a real
//! `Dispatcher`) talks to it, so every JSON shape it returns is one teloxide
//! 0.17 accepts. Shared fixtures live here; the tests in the submodules.

mod calls;
mod robustness;
mod updates;
mod videos;

use std::io::Cursor;
use std::time::Duration;

use teloxide::prelude::*;
use teloxide::types::{AllowedUpdate, UpdateKind};

use crate::fake_telegram::FakeTelegram;

pub(crate) const GROUP: i64 = -100_200_300;
pub(crate) const ALICE: i64 = 501;
pub(crate) const BOB: i64 = 502;
pub(crate) const WAIT: Duration = Duration::from_secs(10);

pub(crate) fn jpeg(width: u32, height: u32, seed: u8) -> Vec<u8> {
    let img = image::RgbImage::from_fn(width, height, |x, y| {
        image::Rgb([
            (x as u8).wrapping_add(seed),
            (y as u8).wrapping_mul(3),
            seed,
        ])
    });
    let mut out = Vec::new();
    image::DynamicImage::ImageRgb8(img)
        .write_to(&mut Cursor::new(&mut out), image::ImageFormat::Jpeg)
        .expect("encode jpeg");
    out
}

/// A fake with one supergroup where ALICE is a member and BOB an admin.
pub(crate) async fn team() -> (FakeTelegram, Bot) {
    let fake = FakeTelegram::start().await;
    fake.group(GROUP, "Team");
    fake.user(ALICE, "Alice", Some("alice"));
    fake.user(BOB, "Bob", Some("bob"));
    fake.make_member(GROUP, ALICE);
    fake.make_admin(GROUP, BOB);
    let bot = fake.bot();
    (fake, bot)
}

/// Fetches pending updates once (short poll) and confirms them.
pub(crate) async fn fetch_updates(bot: &Bot, allowed: Vec<AllowedUpdate>) -> Vec<Update> {
    let updates = bot
        .get_updates()
        .timeout(1)
        .allowed_updates(allowed)
        .await
        .expect("getUpdates");
    if let Some(last) = updates.last() {
        bot.get_updates()
            .offset(last.id.0 as i32 + 1)
            .timeout(0)
            .await
            .expect("confirm updates");
    }
    for update in &updates {
        assert!(
            !matches!(update.kind, UpdateKind::Error(_)),
            "teloxide could not parse {update:?}"
        );
    }
    updates
}

pub(crate) fn message_of(update: &Update) -> &Message {
    match &update.kind {
        UpdateKind::Message(m) | UpdateKind::EditedMessage(m) => m,
        other => panic!("expected a message, got {other:?}"),
    }
}
