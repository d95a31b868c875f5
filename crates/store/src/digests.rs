//! When each coordinator last got the expiry digest (issue 23), so it goes
//! once a day and "expired since the last digest" has a start; and the
//! language each person last wrote in, which the digest is in.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use photo_guard_core::store::DigestStore;
use photo_guard_core::{Lang, StoreError, StoreResult, UserId};
use thiserror::Error;

use crate::codec;
use crate::error::{database, StoredValueError};
use crate::pool::on_pool;
use crate::SqlStore;

#[derive(Debug, Error)]
pub enum DigestError {
    #[error("digest store: {0}")]
    Database(#[from] sqlx::Error),
    #[error(transparent)]
    Stored(#[from] StoredValueError),
}

impl From<DigestError> for StoreError {
    fn from(err: DigestError) -> Self {
        match err {
            DigestError::Database(e) => database(e),
            DigestError::Stored(e) => e.into(),
        }
    }
}

impl SqlStore {
    async fn select_digest(&self, user: UserId) -> Result<Option<DateTime<Utc>>, DigestError> {
        let raw: Option<String> = on_pool!(&self.pool, pool => {
        sqlx::query_scalar("SELECT sent_at FROM digests WHERE user_id = $1")
                        .bind(user.0)
                        .fetch_optional(pool)
                        .await?
        });
        Ok(codec::parse_opt_time(raw, "digest time")?)
    }

    async fn upsert_digest(&self, user: UserId, at: DateTime<Utc>) -> Result<(), DigestError> {
        on_pool!(&self.pool, pool => {
        sqlx::query(
                    "INSERT INTO digests (user_id, sent_at) VALUES ($1, $2) \
                     ON CONFLICT (user_id) DO UPDATE SET sent_at = excluded.sent_at",
                )
                .bind(user.0)
                .bind(codec::time(at))
                .execute(pool)
                .await?;
        });
        Ok(())
    }

    async fn select_lang(&self, user: UserId) -> Result<Option<Lang>, DigestError> {
        let raw: Option<String> = on_pool!(&self.pool, pool => {
        sqlx::query_scalar("SELECT lang FROM people_langs WHERE user_id = $1")
                        .bind(user.0)
                        .fetch_optional(pool)
                        .await?
        });
        raw.map(|l| Lang::parse(&l).ok_or_else(|| StoredValueError::new("person's language", &l)))
            .transpose()
            .map_err(DigestError::from)
    }

    async fn upsert_lang(&self, user: UserId, lang: Lang) -> Result<(), DigestError> {
        on_pool!(&self.pool, pool => {
        sqlx::query(
                    "INSERT INTO people_langs (user_id, lang, updated_at) VALUES ($1, $2, $3) \
                     ON CONFLICT (user_id) DO UPDATE SET lang = excluded.lang, \
                     updated_at = excluded.updated_at",
                )
                .bind(user.0)
                .bind(lang.as_str())
                .bind(codec::time(Utc::now()))
                .execute(pool)
                .await?;
        });
        Ok(())
    }
}

#[async_trait]
impl DigestStore for SqlStore {
    async fn last_digest(&self, user: UserId) -> StoreResult<Option<DateTime<Utc>>> {
        Ok(self.select_digest(user).await?)
    }

    async fn set_last_digest(&self, user: UserId, at: DateTime<Utc>) -> StoreResult<()> {
        Ok(self.upsert_digest(user, at).await?)
    }

    async fn user_lang(&self, user: UserId) -> StoreResult<Option<Lang>> {
        Ok(self.select_lang(user).await?)
    }

    async fn set_user_lang(&self, user: UserId, lang: Lang) -> StoreResult<()> {
        Ok(self.upsert_lang(user, lang).await?)
    }
}
