//! The scheduled reminder of the rules, per chat (default weekly): the core's
//! reminders service says which chats are due; this sends and reports back.

use std::sync::Arc;

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
    let reminders = &app.services.reminders;
    for due in reminders.due().await? {
        // Another platform's chat (WhatsApp's ids start at 2^60): its adapter reminds it.
        if due.chat.0 >= photo_guard_core::PLATFORM_ID_BASE {
            continue;
        }
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
