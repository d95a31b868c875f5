//! photo-guard's store: consent records, roles, chat policy, checked shares,
//! the quarantine vault, the keyed, anchored audit chain, the update inbox and
//! failed download tries, on SQLite through sqlx.
//!
//! [`SqliteStore`] implements every trait of [`photo_guard_core::store`], so
//! the core reaches it only through those traits (a PostgreSQL store can stand
//! in later). Each concept lives in its own module; each module has its own
//! error type, turned into the core's [`StoreError`](photo_guard_core::StoreError)
//! at the trait boundary. Queries are bound at run time (no DATABASE_URL is
//! needed to build); the schema is `migrations/` at the repository root,
//! embedded in the binary and applied by [`SqliteStore::open`] and
//! [`migrate_only`].

mod albums;
mod audit;
mod audit_anchor;
mod audit_chain;
mod audit_verify;
mod codec;
mod consent;
mod digests;
mod enforcement;
mod error;
mod export;
mod exposure;
mod inbox;
mod incidents;
mod key;
mod open;
mod policy;
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
pub use open::{migrate_only, OpenError};
pub use policy::PolicyError;
pub use roles::RoleError;
pub use shares::ShareError;
pub use subjects::SubjectError;
pub use tries::TriesError;
pub use unreadable::Unreadable;
pub use vault::VaultError;

/// The SQLite store. Cheap to clone (a pool and a shared handle); every clone
/// is the same store.
#[derive(Clone)]
pub struct SqliteStore {
    pool: SqlitePool,
    shared: Arc<Shared>,
}

struct Shared {
    /// Holds the vault key; zeroised on drop by the cipher itself.
    cipher: XChaCha20Poly1305,
    /// `ADMIN_USER_IDS`: always admins, never ungranted.
    config_admins: BTreeSet<UserId>,
    /// Serialises audit appends within this process (the transaction is
    /// `BEGIN IMMEDIATE` as well, for other processes on the same file).
    audit_lock: tokio::sync::Mutex<()>,
    /// The audit chain's and anchor's MAC keys, derived from the vault key.
    audit_keys: audit_chain::AuditKeys,
    /// Where the audit anchor is kept (`None`: not kept, in-memory database).
    anchor_path: Option<PathBuf>,
}

impl std::fmt::Debug for SqliteStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SqliteStore")
            .field("config_admins", &self.shared.config_admins)
            .field("anchor_path", &self.shared.anchor_path)
            .field("key", &"<redacted>")
            .finish_non_exhaustive()
    }
}

impl SqliteStore {
    /// The connection pool, for the rare caller (and test) that needs raw SQL.
    pub fn pool(&self) -> &SqlitePool {
        &self.pool
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
