//! Issue 21: several replicas of the real binary on one PostgreSQL (the
//! store tests' server), Telegram's updates arriving by webhook: the fake
//! Telegram posts each update to one replica in turn, some to both, and
//! moves on to the other when one does not answer. One replica is killed
//! with SIGKILL in the middle of a burst; the other finishes its work.

use std::collections::BTreeSet;
use std::time::Duration;

use crate::audit_pg::pg_cluster;
use crate::support::{kill_child, sigterm};
use crate::support_replicas::*;

#[tokio::test(flavor = "multi_thread")]
async fn two_replicas_behind_one_webhook_handle_every_photo_once_though_one_is_killed_mid_burst() {
    // Issue 21: a killed replica loses nothing and no photo is handled twice.
    let (fake, chats) = fake_with_chats().await;
    let url = pg_cluster::fresh_database().await;
    let dir = tempfile::tempdir().unwrap();
    let store = migrated_store(dir.path(), &url, &fake).await;

    // Set once, by the command: not by the replicas.
    let set = command(
        dir.path(),
        &url,
        &fake,
        &["webhook", "set", "https://bot.example.org/telegram"],
    )
    .output()
    .unwrap();
    assert!(set.status.success(), "{}", said(&set));
    let hook = fake.webhook().expect("the webhook was set");
    assert_eq!(hook.url, "https://bot.example.org/telegram");
    assert_eq!(hook.secret.as_deref(), Some(SECRET));
    assert_eq!(
        hook.allowed_updates,
        [
            "message",
            "edited_message",
            "callback_query",
            "my_chat_member"
        ]
    );

    let ports = [free_port(), free_port()];
    let mut a = Running(Some(replica(
        dir.path(),
        &url,
        &fake,
        "replica-a",
        ports[0],
    )));
    let mut b = Running(Some(replica(
        dir.path(),
        &url,
        &fake,
        "replica-b",
        ports[1],
    )));
    for port in ports {
        assert!(listening(port).await, "a replica never listened on {port}");
    }
    let refused = reqwest::Client::new()
        .post(format!("http://127.0.0.1:{}/telegram", ports[0]))
        .header("X-Telegram-Bot-Api-Secret-Token", "wrong")
        .body(r#"{"update_id":1}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status().as_u16(), 401, "a call without the secret");

    let urls = ports
        .map(|p| format!("http://127.0.0.1:{p}/telegram"))
        .to_vec();
    fake.deliver_to(urls, 4);
    let photos = send_burst(&fake, &chats);

    // Mid-burst: replica A dies once some work is done and much is left.
    let deadline = tokio::time::Instant::now() + LIMIT;
    while shares(&store).await.len() < PHOTOS / 5 {
        assert!(
            tokio::time::Instant::now() < deadline,
            "the burst never got going"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    kill_child(&mut a.0);
    while !all_handled(&store, &fake, &photos).await {
        assert!(
            tokio::time::Instant::now() < deadline,
            "photos left unhandled: {} of {PHOTOS} audited",
            shares(&store).await.len()
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    tokio::time::sleep(Duration::from_secs(4)).await; // Anything late would show now.

    let audited = shares(&store).await;
    for p in &photos {
        let n = audited
            .get(&(p.chat, i64::from(p.message)))
            .copied()
            .unwrap_or(0);
        assert_eq!(n, 1, "photo {} in {} audited {n} times", p.message, p.chat);
    }
    for &chat in &chats {
        let blurs = photos
            .iter()
            .filter(|p| p.chat == chat && p.expect == Expect::Blur)
            .count();
        let copies = fake.sent_photos(chat);
        assert_eq!(
            copies.len(),
            blurs,
            "chat {chat}: a copy missing or posted twice"
        );
        assert!(
            copies.iter().all(|c| !c.deleted),
            "chat {chat}: a copy was taken down"
        );
        let visible = photos
            .iter()
            .filter(|p| p.chat == chat && p.expect != Expect::Allow);
        assert!(
            visible.clone().all(|p| fake.is_deleted(chat, p.message)),
            "chat {chat}: an original stayed"
        );
    }

    // Every update recorded once, some of them posted to both replicas.
    let posts = fake.webhook_posts();
    let delivered: BTreeSet<i64> = posts
        .iter()
        .filter(|p| p.status == Some(200))
        .map(|p| p.update_id)
        .collect();
    let twice = posts.iter().filter(|p| p.status == Some(200)).count() - delivered.len();
    assert!(twice > 0, "no update was posted to both replicas");
    let pool = store.pg_pool().expect("a PostgreSQL store");
    let recorded: Vec<i64> = sqlx::query_scalar("SELECT update_id FROM inbox ORDER BY update_id")
        .fetch_all(pool)
        .await
        .unwrap();
    assert_eq!(recorded.into_iter().collect::<BTreeSet<_>>(), delivered);
    assert!(delivered.len() >= PHOTOS, "an update was lost");
    let taken_over: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM inbox WHERE attempts > 1 AND leased_by = 'replica-b'",
    )
    .fetch_one(pool)
    .await
    .unwrap();
    assert!(taken_over > 0, "replica A held no job when it was killed");

    if let Some(child) = b.0.as_ref() {
        sigterm(child);
    }
    let stopped = b.0.take().map(|mut c| c.wait());
    assert!(
        stopped.is_some_and(|s| s.is_ok_and(|s| s.success())),
        "replica B did not stop cleanly"
    );
    assert_eq!(
        fake.calls_of("setwebhook").len(),
        1,
        "a replica set the webhook"
    );
    assert!(
        fake.calls_of("deletewebhook").is_empty(),
        "a replica deleted the webhook"
    );
    assert!(fake.calls_of("getupdates").is_empty(), "a replica polled");
    let verified = command(dir.path(), &url, &fake, &["audit", "verify"])
        .output()
        .unwrap();
    assert!(verified.status.success(), "{}", said(&verified));
}
