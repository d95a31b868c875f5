//! `photo-guard check IMAGE`: the whole guard on a local file, with no
//! Telegram at all. It records nothing in the configured database: the guard
//! runs on a scratch in-memory store (the same migrations) holding a copy of
//! the consent read from the configured database, opened read-only, so tags
//! resolve as they would in the chats. The share, audit and quarantine rows a
//! check writes die with the process.

use std::collections::HashMap;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use photo_guard_core::store::ConsentStore;
use photo_guard_core::texts::{text, Msg};
use photo_guard_core::{
    ChatId, ChatKind, IncomingPhoto, Lang, MessageId, NewConsent, RecordId, UserId, Verdict,
};
use photo_guard_store::{SqliteStore, VaultKey};

use crate::config::{self, StoreConfig};
use crate::validated::database_file;
use crate::wiring;

/// The pseudo-chat local checks are recorded under.
const LOCAL_CHAT: ChatId = ChatId(0);

#[derive(clap::Args)]
pub struct CheckArgs {
    /// The image to check.
    image: PathBuf,
    /// The caption it would be shared with (tags like #KLN0042).
    #[arg(long)]
    caption: Option<String>,
    /// The kind of chat it would be shared in.
    #[arg(long, value_parser = ["team", "public"], default_value = "team")]
    chat_kind: String,
    /// Where to write the anonymised copy for a blur (default NAME.blurred.jpg
    /// in the current directory, never beside the original).
    #[arg(long)]
    out: Option<PathBuf>,
}

pub fn check(args: &CheckArgs) -> anyhow::Result<ExitCode> {
    let bytes = match std::fs::read(&args.image) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("{}: cannot read: {e}", args.image.display());
            return Ok(ExitCode::from(2));
        }
    };
    let runtime = tokio::runtime::Runtime::new().context("cannot start the async runtime")?;
    runtime.block_on(async {
        let store_cfg = config::store_from_env()?;
        let scratch = SqliteStore::open("sqlite::memory:", VaultKey::generate(), &store_cfg.admins)
            .await
            .context("cannot open the scratch store")?;
        let retention_days = store_cfg.retention_days;
        let ids = copy_recorded_consent(store_cfg, &scratch).await?;
        let parts = wiring::assemble_on(scratch, retention_days).await?;
        let store = parts.guard.store().clone();
        let mut policy = store.chat_policy(LOCAL_CHAT).await?;
        policy.kind = if args.chat_kind == "public" {
            ChatKind::Public
        } else {
            ChatKind::Team
        };
        store.set_chat_policy(LOCAL_CHAT, &policy).await?;
        let photo = IncomingPhoto {
            chat: LOCAL_CHAT,
            message: MessageId(chrono::Utc::now().timestamp_millis()),
            sender: UserId(0),
            sender_name: "photo-guard check".into(),
            caption: args.caption.clone(),
            thread: None,
            // `check` on a clip runs the guard's video path (ffmpeg).
            kind: match photo_guard_core::looks_like_video(&bytes) {
                true => photo_guard_core::Visual::Video,
                false => photo_guard_core::Visual::Photo,
            },
            bytes,
        };
        let checked = parts.guard.check(photo).await?;
        let d = &checked.decision;
        println!("verdict: {}", d.verdict.as_str());
        println!(
            "reason: {} ({})",
            text(Lang::En, &Msg::Reason(&d.reason)),
            d.reason.code()
        );
        let tags: Vec<String> = checked.tags.iter().map(|t| t.to_string()).collect();
        println!(
            "tagged clients: {}",
            if tags.is_empty() {
                "none".into()
            } else {
                tags.join(", ")
            }
        );
        let relied: Vec<String> = d
            .relied_on
            .iter()
            .map(|r| format!("#{}", ids.get(r).unwrap_or(r)))
            .collect();
        println!(
            "consent records relied on: {}",
            if relied.is_empty() {
                "none".into()
            } else {
                relied.join(", ")
            }
        );
        println!("faces: {}", checked.faces);
        if checked.quarantine.is_some() {
            println!("quarantine: it would be held for review (a check records nothing)");
        }
        if d.verdict == Verdict::Blur {
            if let Some(copy) = &checked.anonymised {
                let out = args.out.clone().unwrap_or_else(|| default_out(&args.image));
                std::fs::write(&out, copy)
                    .with_context(|| format!("cannot write {}", out.display()))?;
                println!("anonymised copy: {}", out.display());
            }
        }
        Ok(ExitCode::SUCCESS)
    })
}

/// Copies every consent record of the configured database (a SQLite file
/// opened read-only, or the PostgreSQL database) into `scratch`, oldest first; returns scratch id -> recorded id
/// so the report names the records as `/client` shows them. A database that
/// does not exist yet holds no consent: said so, not created.
async fn copy_recorded_consent(
    cfg: StoreConfig,
    scratch: &SqliteStore,
) -> anyhow::Result<HashMap<RecordId, RecordId>> {
    let (url, place) = if photo_guard_store::is_postgres_url(&cfg.database_url) {
        // A server database is read in place (its URL may hold a password:
        // never printed).
        (
            cfg.database_url.clone(),
            "the PostgreSQL database".to_owned(),
        )
    } else {
        let Some(file) = database_file(&cfg.database_url).filter(|f| f.is_file()) else {
            println!(
                "consent: no database at {}: no client is registered, tags resolve to nothing",
                cfg.database_url
            );
            return Ok(HashMap::new());
        };
        (
            format!("sqlite://{}?mode=ro", file.display()),
            format!("{} (read-only)", file.display()),
        )
    };
    let recorded = SqliteStore::open(&url, cfg.quarantine_key, &cfg.admins)
        .await
        .with_context(|| {
            format!(
                "cannot read consent from {place} (a schema older than this binary needs \
                 `photo-guard migrate` first)"
            )
        })?;
    let mut records = Vec::new();
    for client in recorded.clients().await? {
        records.extend(recorded.consent_history(&client).await?);
    }
    recorded.close().await;
    records.sort_by_key(|r| r.id);
    let mut ids = HashMap::new();
    for r in records {
        let copy = scratch
            .append_consent(NewConsent {
                client: r.client,
                event: r.event,
                recorded_by: r.recorded_by,
                recorded_at: r.recorded_at,
            })
            .await?;
        ids.insert(copy.id, r.id);
    }
    println!("consent: read from {place}; nothing is recorded there");
    Ok(ids)
}

fn default_out(image: &std::path::Path) -> PathBuf {
    let stem = image
        .file_stem()
        .map_or("photo".into(), |s| s.to_string_lossy().into_owned());
    PathBuf::from(format!("{stem}.blurred.jpg"))
}
