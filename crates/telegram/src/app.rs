//! The adapter's shared context: the bot and its platform port, the core's
//! services, the settings, and sending texts. The per-process state the
//! intake needs (jobs in hand, rights warnings) is the core's
//! `WorkState`, in `services.work`.

use std::sync::Arc;

use photo_guard_core::texts::{text, Msg};
use photo_guard_core::{ChatId as CoreChat, Lang, Role, Services, UserId as CoreUser};
use teloxide::prelude::*;
use teloxide::types::{ChatId, InlineKeyboardMarkup};
use tokio::sync::Semaphore;

use crate::TelegramSettings;

pub struct App {
    pub bot: Bot,
    /// The core's platform port on this bot: what the services send goes here.
    pub platform: crate::platform::TelegramPlatform,
    /// The core's use cases (the photo intake is `services.intake`).
    pub services: Arc<Services>,
    pub settings: TelegramSettings,
    /// The bot's @username, for `/cmd@bot` and for telling our messages apart.
    pub username: String,
    /// Rung when a job was recorded or finished here: the workers claim at once.
    pub wake: tokio::sync::Notify,
    /// Bounds photos downloaded and waiting for the guard.
    pub photo_slots: Arc<Semaphore>,
    /// Bounds videos downloaded and waiting, apart from the photos' slots.
    pub video_slots: Arc<Semaphore>,
}

impl App {
    /// A group's language from its policy; Indonesian when unknown.
    pub async fn chat_lang(&self, chat: ChatId) -> Lang {
        self.services.policies.lang(CoreChat(chat.0)).await
    }

    /// A private chat's language: English for English-speaking Telegram users.
    pub fn user_lang(user: Option<&teloxide::types::User>) -> Lang {
        match user.and_then(|u| u.language_code.as_deref()) {
            Some(code) if code.starts_with("en") => Lang::En,
            _ => Lang::Id,
        }
    }

    pub async fn role(&self, user: teloxide::types::UserId) -> Option<Role> {
        // Fail closed: a store error grants nothing.
        self.services.roles.role_of(CoreUser(user.0 as i64)).await
    }

    /// Sends a text, retrying through Telegram's faults. Failure is logged,
    /// not raised: a message that cannot be delivered must not stop the work.
    pub async fn say_with(
        &self,
        chat: ChatId,
        lang: Lang,
        msg: Msg<'_>,
        thread: Option<teloxide::types::ThreadId>,
        markup: Option<InlineKeyboardMarkup>,
    ) -> Option<Message> {
        self.send_text(chat, text(lang, &msg), thread, markup).await
    }

    /// Sends an already rendered text, retrying through Telegram's faults;
    /// a failure is logged and comes back as `None`. A text over Telegram's
    /// limit goes out in several messages, the buttons under the last; the
    /// last message sent is returned.
    pub async fn send_text(
        &self,
        chat: ChatId,
        body: String,
        thread: Option<teloxide::types::ThreadId>,
        markup: Option<InlineKeyboardMarkup>,
    ) -> Option<Message> {
        let sent = crate::platform::send_text(&self.bot, chat, &body, thread, markup).await;
        match sent {
            Ok(m) => Some(m),
            Err(e) => {
                tracing::warn!(chat = chat.0, error = %e, "could not send a message");
                None
            }
        }
    }
}

/// A display name for crediting a sender.
pub fn display_name(user: Option<&teloxide::types::User>) -> String {
    match user {
        Some(u) => match &u.username {
            Some(name) => format!("{} (@{name})", u.full_name()),
            None => u.full_name(),
        },
        None => text(Lang::default(), &Msg::Unnamed),
    }
}

/// A chat's title for the admins; `Msg::Unnamed` when it has none.
pub fn chat_title(chat: &teloxide::types::Chat) -> String {
    match chat.title() {
        Some(title) => title.to_owned(),
        None => text(Lang::default(), &Msg::Unnamed),
    }
}
