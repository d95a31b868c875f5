//! The intake's part of the in-memory store: the enforcement records (one
//! per message, a step written only while its update still holds the
//! record, as the real store does), failed download tries and album
//! captions, for the intake's tests.

use std::collections::BTreeMap;
use std::sync::Mutex;

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use super::fakes::MemStore;
use crate::store::{AlbumStore, DownloadTries, EnforcementStore, StoreResult};
use crate::{ChatId, Enforcement, MessageId, NewQuarantine, QuarantineItem, RecordId, Resolution};

type Key = (i64, i64);
/// An enforcement record and its sealed copy.
type Recorded = (Enforcement, Option<Vec<u8>>);

#[derive(Default)]
pub struct IntakeState {
    /// The enforcement record and its sealed copy, per (chat, message).
    pub records: Mutex<BTreeMap<Key, Recorded>>,
    /// Every step written, in order: what the tests read the sequence from.
    pub steps: Mutex<Vec<crate::Step>>,
    pub tries: Mutex<BTreeMap<Key, u32>>,
    /// Album items as noted, one row per (chat, album, message).
    pub albums: Mutex<Vec<AlbumItem>>,
    /// How many times an album caption was written.
    pub album_writes: Mutex<usize>,
    pub shares: Mutex<i64>,
}

/// One album item as the store keeps it.
#[derive(Debug, Clone)]
pub struct AlbumItem {
    pub chat: i64,
    pub album: String,
    pub message: MessageId,
    pub update: i64,
    pub caption: Option<String>,
    pub seen: DateTime<Utc>,
}

fn key(chat: ChatId, message: MessageId) -> Key {
    (chat.0, message.0)
}

/// A sealed item as the vault keeps it: pending review.
pub fn pending(id: RecordId, item: NewQuarantine) -> QuarantineItem {
    QuarantineItem {
        id,
        share: item.share,
        chat: item.chat,
        message: item.message,
        sender: item.sender,
        sender_name: item.sender_name,
        caption: item.caption,
        thread: item.thread,
        tags: item.tags,
        reason_code: item.reason_code,
        created_at: item.at,
        resolution: Resolution::Pending,
    }
}

impl MemStore {
    /// The record of (chat, message) as it stands.
    pub fn record(&self, chat: ChatId, message: MessageId) -> Option<Enforcement> {
        let records = self.intake.records.lock().unwrap();
        records.get(&key(chat, message)).map(|(rec, _)| rec.clone())
    }

    pub fn steps(&self) -> Vec<crate::Step> {
        self.intake.steps.lock().unwrap().clone()
    }
}

#[async_trait]
impl EnforcementStore for MemStore {
    async fn enforcement(&self, c: ChatId, m: MessageId) -> StoreResult<Option<Enforcement>> {
        self.up()?;
        Ok(self.record(c, m))
    }

    async fn record_decision(&self, r: &Enforcement, copy: Option<&[u8]>) -> StoreResult<()> {
        self.up()?;
        let mut records = self.intake.records.lock().unwrap();
        let copy = copy.map(<[u8]>::to_vec);
        records.insert(key(r.chat, r.message), (r.clone(), copy));
        Ok(())
    }

    async fn record_step(&self, record: &Enforcement) -> StoreResult<bool> {
        self.up()?;
        let mut records = self.intake.records.lock().unwrap();
        let Some((held, _)) = records.get_mut(&key(record.chat, record.message)) else {
            return Ok(false);
        };
        if held.update != record.update {
            return Ok(false);
        }
        held.step = record.step;
        held.removal = record.removal;
        held.copy_message = record.copy_message;
        self.intake.steps.lock().unwrap().push(record.step);
        Ok(true)
    }

    async fn adopt(&self, c: ChatId, m: MessageId, from: i64, to: i64) -> StoreResult<bool> {
        self.up()?;
        let mut records = self.intake.records.lock().unwrap();
        match records.get_mut(&key(c, m)) {
            Some((held, _)) if held.update == from => {
                held.update = to;
                Ok(true)
            }
            _ => Ok(false),
        }
    }

    async fn enforcement_copy(&self, c: ChatId, m: MessageId) -> StoreResult<Option<Vec<u8>>> {
        self.up()?;
        let records = self.intake.records.lock().unwrap();
        Ok(records.get(&key(c, m)).and_then(|(_, copy)| copy.clone()))
    }
}

#[async_trait]
impl DownloadTries for MemStore {
    async fn failed_download(&self, chat: ChatId, message: MessageId) -> StoreResult<u32> {
        self.up()?;
        let mut tries = self.intake.tries.lock().unwrap();
        let count = tries.entry(key(chat, message)).or_default();
        *count += 1;
        Ok(*count)
    }

    async fn forget_downloads(&self, chat: ChatId, message: MessageId) -> StoreResult<()> {
        self.up()?;
        self.intake
            .tries
            .lock()
            .unwrap()
            .remove(&key(chat, message));
        Ok(())
    }
}

#[async_trait]
impl AlbumStore for MemStore {
    async fn note_album_caption(
        &self,
        chat: ChatId,
        album: &str,
        message: MessageId,
        update: i64,
        caption: Option<&str>,
    ) -> StoreResult<()> {
        self.up()?;
        *self.intake.album_writes.lock().unwrap() += 1;
        let mut albums = self.intake.albums.lock().unwrap();
        let item = AlbumItem {
            chat: chat.0,
            album: album.to_owned(),
            message,
            update,
            caption: caption.map(str::to_owned),
            seen: Utc::now(),
        };
        let same = |a: &AlbumItem| a.chat == chat.0 && a.album == album && a.message == message;
        // As the real store: only a newer state replaces an item's row.
        match albums.iter_mut().find(|a| same(a)) {
            Some(row) if row.update < update => *row = item,
            Some(_) => {}
            None => albums.push(item),
        }
        Ok(())
    }

    async fn album_captions(
        &self,
        chat: ChatId,
        album: &str,
    ) -> StoreResult<Vec<(MessageId, String)>> {
        self.up()?;
        let albums = self.intake.albums.lock().unwrap();
        let here = albums
            .iter()
            .filter(|a| a.chat == chat.0 && a.album == album);
        let captioned = here.filter_map(|a| Some((a.message, a.caption.clone()?)));
        Ok(captioned.collect())
    }

    async fn album_arrival(&self, chat: ChatId, album: &str) -> StoreResult<Option<DateTime<Utc>>> {
        self.up()?;
        let albums = self.intake.albums.lock().unwrap();
        let here = albums
            .iter()
            .filter(|a| a.chat == chat.0 && a.album == album);
        Ok(here.map(|a| a.seen).min())
    }
}
