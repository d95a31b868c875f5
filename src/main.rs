//! The `photo-guard` binary: parses the command line, loads the config and
//! hands over to the subcommand. Everything of substance lives in the crates.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod cli;
mod config;
mod logging;
mod validated;
mod video_vision;
mod wiring;

#[derive(Parser)]
#[command(
    name = "photo-guard",
    version,
    about = "Guards client photos in social workers' team chats"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the bot (needs TELEGRAM_BOT_TOKEN; see .env.example).
    Run,
    /// Check config, database, key, face model, token and every guarded chat.
    Doctor,
    /// Run the whole guard on a local image and print the verdict.
    Check(cli::check::CheckArgs),
    /// Print the faces found in each image as one JSON object per line.
    Scan(cli::vision::ScanArgs),
    /// Write a copy of IN with every face hidden and no metadata.
    Blur(cli::vision::BlurArgs),
    /// Measure face detection against a labelled folder (labels.csv, images/).
    Eval(cli::vision::EvalArgs),
    /// Time decode, detect, anonymise and encode per image.
    Bench(cli::vision::BenchArgs),
    /// Create or update the database schema.
    Migrate,
    /// Delete quarantined photos older than the retention period.
    Purge,
    /// Check or export the audit log.
    #[command(subcommand)]
    Audit(cli::store::AuditCommand),
    /// Set Telegram's webhook once for every replica (TELEGRAM_MODE=webhook).
    #[command(subcommand)]
    Webhook(cli::webhook::WebhookCommand),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let level = if matches!(cli.command, Command::Run) {
        "info"
    } else {
        "warn"
    };
    logging::init(level, config::log_json().unwrap_or(false));
    let result = match cli.command {
        Command::Run => cli::run::run(),
        Command::Doctor => cli::doctor::doctor(),
        Command::Check(args) => cli::check::check(&args),
        Command::Scan(args) => with_vision(|v| cli::vision::scan(&args, v)),
        Command::Blur(args) => with_vision(|v| cli::vision::blur(&args, v)),
        Command::Eval(args) => with_vision(|v| cli::vision::eval(&args, v)),
        Command::Bench(args) => with_vision(|v| cli::vision::bench(&args, v)),
        Command::Migrate => cli::store::migrate(),
        Command::Purge => cli::store::purge(),
        Command::Audit(cmd) => cli::store::audit(cmd),
        Command::Webhook(cmd) => cli::webhook::webhook(cmd),
    };
    match result {
        Ok(code) => code,
        Err(err) => {
            eprintln!("photo-guard: {err:#}");
            ExitCode::from(1)
        }
    }
}

/// Loads only the vision part of the config: the offline tools need no token.
fn with_vision(
    run: impl FnOnce(&photo_guard_vision::VisionSettings) -> anyhow::Result<ExitCode>,
) -> anyhow::Result<ExitCode> {
    let settings = config::vision_from_env()?;
    run(&settings)
}
