//! The scheduled reminder of the rules, per chat (default weekly).

use std::sync::Arc;

use chrono::Utc;
use photo_guard_core::texts::Msg;
use teloxide::types::ChatId;

use crate::app::App;

pub async fn run(app: Arc<App>) {
    let mut tick = tokio::time::interval(app.settings.reminder_tick);
    loop {
        tick.tick().await;
        if let Err(e) = remind_due_chats(&app).await {
            tracing::warn!(error = %e, "reminder round failed");
        }
    }
}

async fn remind_due_chats(app: &App) -> Result<(), photo_guard_core::StoreError> {
    let now = Utc::now();
    for chat in app.store().guarded_chats().await? {
        let policy = app.store().chat_policy(chat).await?;
        let Some(days) = policy.remind_days else {
            continue;
        };
        let due = match app.store().last_reminder(chat).await? {
            // A chat just taken under guard starts its schedule now.
            None => {
                app.store().set_last_reminder(chat, now).await?;
                false
            }
            Some(last) => now - last >= chrono::Duration::days(days as i64),
        };
        if due
            && app
                .say(ChatId(chat.0), policy.lang, Msg::Rules)
                .await
                .is_some()
        {
            app.store().set_last_reminder(chat, now).await?;
        }
    }
    Ok(())
}
