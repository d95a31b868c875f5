//! WhatsApp's string ids (`...@g.us` groups, `...@c.us` people, message ids)
//! as the core's numbers, through the store's `platform_ids` table: each id
//! is given one core id on first sight and maps back to exactly it.

use std::sync::Arc;

use photo_guard_core::store::PlatformIds;
use photo_guard_core::{ChatId, MessageId, StoreError, UserId};

/// The platform's name in the id table.
pub const PLATFORM: &str = "whatsapp";

#[derive(Clone)]
pub struct Ids {
    store: Arc<dyn PlatformIds>,
}

impl Ids {
    pub fn new(store: Arc<dyn PlatformIds>) -> Self {
        Self { store }
    }

    pub async fn chat(&self, external: &str) -> Result<ChatId, StoreError> {
        self.store.core_id(PLATFORM, external).await.map(ChatId)
    }

    pub async fn user(&self, external: &str) -> Result<UserId, StoreError> {
        self.store.core_id(PLATFORM, external).await.map(UserId)
    }

    pub async fn message(&self, external: &str) -> Result<MessageId, StoreError> {
        self.store.core_id(PLATFORM, external).await.map(MessageId)
    }

    /// The WhatsApp id behind a core id; `None` for a Telegram id.
    pub async fn external(&self, id: i64) -> Result<Option<String>, StoreError> {
        self.store.external_id(PLATFORM, id).await
    }
}
