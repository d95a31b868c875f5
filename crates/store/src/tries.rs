//! Failed downloads per message (issue 17.3), counted in the database so the
//! count survives a restart: the retry sweep replays unfinished photos from
//! the inbox, and after `DOWNLOAD_MAX_TRIES` failures the adapter removes the
//! photo instead of trying again.

use async_trait::async_trait;
use chrono::Utc;
use photo_guard_core::store::DownloadTries;
use photo_guard_core::{ChatId, MessageId, StoreError, StoreResult};
use thiserror::Error;

use crate::codec;
use crate::error::{database, StoredValueError};
use crate::pool::on_pool;
use crate::SqlStore;

#[derive(Debug, Error)]
pub enum TriesError {
    #[error("download tries: {0}")]
    Database(#[from] sqlx::Error),
    #[error("download tries: {0}")]
    Stored(#[from] StoredValueError),
}

impl From<TriesError> for StoreError {
    fn from(err: TriesError) -> Self {
        match err {
            TriesError::Database(e) => database(e),
            TriesError::Stored(e) => e.into(),
        }
    }
}

impl SqlStore {
    async fn count_failure(&self, chat: ChatId, message: MessageId) -> Result<u32, TriesError> {
        let now = codec::time(Utc::now());
        let tries: i64 = on_pool!(&self.pool, pool => {
            sqlx::query_scalar(
                "INSERT INTO download_tries (chat_id, message_id, tries, last_try) VALUES ($1, $2, 1, $3) \
                 ON CONFLICT (chat_id, message_id) DO UPDATE SET tries = download_tries.tries + 1, \
                 last_try = excluded.last_try RETURNING tries",
            )
            .bind(chat.0)
            .bind(message.0)
            .bind(&now)
            .fetch_one(pool)
            .await?
        });
        u32::try_from(tries).map_err(|_| StoredValueError::new("tries", &tries.to_string()).into())
    }

    async fn forget(&self, chat: ChatId, message: MessageId) -> Result<(), TriesError> {
        on_pool!(&self.pool, pool => {
            sqlx::query("DELETE FROM download_tries WHERE chat_id = $1 AND message_id = $2")
                .bind(chat.0)
                .bind(message.0)
                .execute(pool)
                .await?;
        });
        Ok(())
    }
}

#[async_trait]
impl DownloadTries for SqlStore {
    async fn failed_download(&self, chat: ChatId, message: MessageId) -> StoreResult<u32> {
        Ok(self.count_failure(chat, message).await?)
    }

    async fn forget_downloads(&self, chat: ChatId, message: MessageId) -> StoreResult<()> {
        Ok(self.forget(chat, message).await?)
    }
}
