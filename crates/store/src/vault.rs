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
use chacha20poly1305::aead::{Aead, AeadCore, OsRng, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use chrono::{DateTime, Utc};
use photo_guard_core::store::Vault;
use photo_guard_core::{
    NewQuarantine, QuarantineItem, RecordId, Resolution, StoreError, StoreResult, UserId,
};
use sqlx::Row;
use thiserror::Error;

use crate::codec;
use crate::error::{database, StoredValueError};
use crate::sealed_text::{self, SealedTextError};
use crate::vault_row::{item_from_row, text, CAPTION, ITEM_COLUMNS, SENDER_NAME};
use crate::SqliteStore;

const NONCE_LEN: usize = 24;

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
}

impl From<VaultError> for StoreError {
    fn from(err: VaultError) -> Self {
        match err {
            VaultError::Database(e) => database(e),
            VaultError::Stored(e) => e.into(),
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
fn associated_data(id: i64, share: i64, chat: i64, message: i64) -> Vec<u8> {
    format!("photo-guard/quarantine/v1|id={id}|share={share}|chat={chat}|message={message}")
        .into_bytes()
}

impl SqliteStore {
    async fn seal_item(&self, item: NewQuarantine, bytes: &[u8]) -> Result<RecordId, VaultError> {
        let mut tx = self.pool.begin().await?;
        let id = sqlx::query(
            "INSERT INTO quarantine (share_id, chat_id, message_id, sender, sender_name, caption, \
             thread, tags, reason_code, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(item.share.0)
        .bind(item.chat.0)
        .bind(item.message.0)
        .bind(item.sender.0)
        .bind("")
        .bind(None::<&str>)
        .bind(item.thread)
        .bind(codec::codes_json(&item.tags))
        .bind(&item.reason_code)
        .bind(codec::time(item.at))
        .execute(&mut *tx)
        .await?
        .last_insert_rowid();
        // The text is sealed to the row's id, known only after the insert.
        let cipher = &self.shared.cipher;
        let sender_name = text(
            sealed_text::seal,
            cipher,
            id,
            SENDER_NAME,
            &item.sender_name,
        )?;
        let caption = item
            .caption
            .as_deref()
            .map(|c| text(sealed_text::seal, cipher, id, CAPTION, c))
            .transpose()?;
        let nonce = XChaCha20Poly1305::generate_nonce(&mut OsRng);
        let aad = associated_data(id, item.share.0, item.chat.0, item.message.0);
        let sealed = cipher
            .encrypt(
                &nonce,
                Payload {
                    msg: bytes,
                    aad: &aad,
                },
            )
            .map_err(|_| VaultError::Seal)?;
        sqlx::query(
            "UPDATE quarantine SET nonce = ?, sealed = ?, sender_name = ?, caption = ? WHERE id = ?",
        )
        .bind(nonce.as_slice())
        .bind(sealed)
        .bind(sender_name)
        .bind(caption)
        .bind(id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(RecordId(id))
    }

    async fn select_item(&self, id: RecordId) -> Result<QuarantineItem, VaultError> {
        let row = sqlx::query(&format!(
            "SELECT {ITEM_COLUMNS} FROM quarantine WHERE id = ?"
        ))
        .bind(id.0)
        .fetch_optional(&self.pool)
        .await?
        .ok_or(VaultError::NotFound(id))?;
        item_from_row(&row, &self.shared.cipher)
    }

    async fn open_item(&self, id: RecordId) -> Result<Vec<u8>, VaultError> {
        let row = sqlx::query(
            "SELECT share_id, chat_id, message_id, nonce, sealed FROM quarantine WHERE id = ?",
        )
        .bind(id.0)
        .fetch_optional(&self.pool)
        .await?
        .ok_or(VaultError::NotFound(id))?;
        let nonce: Option<Vec<u8>> = row.try_get("nonce")?;
        let sealed: Option<Vec<u8>> = row.try_get("sealed")?;
        let (Some(nonce), Some(sealed)) = (nonce, sealed) else {
            return Err(VaultError::Discarded(id));
        };
        if nonce.len() != NONCE_LEN {
            return Err(VaultError::Integrity(id));
        }
        let aad = associated_data(
            id.0,
            row.try_get("share_id")?,
            row.try_get("chat_id")?,
            row.try_get("message_id")?,
        );
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
        let rows = sqlx::query(&format!(
            "SELECT {ITEM_COLUMNS} FROM quarantine WHERE resolution = 'pending' ORDER BY created_at, id"
        ))
        .fetch_all(&self.pool)
        .await?;
        let mut items = Vec::with_capacity(rows.len());
        let mut unreadable = Vec::new();
        for row in &rows {
            match item_from_row(row, &self.shared.cipher) {
                Ok(item) => items.push(item),
                Err(_) => unreadable.push(row.try_get("id").unwrap_or_default()),
            }
        }
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
        let done = sqlx::query(
            "UPDATE quarantine SET resolution = ?, resolved_by = ?, resolved_at = ?, \
             nonce = CASE WHEN ? THEN NULL ELSE nonce END, sealed = CASE WHEN ? THEN NULL ELSE sealed END \
             WHERE id = ? AND resolution = 'pending'",
        )
        .bind(to.as_str())
        .bind(by.0)
        .bind(codec::time(Utc::now()))
        .bind(wipe)
        .bind(wipe)
        .bind(id.0)
        .execute(&self.pool)
        .await?;
        if done.rows_affected() == 1 {
            if wipe {
                self.checkpoint_wal().await;
            }
            return Ok(true);
        }
        let exists: Option<i64> = sqlx::query_scalar("SELECT id FROM quarantine WHERE id = ?")
            .bind(id.0)
            .fetch_optional(&self.pool)
            .await?;
        exists.map(|_| false).ok_or(VaultError::NotFound(id))
    }

    async fn delete_before(&self, cutoff: DateTime<Utc>) -> Result<u64, VaultError> {
        let done = sqlx::query("DELETE FROM quarantine WHERE created_at < ?")
            .bind(codec::time(cutoff))
            .execute(&self.pool)
            .await?;
        self.checkpoint_wal().await;
        Ok(done.rows_affected())
    }
}

#[async_trait]
impl Vault for SqliteStore {
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
