//! The scheduled reminder of the rules in WhatsApp groups: the core's
//! reminders service says which chats are due; the ones with WhatsApp ids get
//! the rules through the port (Telegram's loop sends the others).

use std::sync::Arc;

use photo_guard_core::texts::{text, Msg};
use photo_guard_core::{ChatPlatform, Place, PLATFORM_ID_BASE};

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
        if due.chat.0 < PLATFORM_ID_BASE {
            continue;
        }
        let place = Place {
            chat: due.chat,
            thread: None,
        };
        // Not sent: it stays due and goes at the next tick.
        match app
            .platform
            .post_text(place, &text(due.lang, &Msg::Rules))
            .await
        {
            Ok(_) => reminders.sent(due.chat).await?,
            Err(e) => tracing::warn!(chat = due.chat.0, error = %e, "cannot post the reminder"),
        }
    }
    Ok(())
}
