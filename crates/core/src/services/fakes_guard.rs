//! The rest of the store for a real [`Guard`] on the in-memory fake: a vault
//! that keeps items in clear (the sealing is the store's concern), the other
//! inbox refusing (the services under test never call it), and a vision
//! that finds one face.

use std::sync::Arc;

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use super::fakes::{moment, MemStore};
use crate::store::{Inbox, JobQueue, LeaderStore, StoreError, StoreResult, Vault};
use crate::{
    ChatId, Examined, Face, Fence, FixedClock, Guard, Job, Lease, MessageId, NewQuarantine,
    QuarantineItem, RecordId, ReplicaId, Resolution, Role, UserId, Vision, VisionError,
};

fn unused<T>() -> StoreResult<T> {
    Err(StoreError::Database("not used by the services".into()))
}

#[async_trait]
impl Vault for MemStore {
    async fn seal(&self, item: NewQuarantine, bytes: &[u8]) -> StoreResult<RecordId> {
        self.up()?;
        let mut vault = self.vault.lock().unwrap();
        let id = RecordId(vault.keys().max().unwrap_or(&0) + 1);
        vault.insert(
            id.0,
            (super::fakes_intake::pending(id, item), bytes.to_vec()),
        );
        Ok(id)
    }
    async fn item(&self, id: RecordId) -> StoreResult<QuarantineItem> {
        self.up()?;
        let vault = self.vault.lock().unwrap();
        let found = vault.get(&id.0).map(|(item, _)| item.clone());
        found.ok_or_else(|| StoreError::NotFound(format!("item {}", id.0)))
    }
    async fn open(&self, id: RecordId) -> StoreResult<Vec<u8>> {
        self.up()?;
        let vault = self.vault.lock().unwrap();
        let found = vault.get(&id.0).map(|(_, bytes)| bytes.clone());
        found.ok_or_else(|| StoreError::NotFound(format!("item {}", id.0)))
    }
    async fn pending(&self) -> StoreResult<Vec<QuarantineItem>> {
        self.up()?;
        let vault = self.vault.lock().unwrap();
        let items = vault.values().map(|(item, _)| item.clone());
        Ok(items
            .filter(|i| i.resolution == Resolution::Pending)
            .collect())
    }
    async fn resolve(
        &self,
        id: RecordId,
        resolution: Resolution,
        _by: UserId,
    ) -> StoreResult<bool> {
        self.up()?;
        let mut vault = self.vault.lock().unwrap();
        match vault.get_mut(&id.0) {
            Some((item, _)) if item.resolution == Resolution::Pending => {
                item.resolution = resolution;
                Ok(true)
            }
            _ => Ok(false),
        }
    }
    async fn purge_before(&self, _cutoff: DateTime<Utc>) -> StoreResult<u64> {
        unused()
    }
}

#[async_trait]
impl Inbox for MemStore {
    async fn receive(&self, _update_id: i64, _payload: &str) -> StoreResult<bool> {
        unused()
    }
    async fn finish(&self, _update_id: i64) -> StoreResult<()> {
        unused()
    }
    async fn unfinished(&self) -> StoreResult<Vec<(i64, String)>> {
        unused()
    }
}

#[async_trait]
impl LeaderStore for MemStore {
    async fn lead(
        &self,
        _: &str,
        _: &ReplicaId,
        _: DateTime<Utc>,
        _: DateTime<Utc>,
    ) -> StoreResult<bool> {
        unused()
    }
    async fn resign(&self, _: &str, _: &ReplicaId) -> StoreResult<()> {
        unused()
    }
}

#[async_trait]
impl JobQueue for MemStore {
    async fn enqueue(&self, _: i64, _: Option<ChatId>, _: &str) -> StoreResult<bool> {
        unused()
    }
    async fn claim(&self, _: &Lease, _: DateTime<Utc>) -> StoreResult<Option<Job>> {
        unused()
    }
    async fn renew(&self, _: i64, _: &Lease) -> StoreResult<bool> {
        unused()
    }
    async fn retry_at(&self, _: i64, _: &ReplicaId, _: DateTime<Utc>) -> StoreResult<()> {
        unused()
    }
    async fn requeue(&self, _: &ReplicaId) -> StoreResult<u64> {
        unused()
    }
    async fn hold(&self, _: &Fence, _: DateTime<Utc>) -> StoreResult<bool> {
        unused()
    }
    async fn finish_held(&self, _: &Fence) -> StoreResult<bool> {
        unused()
    }
    async fn release(&self, _: &ReplicaId) -> StoreResult<u64> {
        unused()
    }
}

