//! `WaApp::spawn`: the real `photo-guard run` binary serving WhatsApp only,
//! against the fake WAHA on 127.0.0.1, with its own temporary database and
//! key; webhooks go to the bot's receiver on a free local port.

use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use photo_guard_store::SqliteStore;
use tempfile::TempDir;

use crate::fake_telegram::FakeTelegram;
use crate::fake_waha::{FakeWaha, API_KEY};
use crate::support::{
    audited_verdict_in, binary, eventually, kill_child, open_store, sigterm, WAIT,
};

pub const GROUP: &str = "120363000000000001@g.us";
/// The group's WhatsApp subject, as alerts name it.
pub const SUBJECT: &str = "Tim Lapangan WA";
pub const ADMIN: &str = "6281100000001@c.us";
pub const ALICE: &str = "6281100000003@c.us";
pub const SECRET: &str = "a-webhook-secret-of-some-length";

pub struct WaApp {
    pub waha: FakeWaha,
    /// Set when the same process serves Telegram too.
    pub telegram: Option<FakeTelegram>,
    pub dir: TempDir,
    child: Option<Child>,
    port: u16,
}

impl WaApp {
    /// One guarded group where the bot's number is an admin, the bot running.
    pub async fn spawn() -> WaApp {
        Self::spawn_with(true).await
    }

    /// The same, the bot's number a group admin or not.
    pub async fn spawn_with(bot_admin: bool) -> WaApp {
        Self::spawn_on(bot_admin, None).await
    }

    /// One process serving both: this and a fake Telegram with one guarded
    /// group (`support::GROUP`) where the bot may delete, and
    /// `support::ADMIN` its admin there.
    pub async fn spawn_both() -> WaApp {
        let fake = FakeTelegram::start().await;
        fake.group(crate::support::GROUP, "Tim Lapangan");
        fake.bot_is_admin(crate::support::GROUP, true);
        fake.user(crate::support::ALICE, "Alice", None);
        fake.make_member(crate::support::GROUP, crate::support::ALICE);
        fake.user(crate::support::ADMIN, "Ade", None);
        fake.user_starts_bot(crate::support::ADMIN);
        let app = Self::spawn_on(true, Some(fake.clone())).await;
        let polling = fake
            .wait_until(WAIT, |f| !f.calls_of("getupdates").is_empty())
            .await;
        assert!(polling, "photo-guard never polled the fake Telegram");
        app
    }

    async fn spawn_on(bot_admin: bool, telegram: Option<FakeTelegram>) -> WaApp {
        let waha = FakeWaha::start().await;
        waha.group(GROUP, &[ADMIN, ALICE], bot_admin);
        waha.name_group(GROUP, SUBJECT);
        let port = free_port();
        waha.hook_to(&format!("http://127.0.0.1:{port}/webhook"), SECRET);
        let dir = tempfile::tempdir().expect("temp dir");
        let mut app = WaApp {
            waha,
            telegram,
            dir,
            child: None,
            port,
        };
        app.start().await;
        app
    }

    pub fn database_url(&self) -> String {
        format!("sqlite://{}", self.dir.path().join("guard.db").display())
    }

