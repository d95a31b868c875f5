//! The quarantine vault: blocked photos sealed with XChaCha20-Poly1305 under
//! the vault key, a fresh random 24-byte nonce per seal, and associated data
//! that binds the ciphertext to its row (id, share, chat, message), so a
//! ciphertext moved to another row, a wrong key or any altered byte fails to
//! open with `Integrity`, never garbage. The clear bytes exist only in memory
//! and never appear in errors or logs. The sender's name and the caption are
//! sealed too (`sealed_text`), bound to the row. A discard wipes the bytes at
//! once; the retention purge deletes rows whatever their resolution. After
//! either, the WAL is checkpointed (`wipe`) and, with `secure_delete`, the
//! ciphertext is gone from the file, not just unlinked.

use async_trait::async_trait;
use chacha20poly1305::aead::{Aead, Payload};
use chacha20poly1305::XNonce;
use chrono::{DateTime, Utc};
use photo_guard_core::store::Vault;
use photo_guard_core::{
    NewQuarantine, QuarantineItem, RecordId, Resolution, StoreError, StoreResult, UserId,
};
use thiserror::Error;

use crate::codec;
use crate::error::{database, StoredValueError};
use crate::fence::{FenceError, FencedBegin};
use crate::pool::{on_pool, Columns};
use crate::sealed_text::SealedTextError;
use crate::vault_row::{item_from_row, ITEM_COLUMNS};
use crate::SqlStore;

const NONCE_LEN: usize = 24;

/// share_id, chat_id, message_id, nonce, sealed.
type OpenRow = (i64, i64, i64, Option<Vec<u8>>, Option<Vec<u8>>);

#[derive(Debug, Error)]
pub enum VaultError {
    #[error("vault: {0}")]
    Database(#[from] sqlx::Error),
    #[error("quarantined photo: {0}")]
    Stored(#[from] StoredValueError),
    #[error("no quarantined photo {0}")]
    NotFound(RecordId),
    #[error("quarantined photo {0} was discarded; its bytes are gone")]
    Discarded(RecordId),
    /// Wrong key, altered bytes, or a ciphertext that belongs to another row.
    #[error(
        "quarantined photo {0} failed authentication: wrong QUARANTINE_KEY or the row was altered"
    )]
    Integrity(RecordId),
    #[error("could not seal the photo")]
    Seal,
    #[error("quarantined photo {id}: {source}")]
    Text {
        id: RecordId,
        source: SealedTextError,
    },
    #[error(transparent)]
    Fence(#[from] FenceError),
}

impl From<VaultError> for StoreError {
    fn from(err: VaultError) -> Self {
        match err {
            VaultError::Database(e) => database(e),
            VaultError::Stored(e) => e.into(),
            VaultError::Fence(e) => e.into(),
            e @ (VaultError::NotFound(_) | VaultError::Discarded(_)) => {
                StoreError::NotFound(e.to_string())
            }
            e @ (VaultError::Integrity(_) | VaultError::Seal | VaultError::Text { .. }) => {
                StoreError::Integrity(e.to_string())
            }
        }
    }
}

/// What the ciphertext is bound to.
pub(crate) fn associated_data(id: i64, share: i64, chat: i64, message: i64) -> Vec<u8> {
    format!("photo-guard/quarantine/v1|id={id}|share={share}|chat={chat}|message={message}")
        .into_bytes()
}

impl SqlStore {
    async fn seal_item(&self, item: NewQuarantine, bytes: &[u8]) -> Result<RecordId, VaultError> {
        let (tags, at) = (codec::codes_json(&item.tags), codec::time(item.at));
        on_pool!(&self.pool, pool => {
            // Issue 21: sealed only while the job's claim holds the job.
            let mut tx = pool.begin_fenced().await?;
            // Issue 21: a job's check sealed by an earlier claim stays the one item.
            if photo_guard_core::fence::current().is_some() {
                let sealed: Option<i64> =
                    sqlx::query_scalar("SELECT id FROM quarantine WHERE share_id = $1")
                        .bind(item.share.0)
                        .fetch_optional(&mut *tx)
                        .await?;
                if let Some(id) = sealed {
                    return Ok(RecordId(id));
                }
            }
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO quarantine (share_id, chat_id, message_id, sender, sender_name, caption, \
                 thread, tags, reason_code, created_at) \
                 VALUES ($1, $2, $3, $4, '', NULL, $5, $6, $7, $8) RETURNING id",
            )
            .bind(item.share.0)
            .bind(item.chat.0)
            .bind(item.message.0)
            .bind(item.sender.0)
            .bind(item.thread)
            .bind(&tags)
            .bind(&item.reason_code)
            .bind(&at)
            .fetch_one(&mut *tx)
            .await?;
            // The text and bytes are sealed to the row's id, known only after the insert.
            let sealed = self.seal_row(id, &item, bytes)?;
            sqlx::query(
                "UPDATE quarantine SET nonce = $1, sealed = $2, sender_name = $3, caption = $4 \
                 WHERE id = $5",
            )
            .bind(&sealed.nonce)
            .bind(&sealed.bytes)
            .bind(&sealed.sender_name)
            .bind(sealed.caption.as_deref())
            .bind(id)
            .execute(&mut *tx)
            .await?;
            tx.commit().await?;
            Ok(RecordId(id))
        })
    }

    async fn select_item(&self, id: RecordId) -> Result<QuarantineItem, VaultError> {
        let sql = format!("SELECT {ITEM_COLUMNS} FROM quarantine WHERE id = $1");
        on_pool!(&self.pool, pool => {
            let row = sqlx::query(&sql)
                .bind(id.0)
                .fetch_optional(pool)
                .await?
                .ok_or(VaultError::NotFound(id))?;
            item_from_row(&row, &self.shared.cipher)
        })
    }