/// Finds one face in anything; its copies say which they are.
pub(crate) struct OneFace;

struct OneFaceExamined([Face; 1]);

impl Examined for OneFaceExamined {
    fn width(&self) -> u32 {
        10
    }
    fn height(&self) -> u32 {
        10
    }
    fn faces(&self) -> &[Face] {
        &self.0
    }
    fn anonymise(self: Box<Self>) -> Result<Vec<u8>, VisionError> {
        Ok(b"blurred".to_vec())
    }
    fn clean_copy(self: Box<Self>) -> Result<Vec<u8>, VisionError> {
        Ok(b"clean".to_vec())
    }
}

impl Vision for OneFace {
    fn examine(&self, _bytes: &[u8]) -> Result<Box<dyn Examined>, VisionError> {
        let face = Face {
            x: 1,
            y: 1,
            w: 5,
            h: 5,
            score: 0.9,
        };
        Ok(Box::new(OneFaceExamined([face])))
    }
}

/// A clip with `faces` faces whose copy is "blurred clip".
pub(crate) struct FakeClip(Vec<Face>);

impl Examined for FakeClip {
    fn width(&self) -> u32 {
        320
    }
    fn height(&self) -> u32 {
        240
    }
    fn faces(&self) -> &[Face] {
        &self.0
    }
    fn anonymise(self: Box<Self>) -> Result<Vec<u8>, VisionError> {
        Ok(b"blurred clip".to_vec())
    }
    fn clean_copy(self: Box<Self>) -> Result<Vec<u8>, VisionError> {
        Ok(b"clean clip".to_vec())
    }
}

/// A video tool finding this many faces in any clip, or failing so.
pub(crate) struct FakeVideos(pub Result<usize, VisionError>);

impl crate::VideoVision for FakeVideos {
    fn examine_video(&self, _bytes: &[u8]) -> Result<Box<dyn Examined>, VisionError> {
        let face = Face {
            x: 1,
            y: 1,
            w: 9,
            h: 9,
            score: 0.9,
        };
        let n = self.0.clone()?;
        Ok(Box::new(FakeClip(vec![face; n])))
    }
}

/// A guard on `store` at [`moment`], seeing one face in every photo.
pub fn guard(store: &Arc<MemStore>) -> Arc<Guard> {
    let clock = Arc::new(FixedClock(moment()));
    Arc::new(Guard::new(Arc::new(OneFace), store.clone(), clock, 1))
}

/// A pending item `id` in chat -100, tagged `codes`.
pub fn pending_item(id: i64, codes: &[&str]) -> QuarantineItem {
    QuarantineItem {
        id: RecordId(id),
        share: RecordId(id),
        chat: ChatId(-100),
        message: MessageId(5),
        sender: UserId(9),
        sender_name: "Alice".into(),
        caption: None,
        thread: None,
        tags: codes
            .iter()
            .map(|c| crate::ClientCode::parse(c).unwrap())
            .collect(),
        reason_code: "untagged_faces".into(),
        created_at: moment().now,
        resolution: Resolution::Pending,
    }
}

pub const ADMIN: UserId = UserId(1);
pub const COORDINATOR: UserId = UserId(2);

/// A review desk on `store` with an admin, a coordinator and item 7 pending
/// (untagged, sealed as `b"sealed"`).
pub fn review_desk(store: &Arc<MemStore>) -> crate::services::ReviewDesk {
    store.roles.lock().unwrap().insert(ADMIN.0, Role::Admin);
    let coordinator = Role::Coordinator;
    store
        .roles
        .lock()
        .unwrap()
        .insert(COORDINATOR.0, coordinator);
    let item = pending_item(7, &[]);
    let sealed = (item, b"sealed".to_vec());
    store.vault.lock().unwrap().insert(7, sealed);
    let stores = crate::services::DeskStores {
        vault: store.clone(),
        roles: store.clone(),
        policies: store.clone(),
        exposure: store.clone(),
    };
    crate::services::ReviewDesk::new(guard(store), stores, super::fakes::trail(store))
}
