//! What is held about one client code (issue 23, `/subject`) and its
//! erasure (`/erase`). A code is matched in a JSON list or detail as the
//! quoted string `"CODE"`: codes are letters, digits and `_`, so one cannot
//! match inside another.

use async_trait::async_trait;
use photo_guard_core::store::SubjectStore;
use photo_guard_core::subject::{Erasure, SubjectQuarantine, SubjectShare};
use photo_guard_core::{
    AuditEntry, ChatId, ClientCode, MessageId, RecordId, StoreError, StoreResult,
};
use thiserror::Error;

use crate::audit::{entry_from_row, AuditError, COLUMNS};
use crate::codec;
use crate::error::{database, StoredValueError};
use crate::pool::{on_pool, Columns};
use crate::SqlStore;

#[derive(Debug, Error)]
pub enum SubjectError {
    #[error("subject store: {0}")]
    Database(#[from] sqlx::Error),
    #[error(transparent)]
    Stored(#[from] StoredValueError),
    #[error(transparent)]
    Audit(#[from] AuditError),
}

impl From<SubjectError> for StoreError {
    fn from(err: SubjectError) -> Self {
        match err {
            SubjectError::Database(e) => database(e),
            SubjectError::Stored(e) => e.into(),
            SubjectError::Audit(e) => e.into(),
        }
    }
}

fn quoted(client: &ClientCode) -> String {
    format!("\"{}\"", client.as_str())
}

impl SqlStore {
    async fn select_shares_of(
        &self,
        client: &ClientCode,
    ) -> Result<Vec<SubjectShare>, SubjectError> {
        on_pool!(&self.pool, pool => {
         let rows = sqlx::query(
                            "SELECT id, chat_id, message_id, at, verdict, enforced, reason_code FROM shares \
                             WHERE instr(tags, $1) > 0 ORDER BY at, id",
                        )
                        .bind(quoted(client))
                        .fetch_all(pool)
                        .await?;
        rows.iter()
                    .map(|row| {
                        let at: String = row.col("at")?;
                        Ok(SubjectShare {
                            share: RecordId(row.col("id")?),
                            chat: ChatId(row.col("chat_id")?),
                            message: MessageId(row.col("message_id")?),
                            at: codec::parse_time(&at, "share time")?,
                            verdict: row.col("verdict")?,
                            enforced: row.col("enforced")?,
                            reason_code: row.col("reason_code")?,
                        })
                    })
                    .collect()
         })
    }

    async fn select_quarantine_of(
        &self,
        client: &ClientCode,
    ) -> Result<Vec<SubjectQuarantine>, SubjectError> {
        on_pool!(&self.pool, pool => {
         let rows = sqlx::query(
                            "SELECT id, share_id, chat_id, created_at, resolution, reason_code FROM quarantine \
                             WHERE instr(tags, $1) > 0 ORDER BY created_at, id",
                        )
                        .bind(quoted(client))
                        .fetch_all(pool)
                        .await?;
        rows.iter()
                    .map(|row| {
                        let at: String = row.col("created_at")?;
                        Ok(SubjectQuarantine {
                            item: RecordId(row.col("id")?),
                            share: RecordId(row.col("share_id")?),
                            chat: ChatId(row.col("chat_id")?),
                            created_at: codec::parse_time(&at, "quarantine time")?,
                            resolution: row.col("resolution")?,
                            reason_code: row.col("reason_code")?,
                        })
                    })
                    .collect()
         })
    }

    async fn select_audit_naming(
        &self,
        client: &ClientCode,
    ) -> Result<Vec<AuditEntry>, SubjectError> {
        on_pool!(&self.pool, pool => {
         let rows = sqlx::query(&format!(
                            "SELECT {COLUMNS} FROM audit_log WHERE instr(detail, $1) > 0 ORDER BY seq"
                        ))
                        .bind(quoted(client))
                        .fetch_all(pool)
                        .await?;
        Ok(rows.iter().map(entry_from_row).collect::<Result<_, _>>()?)
         })
    }

    /// One transaction: the quarantined photos, then the file ids and the
    /// unposted sealed copies of the client's messages.
    async fn delete_subject(&self, client: &ClientCode) -> Result<Erasure, SubjectError> {
        let tag = quoted(client);
        on_pool!(&self.pool, pool => {
        let mut tx = pool.begin().await?;
        let quarantined = sqlx::query("DELETE FROM quarantine WHERE instr(tags, $1) > 0")
            .bind(&tag)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        let files = sqlx::query(
            "DELETE FROM media_files WHERE EXISTS (SELECT 1 FROM shares s \
             WHERE s.chat_id = media_files.chat_id AND s.message_id = media_files.message_id \
             AND instr(s.tags, $1) > 0)",
        )
        .bind(&tag)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        let copies = sqlx::query(
            "UPDATE enforcement SET copy_nonce = NULL, copy_sealed = NULL \
             WHERE copy_sealed IS NOT NULL AND share_id IN \
             (SELECT id FROM shares WHERE instr(tags, $1) > 0)",
        )
        .bind(&tag)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        tx.commit().await?;
        Ok(Erasure {
            quarantined,
            files,
            copies,
        })
        })
    }
}

#[async_trait]
impl SubjectStore for SqlStore {
    async fn shares_of(&self, client: &ClientCode) -> StoreResult<Vec<SubjectShare>> {
        Ok(self.select_shares_of(client).await?)
    }

    async fn quarantine_of(&self, client: &ClientCode) -> StoreResult<Vec<SubjectQuarantine>> {
        Ok(self.select_quarantine_of(client).await?)
    }

    async fn audit_naming(&self, client: &ClientCode) -> StoreResult<Vec<AuditEntry>> {
        Ok(self.select_audit_naming(client).await?)
    }

    async fn erase(&self, client: &ClientCode) -> StoreResult<Erasure> {
        Ok(self.delete_subject(client).await?)
    }
}
