//! What keeps the audit log one chain on each back-end: an append's
//! transaction is serialised against every other append, in this process and
//! in any other on the same database, so no two entries chain to the same
//! predecessor. SQLite takes the file's write lock at `BEGIN IMMEDIATE`;
//! PostgreSQL takes one transaction-scoped advisory lock
//! (`pg_advisory_xact_lock`), released at commit or rollback, so replicas on
//! one database append in turn. The statements an append runs inside that
//! transaction (`AuditConn`) are written once for both connections.

use photo_guard_core::audit_csv::AuditRow;
use sqlx::{PgConnection, PgPool, Postgres, Sqlite, SqliteConnection, SqlitePool, Transaction};

use photo_guard_core::{fence, AuditEntry, AuditEvent};

use crate::audit::{audit_row, entry_from_row, AuditError, COLUMNS};
use crate::audit_anchor::Anchor;
use crate::audit_chain::GENESIS_PREV_HASH;

/// The advisory lock's key: "pg-audit" in ASCII, so it is recognisable in
/// `pg_locks` and unlikely to be taken by anything else on the database.
const AUDIT_LOCK_KEY: i64 = 0x7067_2d61_7564_6974;

/// Opens the serialised transaction an append (or the anchor's creation)
/// runs in.
pub(crate) trait SerialBegin {
    type Db: sqlx::Database;
    async fn begin_serial(&self) -> Result<Transaction<'static, Self::Db>, sqlx::Error>;
}

impl SerialBegin for SqlitePool {
    type Db = Sqlite;
    async fn begin_serial(&self) -> Result<Transaction<'static, Sqlite>, sqlx::Error> {
        self.begin_with("BEGIN IMMEDIATE").await
    }
}

impl SerialBegin for PgPool {
    type Db = Postgres;
    async fn begin_serial(&self) -> Result<Transaction<'static, Postgres>, sqlx::Error> {
        let mut tx = self.begin().await?;
        // READ COMMITTED: every statement after the lock sees the append
        // committed just before it was released.
        sqlx::query("SELECT pg_advisory_xact_lock($1)")
            .bind(AUDIT_LOCK_KEY)
            .execute(&mut *tx)
            .await?;
        Ok(tx)
    }
}

/// The statements run inside the serialised transaction.
pub(crate) trait AuditConn {
    /// The highest `seq` the log ever held (a cut tail leaves it behind).
    async fn high_water(&mut self) -> Result<i64, sqlx::Error>;
    /// The last entry.
    async fn head(&mut self) -> Result<Option<AuditRow>, sqlx::Error>;
    /// Inserts the row as it is (its hash already made).
    async fn insert_row(&mut self, row: &AuditRow) -> Result<(), sqlx::Error>;
    /// Whether the log holds the entry `anchor` names.
    async fn holds(&mut self, anchor: &Anchor) -> Result<bool, sqlx::Error>;
    /// Inside a job's work, a check's entry (`share.*`) already written for
    /// the same share by an earlier claim of the job (issue 21).
    async fn same_check(&mut self, event: &AuditEvent) -> Result<Option<AuditEntry>, AuditError>;
}

/// `AuditConn` for one connection type; `$high_water` is the one statement
/// that differs: SQLite's AUTOINCREMENT mark in `sqlite_sequence`, the
/// trigger-kept `audit_high_water` row on PostgreSQL.
macro_rules! audit_conn {
    ($conn:ty, $high_water:expr) => {
        impl AuditConn for $conn {
            async fn high_water(&mut self) -> Result<i64, sqlx::Error> {
                sqlx::query_scalar($high_water).fetch_one(self).await
            }

            async fn head(&mut self) -> Result<Option<AuditRow>, sqlx::Error> {
                let sql = format!("SELECT {COLUMNS} FROM audit_log ORDER BY seq DESC LIMIT 1");
                let row = sqlx::query(&sql).fetch_optional(self).await?;
                row.as_ref().map(audit_row).transpose()
            }

            async fn insert_row(&mut self, row: &AuditRow) -> Result<(), sqlx::Error> {
                let sql = format!(
                    "INSERT INTO audit_log ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"
                );
                sqlx::query(&sql)
                    .bind(row.seq)
                    .bind(&row.at)
                    .bind(row.actor)
                    .bind(row.chat)
                    .bind(&row.action)
                    .bind(&row.detail)
                    .bind(&row.prev_hash)
                    .bind(&row.hash)
                    .execute(self)
                    .await?;
                Ok(())
            }

            async fn same_check(
                &mut self,
                event: &AuditEvent,
            ) -> Result<Option<AuditEntry>, AuditError> {
                if fence::current().is_none() || !event.action.starts_with("share.") {
                    return Ok(None);
                }
                let sql = format!(
                    "SELECT {COLUMNS} FROM audit_log WHERE chat = $1 AND action = $2 AND detail = $3 \
                     ORDER BY seq LIMIT 1"
                );
                let row = sqlx::query(&sql)
                    .bind(event.chat.map(|c| c.0))
                    .bind(&event.action)
                    .bind(&event.detail)
                    .fetch_optional(self)
                    .await?;
                row.as_ref().map(entry_from_row).transpose()
            }

            async fn holds(&mut self, anchor: &Anchor) -> Result<bool, sqlx::Error> {
                if anchor.seq == 0 {
                    return Ok(anchor.hash == GENESIS_PREV_HASH);
                }
                let hash: Option<String> =
                    sqlx::query_scalar("SELECT hash FROM audit_log WHERE seq = $1")
                        .bind(anchor.seq)
                        .fetch_optional(self)
                        .await?;
                Ok(hash.as_deref() == Some(anchor.hash.as_str()))
            }
        }
    };
}

audit_conn!(
    SqliteConnection,
    "SELECT COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'audit_log'), 0)"
);
audit_conn!(
    PgConnection,
    "SELECT COALESCE((SELECT seq FROM audit_high_water), 0)"
);
