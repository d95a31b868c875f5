//! The audit chain's rules, one entry at a time, for the database and for a
//! CSV alike. Entry `seq` holds `prev_hash` (the `hash` of entry `seq - 1`;
//! 64 zeros for the first) and
//!
//! ```text
//! hash      = hex(hmac_sha256(chain_key, prev_hash ++ canonical))
//! canonical = JSON array [seq, at, actor, chat, action, detail]
//! ```
//!
//! with `at` exactly as stored (`audit_csv::canonical_time`), `actor`/`chat`
//! numbers or `null`, in serde_json's compact form. `chain_key` is derived
//! from `QUARANTINE_KEY` (HKDF-SHA256, its own label), so nobody without the
//! key can rewrite an entry and recompute the chain after it.
//!
//! Entries written by versions before the key (the "legacy" rule,
//! `hex(sha256(prev_hash ++ canonical))`) still verify, but only up to
//! `legacy_end`, the last entry the log held when it was first anchored
//! (kept in the MACed anchor, see `audit_anchor`). Every later entry must be
//! keyed, so an entry forged with the old rule is caught wherever it is put.

use hmac::{Hmac, Mac};
use photo_guard_core::audit_csv::AuditRow;
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

use crate::key::KEY_LEN;
use crate::VaultKey;

/// The first entry's `prev_hash`.
pub const GENESIS_PREV_HASH: &str =
    "0000000000000000000000000000000000000000000000000000000000000000";

type HmacSha256 = Hmac<Sha256>;

/// The two MAC keys derived from the vault key.
pub(crate) struct AuditKeys {
    chain: Zeroizing<[u8; KEY_LEN]>,
    anchor: Zeroizing<[u8; KEY_LEN]>,
}

impl AuditKeys {
    pub(crate) fn derive(key: &VaultKey) -> Self {
        Self {
            chain: key.derive("photo-guard/audit-chain/v1"),
            anchor: key.derive("photo-guard/audit-anchor/v1"),
        }
    }

    fn mac(key: &[u8], parts: &[&[u8]]) -> HmacSha256 {
        let mut mac = HmacSha256::new_from_slice(key).expect("HMAC takes a key of any length");
        for part in parts {
            mac.update(part);
        }
        mac
    }

    /// The entry's keyed hash.
    pub(crate) fn entry_mac(&self, row: &AuditRow) -> String {
        let mac = Self::mac(
            self.chain.as_slice(),
            &[row.prev_hash.as_bytes(), &canonical(row)],
        );
        hex::encode(mac.finalize().into_bytes())
    }

    /// Whether the stored hash is the entry's keyed hash (in constant time).
    pub(crate) fn entry_mac_matches(&self, row: &AuditRow) -> bool {
        let mac = Self::mac(
            self.chain.as_slice(),
            &[row.prev_hash.as_bytes(), &canonical(row)],
        );
        hex::decode(&row.hash).is_ok_and(|stored| mac.verify_slice(&stored).is_ok())
    }

    /// The anchor's MAC over its canonical text.
    pub(crate) fn anchor_mac(&self, text: &[u8]) -> String {
        hex::encode(
            Self::mac(self.anchor.as_slice(), &[text])
                .finalize()
                .into_bytes(),
        )
    }

    pub(crate) fn anchor_mac_matches(&self, text: &[u8], stored: &str) -> bool {
        let mac = Self::mac(self.anchor.as_slice(), &[text]);
        hex::decode(stored).is_ok_and(|stored| mac.verify_slice(&stored).is_ok())
    }
}

fn canonical(row: &AuditRow) -> Vec<u8> {
    serde_json::to_vec(&(
        row.seq,
        &row.at,
        row.actor,
        row.chat,
        &row.action,
        &row.detail,
    ))
    .expect("numbers and strings always serialise")
}

/// The legacy, unkeyed hash older versions wrote (anyone can compute it).
pub fn legacy_entry_hash(row: &AuditRow) -> String {
    let mut hasher = Sha256::new();
    hasher.update(row.prev_hash.as_bytes());
    hasher.update(canonical(row));
    hex::encode(hasher.finalize())
}

/// What is wrong with the first broken entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Break {
    /// The entry's contents do not give its stored MAC: it was altered.
    HashMismatch,
    /// Its hash is the old unkeyed one where only keyed entries may be.
    Unkeyed,
    /// Keyed, where the anchor says the log was not keyed yet: the anchor
    /// was made again over a log rewritten with the old rule.
    KeyedBeforeLegacyEnd,
    /// Its `prev_hash` is not the hash of the entry before it.
    PrevMismatch,
    /// Entries `expected..seq` are missing.
    Gap { expected: i64 },
    /// Entry `expected` should come here; this one belongs earlier.
    OutOfOrder { expected: i64 },
    /// The log once reached `high_water`; the entries after the last are gone.
    Truncated { high_water: i64 },
    /// The entry is not the one the anchor outside the database names.
    AnchorMismatch,
}

