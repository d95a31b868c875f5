//! The audit anchor: the log's head (its `seq` and `hash`) and `legacy_end`
//! kept in a small file outside the database (`AUDIT_ANCHOR_PATH`, by default
//! `<database file>.audit-anchor`), MACed under its own key derived from
//! `QUARANTINE_KEY`. Whoever can write the database can drop the triggers,
//! cut the log's tail and reset `sqlite_sequence`; they cannot move the
//! anchor back without the key, so `audit verify` still sees the cut.
//!
//! After each append the anchor is moved to the new head, written to a
//! temporary file and renamed over the old one (atomic on one file system).
//! It is moved only while it matches the log (the entry it names is there,
//! with its hash), so an append after a cut never hides the cut. It is created
//! only for a log with no keyed entry yet (a new database, or one upgraded
//! from the unkeyed chain, whose entries so far become `legacy_end`): a
//! missing anchor beside a keyed log is reported, never silently replaced.
//! What the key cannot catch alone is an attacker who deletes the anchor and
//! every keyed entry; the anchor's seq and MAC in the backups catch that.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use serde::{Deserialize, Serialize};

use crate::audit_chain::AuditKeys;

const LABEL: &str = "photo-guard audit anchor v1";

/// The head of the log as last appended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Anchor {
    pub seq: i64,
    pub hash: String,
    /// Entries up to this one were written with the old unkeyed rule.
    pub legacy_end: i64,
}

/// What was found where the anchor should be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AnchorStatus {
    /// No anchor is kept (an in-memory database).
    NotKept,
    Missing,
    /// Unreadable, or its MAC does not match: forged, damaged, or written
    /// under another `QUARANTINE_KEY`.
    Invalid,
    Kept(Anchor),
}

impl AnchorStatus {
    pub fn anchor(&self) -> Option<&Anchor> {
        match self {
            AnchorStatus::Kept(anchor) => Some(anchor),
            _ => None,
        }
    }
}

#[derive(Serialize, Deserialize)]
struct AnchorFile {
    seq: i64,
    hash: String,
    legacy_end: i64,
    mac: String,
}

fn mac_text(anchor: &Anchor) -> Vec<u8> {
    serde_json::to_vec(&(LABEL, anchor.seq, &anchor.hash, anchor.legacy_end))
        .expect("numbers and strings always serialise")
}

/// Reads and checks the anchor at `path`.
pub(crate) fn load(path: Option<&Path>, keys: &AuditKeys) -> std::io::Result<AnchorStatus> {
    let Some(path) = path else {
        return Ok(AnchorStatus::NotKept);
    };
    let raw = match std::fs::read(path) {
        Ok(raw) => raw,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(AnchorStatus::Missing),
        Err(e) => return Err(e),
    };
    let Ok(file) = serde_json::from_slice::<AnchorFile>(&raw) else {
        return Ok(AnchorStatus::Invalid);
    };
    let anchor = Anchor {
        seq: file.seq,
        hash: file.hash,
        legacy_end: file.legacy_end,
    };
    if !keys.anchor_mac_matches(&mac_text(&anchor), &file.mac) {
        return Ok(AnchorStatus::Invalid);
    }
    Ok(AnchorStatus::Kept(anchor))
}

/// Writes the anchor atomically: a temporary file beside it, synced, then
/// renamed over it.
pub(crate) fn save(path: &Path, keys: &AuditKeys, anchor: &Anchor) -> std::io::Result<()> {
    let file = AnchorFile {
        seq: anchor.seq,
        hash: anchor.hash.clone(),
        legacy_end: anchor.legacy_end,
        mac: keys.anchor_mac(&mac_text(anchor)),
    };
    let mut bytes = serde_json::to_vec_pretty(&file).expect("an anchor always serialises");
    bytes.push(b'\n');
    let temp = temp_path(path);
    let mut out = std::fs::File::create(&temp)?;
    out.write_all(&bytes)?;
    out.sync_all()?;
    drop(out);
    std::fs::rename(&temp, path)?;
    // The rename itself is durable once the folder is synced.
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        if let Ok(dir) = std::fs::File::open(dir) {
            let _ = dir.sync_all();
        }
    }
    Ok(())
}

/// A temporary name no other writer (process, or store in this process)
/// uses at the same time.
fn temp_path(path: &Path) -> PathBuf {
    static WRITES: AtomicU64 = AtomicU64::new(0);
    let n = WRITES.fetch_add(1, Ordering::Relaxed);
    let mut name = path.file_name().unwrap_or_default().to_owned();
    name.push(format!(".tmp-{}-{n}", std::process::id()));
    path.with_file_name(name)
}

/// Where the anchor lives when `AUDIT_ANCHOR_PATH` is not set: beside the
/// database file; nowhere for an in-memory database.
pub(crate) fn default_path(database_file: &Path, in_memory: bool) -> Option<PathBuf> {
    if in_memory {
        return None;
    }
    let mut name = database_file.as_os_str().to_owned();
    name.push(".audit-anchor");
    Some(PathBuf::from(name))
}
