//! Checking the audit log: the whole chain in the database
//! ([`SqlStore::verify_audit`]) or a CSV export of it
//! ([`SqlStore::verify_audit_csv`]), naming the first broken entry. The
//! anchor outside the database catches a cut tail even after the triggers
//! were dropped and the high-water mark reset.

use std::io::Read;

use photo_guard_core::audit_csv;
use photo_guard_core::audit_csv::AuditRow;

use crate::audit::{audit_row, AuditError, COLUMNS};
use crate::audit_anchor::AnchorStatus;
use crate::audit_chain::{Break, BrokenEntry, Walk};
use crate::audit_serial::AuditConn;
use crate::pool::{on_pool, Columns};
use crate::SqlStore;

/// Rows read at a time while verifying.
const PAGE: i64 = 1000;

/// The outcome of checking the chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditReport {
    /// Entries read.
    pub entries: u64,
    /// Of those, entries an older version wrote with the unkeyed rule.
    pub legacy: u64,
    /// `None` when the chain is whole.
    pub broken: Option<BrokenEntry>,
    /// The anchor as found (before this check).
    pub anchor: AnchorStatus,
}

impl AuditReport {
    /// Whole, and vouched for by a valid anchor where one is kept.
    pub fn is_ok(&self) -> bool {
        self.broken.is_none()
            && matches!(self.anchor, AnchorStatus::NotKept | AnchorStatus::Kept(_))
    }
}

fn broken_at(seq: i64, problem: Break) -> Option<BrokenEntry> {
    Some(BrokenEntry { seq, problem })
}

impl SqlStore {
    /// Checks the whole chain, oldest first, then the anchor and the
    /// high-water mark, and names the first broken entry. Reads the stored
    /// columns as they are.
    pub async fn verify_audit(&self) -> Result<AuditReport, AuditError> {
        let anchor = self.load_anchor()?;
        let legacy_end = anchor.anchor().map(|a| a.legacy_end);
        let mut walk = Walk::from_genesis(&self.shared.audit_keys, legacy_end);
        let report = |walk: &Walk, broken| AuditReport {
            entries: walk.entries,
            legacy: walk.legacy,
            broken,
            anchor: anchor.clone(),
        };
        let mut from = 1i64;
        loop {
            let rows = self.audit_page(from).await?;
            if rows.is_empty() {
                break;
            }
            for (seq, row) in &rows {
                // A column of the wrong type was written by hand.
                let checked = match row {
                    Some(row) => walk.check(row),
                    None => Err(BrokenEntry {
                        seq: *seq,
                        problem: Break::HashMismatch,
                    }),
                };
                if let Err(broken) = checked {
                    return Ok(report(&walk, Some(broken)));
                }
                from = seq + 1;
            }
        }
        let last = walk.last.as_ref().map_or(0, |(seq, _)| *seq);
        if let Some(kept) = anchor.anchor() {
            if kept.seq > last {
                let cut = broken_at(
                    last + 1,
                    Break::Truncated {
                        high_water: kept.seq,
                    },
                );
                return Ok(report(&walk, cut));
            }
            if kept.seq > 0 && self.hash_of(kept.seq).await? != kept.hash {
                return Ok(report(&walk, broken_at(kept.seq, Break::AnchorMismatch)));
            }
        }
        let high_water = on_pool!(&self.pool, pool => pool.acquire().await?.high_water().await?);
        let cut = (high_water > last).then(|| BrokenEntry {
            seq: last + 1,
            problem: Break::Truncated { high_water },
        });
        Ok(report(&walk, cut))
    }

    /// Up to `PAGE` entries from `from` on, each with its seq and the row as
    /// stored (`None` where a column does not read as its type).
    async fn audit_page(&self, from: i64) -> Result<Vec<(i64, Option<AuditRow>)>, AuditError> {
        let sql =
            format!("SELECT {COLUMNS} FROM audit_log WHERE seq >= $1 ORDER BY seq LIMIT {PAGE}");
        let page = on_pool!(&self.pool, pool => {
            let rows = sqlx::query(&sql).bind(from).fetch_all(pool).await?;
            rows.iter()
                .map(|row| Ok((row.col("seq")?, audit_row(row).ok())))
                .collect::<Result<_, sqlx::Error>>()?
        });
        Ok(page)
    }

    async fn hash_of(&self, seq: i64) -> Result<String, AuditError> {
        let hash: Option<String> = on_pool!(&self.pool, pool => {
            sqlx::query_scalar("SELECT hash FROM audit_log WHERE seq = $1")
                .bind(seq)
                .fetch_optional(pool)
                .await?
        });
        Ok(hash.unwrap_or_default())
    }

    /// Checks a CSV written by `audit export` or sent by `/audit`: every
    /// row's keyed MAC and its link to the row before. A CSV of the last days
    /// starts mid-chain; the first row's place is taken as given (its MAC
    /// covers it). An entry the anchor names must be the one it names.
    pub async fn verify_audit_csv<R: Read>(&self, csv: R) -> Result<AuditReport, AuditError> {
        let rows = audit_csv::read(csv)?;
        let anchor = self.load_anchor()?;
        let legacy_end = anchor.anchor().map(|a| a.legacy_end);
        let mut walk = Walk::from_anywhere(&self.shared.audit_keys, legacy_end);
        let mut broken = None;
        for row in &rows {
            let named = anchor.anchor().filter(|a| a.seq == row.seq);
            if let Err(found) = walk.check(row) {
                broken = Some(found);
                break;
            }
            if named.is_some_and(|a| a.hash != row.hash) {
                broken = broken_at(row.seq, Break::AnchorMismatch);
                break;
            }
        }
        Ok(AuditReport {
            entries: walk.entries,
            legacy: walk.legacy,
            broken,
            anchor,
        })
    }
}
