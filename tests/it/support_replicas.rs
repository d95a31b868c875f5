//! What the replica tests and the replica bench share (issue 21): the real
//! binary in webhook mode as a replica, a burst of photos over many chats,
//! and reading back what was audited and whether every photo was handled.

use std::collections::HashMap;
use std::net::TcpListener;
use std::process::{Child, Output, Stdio};
use std::time::Duration;

use photo_guard_core::store::{AuditLog, Inbox};
use photo_guard_store::SqlStore;

use crate::fake_telegram::FakeTelegram;
use crate::support::{binary, faces_jpeg, plain_jpeg, ADMIN, ALICE};

pub(crate) const CHATS: i64 = 10;
pub(crate) const PHOTOS: usize = 100;
pub(crate) const SECRET: &str = "replica-test-secret_0123456789";
/// The whole burst, the lapse of the killed replica's leases included.
pub(crate) const LIMIT: Duration = Duration::from_secs(300);

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Expect {
    Blur,
    Allow,
    Block,
}

pub(crate) struct Photo {
    pub chat: i64,
    pub message: i32,
    pub expect: Expect,
}

pub(crate) fn said(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

pub(crate) fn free_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("a free port");
    listener.local_addr().expect("its address").port()
}

/// The binary on the test database and the fake Telegram.
pub(crate) fn command(
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
pub(crate) fn replica(
    dir: &std::path::Path,
    url: &str,
    fake: &FakeTelegram,
    name: &str,
    port: u16,
) -> Child {
    replica_with(dir, url, fake, name, port, &[])
}

/// A replica as [`replica`] makes it, with `env` set over its defaults.
pub(crate) fn replica_with(
    dir: &std::path::Path,
    url: &str,
    fake: &FakeTelegram,
    name: &str,
    port: u16,
    env: &[(&str, &str)],
) -> Child {
    command(dir, url, fake, &["run"])
        .env("TELEGRAM_MODE", "webhook")
        .env("TELEGRAM_WEBHOOK_LISTEN", format!("127.0.0.1:{port}"))
        .env("REPLICA_ID", name)
        .env("JOB_LEASE_SECS", "3")
        .env("ALBUM_WAIT_MS", "400")
        .env("RUST_LOG", "photo_guard=info,warn")
        .envs(env.iter().copied())
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("a replica starts")
}

pub(crate) async fn listening(port: u16) -> bool {
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
pub(crate) async fn shares(store: &SqlStore) -> HashMap<(i64, i64), usize> {
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
pub(crate) async fn all_handled(store: &SqlStore, fake: &FakeTelegram, photos: &[Photo]) -> bool {
    let audited = shares(store).await;
    photos.iter().all(|p| {
        audited.contains_key(&(p.chat, i64::from(p.message)))
            && (p.expect == Expect::Allow || fake.is_deleted(p.chat, p.message))
    }) && store.unfinished().await.is_ok_and(|left| left.is_empty())
}

pub(crate) fn send_burst(fake: &FakeTelegram, chats: &[i64]) -> Vec<Photo> {
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

/// The fake Telegram with `CHATS` guarded groups Alice posts in, and the admin.
pub(crate) async fn fake_with_chats() -> (FakeTelegram, Vec<i64>) {
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
    (fake, chats)
}

/// The schema on `url`, then a store there with client KLNX's consent refused.
pub(crate) async fn migrated_store(
    dir: &std::path::Path,
    url: &str,
    fake: &FakeTelegram,
) -> SqlStore {
    use photo_guard_core::store::ConsentStore;
    let migrated = command(dir, url, fake, &["migrate"]).output().unwrap();
    assert!(migrated.status.success(), "{}", said(&migrated));
    let key = photo_guard_store::VaultKey::from_base64(crate::support::KEY).unwrap();
    let admins = [photo_guard_core::UserId(ADMIN)];
    let store = SqlStore::open(url, key, &admins).await.unwrap();
    let code = photo_guard_core::ClientCode::parse("KLNX").unwrap();
    let refused =
        crate::e2e_promises::recorded_consent(code, photo_guard_core::ConsentLevel::Refused);
    store.append_consent(refused).await.unwrap();
    store
}

/// A replica process, killed when this is dropped (a failed assertion
/// leaves no replica behind).
pub(crate) struct Running(pub Option<Child>);

impl Drop for Running {
    fn drop(&mut self) {
        crate::support::kill_child(&mut self.0);
    }
}
