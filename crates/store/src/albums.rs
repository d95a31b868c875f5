//! Album captions: each item's caption, by chat, album (media_group_id) and
//! message, so every item of an album is judged with all of them, also when
//! it is replayed after a restart. A caption is what people wrote, so it is
//! sealed (`sealed_text`) and bound to its row; rows go after two days
//! (Telegram redelivers an update for one at most). An item's `seen_at` is
//! when its latest state was first recorded: the album's earliest is when
//! it arrived, from which every replica counts its wait for the rest.

use async_trait::async_trait;
use chacha20poly1305::XChaCha20Poly1305;
use chrono::{DateTime, Utc};
use photo_guard_core::store::AlbumStore;
use photo_guard_core::{ChatId, MessageId, StoreError, StoreResult};
use thiserror::Error;

use crate::codec;
use crate::error::{database, StoredValueError};
use crate::pool::on_pool;
use crate::sealed_text::{self, Place, SealedTextError};
use crate::SqlStore;

/// How long an album's captions are kept.
const KEEP_DAYS: i64 = 2;

#[derive(Debug, Error)]
pub enum AlbumError {
    #[error("album captions: {0}")]
    Database(#[from] sqlx::Error),
    #[error("album caption of message {message}: {source}")]
    Sealed {
        message: i64,
        source: SealedTextError,
    },
    #[error("album arrival: {0}")]
    Stored(#[from] StoredValueError),
}

impl From<AlbumError> for StoreError {
    fn from(err: AlbumError) -> Self {
        match err {
            AlbumError::Database(e) => database(e),
            e @ AlbumError::Sealed { .. } => StoreError::Integrity(e.to_string()),
            AlbumError::Stored(e) => e.into(),
        }
    }
}

/// Seals or opens the caption of one album item.
fn caption(
    op: sealed_text::Op,
    cipher: &XChaCha20Poly1305,
    (chat, album, message): (ChatId, &str, i64),
    value: &str,
) -> Result<String, AlbumError> {
    let row = format!("chat={chat}|album={album}|message={message}");
    let place = Place {
        what: "album caption",
        row: &row,
    };
    op(cipher, &place, value).map_err(|source| AlbumError::Sealed { message, source })
}

impl SqlStore {
    async fn upsert_caption(
        &self,
        chat: ChatId,
        album: &str,
        message: MessageId,
        update: i64,
        clear: Option<&str>,
    ) -> Result<(), AlbumError> {
        let now = Utc::now();
        let stale = codec::time(now - chrono::Duration::days(KEEP_DAYS));
        let sealed = clear
            .map(|c| {
                caption(
                    sealed_text::seal,
                    &self.shared.cipher,
                    (chat, album, message.0),
                    c,
                )
            })
            .transpose()?;
        let now = codec::time(now);
        // Only a newer state replaces a row: a repeated delivery of the same
        // update changes nothing, not even when it was seen, so the album's
        // arrival stays put.
        on_pool!(&self.pool, pool => {
            sqlx::query("DELETE FROM album_captions WHERE seen_at < $1")
                .bind(&stale)
                .execute(pool)
                .await?;
            sqlx::query(
                "INSERT INTO album_captions (chat_id, media_group_id, message_id, update_id, caption, \
                 seen_at) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (chat_id, media_group_id, message_id) \
                 DO UPDATE SET update_id = excluded.update_id, caption = excluded.caption, \
                 seen_at = excluded.seen_at WHERE excluded.update_id > album_captions.update_id",
            )
            .bind(chat.0)
            .bind(album)
            .bind(message.0)
            .bind(update)
            .bind(sealed.as_deref())
            .bind(&now)
            .execute(pool)
            .await?;
        });
        Ok(())
    }

    async fn select_captions(
        &self,
        chat: ChatId,
        album: &str,
    ) -> Result<Vec<(MessageId, String)>, AlbumError> {
        let rows: Vec<(i64, String)> = on_pool!(&self.pool, pool => {
            sqlx::query_as(
                "SELECT message_id, caption FROM album_captions \
                 WHERE chat_id = $1 AND media_group_id = $2 AND caption IS NOT NULL ORDER BY message_id",
            )
            .bind(chat.0)
            .bind(album)
            .fetch_all(pool)
            .await?
        });
        rows.into_iter()
            .map(|(message, stored)| {
                let clear = caption(
                    sealed_text::open,
                    &self.shared.cipher,
                    (chat, album, message),
                    &stored,
                )?;
                Ok((MessageId(message), clear))
            })
            .collect()
    }

    /// When the album's first item was recorded (its earliest `seen_at`).
    async fn select_arrival(
        &self,
        chat: ChatId,
        album: &str,
    ) -> Result<Option<DateTime<Utc>>, AlbumError> {
        let first: Option<String> = on_pool!(&self.pool, pool => {
            sqlx::query_scalar(
                "SELECT MIN(seen_at) FROM album_captions WHERE chat_id = $1 AND media_group_id = $2",
            )
            .bind(chat.0)
            .bind(album)
            .fetch_one(pool)
            .await?
        });
        Ok(codec::parse_opt_time(first, "album arrival")?)
    }
}

#[async_trait]
impl AlbumStore for SqlStore {
    async fn note_album_caption(
        &self,
        chat: ChatId,
        album: &str,
        message: MessageId,
        update: i64,
        caption: Option<&str>,
    ) -> StoreResult<()> {
        Ok(self
            .upsert_caption(chat, album, message, update, caption)
            .await?)
    }

    /// A caption that fails to open fails the whole read: an item judged
    /// without one of its album's captions could be let through.
    async fn album_captions(
        &self,
        chat: ChatId,
        album: &str,
    ) -> StoreResult<Vec<(MessageId, String)>> {
        Ok(self.select_captions(chat, album).await?)
    }

    async fn album_arrival(&self, chat: ChatId, album: &str) -> StoreResult<Option<DateTime<Utc>>> {
        Ok(self.select_arrival(chat, album).await?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tests::{on_both, Fixture};

    async fn album_captions_are_kept_per_item_sealed_and_survive_a_reopen(fx: Fixture) {
        // Issue 17.1: every caption of an album, durable and never in clear.
        let (chat, album) = (ChatId(-5), "1400");
        let s = &fx.store;
        s.note_album_caption(chat, album, MessageId(1), 10, Some("#KLN1 rumah"))
            .await
            .unwrap();
        s.note_album_caption(chat, album, MessageId(2), 11, Some("#KLN2"))
            .await
            .unwrap();
        s.note_album_caption(chat, "other", MessageId(3), 12, Some("#KLN3"))
            .await
            .unwrap();
        let stored = fx.texts("SELECT caption FROM album_captions").await;
        assert!(stored.iter().all(|c| !c.contains("KLN")), "{stored:?}");
        let reopened = fx.reopen_with(&fx.key).await;
        let got = reopened.album_captions(chat, album).await.unwrap();
        assert_eq!(
            got,
            [
                (MessageId(1), "#KLN1 rumah".to_owned()),
                (MessageId(2), "#KLN2".to_owned())
            ]
        );
    }

    async fn an_edited_album_caption_replaces_the_items_own_and_a_replay_never_brings_back_an_older_one(
        fx: Fixture,
    ) {
        let (chat, album) = (ChatId(-5), "1400");
        let s = &fx.store;
        let note = |m: i64, update: i64, c: Option<&'static str>| async move {
            s.note_album_caption(chat, album, MessageId(m), update, c)
                .await
                .unwrap()
        };
        note(1, 10, Some("a")).await;
        note(1, 12, Some("#KLN9")).await;
        note(1, 10, Some("a")).await; // the original replayed after the edit
        note(2, 11, Some("b")).await;
        note(2, 13, None).await;
        let got = s.album_captions(chat, album).await.unwrap();
        assert_eq!(got, [(MessageId(1), "#KLN9".to_owned())]);
    }

    async fn an_albums_arrival_is_its_first_items_and_a_repeated_delivery_does_not_move_it(
        fx: Fixture,
    ) {
        // Issue 21 review: every replica counts the album's wait from one recorded time.
        let (chat, album) = (ChatId(-5), "1400");
        let s = &fx.store;
        assert_eq!(s.album_arrival(chat, album).await.unwrap(), None);
        let before = Utc::now();
        s.note_album_caption(chat, album, MessageId(1), 10, Some("#KLN1"))
            .await
            .unwrap();
        let first = s.album_arrival(chat, album).await.unwrap().unwrap();
        assert!(first >= before && first <= Utc::now(), "{first}");
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        s.note_album_caption(chat, album, MessageId(2), 11, None)
            .await
            .unwrap();
        // Telegram (or the other replica's webhook) delivers both again.
        s.note_album_caption(chat, album, MessageId(1), 10, Some("#KLN1"))
            .await
            .unwrap();
        s.note_album_caption(chat, album, MessageId(2), 11, None)
            .await
            .unwrap();
        assert_eq!(s.album_arrival(chat, album).await.unwrap(), Some(first));
    }

    on_both!(
        album_captions_are_kept_per_item_sealed_and_survive_a_reopen,
        an_edited_album_caption_replaces_the_items_own_and_a_replay_never_brings_back_an_older_one,
        an_albums_arrival_is_its_first_items_and_a_repeated_delivery_does_not_move_it,
    );
}
