//! An in-memory [`ChatPlatform`] for the core's tests: every call recorded
//! in order, answers set per test (a user who cannot be reached, a platform
//! that is down).

use std::collections::BTreeSet;
use std::sync::atomic::{AtomicBool, AtomicI64, Ordering};
use std::sync::Mutex;

use async_trait::async_trait;

use super::*;

/// One call the core made, with what it carried.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Call {
    Remove(ChatId, MessageId),
    PostMedia {
        to: Place,
        kind: MediaKind,
        bytes: Vec<u8>,
        protect: bool,
        caption: String,
    },
    PostText(Place, String),
    TellUser(UserId, String),
    AlertAdmin {
        admin: UserId,
        lang: Lang,
        text: String,
        item: i64,
        actions: Vec<ReviewAction>,
    },
    Rights(ChatId),
    SendFile {
        user: UserId,
        name: &'static str,
        bytes: Vec<u8>,
        caption: String,
    },
    /// A `post_media_reply`: the media as `PostMedia`, and what it answers.
    Answering(MessageId),
    FetchOriginal(ChatId, MessageId, String),
    ChatName(ChatId),
}

#[derive(Default)]
pub struct FakePlatform {
    pub calls: Mutex<Vec<Call>>,
    /// Every call fails as `Unavailable` while set.
    pub down: AtomicBool,
    /// Users who never opened a private chat: `tell_user` and `alert_admin` refuse them.
    pub unreachable: Mutex<BTreeSet<i64>>,
    /// What `remove` answers.
    pub removed: Mutex<Option<Removed>>,
    /// What `rights` answers; `None`: an admin who may delete.
    pub rights: Mutex<Option<BotRights>>,
    /// What `fetch_original` hands back, by file reference; a missing one is refused.
    pub originals: Mutex<std::collections::BTreeMap<String, Vec<u8>>>,
    /// The link `message_link` builds: `{prefix}{chat}/{message}`; `None`: no links.
    pub links: Mutex<Option<String>>,
    next_id: AtomicI64,
}

impl FakePlatform {
    pub fn calls(&self) -> Vec<Call> {
        self.calls.lock().unwrap().clone()
    }

    fn record(&self, call: Call) -> Result<(), PlatformError> {
        self.calls.lock().unwrap().push(call);
        match self.down.load(Ordering::SeqCst) {
            true => Err(PlatformError::Unavailable("the fake is down".into())),
            false => Ok(()),
        }
    }

    fn reachable(&self, user: UserId) -> Result<(), PlatformError> {
        match self.unreachable.lock().unwrap().contains(&user.0) {
            true => Err(PlatformError::Refused("blocked by the user".into())),
            false => Ok(()),
        }
    }

    fn new_id(&self) -> MessageId {
        MessageId(self.next_id.fetch_add(1, Ordering::SeqCst) + 1000)
    }
}

#[async_trait]
impl ChatPlatform for FakePlatform {
    async fn remove(&self, chat: ChatId, message: MessageId) -> Result<Removed, PlatformError> {
        self.record(Call::Remove(chat, message))?;
        Ok(self.removed.lock().unwrap().unwrap_or(Removed::Yes))
    }

    async fn post_media(
        &self,
        to: Place,
        media: OutgoingMedia,
        caption: &str,
    ) -> Result<MessageId, PlatformError> {
        self.record(Call::PostMedia {
            to,
            kind: media.kind,
            bytes: media.bytes,
            protect: media.protect,
            caption: caption.to_owned(),
        })?;
        Ok(self.new_id())
    }

    async fn post_text(&self, to: Place, text: &str) -> Result<MessageId, PlatformError> {
        self.record(Call::PostText(to, text.to_owned()))?;
        Ok(self.new_id())
    }

    async fn tell_user(&self, user: UserId, text: &str) -> Result<(), PlatformError> {
        self.record(Call::TellUser(user, text.to_owned()))?;
        self.reachable(user)
    }

    async fn alert_admin(
        &self,
        admin: UserId,
        lang: Lang,
        text: &str,
        item: i64,
        actions: &[ReviewAction],
    ) -> Result<(), PlatformError> {
        self.record(Call::AlertAdmin {
            admin,
            lang,
            text: text.to_owned(),
            item,
            actions: actions.to_vec(),
        })?;
        self.reachable(admin)
    }

    async fn rights(&self, chat: ChatId) -> Result<BotRights, PlatformError> {
        self.record(Call::Rights(chat))?;
        Ok(self.rights.lock().unwrap().unwrap_or(BotRights {
            is_admin: true,
            can_delete: true,
        }))
    }

    async fn post_media_reply(
        &self,
        to: Place,
        reply_to: MessageId,
        media: OutgoingMedia,
        caption: &str,
    ) -> Result<MessageId, PlatformError> {
        self.record(Call::Answering(reply_to))?;
        self.post_media(to, media, caption).await
    }

    async fn send_file(
        &self,
        user: UserId,
        file: OutgoingFile,
        caption: &str,
    ) -> Result<(), PlatformError> {
        self.record(Call::SendFile {
            user,
            name: file.name,
            bytes: file.bytes,
            caption: caption.to_owned(),
        })?;
        self.reachable(user)
    }

    async fn fetch_original(
        &self,
        chat: ChatId,
        message: MessageId,
        file: &str,
    ) -> Result<Vec<u8>, PlatformError> {
        self.record(Call::FetchOriginal(chat, message, file.to_owned()))?;
        let bytes = self.originals.lock().unwrap().get(file).cloned();
        bytes.ok_or_else(|| PlatformError::Refused("no such file".into()))
    }

    fn message_link(&self, chat: ChatId, message: MessageId) -> Option<String> {
        let prefix = self.links.lock().unwrap().clone()?;
        Some(format!("{prefix}{chat}/{message}"))
    }

    async fn chat_name(&self, chat: ChatId) -> Option<String> {
        self.record(Call::ChatName(chat)).ok()?;
        Some(format!("chat {chat}"))
    }
}

/// A router over two recording fakes, one per id space (Telegram's, the
/// mapped ids'), and the two fakes.
pub fn both() -> (
    crate::PlatformRouter,
    std::sync::Arc<FakePlatform>,
    std::sync::Arc<FakePlatform>,
) {
    let (telegram, whatsapp) = (
        std::sync::Arc::new(FakePlatform::default()),
        std::sync::Arc::new(FakePlatform::default()),
    );
    let router = crate::PlatformRouter::default();
    router.register(crate::IdSpace::Telegram, telegram.clone());
    router.register(crate::IdSpace::Mapped, whatsapp.clone());
    (router, telegram, whatsapp)
}
