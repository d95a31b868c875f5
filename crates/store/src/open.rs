//! Opening the store: connecting to the SQLite file (created if missing, WAL,
//! foreign keys on, a busy timeout), applying `migrations/`, and taking in the
//! config's admins.

use std::collections::BTreeSet;
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use photo_guard_core::UserId;
use sqlx::migrate::{MigrateError, Migrator};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::SqlitePool;
use thiserror::Error;

use crate::{Shared, SqliteStore, VaultKey};

/// The schema, embedded at build time from the repository's `migrations/`.
pub(crate) static MIGRATOR: Migrator = sqlx::migrate!("../../migrations");

/// How long a connection waits for another writer before giving up.
const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

#[derive(Debug, Error)]
pub enum OpenError {
    #[error(
        "DATABASE_URL is not a SQLite URL this store can open (use sqlite:///abs/path.db): {0}"
    )]
    Url(#[source] sqlx::Error),
    #[error("cannot open the database: {0}")]
    Connect(#[source] sqlx::Error),
    #[error("cannot apply the database migrations: {0}")]
    Migrate(#[from] MigrateError),
}

impl SqliteStore {
    /// Opens (creating if missing) and migrates the database, then holds
    /// `config_admins` as admins for as long as this store lives: they are
    /// always `Role::Admin` and `ungrant` leaves them be (it returns
    /// `Ok(false)`; see [`RoleStore::ungrant`](photo_guard_core::store::RoleStore::ungrant)).
    pub async fn open(
        database_url: &str,
        key: VaultKey,
        config_admins: &[UserId],
    ) -> Result<SqliteStore, OpenError> {
        let pool = connect(database_url).await?;
        MIGRATOR.run(&pool).await?;
        Ok(SqliteStore {
            pool,
            shared: Arc::new(Shared {
                cipher: key.cipher(),
                config_admins: config_admins.iter().copied().collect::<BTreeSet<_>>(),
                audit_lock: tokio::sync::Mutex::new(()),
            }),
        })
    }
}

/// Creates the database if missing and applies pending migrations, nothing
/// more (for `photo-guard migrate`). Returns how many migrations the schema
/// now has.
pub async fn migrate_only(database_url: &str) -> Result<usize, OpenError> {
    let pool = connect(database_url).await?;
    MIGRATOR.run(&pool).await?;
    pool.close().await;
    Ok(MIGRATOR.iter().count())
}

async fn connect(database_url: &str) -> Result<SqlitePool, OpenError> {
    let options = SqliteConnectOptions::from_str(database_url)
        .map_err(OpenError::Url)?
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Full)
        .foreign_keys(true)
        .busy_timeout(BUSY_TIMEOUT);
    // An in-memory database exists once per connection: keep to one.
    let max = if database_url.contains(":memory:") || database_url.contains("mode=memory") {
        1
    } else {
        8
    };
    SqlitePoolOptions::new()
        .max_connections(max)
        // Connections are cheap to keep; an in-memory database dies with its last one.
        .idle_timeout(None)
        .max_lifetime(None)
        .connect_with(options)
        .await
        .map_err(OpenError::Connect)
}
