//! Breach incidents (issue 23): opened, looked up, their reminders counted
//! so a restart neither loses nor repeats one. The description is what
//! people wrote, so it is sealed (`sealed_text`) and bound to its row.

use async_trait::async_trait;
use photo_guard_core::breach::{Incident, NewIncident};
use photo_guard_core::store::IncidentStore;
use photo_guard_core::{ChatId, ClientCode, MessageId, StoreError, StoreResult, UserId};
use sqlx::Row;
use thiserror::Error;

use crate::codec;
use crate::error::{database, StoredValueError};
use crate::sealed_text::{self, Place, SealedTextError};
use crate::SqliteStore;

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

impl SqliteStore {
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

    fn incident_from_row(&self, row: &sqlx::sqlite::SqliteRow) -> Result<Incident, IncidentError> {
        let at: String = row.try_get("opened_at")?;
        let stored: String = row.try_get("description")?;
        Ok(Incident {
            id: row.try_get("id")?,
            opened_at: codec::parse_time(&at, "incident time")?,
            opened_by: UserId(row.try_get("opened_by")?),
            chat: row.try_get::<Option<i64>, _>("chat_id")?.map(ChatId),
            message: row.try_get::<Option<i64>, _>("message_id")?.map(MessageId),
            description: self.description(sealed_text::open, &at, &stored)?,
            clients: codec::parse_codes_json(
                &row.try_get::<String, _>("clients")?,
                "incident clients",
            )?,
            reminders: row.try_get::<i64, _>("reminders")?.clamp(0, 2) as u32,
        })
    }

    async fn insert_incident(&self, new: NewIncident) -> Result<Incident, IncidentError> {
        let at = codec::time(new.opened_at);
        let sealed = self.description(sealed_text::seal, &at, &new.description)?;
        let id = sqlx::query(
            "INSERT INTO incidents (opened_at, opened_by, chat_id, message_id, description, clients) \
             VALUES (?, ?, ?, ?, ?, ?)",
        )
        .bind(&at)
        .bind(new.opened_by.0)
        .bind(new.chat.map(|c| c.0))
        .bind(new.message.map(|m| m.0))
        .bind(sealed)
        .bind(codec::codes_json(&new.clients))
        .execute(&self.pool)
        .await?
        .last_insert_rowid();
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
        let rows = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM incidents WHERE {filter} ORDER BY id"
        ))
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(|r| self.incident_from_row(r)).collect()
    }

    async fn select_tags_of(
        &self,
        chat: ChatId,
        message: MessageId,
    ) -> Result<Vec<ClientCode>, IncidentError> {
        let raw: Option<String> = sqlx::query_scalar(
            "SELECT tags FROM shares WHERE chat_id = ? AND message_id = ? ORDER BY id DESC LIMIT 1",
        )
        .bind(chat.0)
        .bind(message.0)
        .fetch_optional(&self.pool)
        .await?;
        match raw {
            Some(raw) => Ok(codec::parse_codes_json(&raw, "share tags")?),
            None => Ok(Vec::new()),
        }
    }
}

#[async_trait]
impl IncidentStore for SqliteStore {
    async fn open_incident(&self, incident: NewIncident) -> StoreResult<Incident> {
        Ok(self.insert_incident(incident).await?)
    }

    async fn incident(&self, id: i64) -> StoreResult<Option<Incident>> {
        Ok(self.select_incidents("id = ?", id).await?.pop())
    }

    async fn open_incidents(&self) -> StoreResult<Vec<Incident>> {
        Ok(self.select_incidents("reminders < ?", 2).await?)
    }

    async fn set_reminders(&self, id: i64, sent: u32) -> StoreResult<()> {
        sqlx::query("UPDATE incidents SET reminders = MAX(reminders, ?) WHERE id = ?")
            .bind(i64::from(sent.min(2)))
            .bind(id)
            .execute(&self.pool)
            .await
            .map_err(IncidentError::from)?;
        Ok(())
    }

    async fn tags_of(&self, chat: ChatId, message: MessageId) -> StoreResult<Vec<ClientCode>> {
        Ok(self.select_tags_of(chat, message).await?)
    }
}
