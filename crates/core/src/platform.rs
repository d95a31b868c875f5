//! What the core needs from a chat platform (Telegram, WhatsApp): the actions, not the API.
//!
//! The contract shared with the WhatsApp adapter (`/work/port-contract.md`):
//! the services decide and call these; an adapter implements them and only
//! translates. [`ReviewAction`] is the core's own (`review.rs`), re-exported
//! here so both paths name one type.
use async_trait::async_trait;
use chrono::{DateTime, Utc};

pub use crate::review::ReviewAction;
use crate::{ChatId, Lang, MessageId, UserId};

/// Where a post goes: a chat, and the thread (forum topic) inside it, if any.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Place {
    pub chat: ChatId,
    pub thread: Option<i64>,
}

/// What kind of media is posted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MediaKind {
    Photo,
    Video,
}

/// Media the bot posts: an anonymised copy, or an original an admin released.
#[derive(Debug, Clone)]
pub struct OutgoingMedia {
    pub kind: MediaKind,
    pub bytes: Vec<u8>,
    /// Telegram's protect_content (no forward, no save); a platform without it ignores it.
    pub protect: bool,
}

/// A file the bot sends one person: the audit CSV, a client's data, a chart.
#[derive(Debug, Clone)]
pub struct OutgoingFile {
    /// The name it is saved under, e.g. `photo-guard-audit.csv`.
    pub name: &'static str,
    pub mime: &'static str,
    pub bytes: Vec<u8>,
}

/// What removing a message came to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Removed {
    Yes,
    AlreadyGone,
    TooOld,
    NoRight,
}

/// The bot's standing in a chat.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BotRights {
    pub is_admin: bool,
    pub can_delete: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum PlatformError {
    /// Worth another try later (network, 5xx, rate limit).
    #[error("the platform is unavailable: {0}")]
    Unavailable(String),
    /// Will not work however often it is tried (4xx, blocked by the user).
    #[error("the platform refused: {0}")]
    Refused(String),
}

#[async_trait]
pub trait ChatPlatform: Send + Sync {
    async fn remove(&self, chat: ChatId, message: MessageId) -> Result<Removed, PlatformError>;
    /// Posts media with a caption; returns the new message's id.
    async fn post_media(
        &self,
        to: Place,
        media: OutgoingMedia,
        caption: &str,
    ) -> Result<MessageId, PlatformError>;
    async fn post_text(&self, to: Place, text: &str) -> Result<MessageId, PlatformError>;
    /// A private message to one user (Telegram: the private chat; WhatsApp: the user's own chat).
    async fn tell_user(&self, user: UserId, text: &str) -> Result<(), PlatformError>;
    /// Alerts one admin privately about quarantined item `item`, offering `actions`.
    async fn alert_admin(
        &self,
        admin: UserId,
        lang: Lang,
        text: &str,
        item: i64,
        actions: &[ReviewAction],
    ) -> Result<(), PlatformError>;
    async fn rights(&self, chat: ChatId) -> Result<BotRights, PlatformError>;
    /// Sends `file` to one user privately, with the platform's content
    /// protection where it has one (Telegram; WhatsApp has none).
    async fn send_file(
        &self,
        user: UserId,
        file: OutgoingFile,
        caption: &str,
    ) -> Result<(), PlatformError>;
    /// Removes a message sent at `sent`, where known: a platform with a
    /// delete window (Telegram's 48 hours) tells `TooOld` from `NoRight` by
    /// it. One without a window needs no date.
    async fn remove_sent(
        &self,
        chat: ChatId,
        message: MessageId,
        _sent: Option<DateTime<Utc>>,
    ) -> Result<Removed, PlatformError> {
        self.remove(chat, message).await
    }
    /// Posts media answering `reply_to` (shown with the message it answers,
    /// posted anyway if that is gone); a platform without replies posts it
    /// as [`ChatPlatform::post_media`] does.
    async fn post_media_reply(
        &self,
        to: Place,
        _reply_to: MessageId,
        media: OutgoingMedia,
        caption: &str,
    ) -> Result<MessageId, PlatformError> {
        self.post_media(to, media, caption).await
    }
    /// The media of a message still in its chat, fetched again by the file
    /// reference noted at intake (`Takedowns::note_file`: Telegram's file
    /// id, WhatsApp's message id), within the platform's download limit:
    /// a downgrade's blurred copy is made from it (issue 23).
    async fn fetch_original(
        &self,
        chat: ChatId,
        message: MessageId,
        file: &str,
    ) -> Result<Vec<u8>, PlatformError>;
    /// A link a chat's admins can open to find the message; `None` where the
    /// platform has none (WhatsApp, a Telegram basic group).
    fn message_link(&self, chat: ChatId, message: MessageId) -> Option<String>;
    /// The chat's name as its members see it, to point them to a message
    /// that has no link; `None` when it cannot be read.
    async fn chat_name(&self, chat: ChatId) -> Option<String>;
}

impl Place {
    /// A chat's main thread.
    pub fn chat(chat: ChatId) -> Self {
        Self { chat, thread: None }
    }

    /// A user's private chat with the bot, for what only the user may see
    /// (an original shown with protection). On Telegram the private chat's
    /// id is the user's; another platform maps it in its adapter.
    pub fn private(user: UserId) -> Self {
        Self::chat(ChatId(user.0))
    }
}

impl OutgoingFile {
    /// The audit log as `/audit` sends it (`audit verify --csv` reads it back).
    pub fn audit_csv(bytes: Vec<u8>) -> Self {
        Self::named("photo-guard-audit.csv", "text/csv", bytes)
    }

    /// Everything held about one client, as `/subject` sends it.
    pub fn subject_json(bytes: Vec<u8>) -> Self {
        Self::named("photo-guard-subject.json", "application/json", bytes)
    }

    /// `/stats`'s chart.
    pub fn stats_png(bytes: Vec<u8>) -> Self {
        Self::named("photo-guard-stats.png", "image/png", bytes)
    }

    fn named(name: &'static str, mime: &'static str, bytes: Vec<u8>) -> Self {
        Self { name, mime, bytes }
    }
}

impl MediaKind {
    /// What bytes the bot made or sealed are: its video copies are MP4, its
    /// photo copies JPEG; a sealed original is read by its first bytes.
    pub fn of(bytes: &[u8]) -> Self {
        match crate::media::looks_like_video(bytes) {
            true => Self::Video,
            false => Self::Photo,
        }
    }
}

impl ReviewAction {
    /// Every action an alert offers, in the order they are shown.
    pub const ALL: [ReviewAction; 4] = [
        ReviewAction::View,
        ReviewAction::Discard,
        ReviewAction::ReleaseBlurred,
        ReviewAction::ReleaseOriginal,
    ];
}

#[cfg(test)]
#[path = "platform_fake.rs"]
pub(crate) mod fake;
