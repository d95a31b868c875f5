//! The platform port on WAHA: remove is "delete for everyone", media goes
//! out as base64 through `sendImage`/`sendVideo`, a user is told in their own
//! chat, admins get the review actions as reply commands (WhatsApp has no
//! buttons), files go as documents (`sendFile`; a picture by `sendImage`),
//! the bot's rights come from the group's admin flags, and a group is named by its subject (kept a
//! while, `group_names.rs`). For a downgrade's copy the original is
//! downloaded again by its message id; WhatsApp has no message links, so a
//! message left for the admins is named by its group's subject.

use async_trait::async_trait;
use photo_guard_core::platform::ReviewAction;
use photo_guard_core::texts::{text, Msg};
use photo_guard_core::{
    BotRights, ChatId, ChatPlatform, Lang, MediaKind, MessageId, OutgoingFile, OutgoingMedia,
    Place, PlatformError, Removed, UserId,
};
use tokio::sync::OnceCell;

use crate::client::{WahaClient, WahaError};
use crate::group_names::GroupNames;
use crate::ids::Ids;
use crate::wire::number_of;

#[derive(Clone)]
pub struct WahaPlatform {
    client: WahaClient,
    ids: Ids,
    /// The bot's own WhatsApp id, from the session (asked once).
    me: OnceCell<String>,
    names: std::sync::Arc<GroupNames>,
    /// `MAX_IMAGE_BYTES`: an original fetched again is no larger.
    max_download_bytes: u64,
}

fn port_error(e: WahaError) -> PlatformError {
    match e.is_transient() {
        true => PlatformError::Unavailable(e.to_string()),
        false => PlatformError::Refused(e.to_string()),
    }
}

fn store_error(e: photo_guard_core::StoreError) -> PlatformError {
    PlatformError::Unavailable(format!("id table: {e}"))
}

impl WahaPlatform {
    pub fn new(client: WahaClient, ids: Ids, max_download_bytes: u64) -> Self {
        Self {
            client,
            ids,
            me: OnceCell::new(),
            names: Default::default(),
            max_download_bytes,
        }
    }

    pub fn client(&self) -> &WahaClient {
        &self.client
    }

    pub fn ids(&self) -> &Ids {
        &self.ids
    }

    /// What alerts call WhatsApp chat `external`: a group's subject, else the id.
    pub async fn group_name(&self, external: &str) -> String {
        self.names.of(&self.client, external).await
    }

    /// [`group_name`](Self::group_name) of a core chat id; its number when
    /// it is no WhatsApp chat.
    pub async fn name_of_chat(&self, chat: ChatId) -> String {
        match self.ids.external(chat.0).await {
            Ok(Some(external)) => self.group_name(&external).await,
            _ => chat.0.to_string(),
        }
    }

    /// The WhatsApp id behind a core id this adapter handed out.
    async fn external(&self, id: i64) -> Result<String, PlatformError> {
        self.ids
            .external(id)
            .await
            .map_err(store_error)?
            .ok_or_else(|| PlatformError::Refused(format!("{id} is no WhatsApp id")))
    }

    /// Maps the id of a message just sent; a gateway that named none gives 0.
    async fn sent(&self, id: Option<String>) -> Result<MessageId, PlatformError> {
        match id {
            Some(id) => self.ids.message(&id).await.map_err(store_error),
            None => {
                tracing::warn!("WAHA did not say which message it sent");
                Ok(MessageId(0))
            }
        }
    }

    async fn me(&self) -> Result<&str, PlatformError> {
        let me = self
            .me
            .get_or_try_init(|| async {
                let info = self.client.session_info().await.map_err(port_error)?;
                info.me.map(|m| m.id).ok_or_else(|| {
                    PlatformError::Unavailable("the session is not logged in".into())
                })
            })
            .await?;
        Ok(me.as_str())
    }
}

