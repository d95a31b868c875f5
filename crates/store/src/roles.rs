//! photo-guard's roles. The config's admins (`ADMIN_USER_IDS`) are held in
//! memory and are always admins: granting them anything is a no-op and
//! ungranting them returns `Ok(false)` (they are removed by editing the config).
//! Roles named by an admin live in the `roles` table.

use async_trait::async_trait;
use chrono::Utc;
use photo_guard_core::store::RoleStore;
use photo_guard_core::{Role, StoreError, StoreResult, UserId};
use thiserror::Error;

use crate::codec;
use crate::error::{database, StoredValueError};
use crate::pool::on_pool;
use crate::SqlStore;

#[derive(Debug, Error)]
pub enum RoleError {
    #[error("role store: {0}")]
    Database(#[from] sqlx::Error),
    #[error("role: {0}")]
    Stored(#[from] StoredValueError),
}

impl From<RoleError> for StoreError {
    fn from(err: RoleError) -> Self {
        match err {
            RoleError::Database(e) => database(e),
            RoleError::Stored(e) => e.into(),
        }
    }
}

fn parse_role(raw: &str) -> Result<Role, StoredValueError> {
    Role::parse(raw).ok_or_else(|| StoredValueError::new("role", raw))
}

impl SqlStore {
    async fn select_role(&self, user: UserId) -> Result<Option<Role>, RoleError> {
        if self.is_config_admin(user) {
            return Ok(Some(Role::Admin));
        }
        let raw: Option<String> = on_pool!(&self.pool, pool => {
            sqlx::query_scalar("SELECT role FROM roles WHERE user_id = $1")
                .bind(user.0)
                .fetch_optional(pool)
                .await?
        });
        Ok(raw.as_deref().map(parse_role).transpose()?)
    }

    async fn upsert_role(&self, user: UserId, role: Role, by: UserId) -> Result<(), RoleError> {
        if self.is_config_admin(user) {
            return Ok(());
        }
        let now = codec::time(Utc::now());
        on_pool!(&self.pool, pool => {
            sqlx::query(
                "INSERT INTO roles (user_id, role, granted_by, granted_at) VALUES ($1, $2, $3, $4) \
                 ON CONFLICT (user_id) DO UPDATE SET role = excluded.role, \
                 granted_by = excluded.granted_by, granted_at = excluded.granted_at",
            )
            .bind(user.0)
            .bind(role.as_str())
            .bind(by.0)
            .bind(&now)
            .execute(pool)
            .await?;
        });
        Ok(())
    }

    async fn delete_role(&self, user: UserId) -> Result<bool, RoleError> {
        if self.is_config_admin(user) {
            return Ok(false);
        }
        let deleted = on_pool!(&self.pool, pool => {
            sqlx::query("DELETE FROM roles WHERE user_id = $1")
                .bind(user.0)
                .execute(pool)
                .await?
                .rows_affected()
        });
        Ok(deleted > 0)
    }

    async fn select_users_with(&self, role: Role) -> Result<Vec<UserId>, RoleError> {
        let ids: Vec<i64> = on_pool!(&self.pool, pool => {
            sqlx::query_scalar("SELECT user_id FROM roles WHERE role = $1 ORDER BY user_id")
                .bind(role.as_str())
                .fetch_all(pool)
                .await?
        });
        let mut users: Vec<UserId> = ids
            .into_iter()
            .map(UserId)
            .filter(|u| !self.is_config_admin(*u))
            .collect();
        if role == Role::Admin {
            users.extend(self.shared.config_admins.iter().copied());
            users.sort();
        }
        Ok(users)
    }
}

#[async_trait]
impl RoleStore for SqlStore {
    async fn role(&self, user: UserId) -> StoreResult<Option<Role>> {
        Ok(self.select_role(user).await?)
    }

    /// Replaces the user's role. A no-op for a config admin.
    async fn grant(&self, user: UserId, role: Role, by: UserId) -> StoreResult<()> {
        Ok(self.upsert_role(user, role, by).await?)
    }

    /// `Ok(false)` for a config admin, who keeps the role; use
    /// [`SqlStore::is_config_admin`] to tell that case from "had no role".
    async fn ungrant(&self, user: UserId, _by: UserId) -> StoreResult<bool> {
        Ok(self.delete_role(user).await?)
    }

    async fn users_with(&self, role: Role) -> StoreResult<Vec<UserId>> {
        Ok(self.select_users_with(role).await?)
    }
}
