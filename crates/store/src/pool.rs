//! The connection pool of either back-end, and how the store's modules run a
//! statement on it once for both: [`on_pool!`] expands the same code for the
//! SQLite pool and for the PostgreSQL pool, so each query is written once (in
//! SQL both accept: `$1` placeholders, `ON CONFLICT`, `RETURNING`) and
//! type-checked against each back-end's driver. [`Columns`] reads a row of
//! either back-end.

use sqlx::postgres::PgRow;
use sqlx::sqlite::SqliteRow;
use sqlx::{Decode, PgPool, Postgres, Row, Sqlite, SqlitePool, Type};

/// `on_pool!(&self.pool, pool => body)`: `body` with `pool` bound to the
/// concrete pool, once per back-end. Both arms must give the same type, so a
/// body ends in plain values (ids, counts, parsed records), not driver types.
macro_rules! on_pool {
    ($pool:expr, $p:ident => $body:expr) => {
        match $pool {
            $crate::pool::Pool::Sqlite($p) => $body,
            $crate::pool::Pool::Pg($p) => $body,
        }
    };
}
pub(crate) use on_pool;

/// The database a store is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// One file, one machine: the default (`sqlite://...`).
    Sqlite,
    /// `postgres://...`: several processes may share it.
    Postgres,
}

/// A pool of either back-end.
#[derive(Clone)]
pub(crate) enum Pool {
    Sqlite(SqlitePool),
    Pg(PgPool),
}

impl Pool {
    pub(crate) fn backend(&self) -> Backend {
        match self {
            Pool::Sqlite(_) => Backend::Sqlite,
            Pool::Pg(_) => Backend::Postgres,
        }
    }

    pub(crate) async fn close(&self) {
        on_pool!(self, pool => pool.close().await)
    }
}

/// A column type both drivers decode.
pub(crate) trait Value:
    for<'r> Decode<'r, Sqlite> + Type<Sqlite> + for<'r> Decode<'r, Postgres> + Type<Postgres>
{
}

impl<T> Value for T where
    T: for<'r> Decode<'r, Sqlite> + Type<Sqlite> + for<'r> Decode<'r, Postgres> + Type<Postgres>
{
}

/// A row of either back-end, read by column name.
pub(crate) trait Columns {
    fn col<T: Value>(&self, name: &str) -> Result<T, sqlx::Error>;
}

impl Columns for SqliteRow {
    fn col<T: Value>(&self, name: &str) -> Result<T, sqlx::Error> {
        self.try_get(name)
    }
}

impl Columns for PgRow {
    fn col<T: Value>(&self, name: &str) -> Result<T, sqlx::Error> {
        self.try_get(name)
    }
}