#[async_trait]
impl ChatPlatform for WahaPlatform {
    async fn remove(&self, chat: ChatId, message: MessageId) -> Result<Removed, PlatformError> {
        let chat_id = chat;
        let (chat, message) = (
            self.external(chat.0).await?,
            self.external(message.0).await?,
        );
        match self.client.delete_message(&chat, &message).await {
            Ok(()) => Ok(Removed::Yes),
            Err(WahaError::Status { status: 404, .. }) => Ok(Removed::AlreadyGone),
            Err(WahaError::Status { status: 403, .. }) => Ok(Removed::NoRight),
            // WAHA answers most engine failures with a 500: one because the
            // number is no group admin is told apart by asking the group.
            Err(e) => match self.rights(chat_id).await {
                Ok(rights) if !rights.can_delete => Ok(Removed::NoRight),
                _ => Err(port_error(e)),
            },
        }
    }

    async fn post_media(
        &self,
        to: Place,
        media: OutgoingMedia,
        caption: &str,
    ) -> Result<MessageId, PlatformError> {
        let chat = self.external(to.chat.0).await?;
        let video = media.kind == MediaKind::Video;
        let id = self
            .client
            .send_media(video, &chat, &media.bytes, caption)
            .await
            .map_err(port_error)?;
        self.sent(id).await
    }

    async fn post_text(&self, to: Place, body: &str) -> Result<MessageId, PlatformError> {
        let chat = self.external(to.chat.0).await?;
        let id = self
            .client
            .send_text(&chat, body)
            .await
            .map_err(port_error)?;
        self.sent(id).await
    }

    async fn tell_user(&self, user: UserId, body: &str) -> Result<(), PlatformError> {
        // A person's id is also their own chat's id.
        let chat = self.external(user.0).await?;
        self.client
            .send_text(&chat, body)
            .await
            .map(|_| ())
            .map_err(port_error)
    }

    async fn alert_admin(
        &self,
        admin: UserId,
        lang: Lang,
        body: &str,
        item: i64,
        actions: &[ReviewAction],
    ) -> Result<(), PlatformError> {
        let hints = text(lang, &Msg::ReplyCommands { item, actions });
        self.tell_user(admin, &format!("{body}\n\n{hints}")).await
    }

    async fn rights(&self, chat: ChatId) -> Result<BotRights, PlatformError> {
        let group = self.external(chat.0).await?;
        let me = number_of(self.me().await?).to_owned();
        let members = self.client.participants(&group).await.map_err(port_error)?;
        // A WhatsApp group admin may delete anyone's message for everyone.
        let is_admin = members.iter().any(|p| number_of(&p.id) == me && p.is_admin);
        Ok(BotRights {
            is_admin,
            can_delete: is_admin,
        })
    }

    async fn send_file(
        &self,
        user: UserId,
        file: OutgoingFile,
        caption: &str,
    ) -> Result<(), PlatformError> {
        // WhatsApp has no content protection: `file` goes as it is.
        let chat = self.external(user.0).await?;
        self.client
            .send_file(&chat, &file, caption)
            .await
            .map(|_| ())
            .map_err(port_error)
    }

    /// `file` is the message's WhatsApp id, noted at intake.
    async fn fetch_original(
        &self,
        chat: ChatId,
        _message: MessageId,
        file: &str,
    ) -> Result<Vec<u8>, PlatformError> {
        let chat = self.external(chat.0).await?;
        let url = self
            .client
            .media_url(&chat, file)
            .await
            .map_err(port_error)?;
        let limit = self.max_download_bytes;
        self.client.download(&url, limit).await.map_err(port_error)
    }

    fn message_link(&self, _chat: ChatId, _message: MessageId) -> Option<String> {
        None
    }

    async fn chat_name(&self, chat: ChatId) -> Option<String> {
        // The group's id is still a name its admins can search for.
        Some(self.name_of_chat(chat).await)
    }
}
