//! `photo-guard webhook set URL` (issue 21): sets Telegram's webhook once for
//! every replica, with `TELEGRAM_WEBHOOK_SECRET` and the updates polling asks
//! for. No replica sets or deletes it when it starts or stops.

use std::process::ExitCode;

use anyhow::Context;

use crate::config;

#[derive(clap::Subcommand)]
pub enum WebhookCommand {
    /// Tell Telegram to post updates to URL (https, the reverse proxy's).
    Set {
        /// The public URL, e.g. https://bot.example.org/telegram
        url: String,
    },
}

pub fn webhook(cmd: WebhookCommand) -> anyhow::Result<ExitCode> {
    let WebhookCommand::Set { url } = cmd;
    let settings = config::telegram_from_env(false)?;
    let secret = config::webhook_secret()?;
    let runtime = tokio::runtime::Runtime::new().context("cannot start the async runtime")?;
    runtime.block_on(photo_guard_telegram::set_webhook(&settings, &url, &secret))?;
    println!("Telegram posts updates to {url} now; start the replicas with TELEGRAM_MODE=webhook");
    Ok(ExitCode::SUCCESS)
}
