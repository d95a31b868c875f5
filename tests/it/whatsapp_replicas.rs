//! Issue 21 on WhatsApp's side: replicas of the real binary serving
//! WhatsApp on one PostgreSQL, against one fake WAHA.

use std::time::Duration;

use photo_guard_core::store::PolicyStore;
use photo_guard_core::texts::{text, Msg};
use photo_guard_core::Lang;

use crate::audit_pg::pg_cluster;
use crate::support_whatsapp::GROUP;
use crate::support_whatsapp_replicas::{within, WaReplicas};

#[tokio::test(flavor = "multi_thread")]
async fn two_whatsapp_replicas_post_a_due_groups_rules_once() {
    // Issue 21: WhatsApp's scheduled rounds run on the leader only, as Telegram's.
    let url = pg_cluster::fresh_database().await;
    let mut set = WaReplicas::new(&url).await;
    let (store, chat) = (set.store().await, set.group().await);
    store.touch_chat(chat, "Tim").await.unwrap();
    let long_ago = chrono::Utc::now() - chrono::Duration::days(8);
    store.set_last_reminder(chat, long_ago).await.unwrap();
    // A post takes a while: both replicas would find the group due.
    set.waha
        .slow_down("/api/sendText", Duration::from_millis(1500));
    set.start("wa-replica-a", &[]).await;
    set.start("wa-replica-b", &[]).await;
    let rules = text(Lang::Id, &Msg::Rules);
    let posts = || {
        let sent = set.waha.sent_to(GROUP);
        sent.iter().filter(|s| s.text == rules).count()
    };
    assert!(
        within(Duration::from_secs(30), || posts() > 0).await,
        "the group never got its rules"
    );
    tokio::time::sleep(Duration::from_secs(5)).await; // A second post would show now.
    assert_eq!(posts(), 1, "the rules were posted by both replicas");
}
