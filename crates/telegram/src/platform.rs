//! The core's platform port on the Bot API (teloxide): what the services
//! decide to remove, post, say or ask goes out here, every call through
//! Telegram's faults (`retry.rs`). A refusal that retrying cannot change is
//! [`PlatformError::Refused`]; a fault worth another try later is
//! [`PlatformError::Unavailable`].

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use photo_guard_core::platform::{
    BotRights, ChatPlatform, OutgoingFile, OutgoingMedia, Place, PlatformError, Removed,
    ReviewAction,
};
use photo_guard_core::texts::{text, Msg};
use photo_guard_core::{ChatId as CoreChat, Lang, MessageId as CoreMessage, UserId as CoreUser};
use teloxide::prelude::*;
use teloxide::types::{
    ChatId, FileId, InlineKeyboardButton, InlineKeyboardMarkup, MessageId, ThreadId,
};
use teloxide::{ApiError, RequestError};

use crate::retry::{is_transient, with_retry};
use crate::rights::{standing_of, too_old, Standing};
use crate::split::{split_message, MESSAGE_LIMIT};

#[derive(Clone)]
pub struct TelegramPlatform {
    pub bot: Bot,
    /// The bot's own user id (from getMe at start), for reading its rights.
    pub bot_id: teloxide::types::UserId,
    /// `MAX_IMAGE_BYTES`: an original fetched again is no larger.
    pub max_download_bytes: u64,
}

impl TelegramPlatform {
    /// Removes a message whose sending time may be known: Telegram's "can't
    /// be deleted" is told apart as in `rights.rs` (the bot's rights first,
    /// then the message's age against Telegram's 48 hours).
    pub async fn remove_sent(
        &self,
        chat: CoreChat,
        message: CoreMessage,
        sent: Option<DateTime<Utc>>,
    ) -> Result<Removed, PlatformError> {
        let id = MessageId(message.0 as i32);
        let res = with_retry("deleteMessage", || {
            self.bot.delete_message(ChatId(chat.0), id).send()
        })
        .await;
        match res {
            Ok(_) => Ok(Removed::Yes),
            Err(RequestError::Api(ApiError::MessageToDeleteNotFound)) => Ok(Removed::AlreadyGone),
            Err(RequestError::Api(ApiError::MessageCantBeDeleted)) => {
                let standing = self.standing(ChatId(chat.0)).await.ok();
                Ok(undeletable(standing, sent, Utc::now()))
            }
            Err(e) => Err(platform_error(e)),
        }
    }

    /// Media in a place, answering `reply_to` if it still exists.
    async fn post(
        &self,
        to: Place,
        reply_to: Option<MessageId>,
        media: OutgoingMedia,
        caption: &str,
    ) -> Result<CoreMessage, PlatformError> {
        let place = crate::post::Place {
            chat: ChatId(to.chat.0),
            thread: thread(to),
            reply_to,
        };
        let caption = (!caption.is_empty()).then(|| caption.to_owned());
        let sent = crate::post::post_media(&self.bot, place, media, caption).await;
        sent.map(|m| message_id(&m)).map_err(platform_error)
    }

    async fn standing(&self, chat: ChatId) -> Result<Standing, RequestError> {
        let member = with_retry("getChatMember", || {
            self.bot.get_chat_member(chat, self.bot_id).send()
        })
        .await?;
        Ok(standing_of(&member.kind))
    }
}

