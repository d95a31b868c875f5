//! `photo-guard migrate`, `purge` and `audit verify|export`: the store's
//! maintenance commands. Config comes only from `config::store_from_env()`.

use std::fs::File;
use std::io::{BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use chrono::{Duration, Utc};
use photo_guard_core::store::{AuditLog, Vault};
use photo_guard_core::{AuditAction, AuditEvent};
use photo_guard_store::{AnchorStatus, SqlStore};

use crate::config::{store_from_env, StoreConfig};

#[derive(clap::Subcommand)]
pub enum AuditCommand {
    /// Check the whole keyed chain and its anchor; names the first broken
    /// entry. With --csv, check an exported CSV (`audit export`, `/audit`).
    Verify {
        /// A CSV written by `audit export` or sent by `/audit`.
        #[arg(long)]
        csv: Option<PathBuf>,
    },
    /// Write the audit log as CSV (seq,at,actor,chat,action,detail,prev_hash,hash).
    Export {
        /// Only the entries of the last N days (default: all).
        #[arg(long)]
        days: Option<u32>,
        /// Write to this file instead of standard output.
        #[arg(long)]
        out: Option<PathBuf>,
    },
}

fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    tokio::runtime::Runtime::new().context("cannot start the async runtime")
}

async fn open(config: StoreConfig) -> anyhow::Result<SqlStore> {
    SqlStore::open_with(
        &config.database_url,
        config.quarantine_key,
        &config.admins,
        config.audit_anchor.as_deref(),
    )
    .await
    .context("cannot open the store")
}

/// Creates the database if missing and applies the migrations.
pub fn migrate() -> anyhow::Result<ExitCode> {
    let config = store_from_env()?;
    let migrations = runtime()?.block_on(photo_guard_store::migrate_only(&config.database_url))?;
    println!("database schema up to date ({migrations} migration(s))");
    Ok(ExitCode::SUCCESS)
}

/// Deletes quarantined photos older than RETENTION_DAYS (whatever their
/// review state) and finished inbox entries as old; records the purge in the
/// audit log.
pub fn purge() -> anyhow::Result<ExitCode> {
    let config = store_from_env()?;
    let days = config.retention_days;
    runtime()?.block_on(async move {
        let store = open(config).await?;
        let now = Utc::now();
        let cutoff = now - Duration::days(i64::from(days));
        let photos = store.purge_before(cutoff).await?;
        let updates = store.prune_inbox(cutoff).await?;
        store
            .append(AuditEvent::new(
                now,
                AuditAction::QuarantinePurged,
                None,
                None,
                serde_json::json!({ "deleted": photos, "before": cutoff, "retention_days": days }),
            ))
            .await?;
        println!(
            "deleted {photos} quarantined photo(s) and {updates} finished update(s) older than {days} day(s) (before {})",
            cutoff.format("%Y-%m-%d %H:%M UTC")
        );
        store.close().await;
        Ok(ExitCode::SUCCESS)
    })
}

/// `audit verify [--csv FILE]`: exit 0 when the chain is whole, 1 naming the
/// first broken entry. `audit export`: CSV to standard output or `--out`.
pub fn audit(cmd: AuditCommand) -> anyhow::Result<ExitCode> {
    let config = store_from_env()?;
    runtime()?.block_on(async move {
        let store = open(config).await?;
        let code = match cmd {
            AuditCommand::Verify { csv: None } => verify_log(&store).await?,
            AuditCommand::Verify { csv: Some(path) } => verify_csv(&store, &path).await?,
            AuditCommand::Export { days, out } => {
                let since = days.map(|d| Utc::now() - Duration::days(i64::from(d)));
                let count = match &out {
                    Some(path) => {
                        let file = File::create(path)
                            .with_context(|| format!("cannot create {}", path.display()))?;
                        let mut writer = BufWriter::new(file);
                        let count = store.export_audit_csv(since, &mut writer).await?;
                        writer
                            .flush()
                            .with_context(|| format!("cannot write {}", path.display()))?;
                        count
                    }
                    None => {
                        store
                            .export_audit_csv(since, std::io::stdout().lock())
                            .await?
                    }
                };
                if let Some(path) = out {
                    eprintln!("wrote {count} audit entries to {}", path.display());
                }
                ExitCode::SUCCESS
            }
        };
        store.close().await;
        Ok(code)
    })
}

/// The database's chain and its anchor.
async fn verify_log(store: &SqlStore) -> anyhow::Result<ExitCode> {
    let report = store.verify_audit().await?;
    let place = store
        .audit_anchor_path()
        .map_or_else(|| "not kept".to_owned(), |p| p.display().to_string());
    if let Some(broken) = &report.broken {
        println!("audit chain broken at entry {}: {broken}", broken.seq);
        if report.anchor == AnchorStatus::Invalid {
            println!("the audit anchor fails its MAC too: is QUARANTINE_KEY the one this log was written under?");
        }
        return Ok(ExitCode::from(1));
    }
    let anchor = match &report.anchor {
        AnchorStatus::NotKept => {
            "no anchor kept (an in-memory database, or PostgreSQL without AUDIT_ANCHOR_PATH)"
                .to_owned()
        }
        AnchorStatus::Kept(a) => format!(
            "anchor at entry {}, MAC {}... ({place})",
            a.seq,
            &a.hash[..a.hash.len().min(16)]
        ),
        AnchorStatus::Missing => {
            println!("audit anchor missing: {place}: a keyed log must keep its anchor; restore it from the backup made with the database");
            return Ok(ExitCode::from(1));
        }
        AnchorStatus::Invalid => {
            println!("audit anchor invalid: {place}: its MAC does not match (forged, damaged, or written under another QUARANTINE_KEY)");
            return Ok(ExitCode::from(1));
        }
    };
    println!(
        "audit chain ok: {} entries ({} written before the chain was keyed); {anchor}",
        report.entries, report.legacy
    );
    Ok(ExitCode::SUCCESS)
}

/// A CSV export: every row's MAC and link (the anchor's entry, if in it).
async fn verify_csv(store: &SqlStore, path: &Path) -> anyhow::Result<ExitCode> {
    let file = File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
    let report = store.verify_audit_csv(BufReader::new(file)).await?;
    if let Some(broken) = &report.broken {
        println!("audit CSV broken at entry {}: {broken}", broken.seq);
        return Ok(ExitCode::from(1));
    }
    println!(
        "audit CSV ok: {} entries ({} written before the chain was keyed), each chained to the one before",
        report.entries, report.legacy
    );
    Ok(ExitCode::SUCCESS)
}
