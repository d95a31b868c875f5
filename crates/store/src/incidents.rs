//! Breach incidents (issue 23): opened, looked up, their reminders counted
//! so a restart neither loses nor repeats one. The description is what
//! people wrote, so it is sealed (`sealed_text`) and bound to its row.

use async_trait::async_trait;
use photo_guard_core::breach::{Incident, NewIncident};
use photo_guard_core::store::IncidentStore;
use photo_guard_core::{ChatId, ClientCode, MessageId, StoreError, StoreResult, UserId};
use thiserror::Error;

use crate::codec;
use crate::error::{database, StoredValueError};
use crate::pool::{on_pool, Columns};
use crate::sealed_text::{self, Place, SealedTextError};
use crate::SqlStore;

#[derive(Debug, Error)]
pub enum IncidentError {
    #[error("incident store: {0}")]
    Database(#[from] sqlx::Error),
    #[error(transparent)]
    Stored(#[from] StoredValueError),
    #[error("incident description: {0}")]
    Sealed(#[from] SealedTextError),
}

impl From<IncidentError> for StoreError {
    fn from(err: IncidentError) -> Self {
        match err {
            IncidentError::Database(e) => database(e),
            IncidentError::Stored(e) => e.into(),
            e @ IncidentError::Sealed(_) => StoreError::Integrity(e.to_string()),
        }
    }
}

const COLUMNS: &str =
    "id, opened_at, opened_by, chat_id, message_id, description, clients, reminders";

impl SqlStore {
    fn description(
        &self,
        op: sealed_text::Op,
        at: &str,
        text: &str,
    ) -> Result<String, IncidentError> {
        let row = format!("opened_at={at}");
        let place = Place {
            what: "incident description",
            row: &row,
        };
        Ok(op(&self.shared.cipher, &place, text)?)
    }

    fn incident_from_row(&self, row: &impl Columns) -> Result<Incident, IncidentError> {
        let at: String = row.col("opened_at")?;
        let stored: String = row.col("description")?;
        Ok(Incident {
            id: row.col("id")?,
            opened_at: codec::parse_time(&at, "incident time")?,
            opened_by: UserId(row.col("opened_by")?),
            chat: row.col::<Option<i64>>("chat_id")?.map(ChatId),
            message: row.col::<Option<i64>>("message_id")?.map(MessageId),
            description: self.description(sealed_text::open, &at, &stored)?,
            clients: codec::parse_codes_json(&row.col::<String>("clients")?, "incident clients")?,
            reminders: row.col::<i64>("reminders")?.clamp(0, 2) as u32,
        })
    }

    async fn insert_incident(&self, new: NewIncident) -> Result<Incident, IncidentError> {
        let at = codec::time(new.opened_at);
        let sealed = self.description(sealed_text::seal, &at, &new.description)?;
        // RETURNING, not last_insert_rowid: the same on both back-ends.
        let id: i64 = on_pool!(&self.pool, pool => {
            sqlx::query_scalar(
                "INSERT INTO incidents (opened_at, opened_by, chat_id, message_id, description, clients) \
                 VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
            )
            .bind(&at)
            .bind(new.opened_by.0)
            .bind(new.chat.map(|c| c.0))
            .bind(new.message.map(|m| m.0))
            .bind(sealed)
            .bind(codec::codes_json(&new.clients))
            .fetch_one(pool)
            .await?
        });
        Ok(Incident {
            id,
            opened_at: new.opened_at,
            opened_by: new.opened_by,
            chat: new.chat,
            message: new.message,
            description: new.description,
            clients: new.clients,
            reminders: 0,
        })
    }

    async fn select_incidents(
        &self,
        filter: &str,
        id: i64,
    ) -> Result<Vec<Incident>, IncidentError> {
        on_pool!(&self.pool, pool => {
         let rows = sqlx::query(&format!(
                            "SELECT {COLUMNS} FROM incidents WHERE {filter} ORDER BY id"
                        ))
                        .bind(id)
                        .fetch_all(pool)
                        .await?;
        rows.iter().map(|r| self.incident_from_row(r)).collect()
         })
    }

    async fn select_tags_of(
        &self,
        chat: ChatId,
        message: MessageId,
    ) -> Result<Vec<ClientCode>, IncidentError> {
        let raw: Option<String> = on_pool!(&self.pool, pool => {
        sqlx::query_scalar(
                    "SELECT tags FROM shares WHERE chat_id = $1 AND message_id = $2 ORDER BY id DESC LIMIT 1",
                )
                .bind(chat.0)
                .bind(message.0)
                .fetch_optional(pool)
                .await?
        });
        match raw {
            Some(raw) => Ok(codec::parse_codes_json(&raw, "share tags")?),
            None => Ok(Vec::new()),
        }
    }
}

impl SqlStore {
    /// Never lowers the count (a late round cannot resend a reminder); CASE,
    /// not two-argument MAX, which PostgreSQL does not have.
    async fn raise_reminders(&self, id: i64, sent: u32) -> Result<(), IncidentError> {
        on_pool!(&self.pool, pool => {
        sqlx::query(
                    "UPDATE incidents SET reminders = CASE WHEN reminders > $1 THEN reminders ELSE $2 END \
                     WHERE id = $3",
                )
                .bind(i64::from(sent.min(2)))
                .bind(i64::from(sent.min(2)))
                .bind(id)
                .execute(pool)
                .await?;
        });
        Ok(())
    }
}

#[async_trait]
impl IncidentStore for SqlStore {
    async fn open_incident(&self, incident: NewIncident) -> StoreResult<Incident> {
        Ok(self.insert_incident(incident).await?)
    }

    async fn incident(&self, id: i64) -> StoreResult<Option<Incident>> {
        Ok(self.select_incidents("id = $1", id).await?.pop())
    }

    async fn open_incidents(&self) -> StoreResult<Vec<Incident>> {
        Ok(self.select_incidents("reminders < $1", 2).await?)
    }

    async fn set_reminders(&self, id: i64, sent: u32) -> StoreResult<()> {
        Ok(self.raise_reminders(id, sent).await?)
    }

    async fn tags_of(&self, chat: ChatId, message: MessageId) -> StoreResult<Vec<ClientCode>> {
        Ok(self.select_tags_of(chat, message).await?)
    }
}
