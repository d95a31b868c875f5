//! The store's tests. `contract`, `consent_rules` and the generic halves are
//! written once over `S: Store` so another store (PostgreSQL) can run them
//! too; `sqlite` runs them on a temp file, and `vault_tamper` and
//! `audit_tamper` (and the other `audit_*`, `unreadable`, `wipe`) reach under
//! the store with raw SQL, as an attacker with the file would.

mod audit_anchor;
mod audit_csv;
mod audit_legacy;
mod audit_tamper;
mod consent_rules;
mod contract;
mod contract_time;
mod download_tries;
mod policy_migration;
mod sqlite;
mod unreadable;
mod vault_tamper;
mod wipe;

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use photo_guard_core::{
    ChatId, ClientCode, ConsentEvent, ConsentLevel, GivenBy, Grant, MessageId, NewConsent,
    NewQuarantine, NewShare, RecordId, UserId, Verdict,
};
use sqlx::{Connection, SqliteConnection};
use tempfile::TempDir;

use crate::{SqliteStore, VaultKey};

/// The admin every test store is opened with (as if from `ADMIN_USER_IDS`).
pub(crate) const CONFIG_ADMIN: UserId = UserId(1000);
pub(crate) const COORDINATOR: UserId = UserId(2000);

/// A store on a fresh temp file; the directory lives as long as this.
pub(crate) struct Fixture {
    pub store: SqliteStore,
    pub url: String,
    pub key: String,
    _dir: TempDir,
}

impl Fixture {
    pub async fn new() -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let url = format!("sqlite://{}", dir.path().join("store.db").display());
        let key = VaultKey::generate().to_base64();
        let store = SqliteStore::open(&url, VaultKey::from_base64(&key).unwrap(), &[CONFIG_ADMIN])
            .await
            .expect("open store");
        Self {
            store,
            url,
            key,
            _dir: dir,
        }
    }

    /// The same file opened again, under `key` (base64).
    pub async fn reopen_with(&self, key: &str) -> SqliteStore {
        SqliteStore::open(
            &self.url,
            VaultKey::from_base64(key).unwrap(),
            &[CONFIG_ADMIN],
        )
        .await
        .expect("reopen store")
    }

    /// A file in the store's temp directory (`store.db`, `store.db-wal`,
    /// `store.db.audit-anchor`).
    pub fn file(&self, name: &str) -> std::path::PathBuf {
        self._dir.path().join(name)
    }

    /// A raw connection to the file, outside the store.
    pub async fn raw(&self) -> SqliteConnection {
        SqliteConnection::connect(&self.url)
            .await
            .expect("raw connection")
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
pub(crate) async fn blocked_share(store: &SqliteStore) -> RecordId {
    use photo_guard_core::store::ShareStore;
    store
        .record_share(share(-1, 9, Verdict::Block, at(2025, 2, 1, 10)))
        .await
        .unwrap()
}

/// Seals `photo(seed, len)` as message `message` of `share_id`'s chat.
pub(crate) async fn seal_photo(
    store: &SqliteStore,
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