/// Why Telegram would not delete: a missing right explains any refusal; with
/// the right, the message's age where it is known, else (the right held)
/// its age is what is left to explain it.
fn undeletable(
    standing: Option<Standing>,
    sent: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> Removed {
    match (standing, sent) {
        (Some(Standing::Unguarded | Standing::Absent), _) => Removed::NoRight,
        (_, Some(sent)) if too_old(sent, now) => Removed::TooOld,
        (_, Some(_)) | (None, None) => Removed::NoRight,
        (Some(Standing::Guarding), None) => Removed::TooOld,
    }
}

/// Sends a text, split at Telegram's limit, the buttons under the last
/// part; the last message sent.
pub async fn send_text(
    bot: &Bot,
    chat: ChatId,
    body: &str,
    thread: Option<ThreadId>,
    markup: Option<InlineKeyboardMarkup>,
) -> Result<Message, RequestError> {
    let parts = split_message(body, MESSAGE_LIMIT);
    let count = parts.len();
    let mut last = None;
    for (i, part) in parts.into_iter().enumerate() {
        let buttons = if i + 1 == count { markup.clone() } else { None };
        last = Some(send_part(bot, chat, part, thread, buttons).await?);
    }
    // split_message never returns no part.
    last.ok_or_else(|| RequestError::Api(ApiError::MessageTextIsEmpty))
}

async fn send_part(
    bot: &Bot,
    chat: ChatId,
    body: String,
    thread: Option<ThreadId>,
    markup: Option<InlineKeyboardMarkup>,
) -> Result<Message, RequestError> {
    with_retry("sendMessage", || {
        let mut req = bot.send_message(chat, body.clone());
        if let Some(t) = thread {
            req = req.message_thread_id(t);
        }
        if let Some(m) = markup.clone() {
            req = req.reply_markup(m);
        }
        req.send()
    })
    .await
}

/// The review buttons offering `actions` on `item`, two to a row; the data
/// is what `review::parse_data` reads back.
pub fn review_buttons(lang: Lang, item: i64, actions: &[ReviewAction]) -> InlineKeyboardMarkup {
    let button = |action: ReviewAction| {
        let label = match action {
            ReviewAction::View => Msg::ButtonView,
            ReviewAction::Discard => Msg::ButtonDiscard,
            ReviewAction::ReleaseBlurred => Msg::ButtonReleaseBlurred,
            ReviewAction::ReleaseOriginal => Msg::ButtonReleaseOriginal,
        };
        let data = crate::review::button_data(action, item);
        InlineKeyboardButton::callback(text(lang, &label), data)
    };
    let rows = actions
        .chunks(2)
        .map(|row| row.iter().copied().map(button).collect());
    InlineKeyboardMarkup::new(rows.collect::<Vec<Vec<_>>>())
}

fn thread(place: Place) -> Option<ThreadId> {
    place.thread.map(|t| ThreadId(MessageId(t as i32)))
}

fn platform_error(e: RequestError) -> PlatformError {
    match is_transient(&e) {
        true => PlatformError::Unavailable(e.to_string()),
        false => PlatformError::Refused(e.to_string()),
    }
}

fn message_id(m: &Message) -> CoreMessage {
    CoreMessage(i64::from(m.id.0))
}

#[async_trait]
impl ChatPlatform for TelegramPlatform {
    async fn remove(&self, chat: CoreChat, message: CoreMessage) -> Result<Removed, PlatformError> {
        self.remove_sent(chat, message, None).await
    }

    async fn post_media(
        &self,
        to: Place,
        media: OutgoingMedia,
        caption: &str,
    ) -> Result<CoreMessage, PlatformError> {
        self.post(to, None, media, caption).await
    }

    async fn post_text(&self, to: Place, body: &str) -> Result<CoreMessage, PlatformError> {
        let sent = send_text(&self.bot, ChatId(to.chat.0), body, thread(to), None).await;
        sent.map(|m| message_id(&m)).map_err(platform_error)
    }

    async fn tell_user(&self, user: CoreUser, body: &str) -> Result<(), PlatformError> {
        let sent = send_text(&self.bot, ChatId(user.0), body, None, None).await;
        sent.map(drop).map_err(platform_error)
    }

    async fn alert_admin(
        &self,
        admin: CoreUser,
        lang: Lang,
        body: &str,
        item: i64,
        actions: &[ReviewAction],
    ) -> Result<(), PlatformError> {
        let buttons = Some(review_buttons(lang, item, actions));
        let sent = send_text(&self.bot, ChatId(admin.0), body, None, buttons).await;
        sent.map(drop).map_err(platform_error)
    }

    async fn rights(&self, chat: CoreChat) -> Result<BotRights, PlatformError> {
        let chat = ChatId(chat.0);
        let member = with_retry("getChatMember", || {
            self.bot.get_chat_member(chat, self.bot_id).send()
        })
        .await
        .map_err(platform_error)?;
        Ok(BotRights {
            is_admin: member.kind.is_privileged(),
            can_delete: member.kind.can_delete_messages(),
        })
    }

    async fn send_file(
        &self,
        user: CoreUser,
        file: OutgoingFile,
        caption: &str,
    ) -> Result<(), PlatformError> {
        let sent = crate::document::send(&self.bot, ChatId(user.0), &file, caption).await;
        sent.map(drop).map_err(platform_error)
    }

    async fn remove_sent(
        &self,
        chat: CoreChat,
        message: CoreMessage,
        sent: Option<DateTime<Utc>>,
    ) -> Result<Removed, PlatformError> {
        TelegramPlatform::remove_sent(self, chat, message, sent).await
    }

    async fn post_media_reply(
        &self,
        to: Place,
        reply_to: CoreMessage,
        media: OutgoingMedia,
        caption: &str,
    ) -> Result<CoreMessage, PlatformError> {
        let parent = MessageId(reply_to.0 as i32);
        self.post(to, Some(parent), media, caption).await
    }

    async fn fetch_original(
        &self,
        _chat: CoreChat,
        _message: CoreMessage,
        file: &str,
    ) -> Result<Vec<u8>, PlatformError> {
        let file = FileId(file.to_owned());
        let fetched = crate::photo::fetch(&self.bot, &file, self.max_download_bytes).await;
        fetched.map_err(|e| match e {
            crate::photo::FetchError::Telegram(e) => platform_error(e),
            e @ crate::photo::FetchError::TooLarge { .. } => PlatformError::Refused(e.to_string()),
            e @ crate::photo::FetchError::Download(_) => PlatformError::Unavailable(e.to_string()),
        })
    }

    /// A supergroup's `t.me/c/…` link; a basic group has none.
    fn message_link(&self, chat: CoreChat, message: CoreMessage) -> Option<String> {
        let supergroup = chat.0.to_string().starts_with("-100");
        crate::rights::link(ChatId(chat.0), None, supergroup, message.0 as i32)
    }

    async fn chat_name(&self, chat: CoreChat) -> Option<String> {
        let found = with_retry("getChat", || self.bot.get_chat(ChatId(chat.0)).send()).await;
        found.ok()?.title().map(str::to_owned)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_refused_delete_is_no_right_when_the_bot_cannot_delete_whatever_the_age() {
        // Issue 18: the port's Removed follows rights.rs, rights first.
        let now = Utc::now();
        let old = Some(now - chrono::Duration::hours(49));
        assert_eq!(
            undeletable(Some(Standing::Unguarded), old, now),
            Removed::NoRight
        );
        assert_eq!(
            undeletable(Some(Standing::Absent), None, now),
            Removed::NoRight
        );
    }

    #[test]
    fn a_refused_delete_of_a_message_past_48_hours_is_too_old() {
        // Issue 18: the message's age, where known, tells TooOld from NoRight.
        let now = Utc::now();
        let old = Some(now - chrono::Duration::hours(49));
        let young = Some(now - chrono::Duration::hours(47));
        assert_eq!(
            undeletable(Some(Standing::Guarding), old, now),
            Removed::TooOld
        );
        assert_eq!(undeletable(None, old, now), Removed::TooOld);
        assert_eq!(undeletable(None, young, now), Removed::NoRight);
        assert_eq!(
            undeletable(Some(Standing::Guarding), None, now),
            Removed::TooOld
        );
    }

    #[test]
    fn review_buttons_carry_the_item_in_every_action() {
        let markup = review_buttons(Lang::En, 42, &ReviewAction::ALL);
        let data: Vec<String> = markup
            .inline_keyboard
            .iter()
            .flatten()
            .filter_map(|b| match &b.kind {
                teloxide::types::InlineKeyboardButtonKind::CallbackData(d) => Some(d.clone()),
                _ => None,
            })
            .collect();
        assert_eq!(data.len(), 4);
        assert!(data
            .iter()
            .all(|d| crate::review::parse_data(d).map(|(_, id)| id.0) == Some(42)));
    }

    #[test]
    fn review_buttons_offer_only_the_actions_asked_for() {
        // Issue 18: alert_admin's actions decide the buttons.
        let markup = review_buttons(Lang::En, 9, &[ReviewAction::View]);
        let rows = &markup.inline_keyboard;
        assert_eq!((rows.len(), rows[0].len()), (1, 1));
    }
}
