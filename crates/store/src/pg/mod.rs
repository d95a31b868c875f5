//! PostgreSQL, chosen by `DATABASE_URL=postgres://...`: connecting and its
//! schema, `migrations/postgres/` (each file the twin of the SQLite migration
//! with the same number). Everything else runs the same queries as SQLite
//! (`pool::on_pool!`); the audit chain's serialisation across replicas is in
//! `audit_serial`.

use std::str::FromStr;
use std::time::Duration;

use sqlx::migrate::Migrator;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::PgPool;

use crate::open::OpenError;

/// The PostgreSQL schema, embedded at build time. sqlx takes an advisory
/// lock while it migrates, so replicas starting together apply it once.
pub(crate) static MIGRATOR: Migrator = sqlx::migrate!("../../migrations/postgres");

/// Connections per process: replicas share the server's `max_connections`.
const MAX_CONNECTIONS: u32 = 8;

/// How long a statement may wait for a connection from the pool.
const ACQUIRE_TIMEOUT: Duration = Duration::from_secs(10);

/// Whether `DATABASE_URL` names a PostgreSQL database.
pub fn is_postgres_url(database_url: &str) -> bool {
    let lower = database_url.trim_start().to_ascii_lowercase();
    lower.starts_with("postgres://") || lower.starts_with("postgresql://")
}

/// Connects to the database `database_url` names (it must exist).
pub(crate) async fn connect(database_url: &str) -> Result<PgPool, OpenError> {
    let options = PgConnectOptions::from_str(database_url).map_err(OpenError::Url)?;
    PgPoolOptions::new()
        .max_connections(MAX_CONNECTIONS)
        .acquire_timeout(ACQUIRE_TIMEOUT)
        .connect_with(options)
        .await
        .map_err(OpenError::Connect)
}
