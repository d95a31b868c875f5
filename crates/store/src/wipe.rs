//! Making deleted rows unrecoverable from the files, not just unlinked:
//! `secure_delete` (set at open) zeroes freed pages, and after a discard or a
//! purge the WAL, which still holds the old pages, is checkpointed into the
//! database and truncated to nothing. On PostgreSQL the dead rows go at the
//! next (auto)vacuum; what they held was ciphertext under the vault key.

use crate::pool::Pool;
use crate::SqlStore;

impl SqlStore {
    /// `PRAGMA wal_checkpoint(TRUNCATE)`. The deletion it follows is already
    /// committed, so a failure here is logged, not returned: the pages go at
    /// the next checkpoint SQLite makes on its own.
    pub(crate) async fn checkpoint_wal(&self) {
        let Pool::Sqlite(pool) = &self.pool else {
            return;
        };
        let done: Result<(i64, i64, i64), sqlx::Error> =
            sqlx::query_as("PRAGMA wal_checkpoint(TRUNCATE)")
                .fetch_one(pool)
                .await;
        match done {
            Ok((0, _, _)) => {}
            Ok((_busy, _, _)) => tracing::warn!(
                "the WAL could not be checkpointed at once (a reader was busy); deleted pages stay in it until the next checkpoint"
            ),
            Err(e) => tracing::warn!(error = %e, "cannot checkpoint the WAL"),
        }
    }
}