/// The first entry that breaks the chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BrokenEntry {
    pub seq: i64,
    pub problem: Break,
}

impl std::fmt::Display for BrokenEntry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let seq = self.seq;
        match &self.problem {
            Break::HashMismatch => write!(f, "hash mismatch: its contents were altered"),
            Break::Unkeyed => write!(
                f,
                "unkeyed hash: written with the old SHA-256 rule after the log was keyed (forged)"
            ),
            Break::KeyedBeforeLegacyEnd => write!(
                f,
                "keyed, where the anchor says the log was not keyed yet: the anchor was made again over a rewritten log"
            ),
            Break::PrevMismatch => write!(
                f,
                "prev mismatch: prev_hash is not the hash of entry {} (an earlier entry was altered or replaced)",
                seq - 1
            ),
            Break::Gap { expected } if *expected == seq - 1 => {
                write!(f, "gap in seq: entry {expected} is missing")
            }
            Break::Gap { expected } => {
                write!(f, "gap in seq: entries {expected} to {} are missing", seq - 1)
            }
            Break::OutOfOrder { expected } => {
                write!(f, "out of order: entry {expected} should come here")
            }
            Break::Truncated { high_water } => write!(
                f,
                "entries {seq} to {high_water} are missing (the log once reached {high_water})"
            ),
            Break::AnchorMismatch => write!(
                f,
                "not the entry the audit anchor names: the log was cut back and written again"
            ),
        }
    }
}

/// Checks entries in order. `legacy_end` is `None` when no anchor vouches
/// for it: then the old rule is taken only before the first keyed entry.
pub(crate) struct Walk<'k> {
    keys: &'k AuditKeys,
    legacy_end: Option<i64>,
    /// `None` until the first entry when the walk may start mid-chain (a CSV
    /// of the last days).
    expected: Option<i64>,
    prev: Option<String>,
    seen_keyed: bool,
    pub entries: u64,
    pub legacy: u64,
    pub last: Option<(i64, String)>,
}

impl<'k> Walk<'k> {
    /// A walk from entry 1 (the whole log).
    pub(crate) fn from_genesis(keys: &'k AuditKeys, legacy_end: Option<i64>) -> Self {
        let mut walk = Self::from_anywhere(keys, legacy_end);
        walk.expected = Some(1);
        walk
    }

    /// A walk that takes the first entry's place as given (its MAC still
    /// covers its `prev_hash`).
    pub(crate) fn from_anywhere(keys: &'k AuditKeys, legacy_end: Option<i64>) -> Self {
        Self {
            keys,
            legacy_end,
            expected: None,
            prev: None,
            seen_keyed: false,
            entries: 0,
            legacy: 0,
            last: None,
        }
    }

    /// The next entry; the first problem found, if any.
    pub(crate) fn check(&mut self, row: &AuditRow) -> Result<(), BrokenEntry> {
        self.entries += 1;
        let broken = |problem| BrokenEntry {
            seq: row.seq,
            problem,
        };
        let expected = self.expected.unwrap_or(row.seq);
        if row.seq > expected {
            return Err(broken(Break::Gap { expected }));
        }
        if row.seq < expected {
            return Err(broken(Break::OutOfOrder { expected }));
        }
        let prev = match (&self.prev, row.seq) {
            (Some(prev), _) => Some(prev.as_str()),
            (None, 1) => Some(GENESIS_PREV_HASH),
            (None, _) => None,
        };
        if prev.is_some_and(|p| p != row.prev_hash) {
            return Err(broken(Break::PrevMismatch));
        }
        self.check_hash(row).map_err(broken)?;
        self.expected = Some(row.seq + 1);
        self.prev = Some(row.hash.clone());
        self.last = Some((row.seq, row.hash.clone()));
        Ok(())
    }

    fn check_hash(&mut self, row: &AuditRow) -> Result<(), Break> {
        let legacy_allowed = match self.legacy_end {
            Some(end) => row.seq <= end,
            None => !self.seen_keyed,
        };
        let legacy = legacy_entry_hash(row) == row.hash;
        if legacy_allowed && legacy {
            self.legacy += 1;
            return Ok(());
        }
        if legacy {
            return Err(Break::Unkeyed);
        }
        if !self.keys.entry_mac_matches(row) {
            return Err(Break::HashMismatch);
        }
        // Under an anchor, entries up to `legacy_end` were all legacy.
        if self.legacy_end.is_some_and(|end| row.seq <= end) {
            return Err(Break::KeyedBeforeLegacyEnd);
        }
        self.seen_keyed = true;
        Ok(())
    }
}
