//! The platform port as a job's work sees it (issue 21): every outside
//! effect (remove, post, tell, alert, send) is made only while this claim
//! holds the job's lease, held for the effect's length (`fence::effect`),
//! so a replica whose lease lapsed and was taken over makes none of them.
//! Reads (rights, links, names, a fetch) pass through. Outside a job it is
//! the platform itself.

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use crate::fence;
use crate::platform::{
    BotRights, ChatPlatform, OutgoingFile, OutgoingMedia, Place, PlatformError, Removed,
    ReviewAction,
};
use crate::{ChatId, Lang, MessageId, UserId};

pub struct FencedPlatform<'a>(pub &'a dyn ChatPlatform);

fn refused(why: String) -> PlatformError {
    PlatformError::Refused(why)
}

#[async_trait]
impl ChatPlatform for FencedPlatform<'_> {
    async fn remove(&self, chat: ChatId, message: MessageId) -> Result<Removed, PlatformError> {
        fence::effect(self.0.remove(chat, message), refused).await
    }

    async fn post_media(
        &self,
        to: Place,
        media: OutgoingMedia,
        caption: &str,
    ) -> Result<MessageId, PlatformError> {
        fence::effect(self.0.post_media(to, media, caption), refused).await
    }

    async fn post_text(&self, to: Place, text: &str) -> Result<MessageId, PlatformError> {
        fence::effect(self.0.post_text(to, text), refused).await
    }

    async fn tell_user(&self, user: UserId, text: &str) -> Result<(), PlatformError> {
        fence::effect(self.0.tell_user(user, text), refused).await
    }

    async fn alert_admin(
        &self,
        admin: UserId,
        lang: Lang,
        text: &str,
        item: i64,
        actions: &[ReviewAction],
    ) -> Result<(), PlatformError> {
        let alert = self.0.alert_admin(admin, lang, text, item, actions);
        fence::effect(alert, refused).await
    }

    async fn rights(&self, chat: ChatId) -> Result<BotRights, PlatformError> {
        self.0.rights(chat).await
    }

    async fn send_file(
        &self,
        user: UserId,
        file: OutgoingFile,
        caption: &str,
    ) -> Result<(), PlatformError> {
        fence::effect(self.0.send_file(user, file, caption), refused).await
    }

    async fn remove_sent(
        &self,
        chat: ChatId,
        message: MessageId,
        sent: Option<DateTime<Utc>>,
    ) -> Result<Removed, PlatformError> {
        fence::effect(self.0.remove_sent(chat, message, sent), refused).await
    }

    async fn post_media_reply(
        &self,
        to: Place,
        reply_to: MessageId,
        media: OutgoingMedia,
        caption: &str,
    ) -> Result<MessageId, PlatformError> {
        let post = self.0.post_media_reply(to, reply_to, media, caption);
        fence::effect(post, refused).await
    }

    async fn fetch_original(
        &self,
        chat: ChatId,
        message: MessageId,
        file: &str,
    ) -> Result<Vec<u8>, PlatformError> {
        self.0.fetch_original(chat, message, file).await
    }

    fn message_link(&self, chat: ChatId, message: MessageId) -> Option<String> {
        self.0.message_link(chat, message)
    }

    async fn chat_name(&self, chat: ChatId) -> Option<String> {
        self.0.chat_name(chat).await
    }
}
