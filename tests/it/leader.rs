//! Issue 21: the scheduled rounds run on one replica. Two stores on one
//! PostgreSQL stand for two replicas, each with its own leader and its own
//! reminders service, running a round at the same moment through a slow
//! platform (so both would find the same chats due): only one posts.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use async_trait::async_trait;
use chrono::{FixedOffset, Utc};
use photo_guard_core::platform::{
    BotRights, ChatPlatform, OutgoingFile, OutgoingMedia, Place, PlatformError, Removed,
    ReviewAction,
};
use photo_guard_core::services::{Leader, Reminders};
use photo_guard_core::store::PolicyStore;
use photo_guard_core::{ChatId, IdSpace, Lang, MessageId, ReplicaId, SystemClock, UserId};
use photo_guard_store::{SqlStore, VaultKey};

use crate::audit_pg::pg_cluster;

const CHATS: [i64; 3] = [-100_700, -100_701, -100_702];

/// Posts take a while and are counted per chat.
#[derive(Default)]
struct SlowPlatform {
    posted: Mutex<Vec<i64>>,
}

fn unused<T>() -> Result<T, PlatformError> {
    Err(PlatformError::Refused("not used by the rounds".into()))
}

#[async_trait]
impl ChatPlatform for SlowPlatform {
    async fn remove(&self, _: ChatId, _: MessageId) -> Result<Removed, PlatformError> {
        unused()
    }
    async fn post_media(
        &self,
        _: Place,
        _: OutgoingMedia,
        _: &str,
    ) -> Result<MessageId, PlatformError> {
        unused()
    }
    async fn post_text(&self, to: Place, _: &str) -> Result<MessageId, PlatformError> {
        tokio::time::sleep(Duration::from_millis(300)).await;
        self.posted.lock().unwrap().push(to.chat.0);
        Ok(MessageId(1))
    }
    async fn tell_user(&self, _: UserId, _: &str) -> Result<(), PlatformError> {
        unused()
    }
    async fn alert_admin(
        &self,
        _: UserId,
        _: Lang,
        _: &str,
        _: i64,
        _: &[ReviewAction],
    ) -> Result<(), PlatformError> {
        unused()
    }
    async fn rights(&self, _: ChatId) -> Result<BotRights, PlatformError> {
        unused()
    }
    async fn send_file(&self, _: UserId, _: OutgoingFile, _: &str) -> Result<(), PlatformError> {
        unused()
    }
    async fn fetch_original(
        &self,
        _: ChatId,
        _: MessageId,
        _: &str,
    ) -> Result<Vec<u8>, PlatformError> {
        unused()
    }
    fn message_link(&self, _: ChatId, _: MessageId) -> Option<String> {
        None
    }
    async fn chat_name(&self, _: ChatId) -> Option<String> {
        None
    }
}

async fn replica_store(url: &str) -> Arc<SqlStore> {
    let key = VaultKey::from_base64(crate::support::KEY).unwrap();
    Arc::new(
        SqlStore::open(url, key, &[UserId(crate::support::ADMIN)])
            .await
            .unwrap(),
    )
}

/// One replica's round of rules reminders, run under its leader.
async fn round(store: Arc<SqlStore>, name: &str, platform: Arc<SlowPlatform>) -> Option<usize> {
    let clock = Arc::new(SystemClock {
        offset: FixedOffset::east_opt(0).unwrap(),
    });
    let (leader, reminders) = (Leader::new(store.clone()), Reminders::new(store, clock));
    let holder = ReplicaId::parse(name).unwrap();
    let sent = reminders.remind_due(platform.as_ref(), IdSpace::Telegram);
    let led = leader.lead(&holder, Duration::from_secs(5), sent).await;
    led.map(|sent| sent.unwrap())
}

#[tokio::test(flavor = "multi_thread")]
async fn two_replicas_running_the_reminder_round_at_once_post_the_rules_once() {
    // Issue 21: only the leader of the scheduled rounds sends them.
    let url = pg_cluster::fresh_database().await;
    let (a, b) = (replica_store(&url).await, replica_store(&url).await);
    for chat in CHATS.map(ChatId) {
        a.touch_chat(chat, "Tim").await.unwrap();
        let long_ago = Utc::now() - chrono::Duration::days(8);
        a.set_last_reminder(chat, long_ago).await.unwrap();
    }
    let platform = Arc::new(SlowPlatform::default());
    let (ra, rb) = tokio::join!(
        round(a, "replica-a", platform.clone()),
        round(b, "replica-b", platform.clone())
    );
    let mut posted = platform.posted.lock().unwrap().clone();
    posted.sort_unstable();
    let mut expected = CHATS.to_vec();
    expected.sort_unstable();
    assert_eq!(posted, expected, "a chat reminded twice, or not at all");
    assert!(
        ra.is_some() != rb.is_some(),
        "both or neither led: {ra:?} {rb:?}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_dead_leaders_lead_is_taken_by_another_replica_within_a_lease() {
    // Issue 21: the rounds go on when the replica leading them dies.
    let url = pg_cluster::fresh_database().await;
    let (a, b) = (replica_store(&url).await, replica_store(&url).await);
    let (la, lb) = (Leader::new(a), Leader::new(b));
    let (ida, idb) = (
        ReplicaId::parse("replica-a").unwrap(),
        ReplicaId::parse("replica-b").unwrap(),
    );
    let lease = Duration::from_secs(2);
    assert!(
        la.hold(&ida, lease).await && la.hold(&ida, lease).await,
        "the lead is kept"
    );
    assert!(!lb.hold(&idb, lease).await, "two leaders");
    // A dies: it renews no more.
    tokio::time::sleep(lease + Duration::from_millis(300)).await;
    assert!(lb.hold(&idb, lease).await, "the lead was not taken over");
    assert!(
        !la.hold(&ida, lease).await,
        "the dead leader came back as a second one"
    );
    lb.resign(&idb).await;
    assert!(
        la.hold(&ida, lease).await,
        "a resigned lead is free at once"
    );
}
