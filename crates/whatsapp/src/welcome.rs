//! New members of a guarded group get the rules (`group.join`).

use photo_guard_core::texts::{text, Msg};

use crate::app::App;
use crate::event::GroupJoin;

pub async fn greet(app: &App, join: &GroupJoin) {
    let Ok(chat) = app.ids().chat(&join.chat_id).await else {
        return;
    };
    let lang = app.services.policies.lang(chat).await;
    let names: Vec<&str> = join
        .recipient_ids
        .iter()
        .map(|id| crate::wire::number_of(id))
        .collect();
    let name = names.join(", ");
    let body = text(lang, &Msg::Welcome { name: &name });
    let place = photo_guard_core::Place { chat, thread: None };
    if let Err(e) = photo_guard_core::ChatPlatform::post_text(&app.platform, place, &body).await {
        tracing::warn!(error = %e, "cannot greet new members");
    }
}
