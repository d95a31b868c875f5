//! Core ids for platforms whose own ids are strings (issue 22, WhatsApp):
//! one row per (platform, external id), its core id `PLATFORM_ID_BASE + row`.
//! Recorded, never hashed or truncated, so every core id maps back to the
//! one external id it was given to.

use async_trait::async_trait;
use chrono::Utc;
use photo_guard_core::store::PlatformIds;
use photo_guard_core::{StoreError, StoreResult, PLATFORM_ID_BASE};
use thiserror::Error;

use crate::codec;
use crate::error::database;
use crate::pool::on_pool;
use crate::SqlStore;

#[derive(Debug, Error)]
pub enum PlatformIdError {
    #[error("platform ids: {0}")]
    Database(#[from] sqlx::Error),
    #[error("platform ids: an empty platform or external id")]
    Empty,
}

impl From<PlatformIdError> for StoreError {
    fn from(err: PlatformIdError) -> Self {
        match err {
            PlatformIdError::Database(e) => database(e),
            e @ PlatformIdError::Empty => StoreError::Database(e.to_string()),
        }
    }
}

impl SqlStore {
    async fn assign_id(&self, platform: &str, external: &str) -> Result<i64, PlatformIdError> {
        if platform.is_empty() || external.is_empty() {
            return Err(PlatformIdError::Empty);
        }
        // The no-op update makes RETURNING hand back the row that was there.
        let now = codec::time(Utc::now());
        let row: i64 = on_pool!(&self.pool, pool => {
            sqlx::query_scalar(
                "INSERT INTO platform_ids (platform, external_id, created_at) VALUES ($1, $2, $3) \
                 ON CONFLICT (platform, external_id) DO UPDATE SET platform = excluded.platform \
                 RETURNING id",
            )
            .bind(platform)
            .bind(external)
            .bind(&now)
            .fetch_one(pool)
            .await?
        });
        Ok(PLATFORM_ID_BASE + row)
    }

    async fn lookup_external(
        &self,
        platform: &str,
        id: i64,
    ) -> Result<Option<String>, PlatformIdError> {
        let Some(row) = id.checked_sub(PLATFORM_ID_BASE).filter(|r| *r > 0) else {
            return Ok(None);
        };
        let found = on_pool!(&self.pool, pool => {
            sqlx::query_scalar(
                "SELECT external_id FROM platform_ids WHERE id = $1 AND platform = $2",
            )
            .bind(row)
            .bind(platform)
            .fetch_optional(pool)
            .await?
        });
        Ok(found)
    }
}

#[async_trait]
impl PlatformIds for SqlStore {
    async fn core_id(&self, platform: &str, external: &str) -> StoreResult<i64> {
        Ok(self.assign_id(platform, external).await?)
    }

    async fn external_id(&self, platform: &str, id: i64) -> StoreResult<Option<String>> {
        Ok(self.lookup_external(platform, id).await?)
    }
}
