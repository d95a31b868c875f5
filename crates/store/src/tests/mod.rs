//! The store's tests. `contract`, `consent_rules` and the generic halves are
//! written once over `S: Store`; `backends` runs them, and every other test
//! that does not depend on the database (`on_both!`), on SQLite (a temp
//! file) and on PostgreSQL (`pg_cluster`: a real server, a fresh database per
//! test). `sqlite` holds what only SQLite can show; `vault_tamper` and
//! `audit_tamper` (and the other `audit_*`, `unreadable`, `wipe`) reach under
//! the store with raw SQL, as an attacker with the file would.

mod audit_anchor;
mod audit_csv;
mod audit_legacy;
mod audit_tamper;
mod backends;
mod consent_rules;
mod contract;
mod contract_time;
mod download_tries;
mod fence;
mod pg_cluster;
mod platform_ids;
mod policy_migration;
mod postgres;
mod queue;
mod sqlite;
mod unreadable;
mod vault_tamper;
mod wipe;

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use photo_guard_core::{
    ChatId, ClientCode, ConsentEvent, ConsentLevel, GivenBy, Grant, MessageId, NewConsent,
    NewQuarantine, NewShare, RecordId, UserId, Verdict,
};
use sqlx::{Connection, SqliteConnection, SqlitePool};
use tempfile::TempDir;

use crate::pool::on_pool;
use crate::{SqlStore, VaultKey};

/// The admin every test store is opened with (as if from `ADMIN_USER_IDS`).
pub(crate) const CONFIG_ADMIN: UserId = UserId(1000);
pub(crate) const COORDINATOR: UserId = UserId(2000);

/// `name::sqlite` and `name::postgres`: the test `async fn name(fx: Fixture)`
/// (beside the macro call) once on each back-end.
// Issue 21: every back-end independent store test also guards PostgreSQL.
macro_rules! on_both {
    ($($name:ident),* $(,)?) => {$(
        mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                super::$name($crate::tests::Fixture::new().await).await
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                super::$name($crate::tests::Fixture::postgres().await).await
            }
        }
    )*};
}
pub(crate) use on_both;

/// A store on a fresh temp file, or on a fresh PostgreSQL database; the temp
/// directory (the file, the audit anchor) lives as long as this.
pub(crate) struct Fixture {
    pub store: SqlStore,
    pub url: String,
    pub key: String,
    /// Where the audit anchor is kept on PostgreSQL (SQLite's default is
    /// beside the file).
    anchor: Option<std::path::PathBuf>,
    _dir: TempDir,
}

impl Fixture {
    pub async fn new() -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let url = format!("sqlite://{}", dir.path().join("store.db").display());
        Self::open(url, None, dir).await
    }

    /// A fresh database on the test PostgreSQL server, the anchor in a temp
    /// directory.
    pub async fn postgres() -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let url = pg_cluster::fresh_database().await;
        let anchor = dir.path().join("audit-anchor");
        Self::open(url, Some(anchor), dir).await
    }

    async fn open(url: String, anchor: Option<std::path::PathBuf>, dir: TempDir) -> Self {
        let key = VaultKey::generate().to_base64();
        let store = SqlStore::open_with(
            &url,
            VaultKey::from_base64(&key).unwrap(),
            &[CONFIG_ADMIN],
            anchor.as_deref(),
        )
        .await
        .expect("open store");
        Self {
            store,
            url,
            key,
            anchor,
            _dir: dir,
        }
    }

    /// The same database opened again, under `key` (base64).
    pub async fn reopen_with(&self, key: &str) -> SqlStore {
        self.reopen_as(key, &[CONFIG_ADMIN]).await
    }

    /// The same database opened again, under `key`, with other config admins.
    pub async fn reopen_as(&self, key: &str, admins: &[UserId]) -> SqlStore {
        SqlStore::open_with(
            &self.url,
            VaultKey::from_base64(key).unwrap(),
            admins,
            self.anchor.as_deref(),
        )
        .await
        .expect("reopen store")
    }

    /// A file in the store's temp directory (`store.db`, `store.db-wal`,
    /// `store.db.audit-anchor`).
    pub fn file(&self, name: &str) -> std::path::PathBuf {
        self._dir.path().join(name)
    }

    /// The SQLite pool (a SQLite-only test).
    pub fn sqlite(&self) -> &SqlitePool {
        self.store.sqlite_pool().expect("a SQLite store")
    }

    /// A raw connection to the file, outside the store.
    pub async fn raw(&self) -> SqliteConnection {
        SqliteConnection::connect(&self.url)
            .await
            .expect("raw connection")
    }

    /// Runs `sql` under the store, as someone with the database would.
    pub async fn execute(&self, sql: &str) -> Result<u64, sqlx::Error> {
        on_pool!(&self.store.pool, pool => {
            sqlx::query(sql).execute(pool).await.map(|done| done.rows_affected())
        })
    }

    /// The text column `sql` selects, every row.
    pub async fn texts(&self, sql: &str) -> Vec<String> {
        on_pool!(&self.store.pool, pool => sqlx::query_scalar(sql).fetch_all(pool).await)
            .expect(sql)
    }

    /// The bytes column `sql` selects, first row.
    pub async fn bytes(&self, sql: &str) -> Vec<u8> {
        on_pool!(&self.store.pool, pool => sqlx::query_scalar(sql).fetch_one(pool).await)
            .expect(sql)
    }
}

