//! Guarded chats (title, when seen, when last reminded) and each chat's
//! policy; a chat never configured gets `ChatPolicy::default()`.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use photo_guard_core::store::PolicyStore;
use photo_guard_core::{
    ChatId, ChatKind, ChatPolicy, Lang, Mode, StoreError, StoreResult, Untagged,
};
use thiserror::Error;

use crate::codec;
use crate::error::{database, StoredValueError};
use crate::pool::{on_pool, Columns};
use crate::SqlStore;

#[derive(Debug, Error)]
pub enum PolicyError {
    #[error("policy store: {0}")]
    Database(#[from] sqlx::Error),
    #[error("chat policy: {0}")]
    Stored(#[from] StoredValueError),
}

impl From<PolicyError> for StoreError {
    fn from(err: PolicyError) -> Self {
        match err {
            PolicyError::Database(e) => database(e),
            PolicyError::Stored(e) => e.into(),
        }
    }
}

fn parsed<T>(
    raw: &str,
    what: &'static str,
    parse: fn(&str) -> Option<T>,
) -> Result<T, StoredValueError> {
    parse(raw).ok_or_else(|| StoredValueError::new(what, raw))
}

fn policy_from_row(row: &impl Columns) -> Result<ChatPolicy, PolicyError> {
    let text = |col: &str| -> Result<String, sqlx::Error> { row.col(col) };
    let remind: Option<i64> = row.col("remind_days")?;
    Ok(ChatPolicy {
        mode: parsed(&text("mode")?, "mode", Mode::parse)?,
        untagged: parsed(&text("untagged")?, "untagged", Untagged::parse)?,
        kind: parsed(&text("kind")?, "chat kind", ChatKind::parse)?,
        lang: parsed(&text("lang")?, "lang", Lang::parse)?,
        remind_days: remind
            .map(|d| {
                u32::try_from(d).map_err(|_| StoredValueError::new("remind_days", &d.to_string()))
            })
            .transpose()?,
    })
}

impl SqlStore {
    async fn select_policy(&self, chat: ChatId) -> Result<ChatPolicy, PolicyError> {
        on_pool!(&self.pool, pool => {
            let row = sqlx::query(
                "SELECT mode, untagged, kind, lang, remind_days FROM chat_policies WHERE chat_id = $1",
            )
            .bind(chat.0)
            .fetch_optional(pool)
            .await?;
            row.as_ref().map_or_else(|| Ok(ChatPolicy::default()), policy_from_row)
        })
    }

    async fn upsert_policy(&self, chat: ChatId, policy: &ChatPolicy) -> Result<(), PolicyError> {
        let now = codec::time(Utc::now());
        on_pool!(&self.pool, pool => {
            sqlx::query(
                "INSERT INTO chat_policies (chat_id, mode, untagged, kind, lang, remind_days, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (chat_id) DO UPDATE SET mode = excluded.mode, \
                 untagged = excluded.untagged, kind = excluded.kind, lang = excluded.lang, \
                 remind_days = excluded.remind_days, updated_at = excluded.updated_at",
            )
            .bind(chat.0)
            .bind(policy.mode.as_str())
            .bind(policy.untagged.as_str())
            .bind(policy.kind.as_str())
            .bind(policy.lang.as_str())
            .bind(policy.remind_days.map(i64::from))
            .bind(&now)
            .execute(pool)
            .await?;
        });
        Ok(())
    }

    async fn select_chats(&self) -> Result<Vec<ChatId>, PolicyError> {
        let ids: Vec<i64> = on_pool!(&self.pool, pool => {
            sqlx::query_scalar("SELECT chat_id FROM chats ORDER BY chat_id")
                .fetch_all(pool)
                .await?
        });
        Ok(ids.into_iter().map(ChatId).collect())
    }

    async fn upsert_chat(&self, chat: ChatId, title: &str) -> Result<(), PolicyError> {
        let now = codec::time(Utc::now());
        on_pool!(&self.pool, pool => {
            sqlx::query(
                "INSERT INTO chats (chat_id, title, first_seen, last_seen) VALUES ($1, $2, $3, $3) \
                 ON CONFLICT (chat_id) DO UPDATE SET title = excluded.title, last_seen = excluded.last_seen",
            )
            .bind(chat.0)
            .bind(title)
            .bind(&now)
            .execute(pool)
            .await?;
        });
        Ok(())
    }

    async fn select_last_reminder(
        &self,
        chat: ChatId,
    ) -> Result<Option<DateTime<Utc>>, PolicyError> {
        let raw: Option<Option<String>> = on_pool!(&self.pool, pool => {
            sqlx::query_scalar("SELECT last_reminder FROM chats WHERE chat_id = $1")
                .bind(chat.0)
                .fetch_optional(pool)
                .await?
        });
        Ok(codec::parse_opt_time(raw.flatten(), "last_reminder")?)
    }

    async fn update_last_reminder(
        &self,
        chat: ChatId,
        at: DateTime<Utc>,
    ) -> Result<(), PolicyError> {
        let now = codec::time(Utc::now());
        let at = codec::time(at);
        on_pool!(&self.pool, pool => {
            sqlx::query(
                "INSERT INTO chats (chat_id, title, first_seen, last_seen, last_reminder) \
                 VALUES ($1, '', $2, $2, $3) \
                 ON CONFLICT (chat_id) DO UPDATE SET last_reminder = excluded.last_reminder",
            )
            .bind(chat.0)
            .bind(&now)
            .bind(&at)
            .execute(pool)
            .await?;
        });
        Ok(())
    }

    /// Moves the policy and the chat row from `from` to `to` in one
    /// transaction; what `to` already has wins (an admin may have set the new
    /// supergroup's policy before the migration notice was handled).
    async fn move_chat(&self, from: ChatId, to: ChatId) -> Result<bool, PolicyError> {
        let now = codec::time(Utc::now());
        let moved = on_pool!(&self.pool, pool => {
            let mut tx = pool.begin().await?;
            // The WHERE clause keeps SQLite from reading ON CONFLICT as a join's ON.
            sqlx::query(
                "INSERT INTO chat_policies (chat_id, mode, untagged, kind, lang, remind_days, updated_at) \
                 SELECT $1, mode, untagged, kind, lang, remind_days, $2 FROM chat_policies \
                 WHERE chat_id = $3 ON CONFLICT (chat_id) DO NOTHING",
            )
            .bind(to.0)
            .bind(&now)
            .bind(from.0)
            .execute(&mut *tx)
            .await?;
            // CASE, not min(): SQLite's two-argument min() is PostgreSQL's LEAST().
            sqlx::query(
                "INSERT INTO chats (chat_id, title, first_seen, last_seen, last_reminder) \
                 SELECT $1, title, first_seen, last_seen, last_reminder FROM chats WHERE chat_id = $2 \
                 ON CONFLICT (chat_id) DO UPDATE SET first_seen = CASE \
                 WHEN chats.first_seen < excluded.first_seen THEN chats.first_seen \
                 ELSE excluded.first_seen END, \
                 last_reminder = coalesce(chats.last_reminder, excluded.last_reminder)",
            )
            .bind(to.0)
            .bind(from.0)
            .execute(&mut *tx)
            .await?;
            let mut deleted = 0;
            for table in ["DELETE FROM chat_policies WHERE chat_id = $1", "DELETE FROM chats WHERE chat_id = $1"] {
                deleted += sqlx::query(table).bind(from.0).execute(&mut *tx).await?.rows_affected();
            }
            tx.commit().await?;
            deleted
        });
        Ok(moved > 0)
    }

    /// The title the chat had when last seen, if it was.
    pub async fn chat_title(&self, chat: ChatId) -> StoreResult<Option<String>> {
        on_pool!(&self.pool, pool => {
            sqlx::query_scalar("SELECT title FROM chats WHERE chat_id = $1")
                .bind(chat.0)
                .fetch_optional(pool)
                .await
                .map_err(database)
        })
    }
}

#[async_trait]
impl PolicyStore for SqlStore {
    async fn chat_policy(&self, chat: ChatId) -> StoreResult<ChatPolicy> {
        Ok(self.select_policy(chat).await?)
    }

    async fn set_chat_policy(&self, chat: ChatId, policy: &ChatPolicy) -> StoreResult<()> {
        Ok(self.upsert_policy(chat, policy).await?)
    }

    async fn guarded_chats(&self) -> StoreResult<Vec<ChatId>> {
        Ok(self.select_chats().await?)
    }

    async fn touch_chat(&self, chat: ChatId, title: &str) -> StoreResult<()> {
        Ok(self.upsert_chat(chat, title).await?)
    }

    async fn last_reminder(&self, chat: ChatId) -> StoreResult<Option<DateTime<Utc>>> {
        Ok(self.select_last_reminder(chat).await?)
    }

    async fn set_last_reminder(&self, chat: ChatId, at: DateTime<Utc>) -> StoreResult<()> {
        Ok(self.update_last_reminder(chat, at).await?)
    }

    async fn migrate_chat(&self, from: ChatId, to: ChatId) -> StoreResult<bool> {
        Ok(self.move_chat(from, to).await?)
    }
}
