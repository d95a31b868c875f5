//! The platform port over every configured chat platform: a call goes to
//! the platform whose ids it names ([`ChatId::space`], [`UserId::space`]), so
//! what a service does after a command on one platform (the takedown after a
//! `/withdraw`) reaches the chats of both. A chat of a platform that is not
//! configured is refused, never skipped: the caller reports it.
//!
//! Each adapter registers its own platform when it starts (its ids are only
//! known then: Telegram's bot id comes from getMe).

use std::sync::{Arc, RwLock};

use async_trait::async_trait;

use chrono::{DateTime, Utc};

use crate::platform::{
    BotRights, ChatPlatform, OutgoingFile, OutgoingMedia, Place, PlatformError, Removed,
    ReviewAction,
};
use crate::{ChatId, IdSpace, Lang, MessageId, UserId};

#[derive(Default)]
pub struct PlatformRouter {
    platforms: RwLock<Vec<(IdSpace, Arc<dyn ChatPlatform>)>>,
}

impl PlatformRouter {
    /// `platform` serves the chats and people of `space` from now on.
    pub fn register(&self, space: IdSpace, platform: Arc<dyn ChatPlatform>) {
        let Ok(mut all) = self.platforms.write() else {
            return;
        };
        all.retain(|(s, _)| *s != space);
        all.push((space, platform));
    }

    /// Whether a platform serves `space`.
    pub fn serves(&self, space: IdSpace) -> bool {
        self.find(space).is_some()
    }

    fn find(&self, space: IdSpace) -> Option<Arc<dyn ChatPlatform>> {
        let all = self.platforms.read().ok()?;
        all.iter()
            .find(|(s, _)| *s == space)
            .map(|(_, p)| p.clone())
    }

    fn pick(&self, space: IdSpace) -> Result<Arc<dyn ChatPlatform>, PlatformError> {
        self.find(space)
            .ok_or_else(|| PlatformError::Refused(format!("no {space:?} platform is configured")))
    }
}

#[async_trait]
impl ChatPlatform for PlatformRouter {
    async fn remove(&self, chat: ChatId, message: MessageId) -> Result<Removed, PlatformError> {
        self.pick(chat.space())?.remove(chat, message).await
    }

    async fn post_media(
        &self,
        to: Place,
        media: OutgoingMedia,
        caption: &str,
    ) -> Result<MessageId, PlatformError> {
        let platform = self.pick(to.chat.space())?;
        platform.post_media(to, media, caption).await
    }

    async fn post_text(&self, to: Place, text: &str) -> Result<MessageId, PlatformError> {
        self.pick(to.chat.space())?.post_text(to, text).await
    }

    async fn tell_user(&self, user: UserId, text: &str) -> Result<(), PlatformError> {
        self.pick(user.space())?.tell_user(user, text).await
    }

    async fn alert_admin(
        &self,
        admin: UserId,
        lang: Lang,
        text: &str,
        item: i64,
        actions: &[ReviewAction],
    ) -> Result<(), PlatformError> {
        let platform = self.pick(admin.space())?;
        platform.alert_admin(admin, lang, text, item, actions).await
    }

    async fn rights(&self, chat: ChatId) -> Result<BotRights, PlatformError> {
        self.pick(chat.space())?.rights(chat).await
    }

    async fn fetch_original(
        &self,
        chat: ChatId,
        message: MessageId,
        file: &str,
    ) -> Result<Vec<u8>, PlatformError> {
        let platform = self.pick(chat.space())?;
        platform.fetch_original(chat, message, file).await
    }

    fn message_link(&self, chat: ChatId, message: MessageId) -> Option<String> {
        self.find(chat.space())?.message_link(chat, message)
    }

    async fn chat_name(&self, chat: ChatId) -> Option<String> {
        self.find(chat.space())?.chat_name(chat).await
    }

    // The methods with a default are forwarded too: the default would lose
    // what the platform does with them (Telegram's date, its reply).
    async fn send_file(
        &self,
        user: UserId,
        file: OutgoingFile,
        caption: &str,
    ) -> Result<(), PlatformError> {
        self.pick(user.space())?
            .send_file(user, file, caption)
            .await
    }

    async fn remove_sent(
        &self,
        chat: ChatId,
        message: MessageId,
        sent: Option<DateTime<Utc>>,
    ) -> Result<Removed, PlatformError> {
        let platform = self.pick(chat.space())?;
        platform.remove_sent(chat, message, sent).await
    }

    async fn post_media_reply(
        &self,
        to: Place,
        reply_to: MessageId,
        media: OutgoingMedia,
        caption: &str,
    ) -> Result<MessageId, PlatformError> {
        let platform = self.pick(to.chat.space())?;
        platform
            .post_media_reply(to, reply_to, media, caption)
            .await
    }
}

#[cfg(test)]
#[path = "platform_router_tests.rs"]
mod tests;
