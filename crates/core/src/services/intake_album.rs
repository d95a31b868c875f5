//! Album captions (issue 17.1, issue 21): each album item is judged with its
//! own caption's tags and its album's together, so a refused client tagged
//! on one item blocks them all. This file owns the rule for every platform:
//!
//! - an item's caption is written once, when its update is recorded
//!   ([`Intake::note_album_item`]): one chat's jobs run one after another, so
//!   the first item judged must already see the captions of those behind it,
//!   and an item replayed after a restart or claimed by another replica reads
//!   them back from the store;
//! - judging an item only reads ([`Intake::album_captions`]), after the
//!   album's wait, counted once from the album's first arrival as the store
//!   recorded it (every replica agrees): the first item waits for the rest,
//!   the items behind it, whose wait has passed, go at once.

use std::time::Duration;

use chrono::{DateTime, Utc};

use super::intake::{Incoming, Intake, IntakeError};

impl Intake {
    /// Writes down an album item's caption as its update is recorded (an
    /// edit's, too: a newer state replaces the item's, an older one never
    /// does). The only place an album caption is written.
    pub async fn note_album_item(&self, media: &Incoming, album: &str) -> Result<(), IntakeError> {
        let (chat, own, caption) = (media.place.chat, media.message, media.caption.as_deref());
        let albums = &self.stores.albums;
        albums
            .note_album_caption(chat, album, own, media.update, caption)
            .await?;
        Ok(())
    }

    /// Every other caption of `media`'s album, read once the album's `wait`
    /// from its first arrival has passed.
    pub async fn album_captions(
        &self,
        media: &Incoming,
        album: &str,
        wait: Duration,
    ) -> Result<Vec<String>, IntakeError> {
        let (chat, own) = (media.place.chat, media.message);
        let albums = &self.stores.albums;
        let arrival = albums.album_arrival(chat, album).await?;
        let left = still_to_wait(arrival, self.started, Utc::now(), wait);
        if !left.is_zero() {
            tokio::time::sleep(left).await;
        }
        let all = albums.album_captions(chat, album).await?;
        let others = all.into_iter().filter(|(item, _)| *item != own);
        Ok(others.map(|(_, caption)| caption).collect())
    }
}

/// How long an item still waits for the rest of its album: until `wait`
/// after the album arrived, never more than `wait` (a clock ahead on the
/// replica that recorded it), and counted from `started` at the earliest,
/// because after a restart Telegram delivers again the items the last run
/// had not recorded yet. An album with nothing noted waits the whole time.
pub(super) fn still_to_wait(
    arrival: Option<DateTime<Utc>>,
    started: DateTime<Utc>,
    now: DateTime<Utc>,
    wait: Duration,
) -> Duration {
    let from = arrival.unwrap_or(now).max(started);
    let until = chrono::Duration::from_std(wait)
        .ok()
        .and_then(|span| from.checked_add_signed(span));
    let Some(until) = until else {
        return wait;
    };
    (until - now).to_std().unwrap_or(Duration::ZERO).min(wait)
}
