//! `photo-guard check IMAGE`: the whole guard on a local file, against the
//! configured database, with no Telegram at all.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use photo_guard_core::texts::{text, Msg};
use photo_guard_core::{ChatId, ChatKind, IncomingPhoto, Lang, MessageId, UserId, Verdict};

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
        let parts = wiring::assemble().await?;
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
        let relied: Vec<String> = d.relied_on.iter().map(|r| format!("#{r}")).collect();
        println!(
            "consent records relied on: {}",
            if relied.is_empty() {
                "none".into()
            } else {
                relied.join(", ")
            }
        );
        println!("faces: {}", checked.faces);
        if let Some(q) = checked.quarantine {
            println!("quarantined as item #{q} (sealed)");
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

fn default_out(image: &std::path::Path) -> PathBuf {
    let stem = image
        .file_stem()
        .map_or("photo".into(), |s| s.to_string_lossy().into_owned());
    PathBuf::from(format!("{stem}.blurred.jpg"))
}