pub(crate) fn code(raw: &str) -> ClientCode {
    ClientCode::parse(raw).unwrap()
}

pub(crate) fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

pub(crate) fn at(y: i32, m: u32, d: u32, h: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, d, h, 0, 0).unwrap()
}

pub(crate) fn grant(
    client: &str,
    level: ConsentLevel,
    from: NaiveDate,
    until: Option<NaiveDate>,
    recorded_at: DateTime<Utc>,
) -> NewConsent {
    NewConsent {
        client: code(client),
        event: ConsentEvent::Granted(Grant {
            level,
            purpose: Some("case documentation".into()),
            given_by: GivenBy::Client,
            evidence: Some("form 17/2025".into()),
            valid_from: from,
            valid_until: until,
        }),
        recorded_by: COORDINATOR,
        recorded_at,
    }
}

pub(crate) fn withdraw(client: &str, recorded_at: DateTime<Utc>) -> NewConsent {
    NewConsent {
        client: code(client),
        event: ConsentEvent::Withdrawn {
            reason: Some("asked by phone".into()),
        },
        recorded_by: COORDINATOR,
        recorded_at,
    }
}

pub(crate) fn share(chat: i64, message: i64, verdict: Verdict, when: DateTime<Utc>) -> NewShare {
    NewShare {
        chat: ChatId(chat),
        message: MessageId(message),
        sender: UserId(42),
        tags: vec![code("KLN0042")],
        verdict,
        enforced: true,
        relied_on: vec![RecordId(1), RecordId(3)],
        reason_code: "consent_refused".into(),
        reason_detail: r#"{"ConsentRefused":{"client":"KLN0042","record":1}}"#.into(),
        faces: 2,
        at: when,
    }
}

pub(crate) fn quarantine(
    share: RecordId,
    chat: i64,
    message: i64,
    when: DateTime<Utc>,
) -> NewQuarantine {
    NewQuarantine {
        share,
        chat: ChatId(chat),
        message: MessageId(message),
        sender: UserId(42),
        sender_name: "Sari".into(),
        caption: Some("home visit #KLN0042".into()),
        thread: Some(7),
        tags: vec![code("KLN0042")],
        reason_code: "consent_refused".into(),
        at: when,
    }
}

/// Bytes that look like nothing in particular, distinct per `seed`.
pub(crate) fn photo(seed: u8, len: usize) -> Vec<u8> {
    (0..len)
        .map(|i| (i as u8).wrapping_mul(31).wrapping_add(seed))
        .collect()
}

/// A blocked share in chat -1 (message 9), for photos to be sealed from.
pub(crate) async fn blocked_share(store: &SqlStore) -> RecordId {
    use photo_guard_core::store::ShareStore;
    store
        .record_share(share(-1, 9, Verdict::Block, at(2025, 2, 1, 10)))
        .await
        .unwrap()
}

/// Seals `photo(seed, len)` as message `message` of `share_id`'s chat.
pub(crate) async fn seal_photo(
    store: &SqlStore,
    share_id: RecordId,
    message: i64,
    seed: u8,
    len: usize,
) -> RecordId {
    use photo_guard_core::store::Vault;
    store
        .seal(
            quarantine(share_id, -1, message, at(2025, 2, 1, 10)),
            &photo(seed, len),
        )
        .await
        .unwrap()
}
