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
use sqlx::sqlite::SqliteRow;
use sqlx::Row;
use thiserror::Error;

use crate::codec;
use crate::error::{database, StoredValueError};
use crate::SqliteStore;

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
}

impl From<EnforcementError> for StoreError {
    fn from(err: EnforcementError) -> Self {
        match err {
            EnforcementError::Database(e) => database(e),
            EnforcementError::Stored(e) => e.into(),
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

fn record_from_row(row: &SqliteRow) -> Result<Enforcement, EnforcementError> {
    let text = |col: &str| -> Result<String, sqlx::Error> { row.try_get(col) };
    let verdict = text("verdict")?;
    let step = text("step")?;
    let reason = text("reason")?;
    let removal: Option<String> = row.try_get("removal")?;
    Ok(Enforcement {
        chat: ChatId(row.try_get("chat_id")?),
        message: MessageId(row.try_get("message_id")?),
        update: row.try_get("update_id")?,
        verdict: Verdict::parse(&verdict)
            .ok_or_else(|| StoredValueError::new("verdict", &verdict))?,
        enforced: row.try_get("enforced")?,
        reason: serde_json::from_str::<Reason>(&reason)
            .map_err(|_| StoredValueError::new("reason", &reason))?,
        share: RecordId(row.try_get("share_id")?),
        quarantine: row
            .try_get::<Option<i64>, _>("quarantine_id")?
            .map(RecordId),
        step: Step::parse(&step).ok_or_else(|| StoredValueError::new("step", &step))?,
        removal: removal
            .map(|r| Removal::parse(&r).ok_or_else(|| StoredValueError::new("removal", &r)))
            .transpose()?,
        copy_message: row
            .try_get::<Option<i64>, _>("copy_message_id")?
            .map(MessageId),
    })
}

impl SqliteStore {
    async fn select_record(
        &self,
        chat: ChatId,
        message: MessageId,
    ) -> Result<Option<Enforcement>, EnforcementError> {
        let row = sqlx::query("SELECT * FROM enforcement WHERE chat_id = ? AND message_id = ?")
            .bind(chat.0)
            .bind(message.0)
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(record_from_row).transpose()
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
        sqlx::query(
            "INSERT OR REPLACE INTO enforcement (chat_id, message_id, update_id, verdict, enforced, \
             reason, share_id, quarantine_id, step, removal, copy_message_id, copy_nonce, \
             copy_sealed, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(rec.chat.0)
        .bind(rec.message.0)
        .bind(rec.update)
        .bind(rec.verdict.as_str())
        .bind(rec.enforced)
        .bind(serde_json::to_string(&rec.reason).unwrap_or_default())
        .bind(rec.share.0)
        .bind(rec.quarantine.map(|q| q.0))
        .bind(rec.step.as_str())
        .bind(rec.removal.map(Removal::as_str))
        .bind(rec.copy_message.map(|m| m.0))
        .bind(nonce)
        .bind(sealed)
        .bind(codec::time(Utc::now()))
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn update_step(&self, rec: &Enforcement) -> Result<bool, EnforcementError> {
        // A blur's copy is needed until it is posted; nothing needs it after.
        let wipe = rec.step == Step::Done || rec.copy_message.is_some();
        let done = sqlx::query(
            "UPDATE enforcement SET step = ?, removal = ?, copy_message_id = ?, updated_at = ?, \
             copy_nonce = CASE WHEN ? THEN NULL ELSE copy_nonce END, \
             copy_sealed = CASE WHEN ? THEN NULL ELSE copy_sealed END \
             WHERE chat_id = ? AND message_id = ? AND update_id = ?",
        )
        .bind(rec.step.as_str())
        .bind(rec.removal.map(Removal::as_str))
        .bind(rec.copy_message.map(|m| m.0))
        .bind(codec::time(Utc::now()))
        .bind(wipe)
        .bind(wipe)
        .bind(rec.chat.0)
        .bind(rec.message.0)
        .bind(rec.update)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() == 1)
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
        let mut tx = self.pool.begin().await?;
        let done = sqlx::query(
            "UPDATE enforcement SET update_id = ?, updated_at = ? \
             WHERE chat_id = ? AND message_id = ? AND update_id = ?",
        )
        .bind(to)
        .bind(codec::time(Utc::now()))
        .bind(chat.0)
        .bind(message.0)
        .bind(from)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() != 1 {
            return Ok(false);
        }
        if let Some(bytes) = copy {
            let (nonce, sealed) = seal_copy(&self.shared.cipher, (chat, message, to), &bytes)?;
            sqlx::query(
                "UPDATE enforcement SET copy_nonce = ?, copy_sealed = ? \
                 WHERE chat_id = ? AND message_id = ?",
            )
            .bind(nonce)
            .bind(sealed)
            .bind(chat.0)
            .bind(message.0)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(true)
    }

    async fn open_copy(
        &self,
        chat: ChatId,
        message: MessageId,
    ) -> Result<Option<Vec<u8>>, EnforcementError> {
        let row: Option<SealedCopyRow> = sqlx::query_as(
            "SELECT update_id, copy_nonce, copy_sealed FROM enforcement \
             WHERE chat_id = ? AND message_id = ?",
        )
        .bind(chat.0)
        .bind(message.0)
        .fetch_optional(&self.pool)
        .await?;
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
impl EnforcementStore for SqliteStore {
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
