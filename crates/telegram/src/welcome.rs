//! Greeting new members with the rules.

use photo_guard_core::texts::Msg;
use teloxide::types::Message;

use crate::app::{display_name, App};

pub async fn greet(app: &App, msg: &Message) {
    let Some(members) = msg.new_chat_members() else {
        return;
    };
    let people: Vec<_> = members.iter().filter(|u| !u.is_bot).collect();
    if people.is_empty() {
        return;
    }
    let names = people
        .iter()
        .map(|u| display_name(Some(u)))
        .collect::<Vec<_>>()
        .join(", ");
    let lang = app.chat_lang(msg.chat.id).await;
    app.say_with(
        msg.chat.id,
        lang,
        Msg::Welcome { name: &names },
        msg.thread_id,
        None,
    )
    .await;
}