    async fn open_item(&self, id: RecordId) -> Result<Vec<u8>, VaultError> {
        let (share, chat, message, nonce, sealed): OpenRow = on_pool!(&self.pool, pool => {
            sqlx::query_as(
                "SELECT share_id, chat_id, message_id, nonce, sealed FROM quarantine WHERE id = $1",
            )
            .bind(id.0)
            .fetch_optional(pool)
            .await?
            .ok_or(VaultError::NotFound(id))?
        });
        let (Some(nonce), Some(sealed)) = (nonce, sealed) else {
            return Err(VaultError::Discarded(id));
        };
        if nonce.len() != NONCE_LEN {
            return Err(VaultError::Integrity(id));
        }
        let aad = associated_data(id.0, share, chat, message);
        self.shared
            .cipher
            .decrypt(
                XNonce::from_slice(&nonce),
                Payload {
                    msg: &sealed,
                    aad: &aad,
                },
            )
            .map_err(|_| VaultError::Integrity(id))
    }

    /// Pending items that can be read, oldest first, and the ids of those
    /// that cannot (sealed under another key, or damaged).
    pub(crate) async fn read_pending(&self) -> Result<(Vec<QuarantineItem>, Vec<i64>), VaultError> {
        let sql = format!(
            "SELECT {ITEM_COLUMNS} FROM quarantine WHERE resolution = 'pending' ORDER BY created_at, id"
        );
        let read: Vec<Result<QuarantineItem, i64>> = on_pool!(&self.pool, pool => {
            let rows = sqlx::query(&sql).fetch_all(pool).await?;
            rows.iter()
                .map(|row| {
                    item_from_row(row, &self.shared.cipher)
                        .map_err(|_| row.col("id").unwrap_or_default())
                })
                .collect()
        });
        let (items, unreadable): (Vec<_>, Vec<_>) = read.into_iter().partition(Result::is_ok);
        let items = items.into_iter().filter_map(Result::ok).collect();
        let unreadable = unreadable.into_iter().filter_map(Result::err).collect();
        Ok((items, unreadable))
    }

    /// One unreadable row must not hide the others from `/review`: it is
    /// skipped, logged by id only, and counted by `doctor`.
    async fn select_pending(&self) -> Result<Vec<QuarantineItem>, VaultError> {
        let (items, unreadable) = self.read_pending().await?;
        for id in unreadable {
            tracing::warn!(
                quarantine_id = id,
                "a pending quarantined photo cannot be read (another QUARANTINE_KEY, or the row \
                 was altered); skipped, photo-guard doctor counts it"
            );
        }
        Ok(items)
    }

    async fn update_resolution(
        &self,
        id: RecordId,
        to: Resolution,
        by: UserId,
    ) -> Result<bool, VaultError> {
        if to == Resolution::Pending {
            return Ok(false);
        }
        let wipe = to == Resolution::Discarded;
        let now = codec::time(Utc::now());
        let (updated, exists) = on_pool!(&self.pool, pool => {
            let updated = sqlx::query(
                "UPDATE quarantine SET resolution = $1, resolved_by = $2, resolved_at = $3, \
                 nonce = CASE WHEN $4 THEN NULL ELSE nonce END, \
                 sealed = CASE WHEN $4 THEN NULL ELSE sealed END \
                 WHERE id = $5 AND resolution = 'pending'",
            )
            .bind(to.as_str())
            .bind(by.0)
            .bind(&now)
            .bind(wipe)
            .bind(id.0)
            .execute(pool)
            .await?
            .rows_affected();
            let exists: Option<i64> = sqlx::query_scalar("SELECT id FROM quarantine WHERE id = $1")
                .bind(id.0)
                .fetch_optional(pool)
                .await?;
            (updated, exists)
        });
        if updated == 1 {
            if wipe {
                self.checkpoint_wal().await;
            }
            return Ok(true);
        }
        exists.map(|_| false).ok_or(VaultError::NotFound(id))
    }

    async fn delete_before(&self, cutoff: DateTime<Utc>) -> Result<u64, VaultError> {
        let cutoff = codec::time(cutoff);
        let deleted = on_pool!(&self.pool, pool => {
            sqlx::query("DELETE FROM quarantine WHERE created_at < $1")
                .bind(&cutoff)
                .execute(pool)
                .await?
                .rows_affected()
        });
        self.checkpoint_wal().await;
        Ok(deleted)
    }
}

#[async_trait]
impl Vault for SqlStore {
    /// `item.share` must be a recorded share (a foreign key).
    async fn seal(&self, item: NewQuarantine, bytes: &[u8]) -> StoreResult<RecordId> {
        Ok(self.seal_item(item, bytes).await?)
    }

    async fn item(&self, id: RecordId) -> StoreResult<QuarantineItem> {
        Ok(self.select_item(id).await?)
    }

    /// `NotFound` for an unknown or discarded (wiped) item.
    async fn open(&self, id: RecordId) -> StoreResult<Vec<u8>> {
        Ok(self.open_item(id).await?)
    }

    async fn pending(&self) -> StoreResult<Vec<QuarantineItem>> {
        Ok(self.select_pending().await?)
    }

    /// A discard wipes the sealed bytes in the same statement. `NotFound` if
    /// the item is gone (purged); resolving to `Pending` changes nothing.
    async fn resolve(&self, id: RecordId, resolution: Resolution, by: UserId) -> StoreResult<bool> {
        Ok(self.update_resolution(id, resolution, by).await?)
    }

    async fn purge_before(&self, cutoff: DateTime<Utc>) -> StoreResult<u64> {
        Ok(self.delete_before(cutoff).await?)
    }
}
