//! Issue 21: several replicas of the real binary on one PostgreSQL (the
//! store tests' server), Telegram's updates arriving by webhook: the fake
//! Telegram posts each update to one replica in turn, some to both, and
//! moves on to the other when one does not answer. One replica is killed
//! with SIGKILL in the middle of a burst; the other finishes its work.

use std::collections::{BTreeSet, HashMap};
use std::net::TcpListener;
use std::process::{Child, Output, Stdio};
use std::time::Duration;

use photo_guard_core::store::{AuditLog, ConsentStore, Inbox};
use photo_guard_core::{ClientCode, ConsentLevel, UserId};
use photo_guard_store::{SqlStore, VaultKey};

use crate::audit_pg::pg_cluster;
use crate::e2e_promises::recorded_consent;
use crate::fake_telegram::FakeTelegram;
use crate::support::{binary, faces_jpeg, kill_child, plain_jpeg, sigterm, ADMIN, ALICE, KEY};

const CHATS: i64 = 10;
const PHOTOS: usize = 100;
const SECRET: &str = "replica-test-secret_0123456789";
/// The whole burst, the lapse of the killed replica's leases included.
const LIMIT: Duration = Duration::from_secs(300);

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Expect {
    Blur,
    Allow,
    Block,
}

struct Photo {
    chat: i64,
    message: i32,
    expect: Expect,
}

fn said(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

fn free_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("a free port");
    listener.local_addr().expect("its address").port()
}

/// The binary on the test database and the fake Telegram.
fn command(
    dir: &std::path::Path,
    url: &str,
    fake: &FakeTelegram,
    args: &[&str],
) -> std::process::Command {
    let mut cmd = binary(dir, url, args);
    cmd.env("TELEGRAM_BOT_TOKEN", fake.token())
        .env("TELEGRAM_API_URL", fake.api_url())
        .env("TELEGRAM_WEBHOOK_SECRET", SECRET)
        .env("ADMIN_USER_IDS", ADMIN.to_string())
        .stdin(Stdio::null());
    cmd
}

/// A replica in webhook mode on `port`, its leases short so a killed one's
/// jobs come back within seconds.
fn replica(dir: &std::path::Path, url: &str, fake: &FakeTelegram, name: &str, port: u16) -> Child {
    command(dir, url, fake, &["run"])
        .env("TELEGRAM_MODE", "webhook")
        .env("TELEGRAM_WEBHOOK_LISTEN", format!("127.0.0.1:{port}"))
        .env("REPLICA_ID", name)
        .env("JOB_LEASE_SECS", "3")
        .env("ALBUM_WAIT_MS", "400")
        .env("RUST_LOG", "photo_guard=info,warn")
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("a replica starts")
}

async fn listening(port: u16) -> bool {
    for _ in 0..900 {
        if tokio::net::TcpStream::connect(("127.0.0.1", port))
            .await
            .is_ok()
        {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    false
}

/// The share entries audited per (chat, message).
async fn shares(store: &SqlStore) -> HashMap<(i64, i64), usize> {
    let since = chrono::Utc::now() - chrono::Duration::days(1);
    let mut counted = HashMap::new();
    for entry in store.entries_since(since).await.unwrap_or_default() {
        if !entry.event.action.starts_with("share.") {
            continue;
        }
        let detail: serde_json::Value =
            serde_json::from_str(&entry.event.detail).unwrap_or_default();
        let (Some(chat), Some(message)) = (entry.event.chat, detail["message"].as_i64()) else {
            continue;
        };
        *counted.entry((chat.0, message)).or_default() += 1;
    }
    counted
}

/// Whether every photo is done: audited, and removed where it must go.
async fn all_handled(store: &SqlStore, fake: &FakeTelegram, photos: &[Photo]) -> bool {
    let audited = shares(store).await;
    photos.iter().all(|p| {
        audited.contains_key(&(p.chat, i64::from(p.message)))
            && (p.expect == Expect::Allow || fake.is_deleted(p.chat, p.message))
    }) && store.unfinished().await.is_ok_and(|left| left.is_empty())
}

fn send_burst(fake: &FakeTelegram, chats: &[i64]) -> Vec<Photo> {
    (0..PHOTOS)
        .map(|i| {
            let chat = chats[i % chats.len()];
            let expect = [Expect::Blur, Expect::Allow, Expect::Block][i % 3];
            let message = match expect {
                Expect::Blur => fake.send_photo(chat, ALICE, faces_jpeg(), Some("kunjungan")),
                Expect::Allow => fake.send_photo(chat, ALICE, plain_jpeg(), Some("kegiatan")),
                Expect::Block => fake.send_photo(chat, ALICE, plain_jpeg(), Some("#KLNX rumah")),
            };
            Photo {
                chat,
                message,
                expect,
            }
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn two_replicas_behind_one_webhook_handle_every_photo_once_though_one_is_killed_mid_burst() {
    // Issue 21: a killed replica loses nothing and no photo is handled twice.
    let fake = FakeTelegram::start().await;
    let chats: Vec<i64> = (0..CHATS).map(|i| -100_900 - i).collect();
    fake.user(ADMIN, "Ade", None);
    fake.user(ALICE, "Alice", None);
    fake.user_starts_bot(ADMIN);
    for (i, &chat) in chats.iter().enumerate() {
        fake.group(chat, &format!("Tim {i}"));
        fake.bot_is_admin(chat, true);
        fake.make_member(chat, ALICE);
    }
    let url = pg_cluster::fresh_database().await;
    let dir = tempfile::tempdir().unwrap();
    let migrated = command(dir.path(), &url, &fake, &["migrate"])
        .output()
        .unwrap();
    assert!(migrated.status.success(), "{}", said(&migrated));
    let store = SqlStore::open(&url, VaultKey::from_base64(KEY).unwrap(), &[UserId(ADMIN)])
        .await
        .unwrap();
    let refused = recorded_consent(ClientCode::parse("KLNX").unwrap(), ConsentLevel::Refused);
    store.append_consent(refused).await.unwrap();

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
    let mut a = Some(replica(dir.path(), &url, &fake, "replica-a", ports[0]));
    let mut b = Some(replica(dir.path(), &url, &fake, "replica-b", ports[1]));
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
    kill_child(&mut a);
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

    if let Some(child) = b.as_ref() {
        sigterm(child);
    }
    let stopped = b.take().map(|mut c| c.wait());
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
