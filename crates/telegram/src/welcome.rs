//! Greeting new members: who joined (people, not bots) and where, handed to
//! the core's welcome service, which posts the rules through the port.

use photo_guard_core::Place;
use teloxide::types::Message;

use crate::app::{display_name, App};

pub async fn greet(app: &App, msg: &Message) {
    let Some(members) = msg.new_chat_members() else {
        return;
    };
    let names: Vec<String> = members
        .iter()
        .filter(|u| !u.is_bot)
        .map(|u| display_name(Some(u)))
        .collect();
    let place = Place {
        chat: photo_guard_core::ChatId(msg.chat.id.0),
        thread: msg.thread_id.map(|t| i64::from(t.0 .0)),
    };
    let welcome = &app.services.welcome;
    if let Err(e) = welcome.greet(&app.platform, place, &names).await {
        tracing::warn!(chat = msg.chat.id.0, error = %e, "could not greet new members");
    }
}
