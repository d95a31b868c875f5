//! The in-memory stand-in for issue 23's store traits: what shows a client,
//! what was taken down.

use std::collections::BTreeMap;
use std::sync::Mutex;

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use super::fakes::MemStore;
use crate::exposure::Shown;
use crate::store::{DigestStore, ExposureStore, StoreResult};
use crate::{ChatId, ClientCode, MessageId, RecordId, UserId};

#[derive(Default)]
pub struct TimeState {
    pub shown: Mutex<Vec<Shown>>,
    pub media: Mutex<BTreeMap<(i64, i64), String>>,
    /// (chat, message) -> the consent record followed.
    pub takedowns: Mutex<BTreeMap<(i64, i64), RecordId>>,
    /// (chat, copy) -> share.
    pub replacements: Mutex<BTreeMap<(i64, i64), RecordId>>,
    /// user -> when the digest last went out.
    pub digests: Mutex<BTreeMap<i64, DateTime<Utc>>>,
}

#[async_trait]
impl DigestStore for MemStore {
    async fn last_digest(&self, user: UserId) -> StoreResult<Option<DateTime<Utc>>> {
        self.up()?;
        Ok(self.time.digests.lock().unwrap().get(&user.0).copied())
    }

    async fn set_last_digest(&self, user: UserId, at: DateTime<Utc>) -> StoreResult<()> {
        self.up()?;
        self.time.digests.lock().unwrap().insert(user.0, at);
        Ok(())
    }
}

#[async_trait]
impl ExposureStore for MemStore {
    async fn note_media(&self, chat: ChatId, message: MessageId, file_id: &str) -> StoreResult<()> {
        self.up()?;
        let mut media = self.time.media.lock().unwrap();
        media.insert((chat.0, message.0), file_id.to_owned());
        Ok(())
    }

    async fn media_file(&self, chat: ChatId, message: MessageId) -> StoreResult<Option<String>> {
        self.up()?;
        Ok(self
            .time
            .media
            .lock()
            .unwrap()
            .get(&(chat.0, message.0))
            .cloned())
    }

    async fn shown_with(&self, client: &ClientCode) -> StoreResult<Vec<Shown>> {
        self.up()?;
        let gone = self.time.takedowns.lock().unwrap();
        let shown = self.time.shown.lock().unwrap();
        Ok(shown
            .iter()
            .filter(|s| s.tags.contains(client) && !gone.contains_key(&(s.chat.0, s.message.0)))
            .cloned()
            .collect())
    }

    async fn record_takedown(
        &self,
        chat: ChatId,
        message: MessageId,
        record: RecordId,
        _at: DateTime<Utc>,
    ) -> StoreResult<()> {
        self.up()?;
        let mut gone = self.time.takedowns.lock().unwrap();
        gone.insert((chat.0, message.0), record);
        Ok(())
    }

    async fn record_replacement(
        &self,
        chat: ChatId,
        copy: MessageId,
        share: RecordId,
        _at: DateTime<Utc>,
    ) -> StoreResult<()> {
        self.up()?;
        let mut copies = self.time.replacements.lock().unwrap();
        copies.insert((chat.0, copy.0), share);
        Ok(())
    }
}
