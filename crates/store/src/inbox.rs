//! The update inbox, for crash safety: every update is recorded (durably:
//! WAL with synchronous=FULL) before it is acted on and marked finished after,
//! so on restart the unfinished ones are handled again; a redelivered update
//! is recognised by its id. An update holds what people wrote (captions,
//! names, commands), so its payload is sealed under the vault key.

use async_trait::async_trait;
use chacha20poly1305::XChaCha20Poly1305;
use chrono::{DateTime, Utc};
use photo_guard_core::store::Inbox;
use photo_guard_core::{StoreError, StoreResult};
use thiserror::Error;

use crate::codec;
use crate::error::database;
use crate::pool::{on_pool, Columns};
use crate::sealed_text::{self, Place, SealedTextError};
use crate::SqlStore;

#[derive(Debug, Error)]
pub enum InboxError {
    #[error("inbox: {0}")]
    Database(#[from] sqlx::Error),
    #[error("inbox update {update_id}: {source}")]
    Sealed {
        update_id: i64,
        source: SealedTextError,
    },
}

impl From<InboxError> for StoreError {
    fn from(err: InboxError) -> Self {
        match err {
            InboxError::Database(e) => database(e),
            e @ InboxError::Sealed { .. } => StoreError::Integrity(e.to_string()),
        }
    }
}

/// Seals (`sealed_text::seal`) or opens (`sealed_text::open`) the payload
/// of update `update_id`.
pub(crate) fn payload(
    op: sealed_text::Op,
    cipher: &XChaCha20Poly1305,
    update_id: i64,
    value: &str,
) -> Result<String, InboxError> {
    let row = format!("update={update_id}");
    let place = Place {
        what: "update",
        row: &row,
    };
    op(cipher, &place, value).map_err(|source| InboxError::Sealed { update_id, source })
}

impl SqlStore {
    /// Records update `update_id` in `chat`'s line of the queue (`queue.rs`).
    pub(crate) async fn insert_update(
        &self,
        update_id: i64,
        chat: Option<i64>,
        clear: &str,
    ) -> Result<bool, InboxError> {
        let sealed = payload(sealed_text::seal, &self.shared.cipher, update_id, clear)?;
        let now = codec::time(Utc::now());
        let inserted = on_pool!(&self.pool, pool => {
            sqlx::query(
                "INSERT INTO inbox (update_id, payload, received_at, chat) VALUES ($1, $2, $3, $4) \
                 ON CONFLICT (update_id) DO NOTHING",
            )
            .bind(update_id)
            .bind(&sealed)
            .bind(&now)
            .bind(chat)
            .execute(pool)
            .await?
            .rows_affected()
        });
        Ok(inserted == 1)
    }

    async fn mark_finished(&self, update_id: i64) -> Result<(), InboxError> {
        let now = codec::time(Utc::now());
        on_pool!(&self.pool, pool => {
            sqlx::query(
                "UPDATE inbox SET finished_at = $1 WHERE update_id = $2 AND finished_at IS NULL",
            )
            .bind(&now)
            .bind(update_id)
            .execute(pool)
            .await?;
        });
        Ok(())
    }

    /// Unfinished updates that can be read, oldest first, and the ids of
    /// those that cannot (sealed under another key, or damaged).
    pub(crate) async fn read_unfinished(
        &self,
    ) -> Result<(Vec<(i64, String)>, Vec<i64>), InboxError> {
        let sql = "SELECT update_id, payload FROM inbox WHERE finished_at IS NULL \
                   ORDER BY received_at, update_id";
        let stored: Vec<(i64, Result<String, sqlx::Error>)> = on_pool!(&self.pool, pool => {
            let rows = sqlx::query(sql).fetch_all(pool).await?;
            rows.iter()
                .map(|row| (row.col("update_id").unwrap_or_default(), row.col("payload")))
                .collect()
        });
        let mut updates = Vec::with_capacity(stored.len());
        let mut unreadable = Vec::new();
        for (update_id, payload_col) in stored {
            let opened = payload_col.map_err(InboxError::from).and_then(|stored| {
                payload(sealed_text::open, &self.shared.cipher, update_id, &stored)
            });
            match opened {
                Ok(clear) => updates.push((update_id, clear)),
                Err(_) => unreadable.push(update_id),
            }
        }
        Ok((updates, unreadable))
    }

    /// One unreadable update must not stop the replay of the others: it is
    /// skipped (and stays unfinished), logged by id only, and counted by
    /// `doctor`.
    async fn select_unfinished(&self) -> Result<Vec<(i64, String)>, InboxError> {
        let (updates, unreadable) = self.read_unfinished().await?;
        for update_id in unreadable {
            tracing::warn!(
                update_id,
                "an unfinished update cannot be read (another QUARANTINE_KEY, or the row was \
                 altered); skipped, photo-guard doctor counts it"
            );
        }
        Ok(updates)
    }

    /// Forgets finished updates received before `cutoff` (unfinished ones
    /// stay); returns how many. Keep well past Telegram's redelivery window.
    pub async fn prune_inbox(&self, cutoff: DateTime<Utc>) -> StoreResult<u64> {
        let cutoff = codec::time(cutoff);
        let pruned = on_pool!(&self.pool, pool => {
            sqlx::query("DELETE FROM inbox WHERE finished_at IS NOT NULL AND received_at < $1")
                .bind(&cutoff)
                .execute(pool)
                .await
                .map(|done| done.rows_affected())
                .map_err(database)?
        });
        self.checkpoint_wal().await;
        Ok(pruned)
    }
}

#[async_trait]
impl Inbox for SqlStore {
    async fn receive(&self, update_id: i64, payload: &str) -> StoreResult<bool> {
        Ok(self.insert_update(update_id, None, payload).await?)
    }

    /// Finishing an unknown or already finished update is a no-op.
    async fn finish(&self, update_id: i64) -> StoreResult<()> {
        Ok(self.mark_finished(update_id).await?)
    }

    async fn unfinished(&self) -> StoreResult<Vec<(i64, String)>> {
        Ok(self.select_unfinished().await?)
    }
}
