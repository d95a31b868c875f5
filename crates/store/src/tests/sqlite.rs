//! What only SQLite can show: the file is created, WAL and foreign keys on.
//! The contract and everything else back-end independent is in `backends`.

use crate::{migrate_only, Backend, SqlStore, VaultKey};

#[tokio::test]
async fn the_database_file_is_created_and_migrating_twice_is_harmless() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("nested.db");
    let url = format!("sqlite://{}", path.display());
    assert!(migrate_only(&url).await.unwrap() >= 1);
    assert!(path.exists(), "migrate creates the file");
    migrate_only(&url).await.unwrap();
    let store = SqlStore::open(&url, VaultKey::generate(), &[])
        .await
        .unwrap();
    assert_eq!(store.backend(), Backend::Sqlite, "SQLite stays the default");
    let pool = store.sqlite_pool().unwrap();
    let mode: String = sqlx::query_scalar("PRAGMA journal_mode")
        .fetch_one(pool)
        .await
        .unwrap();
    let fks: i64 = sqlx::query_scalar("PRAGMA foreign_keys")
        .fetch_one(pool)
        .await
        .unwrap();
    assert_eq!((mode.as_str(), fks), ("wal", 1));
}
