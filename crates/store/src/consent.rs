//! Clients and their consent records: append-only rows (the database refuses
//! UPDATE and DELETE), one per grant or withdrawal; appending a record
//! registers its client code.

use async_trait::async_trait;
use photo_guard_core::store::ConsentStore;
use photo_guard_core::{
    ClientCode, ConsentEvent, ConsentLevel, ConsentRecord, GivenBy, Grant, NewConsent, RecordId,
    StoreError, StoreResult, UserId,
};
use sqlx::sqlite::SqliteRow;
use sqlx::Row;
use thiserror::Error;

use crate::codec;
use crate::error::{database, StoredValueError};
use crate::SqliteStore;

#[derive(Debug, Error)]
pub enum ConsentError {
    #[error("consent store: {0}")]
    Database(#[from] sqlx::Error),
    #[error("consent record: {0}")]
    Stored(#[from] StoredValueError),
}

impl From<ConsentError> for StoreError {
    fn from(err: ConsentError) -> Self {
        match err {
            ConsentError::Database(e) => database(e),
            ConsentError::Stored(e) => e.into(),
        }
    }
}

const COLUMNS: &str = "id, client, kind, level, purpose, given_by, evidence, valid_from, \
                       valid_until, reason, recorded_by, recorded_at";

impl SqliteStore {
    async fn insert_consent(&self, record: NewConsent) -> Result<ConsentRecord, ConsentError> {
        let recorded_at = codec::time(record.recorded_at);
        let mut tx = self.pool.begin().await?;
        sqlx::query("INSERT OR IGNORE INTO clients (code, registered_at) VALUES (?, ?)")
            .bind(record.client.as_str())
            .bind(&recorded_at)
            .execute(&mut *tx)
            .await?;
        let insert = sqlx::query(
            "INSERT INTO consent_records (client, kind, level, purpose, given_by, evidence, \
             valid_from, valid_until, reason, recorded_by, recorded_at) \
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(record.client.as_str());
        let insert = match &record.event {
            ConsentEvent::Granted(grant) => insert
                .bind("grant")
                .bind(grant.level.as_str())
                .bind(grant.purpose.as_deref())
                .bind(grant.given_by.as_str())
                .bind(grant.evidence.as_deref())
                .bind(codec::date(grant.valid_from))
                .bind(grant.valid_until.map(codec::date))
                .bind(None::<String>),
            ConsentEvent::Withdrawn { reason } => insert
                .bind("withdraw")
                .bind(None::<String>)
                .bind(None::<String>)
                .bind(None::<String>)
                .bind(None::<String>)
                .bind(None::<String>)
                .bind(None::<String>)
                .bind(reason.as_deref()),
        };
        let id = insert
            .bind(record.recorded_by.0)
            .bind(&recorded_at)
            .execute(&mut *tx)
            .await?
            .last_insert_rowid();
        tx.commit().await?;
        Ok(ConsentRecord {
            id: RecordId(id),
            client: record.client,
            event: record.event,
            recorded_by: record.recorded_by,
            recorded_at: record.recorded_at,
        })
    }

    async fn select_history(
        &self,
        client: &ClientCode,
    ) -> Result<Vec<ConsentRecord>, ConsentError> {
        let rows = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM consent_records WHERE client = ? ORDER BY recorded_at, id"
        ))
        .bind(client.as_str())
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(record_from_row).collect()
    }

    async fn select_clients(&self) -> Result<Vec<ClientCode>, ConsentError> {
        let codes: Vec<String> = sqlx::query_scalar("SELECT code FROM clients ORDER BY code")
            .fetch_all(&self.pool)
            .await?;
        Ok(codes
            .iter()
            .map(|c| codec::parse_code(c, "client code"))
            .collect::<Result<_, _>>()?)
    }
}

fn record_from_row(row: &SqliteRow) -> Result<ConsentRecord, ConsentError> {
    let kind: String = row.try_get("kind")?;
    let event = match kind.as_str() {
        "grant" => {
            let level: Option<String> = row.try_get("level")?;
            let given_by: Option<String> = row.try_get("given_by")?;
            let valid_from: Option<String> = row.try_get("valid_from")?;
            let valid_until: Option<String> = row.try_get("valid_until")?;
            let level = level.as_deref().unwrap_or_default();
            let given_by = given_by.as_deref().unwrap_or_default();
            ConsentEvent::Granted(Grant {
                level: ConsentLevel::parse(level)
                    .ok_or_else(|| StoredValueError::new("consent level", level))?,
                purpose: row.try_get("purpose")?,
                given_by: GivenBy::parse(given_by)
                    .ok_or_else(|| StoredValueError::new("consent given_by", given_by))?,
                evidence: row.try_get("evidence")?,
                valid_from: codec::parse_date(
                    valid_from.as_deref().unwrap_or_default(),
                    "valid_from",
                )?,
                valid_until: valid_until
                    .map(|d| codec::parse_date(&d, "valid_until"))
                    .transpose()?,
            })
        }
        "withdraw" => ConsentEvent::Withdrawn {
            reason: row.try_get("reason")?,
        },
        other => return Err(StoredValueError::new("consent kind", other).into()),
    };
    let client: String = row.try_get("client")?;
    let recorded_at: String = row.try_get("recorded_at")?;
    Ok(ConsentRecord {
        id: RecordId(row.try_get("id")?),
        client: codec::parse_code(&client, "client code")?,
        event,
        recorded_by: UserId(row.try_get("recorded_by")?),
        recorded_at: codec::parse_time(&recorded_at, "recorded_at")?,
    })
}

#[async_trait]
impl ConsentStore for SqliteStore {
    async fn append_consent(&self, record: NewConsent) -> StoreResult<ConsentRecord> {
        Ok(self.insert_consent(record).await?)
    }

    async fn consent_history(&self, client: &ClientCode) -> StoreResult<Vec<ConsentRecord>> {
        Ok(self.select_history(client).await?)
    }

    async fn clients(&self) -> StoreResult<Vec<ClientCode>> {
        Ok(self.select_clients().await?)
    }
}
