//! The enforcement record: one row per message saying what was decided about
//! it (the update that carried the state judged, verdict, reason, share and
//! quarantine ids) and the last step done, so a restart resumes where the
//! work stopped. The anonymised copy to post is sealed with XChaCha20-Poly1305
//! under the vault key, bound to (chat, message, update), before the original
//! is deleted; it is wiped once posted or once the work is done.

use async_trait::async_trait;
use chacha20poly1305::aead::{Aead, AeadCore, OsRng, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use chrono::Utc;
use photo_guard_core::store::EnforcementStore;
use photo_guard_core::{
    ChatId, Enforcement, MessageId, Reason, RecordId, Removal, Step, StoreError, StoreResult,
    Verdict,
};
use thiserror::Error;

use crate::codec;
use crate::error::{database, StoredValueError};
use crate::fence::{FenceError, FencedBegin};
use crate::pool::{on_pool, Columns};
use crate::SqlStore;

const NONCE_LEN: usize = 24;

/// update_id, copy_nonce, copy_sealed.
type SealedCopyRow = (i64, Option<Vec<u8>>, Option<Vec<u8>>);

#[derive(Debug, Error)]
pub enum EnforcementError {
    #[error("enforcement record: {0}")]
    Database(#[from] sqlx::Error),
    #[error("enforcement record: {0}")]
    Stored(#[from] StoredValueError),
    #[error("could not seal the anonymised copy")]
    Seal,
    /// Wrong key, altered bytes, or a copy moved from another row.
    #[error("the anonymised copy of message {0} failed authentication: wrong QUARANTINE_KEY or the row was altered")]
    Integrity(MessageId),
    #[error(transparent)]
    Fence(#[from] FenceError),
}

impl From<EnforcementError> for StoreError {
    fn from(err: EnforcementError) -> Self {
        match err {
            EnforcementError::Database(e) => database(e),
            EnforcementError::Stored(e) => e.into(),
            EnforcementError::Fence(e) => e.into(),
            e @ (EnforcementError::Seal | EnforcementError::Integrity(_)) => {
                StoreError::Integrity(e.to_string())
            }
        }
    }
}

fn associated_data(chat: ChatId, message: MessageId, update: i64) -> Vec<u8> {
    format!("photo-guard/enforcement-copy/v1|chat={chat}|message={message}|update={update}")
        .into_bytes()
}

fn seal_copy(
    cipher: &XChaCha20Poly1305,
    (chat, message, update): (ChatId, MessageId, i64),
    bytes: &[u8],
) -> Result<(Vec<u8>, Vec<u8>), EnforcementError> {
    let nonce = XChaCha20Poly1305::generate_nonce(&mut OsRng);
    let aad = associated_data(chat, message, update);
    let sealed = cipher
        .encrypt(
            &nonce,
            Payload {
                msg: bytes,
                aad: &aad,
            },
        )
        .map_err(|_| EnforcementError::Seal)?;
    Ok((nonce.to_vec(), sealed))
}

fn record_from_row(row: &impl Columns) -> Result<Enforcement, EnforcementError> {
    let text = |col: &str| -> Result<String, sqlx::Error> { row.col(col) };
    let verdict = text("verdict")?;
    let step = text("step")?;
    let reason = text("reason")?;
    let removal: Option<String> = row.col("removal")?;
    Ok(Enforcement {
        chat: ChatId(row.col("chat_id")?),
        message: MessageId(row.col("message_id")?),
        update: row.col("update_id")?,
        verdict: Verdict::parse(&verdict)
            .ok_or_else(|| StoredValueError::new("verdict", &verdict))?,
        enforced: row.col("enforced")?,
        reason: serde_json::from_str::<Reason>(&reason)
            .map_err(|_| StoredValueError::new("reason", &reason))?,
        share: RecordId(row.col("share_id")?),
        quarantine: row.col::<Option<i64>>("quarantine_id")?.map(RecordId),
        step: Step::parse(&step).ok_or_else(|| StoredValueError::new("step", &step))?,
        removal: removal
            .map(|r| Removal::parse(&r).ok_or_else(|| StoredValueError::new("removal", &r)))
            .transpose()?,
        copy_message: row.col::<Option<i64>>("copy_message_id")?.map(MessageId),
    })
}

impl SqlStore {
    async fn select_record(
        &self,
        chat: ChatId,
        message: MessageId,
    ) -> Result<Option<Enforcement>, EnforcementError> {
        on_pool!(&self.pool, pool => {
            let row =
                sqlx::query("SELECT * FROM enforcement WHERE chat_id = $1 AND message_id = $2")
                    .bind(chat.0)
                    .bind(message.0)
                    .fetch_optional(pool)
                    .await?;
            row.as_ref().map(record_from_row).transpose()
        })
    }

    async fn upsert_decision(
        &self,
        rec: &Enforcement,
        copy: Option<&[u8]>,
    ) -> Result<(), EnforcementError> {
        let sealed = copy
            .map(|bytes| {
                seal_copy(
                    &self.shared.cipher,
                    (rec.chat, rec.message, rec.update),
                    bytes,
                )
            })
            .transpose()?;
        let (nonce, sealed) = sealed.unzip();
        let reason = serde_json::to_string(&rec.reason).unwrap_or_default();
        let now = codec::time(Utc::now());
        on_pool!(&self.pool, pool => {
            // Issue 21: a job's decision only while its claim holds the job.
            let mut tx = pool.begin_fenced().await?;
            sqlx::query(
                "INSERT INTO enforcement (chat_id, message_id, update_id, verdict, enforced, \
                 reason, share_id, quarantine_id, step, removal, copy_message_id, copy_nonce, \
                 copy_sealed, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) \
                 ON CONFLICT (chat_id, message_id) DO UPDATE SET update_id = excluded.update_id, \
                 verdict = excluded.verdict, enforced = excluded.enforced, reason = excluded.reason, \
                 share_id = excluded.share_id, quarantine_id = excluded.quarantine_id, \
                 step = excluded.step, removal = excluded.removal, \
                 copy_message_id = excluded.copy_message_id, copy_nonce = excluded.copy_nonce, \
                 copy_sealed = excluded.copy_sealed, updated_at = excluded.updated_at",
            )
            .bind(rec.chat.0)
            .bind(rec.message.0)
            .bind(rec.update)
            .bind(rec.verdict.as_str())
            .bind(rec.enforced)
            .bind(&reason)
            .bind(rec.share.0)
            .bind(rec.quarantine.map(|q| q.0))
            .bind(rec.step.as_str())
            .bind(rec.removal.map(Removal::as_str))
            .bind(rec.copy_message.map(|m| m.0))
            .bind(nonce.as_deref())
            .bind(sealed.as_deref())
            .bind(&now)
            .execute(&mut *tx)
            .await?;
            tx.commit().await?;
        });
        Ok(())
    }

    async fn update_step(&self, rec: &Enforcement) -> Result<bool, EnforcementError> {
        // A blur's copy is needed until it is posted; nothing needs it after.
        let wipe = rec.step == Step::Done || rec.copy_message.is_some();
        let now = codec::time(Utc::now());
        let updated = on_pool!(&self.pool, pool => {
            // Issue 21: a step only while the job's claim holds the job.
            let mut tx = pool.begin_fenced().await?;
            let updated = sqlx::query(
                "UPDATE enforcement SET step = $1, removal = $2, copy_message_id = $3, updated_at = $4, \
                 copy_nonce = CASE WHEN $5 THEN NULL ELSE copy_nonce END, \
                 copy_sealed = CASE WHEN $5 THEN NULL ELSE copy_sealed END \
                 WHERE chat_id = $6 AND message_id = $7 AND update_id = $8",
            )
            .bind(rec.step.as_str())
            .bind(rec.removal.map(Removal::as_str))
            .bind(rec.copy_message.map(|m| m.0))
            .bind(&now)
            .bind(wipe)
            .bind(rec.chat.0)
            .bind(rec.message.0)
            .bind(rec.update)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            tx.commit().await?;
            updated
        });
        Ok(updated == 1)
    }

    async fn move_update(
        &self,
        chat: ChatId,
        message: MessageId,
        from: i64,
        to: i64,
    ) -> Result<bool, EnforcementError> {
        // The copy is bound to its update: re-seal it under the new one.
        let copy = self.open_copy(chat, message).await?;
        let resealed = copy
            .map(|bytes| seal_copy(&self.shared.cipher, (chat, message, to), &bytes))
            .transpose()?;
        let now = codec::time(Utc::now());
        on_pool!(&self.pool, pool => {
            let mut tx = pool.begin_fenced().await?;
            let moved = sqlx::query(
                "UPDATE enforcement SET update_id = $1, updated_at = $2 \
                 WHERE chat_id = $3 AND message_id = $4 AND update_id = $5",
            )
            .bind(to)
            .bind(&now)
            .bind(chat.0)
            .bind(message.0)
            .bind(from)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if moved != 1 {
                return Ok(false);
            }
            if let Some((nonce, sealed)) = &resealed {
                sqlx::query(
                    "UPDATE enforcement SET copy_nonce = $1, copy_sealed = $2 \
                     WHERE chat_id = $3 AND message_id = $4",
                )
                .bind(nonce)
                .bind(sealed)
                .bind(chat.0)
                .bind(message.0)
                .execute(&mut *tx)
                .await?;
            }
            tx.commit().await?;
        });
        Ok(true)
    }

    async fn open_copy(
        &self,
        chat: ChatId,
        message: MessageId,
    ) -> Result<Option<Vec<u8>>, EnforcementError> {
        let row: Option<SealedCopyRow> = on_pool!(&self.pool, pool => {
            sqlx::query_as(
                "SELECT update_id, copy_nonce, copy_sealed FROM enforcement \
                 WHERE chat_id = $1 AND message_id = $2",
            )
            .bind(chat.0)
            .bind(message.0)
            .fetch_optional(pool)
            .await?
        });
        let Some((update, Some(nonce), Some(sealed))) = row else {
            return Ok(None);
        };
        if nonce.len() != NONCE_LEN {
            return Err(EnforcementError::Integrity(message));
        }
        let aad = associated_data(chat, message, update);
        let payload = Payload {
            msg: &sealed,
            aad: &aad,
        };
        self.shared
            .cipher
            .decrypt(XNonce::from_slice(&nonce), payload)
            .map(Some)
            .map_err(|_| EnforcementError::Integrity(message))
    }
}

#[async_trait]
impl EnforcementStore for SqlStore {
    async fn enforcement(
        &self,
        chat: ChatId,
        message: MessageId,
    ) -> StoreResult<Option<Enforcement>> {
        Ok(self.select_record(chat, message).await?)
    }

    async fn record_decision(&self, record: &Enforcement, copy: Option<&[u8]>) -> StoreResult<()> {
        Ok(self.upsert_decision(record, copy).await?)
    }

    async fn record_step(&self, record: &Enforcement) -> StoreResult<bool> {
        Ok(self.update_step(record).await?)
    }

    async fn adopt(
        &self,
        chat: ChatId,
        message: MessageId,
        from: i64,
        to: i64,
    ) -> StoreResult<bool> {
        Ok(self.move_update(chat, message, from, to).await?)
    }

    async fn enforcement_copy(
        &self,
        chat: ChatId,
        message: MessageId,
    ) -> StoreResult<Option<Vec<u8>>> {
        Ok(self.open_copy(chat, message).await?)
    }
}

#[cfg(test)]
#[path = "enforcement_tests.rs"]
mod tests;
