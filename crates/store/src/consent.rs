//! Clients and their consent records: append-only rows (the database refuses
//! UPDATE and DELETE), one per grant or withdrawal; appending a record
//! registers its client code.

use async_trait::async_trait;
use photo_guard_core::store::ConsentStore;
use photo_guard_core::{
    ClientCode, ConsentEvent, ConsentLevel, ConsentRecord, GivenBy, Grant, NewConsent, RecordId,
    StoreError, StoreResult, UserId,
};
use thiserror::Error;

use crate::codec;
use crate::error::{database, StoredValueError};
use crate::pool::{on_pool, Columns};
use crate::SqlStore;

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

impl SqlStore {
    async fn insert_consent(&self, record: NewConsent) -> Result<ConsentRecord, ConsentError> {
        let recorded_at = codec::time(record.recorded_at);
        let (grant, reason) = match &record.event {
            ConsentEvent::Granted(grant) => (Some(grant), None),
            ConsentEvent::Withdrawn { reason } => (None, reason.as_deref()),
        };
        let kind = if grant.is_some() { "grant" } else { "withdraw" };
        let id: i64 = on_pool!(&self.pool, pool => {
            let mut tx = pool.begin().await?;
            sqlx::query(
                "INSERT INTO clients (code, registered_at) VALUES ($1, $2) \
                 ON CONFLICT (code) DO NOTHING",
            )
            .bind(record.client.as_str())
            .bind(&recorded_at)
            .execute(&mut *tx)
            .await?;
            let id = sqlx::query_scalar(
                "INSERT INTO consent_records (client, kind, level, purpose, given_by, evidence, \
                 valid_from, valid_until, reason, recorded_by, recorded_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
            )
            .bind(record.client.as_str())
            .bind(kind)
            .bind(grant.map(|g| g.level.as_str()))
            .bind(grant.and_then(|g| g.purpose.as_deref()))
            .bind(grant.map(|g| g.given_by.as_str()))
            .bind(grant.and_then(|g| g.evidence.as_deref()))
            .bind(grant.map(|g| codec::date(g.valid_from)))
            .bind(grant.and_then(|g| g.valid_until.map(codec::date)))
            .bind(reason)
            .bind(record.recorded_by.0)
            .bind(&recorded_at)
            .fetch_one(&mut *tx)
            .await?;
            tx.commit().await?;
            id
        });
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
        let sql = format!(
            "SELECT {COLUMNS} FROM consent_records WHERE client = $1 ORDER BY recorded_at, id"
        );
        on_pool!(&self.pool, pool => {
            let rows = sqlx::query(&sql).bind(client.as_str()).fetch_all(pool).await?;
            rows.iter().map(record_from_row).collect()
        })
    }

    async fn select_clients(&self) -> Result<Vec<ClientCode>, ConsentError> {
        let codes: Vec<String> = on_pool!(&self.pool, pool => {
            sqlx::query_scalar("SELECT code FROM clients ORDER BY code")
                .fetch_all(pool)
                .await?
        });
        Ok(codes
            .iter()
            .map(|c| codec::parse_code(c, "client code"))
            .collect::<Result<_, _>>()?)
    }
}

fn record_from_row(row: &impl Columns) -> Result<ConsentRecord, ConsentError> {
    let kind: String = row.col("kind")?;
    let event = match kind.as_str() {
        "grant" => {
            let level: Option<String> = row.col("level")?;
            let given_by: Option<String> = row.col("given_by")?;
            let valid_from: Option<String> = row.col("valid_from")?;
            let valid_until: Option<String> = row.col("valid_until")?;
            let level = level.as_deref().unwrap_or_default();
            let given_by = given_by.as_deref().unwrap_or_default();
            ConsentEvent::Granted(Grant {
                level: ConsentLevel::parse(level)
                    .ok_or_else(|| StoredValueError::new("consent level", level))?,
                purpose: row.col("purpose")?,
                given_by: GivenBy::parse(given_by)
                    .ok_or_else(|| StoredValueError::new("consent given_by", given_by))?,
                evidence: row.col("evidence")?,
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
            reason: row.col("reason")?,
        },
        other => return Err(StoredValueError::new("consent kind", other).into()),
    };
    let client: String = row.col("client")?;
    let recorded_at: String = row.col("recorded_at")?;
    Ok(ConsentRecord {
        id: RecordId(row.col("id")?),
        client: codec::parse_code(&client, "client code")?,
        event,
        recorded_by: UserId(row.col("recorded_by")?),
        recorded_at: codec::parse_time(&recorded_at, "recorded_at")?,
    })
}

#[async_trait]
impl ConsentStore for SqlStore {
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
