//! photo-guard's store: consent records, roles, chat policy, checked shares,
//! the quarantine vault, the keyed, anchored audit chain, the update inbox and
//! failed download tries, on SQLite or PostgreSQL through sqlx.
//!
//! [`SqlStore`] implements every trait of [`photo_guard_core::store`], so
//! the core reaches it only through those traits. It is one store on either
//! back-end (`pool`): each query is written once and run on whichever pool the
//! `DATABASE_URL` opened; only what the databases do differently (opening,
//! serialising audit appends, the audit high-water mark, wiping freed pages)
//! is written per back-end, in `open`, `audit_serial` and `pg`. Each concept
//! lives in its own module; each module has its own error type, turned into
//! the core's [`StoreError`](photo_guard_core::StoreError) at the trait
//! boundary. Queries are bound at run time (no DATABASE_URL is needed to
//! build); the schema is `migrations/` (SQLite) and `migrations/postgres/` at
//! the repository root, embedded in the binary and applied by
//! [`SqlStore::open`] and [`migrate_only`].

mod albums;
mod audit;
mod audit_anchor;
mod audit_chain;
mod audit_serial;
mod audit_verify;
mod codec;
mod consent;
mod digests;
mod enforcement;
mod error;
mod export;
mod exposure;
mod fence;
mod inbox;
mod incidents;
mod key;
mod leaders;
mod open;
mod pg;
mod platform_ids;
mod policy;
mod pool;
mod queue;
mod queue_fence;
mod roles;
mod sealed_text;
mod shares;
mod subjects;
mod tries;
mod unreadable;
mod vault;
mod vault_row;
mod wipe;

#[cfg(test)]
mod tests;

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::sync::Arc;

use chacha20poly1305::XChaCha20Poly1305;
use photo_guard_core::UserId;
use sqlx::SqlitePool;

use crate::pool::Pool;

pub use albums::AlbumError;
pub use audit::AuditError;
pub use audit_anchor::{Anchor, AnchorStatus};
pub use audit_chain::{legacy_entry_hash, Break, BrokenEntry, GENESIS_PREV_HASH};
pub use audit_verify::AuditReport;
pub use consent::ConsentError;
pub use digests::DigestError;
pub use enforcement::EnforcementError;
pub use error::StoredValueError;
pub use export::ExportError;
pub use exposure::ExposureError;
pub use inbox::InboxError;
pub use incidents::IncidentError;
pub use key::{KeyError, VaultKey};
pub use leaders::LeaderError;
pub use open::{migrate_only, OpenError};
pub use pg::is_postgres_url;
pub use platform_ids::PlatformIdError;
pub use policy::PolicyError;
pub use pool::Backend;
pub use roles::RoleError;
pub use shares::ShareError;
pub use subjects::SubjectError;
pub use tries::TriesError;
pub use unreadable::Unreadable;
pub use vault::VaultError;

/// The store, on SQLite or PostgreSQL. Cheap to clone (a pool and a shared
/// handle); every clone is the same store.
#[derive(Clone)]
pub struct SqlStore {
    pool: Pool,
    shared: Arc<Shared>,
}

/// The name the store had when SQLite was its only back-end.
pub type SqliteStore = SqlStore;

struct Shared {
    /// Holds the vault key; zeroised on drop by the cipher itself.
    cipher: XChaCha20Poly1305,
    /// `ADMIN_USER_IDS`: always admins, never ungranted.
    config_admins: BTreeSet<UserId>,
    /// Serialises audit appends within this process (the transaction is
    /// serialised across processes as well, see `audit_serial`).
    audit_lock: tokio::sync::Mutex<()>,
    /// The audit chain's and anchor's MAC keys, derived from the vault key.
    audit_keys: audit_chain::AuditKeys,
    /// Where the audit anchor is kept (`None`: not kept: an in-memory
    /// database, or PostgreSQL without `AUDIT_ANCHOR_PATH`).
    anchor_path: Option<PathBuf>,
}

impl std::fmt::Debug for SqlStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SqlStore")
            .field("backend", &self.backend())
            .field("config_admins", &self.shared.config_admins)
            .field("anchor_path", &self.shared.anchor_path)
            .field("key", &"<redacted>")
            .finish_non_exhaustive()
    }
}

impl SqlStore {
    /// The database this store is on.
    pub fn backend(&self) -> Backend {
        self.pool.backend()
    }

    /// The SQLite pool, for the rare caller (and test) that needs raw SQL;
    /// `None` on PostgreSQL.
    pub fn sqlite_pool(&self) -> Option<&SqlitePool> {
        match &self.pool {
            Pool::Sqlite(pool) => Some(pool),
            Pool::Pg(_) => None,
        }
    }

    /// The PostgreSQL pool, likewise; `None` on SQLite.
    pub fn pg_pool(&self) -> Option<&sqlx::PgPool> {
        match &self.pool {
            Pool::Pg(pool) => Some(pool),
            Pool::Sqlite(_) => None,
        }
    }

    /// Where the audit anchor is kept, if anywhere.
    pub fn audit_anchor_path(&self) -> Option<&std::path::Path> {
        self.shared.anchor_path.as_deref()
    }

    /// Whether `user` is an admin from the config (`ADMIN_USER_IDS`).
    pub fn is_config_admin(&self, user: UserId) -> bool {
        self.shared.config_admins.contains(&user)
    }

    /// Closes the pool, waiting for connections to return.
    pub async fn close(&self) {
        self.pool.close().await;
    }
}
