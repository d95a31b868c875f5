//! Opening the store: connecting to the SQLite file (created if missing, WAL,
//! foreign keys on, `secure_delete` on, a busy timeout) and applying
//! `migrations/`, or to the PostgreSQL database a `postgres://` URL names
//! (`pg`); taking in the config's admins, and making sure the audit anchor is
//! kept (`audit_anchor`).

use std::collections::BTreeSet;
use std::path::Path;
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use photo_guard_core::UserId;
use sqlx::migrate::{MigrateError, Migrator};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::SqlitePool;
use thiserror::Error;

use crate::audit::AuditError;
use crate::audit_anchor;
use crate::audit_chain::AuditKeys;
use crate::pg;
use crate::pool::Pool;
use crate::{Shared, SqlStore, VaultKey};

/// The schema, embedded at build time from the repository's `migrations/`.
pub(crate) static MIGRATOR: Migrator = sqlx::migrate!("../../migrations");

/// How long a connection waits for another writer before giving up.
const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

#[derive(Debug, Error)]
pub enum OpenError {
    #[error(
        "DATABASE_URL is not a URL this store can open (use sqlite:///abs/path.db or postgres://user@host/db): {0}"
    )]
    Url(#[source] sqlx::Error),
    #[error("cannot open the database: {0}")]
    Connect(#[source] sqlx::Error),
    #[error("cannot apply the database migrations: {0}")]
    Migrate(#[from] MigrateError),
    #[error("cannot keep the audit anchor: {0}")]
    Anchor(#[from] AuditError),
}

impl SqlStore {
    /// Opens (creating if missing) and migrates the database, then holds
    /// `config_admins` as admins for as long as this store lives: they are
    /// always `Role::Admin` and `ungrant` leaves them be (it returns
    /// `Ok(false)`; see [`RoleStore::ungrant`](photo_guard_core::store::RoleStore::ungrant)).
    /// The audit anchor is kept beside a SQLite database file; on
    /// PostgreSQL only where [`open_with`](Self::open_with) names it.
    pub async fn open(
        database_url: &str,
        key: VaultKey,
        config_admins: &[UserId],
    ) -> Result<SqlStore, OpenError> {
        Self::open_with(database_url, key, config_admins, None).await
    }

    /// As [`open`](Self::open), with the audit anchor at `audit_anchor`
    /// (`AUDIT_ANCHOR_PATH`) instead of `<database file>.audit-anchor`.
    /// PostgreSQL has no file beside it: there the anchor is kept only at
    /// `audit_anchor`.
    pub async fn open_with(
        database_url: &str,
        key: VaultKey,
        config_admins: &[UserId],
        audit_anchor: Option<&Path>,
    ) -> Result<SqlStore, OpenError> {
        let given = audit_anchor.map(Path::to_path_buf);
        let (pool, anchor_path) = if pg::is_postgres_url(database_url) {
            let pool = pg::connect(database_url).await?;
            pg::MIGRATOR.run(&pool).await?;
            (Pool::Pg(pool), given)
        } else {
            let options = options(database_url)?;
            let in_memory = is_in_memory(database_url);
            let anchor_path =
                given.or_else(|| audit_anchor::default_path(options.get_filename(), in_memory));
            let pool = connect(options, in_memory).await?;
            MIGRATOR.run(&pool).await?;
            (Pool::Sqlite(pool), anchor_path)
        };
        let store = SqlStore {
            pool,
            shared: Arc::new(Shared {
                cipher: key.cipher(),
                config_admins: config_admins.iter().copied().collect::<BTreeSet<_>>(),
                audit_lock: tokio::sync::Mutex::new(()),
                audit_keys: AuditKeys::derive(&key),
                anchor_path,
            }),
        };
        store.ensure_anchor().await?;
        Ok(store)
    }
}

/// Creates the database if missing and applies pending migrations, nothing
/// more (for `photo-guard migrate`). Returns how many migrations the schema
/// now has.
pub async fn migrate_only(database_url: &str) -> Result<usize, OpenError> {
    if pg::is_postgres_url(database_url) {
        let pool = pg::connect(database_url).await?;
        pg::MIGRATOR.run(&pool).await?;
        pool.close().await;
        return Ok(pg::MIGRATOR.iter().count());
    }
    let pool = connect(options(database_url)?, is_in_memory(database_url)).await?;
    MIGRATOR.run(&pool).await?;
    pool.close().await;
    Ok(MIGRATOR.iter().count())
}

fn is_in_memory(database_url: &str) -> bool {
    database_url.contains(":memory:") || database_url.contains("mode=memory")
}

fn options(database_url: &str) -> Result<SqliteConnectOptions, OpenError> {
    Ok(SqliteConnectOptions::from_str(database_url)
        .map_err(OpenError::Url)?
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Full)
        .foreign_keys(true)
        // Freed pages are zeroed, so a discarded or purged photo's
        // ciphertext does not stay in the file's free space.
        .pragma("secure_delete", "ON")
        .busy_timeout(BUSY_TIMEOUT))
}

async fn connect(options: SqliteConnectOptions, in_memory: bool) -> Result<SqlitePool, OpenError> {
    // An in-memory database exists once per connection: keep to one.
    let max = if in_memory { 1 } else { 8 };
    SqlitePoolOptions::new()
        .max_connections(max)
        // Connections are cheap to keep; an in-memory database dies with its last one.
        .idle_timeout(None)
        .max_lifetime(None)
        .connect_with(options)
        .await
        .map_err(OpenError::Connect)
}
