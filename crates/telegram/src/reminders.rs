//! The scheduled reminder of the rules, per chat (default weekly): the core's
//! reminders service says which chats are due; this sends and reports back.

use std::sync::Arc;

use photo_guard_core::texts::Msg;
use photo_guard_core::Lang;
use teloxide::types::ChatId;

use crate::app::App;

pub async fn run(app: Arc<App>) {
    let mut tick = tokio::time::interval(app.settings.reminder_tick);
    loop {
        tick.tick().await;
        if let Err(e) = remind_due_chats(&app).await {
            tracing::warn!(error = %e, "reminder round failed");
        }
        if let Err(e) = send_due_digests(&app).await {
            tracing::warn!(error = %e, "digest round failed");
        }
    }
}

/// Issue 23: the expiry digest, in a private chat, once a day.
async fn send_due_digests(app: &App) -> Result<(), photo_guard_core::StoreError> {
    let digests = &app.services.digests;
    for (user, digest) in digests.due(app.settings.digest_hour).await? {
        if !digest.is_empty() {
            let msg = Msg::Digest {
                expiring: &digest.expiring,
                expired: &digest.expired,
            };
            // Not delivered: it stays due and goes at the next tick.
            if app.say(ChatId(user.0), Lang::Id, msg).await.is_none() {
                continue;
            }
        }
        digests.sent(user, &digest).await?;
    }
    Ok(())
}

async fn remind_due_chats(app: &App) -> Result<(), photo_guard_core::StoreError> {
    let reminders = &app.services.reminders;
    for due in reminders.due().await? {
        // Not sent: it stays due and goes at the next tick.
        if app
            .say(ChatId(due.chat.0), due.lang, Msg::Rules)
            .await
            .is_some()
        {
            reminders.sent(due.chat).await?;
        }
    }
    Ok(())
}