    /// Starts the binary and waits until its webhook receiver answers.
    pub async fn start(&mut self) {
        let child = self
            .command(&["run"])
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("the photo-guard binary starts");
        self.child = Some(child);
        let deadline = tokio::time::Instant::now() + WAIT;
        while std::net::TcpStream::connect(("127.0.0.1", self.port)).is_err() {
            assert!(
                tokio::time::Instant::now() < deadline,
                "photo-guard never listened for webhooks"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// The binary with `args` and this app's environment: WhatsApp only,
    /// against the fake WAHA.
    fn command(&self, args: &[&str]) -> Command {
        let url = self.database_url();
        let mut command = wa_command(self.dir.path(), &url, &self.waha, self.port, args);
        if let Some(fake) = &self.telegram {
            command
                .env("TELEGRAM_BOT_TOKEN", fake.token())
                .env("TELEGRAM_API_URL", fake.api_url())
                .env("ADMIN_USER_IDS", crate::support::ADMIN.to_string())
                .env("POLL_TIMEOUT_SECS", "1");
        }
        command
    }

    /// Runs another subcommand (`doctor`) with the same environment.
    pub fn run_command(&self, args: &[&str]) -> std::process::Output {
        self.command(args)
            .output()
            .expect("the photo-guard binary runs")
    }

    pub fn kill(&mut self) {
        kill_child(&mut self.child);
    }

    /// SIGTERM, as systemd or Docker stop the bot; how it exited within `within`.
    pub async fn terminate(&mut self, within: Duration) -> Option<std::process::ExitStatus> {
        let child = self.child.as_mut()?;
        sigterm(child);
        let found = eventually(|| {
            let status = child.try_wait().ok().flatten();
            async move { status }
        });
        let status = tokio::time::timeout(within, found).await.ok().flatten();
        if status.is_some() {
            self.child = None;
        }
        status
    }

    /// The same database, opened from the test.
    pub async fn store(&self) -> SqliteStore {
        open_store(&self.database_url(), &[]).await
    }

    /// The verdict audited for WhatsApp message `id`, waiting for it.
    pub async fn wait_verdict(&self, id: &str) -> photo_guard_core::Verdict {
        use photo_guard_core::store::PlatformIds;
        let store = self.store().await;
        let chat = photo_guard_core::ChatId(store.core_id("whatsapp", GROUP).await.unwrap());
        let message = store.core_id("whatsapp", id).await.unwrap();
        let found = eventually(|| audited_verdict_in(&store, chat, message)).await;
        found.unwrap_or_else(|| panic!("no verdict was audited for {id}"))
    }

    /// `from` sends `text` to the bot's number; the bot's answer to them.
    pub async fn private_command(&self, from: &str, text: &str) -> String {
        let before = self.waha.sent_to(from).len();
        let (_, body) = self.waha.private_text(from, text);
        assert_eq!(self.waha.deliver(&body).await, 200);
        let answered = self
            .waha
            .wait_until(WAIT, |w| w.sent_to(from).len() > before)
            .await;
        assert!(answered, "no answer to {text:?}");
        self.waha.sent_to(from)[before].text.clone()
    }

    /// `from` writes `text` in the group; the bot's next post there.
    pub async fn group_command(&self, from: &str, text: &str) -> String {
        let before = self.waha.sent_to(GROUP).len();
        let body = self.waha.group_text(GROUP, from, text, None);
        assert_eq!(self.waha.deliver(&body).await, 200);
        let answered = self
            .waha
            .wait_until(WAIT, |w| w.sent_to(GROUP).len() > before)
            .await;
        assert!(answered, "no answer to {text:?} in the group");
        self.waha.sent_to(GROUP)[before].text.clone()
    }

    /// Gives WhatsApp user `external` (`...@c.us`) `role`, in the database.
    pub async fn give_role(&self, external: &str, role: photo_guard_core::Role) {
        use photo_guard_core::store::{PlatformIds, RoleStore};
        let store = self.store().await;
        let user = photo_guard_core::UserId(store.core_id("whatsapp", external).await.unwrap());
        store.grant(user, role, user).await.unwrap();
    }
}

impl WaApp {
    /// `user` sends `text` to the bot on Telegram; the bot's answer to them.
    pub async fn telegram_command(&self, user: i64, text: &str) -> String {
        let fake = self.telegram.as_ref().expect("a fake Telegram");
        let before = fake.messages_to(user).len();
        fake.send_text(user, user, text);
        let answered = fake
            .wait_until(WAIT, |f| f.messages_to(user).len() > before)
            .await;
        assert!(answered, "no answer to {text:?}");
        fake.messages_to(user)[before].text.clone()
    }
}

impl Drop for WaApp {
    fn drop(&mut self) {
        self.kill();
    }
}

/// The binary with `args` serving WhatsApp only against `waha`, on the
/// database at `url`, its webhook receiver on `port`.
pub(crate) fn wa_command(
    dir: &std::path::Path,
    url: &str,
    waha: &FakeWaha,
    port: u16,
    args: &[&str],
) -> Command {
    let mut command = binary(dir, url, args);
    command
        .env("WHATSAPP_API_URL", waha.api_url())
        .env("WHATSAPP_API_KEY", API_KEY)
        .env("WHATSAPP_WEBHOOK_SECRET", SECRET)
        .env("WHATSAPP_WEBHOOK_LISTEN", format!("127.0.0.1:{port}"))
        .env("WHATSAPP_ADMINS", ADMIN.trim_end_matches("@c.us"))
        .env("WHATSAPP_RETRY_SECS", "1")
        .env("DOWNLOAD_MAX_TRIES", "3")
        .env("REMINDER_TICK_SECS", "1")
        .env("RUST_LOG", "photo_guard=debug,info");
    command
}

pub(crate) fn free_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("a free port");
    listener.local_addr().unwrap().port()
}
