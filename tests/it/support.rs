//! `spawn_app`: the real `photo-guard run` binary against a fake Telegram on
//! 127.0.0.1, with its own temporary database and key, plus the fixtures the
//! end-to-end tests share (a group photo with faces, a photo with none).

use std::io::Cursor;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;
use std::time::Duration;

use photo_guard_core::store::ShareStore;
use photo_guard_store::{SqliteStore, VaultKey};
use tempfile::TempDir;

use crate::fake_telegram::FakeTelegram;

pub const GROUP: i64 = -100_500;
pub const ADMIN: i64 = 1001;
pub const COORDINATOR: i64 = 1002;
pub const ALICE: i64 = 1003;
pub const MALLORY: i64 = 1004;
pub const WAIT: Duration = Duration::from_secs(90);
pub(crate) const KEY: &str = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=";

pub struct TestApp {
    pub fake: FakeTelegram,
    pub dir: TempDir,
    /// Extra variables for the binary (e.g. `CLOCK_START`), read at each start.
    pub env: Vec<(String, String)>,
    child: Option<Child>,
}

impl TestApp {
    /// A fake Telegram with one guarded team group where the bot may delete,
    /// and the bot running against it.
    pub async fn spawn() -> TestApp {
        Self::spawn_with_env(&[]).await
    }

    /// As [`TestApp::spawn`], with these variables set for the binary.
    pub async fn spawn_with_env(env: &[(&str, &str)]) -> TestApp {
        let fake = FakeTelegram::start().await;
        fake.group(GROUP, "Tim Lapangan");
        fake.bot_is_admin(GROUP, true);
        for (id, name) in [
            (ADMIN, "Ade"),
            (COORDINATOR, "Citra"),
            (ALICE, "Alice"),
            (MALLORY, "Mallory"),
        ] {
            fake.user(id, name, None);
            fake.make_member(GROUP, id);
        }
        fake.user_starts_bot(ADMIN);
        fake.user_starts_bot(COORDINATOR);
        let dir = tempfile::tempdir().expect("temp dir");
        let mut app = TestApp {
            fake,
            dir,
            env: env
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            child: None,
        };
        app.start().await;
        app
    }

    pub fn database_url(&self) -> String {
        format!("sqlite://{}", self.dir.path().join("guard.db").display())
    }

    /// Starts (or restarts) the binary and waits until it polls.
    pub async fn start(&mut self) {
        let polls_before = self.fake.calls_of("getupdates").len();
        let child = self
            .command(&["run"])
            .env("ALBUM_WAIT_MS", "400")
            .env("POLL_TIMEOUT_SECS", "1")
            .env("RUST_LOG", "photo_guard=debug,info")
            .envs(self.env.iter().map(|(k, v)| (k.as_str(), v.as_str())))
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("the photo-guard binary starts");
        self.child = Some(child);
        let polling = self
            .fake
            .wait_until(WAIT, |f| f.calls_of("getupdates").len() > polls_before)
            .await;
        assert!(
            polling,
            "photo-guard never started polling the fake Telegram"
        );
    }

    /// SIGKILL: no clean shutdown, exactly like a crash.
    pub fn kill(&mut self) {
        kill_child(&mut self.child);
    }

    /// The same database, opened from the test to look at what was recorded.
    pub async fn store(&self) -> SqliteStore {
        open_store(&self.database_url(), &[photo_guard_core::UserId(ADMIN)]).await
    }

    /// Waits until the guard has recorded `n` checked photos in all.
    pub async fn wait_checked(&self, n: u64) -> bool {
        let store = self.store().await;
        let deadline = tokio::time::Instant::now() + WAIT;
        while tokio::time::Instant::now() < deadline {
            let checked: u64 = store
                .stats()
                .await
                .unwrap_or_default()
                .iter()
                .map(|s| s.checked)
                .sum();
            if checked >= n {
                return true;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        false
    }

    /// Sends a command in the user's private chat and waits for the answer.
    pub async fn private_command(&self, user: i64, text: &str) -> String {
        let before = self.fake.messages_to(user).len();
        self.fake.send_text(user, user, text);
        let answered = self
            .fake
            .wait_until(WAIT, |f| f.messages_to(user).len() > before)
            .await;
        assert!(answered, "no answer to {text:?}");
        self.fake.messages_to(user)[before].text.clone()
    }

    /// The id of the first message to `user` that carries buttons (a review
    /// alert), waiting for it; None if none came.
    pub async fn review_alert(&self, user: i64) -> Option<i32> {
        let with_buttons = |f: &FakeTelegram| {
            f.messages_to(user)
                .into_iter()
                .find(|m| m.reply_markup.is_some())
                .map(|m| m.message_id)
        };
        self.fake
            .wait_until(WAIT, |f| with_buttons(f).is_some())
            .await;
        with_buttons(&self.fake)
    }

    /// `user` presses the button carrying `data` under `message` in `chat`;
    /// the answer the bot gave to the press (it must give one).
    pub async fn press(&self, chat: i64, user: i64, message: i32, data: &str) -> String {
        let press = self.fake.press_button(chat, user, message, data);
        let answered = self
            .fake
            .wait_until(WAIT, |f| f.callback_answer(&press).is_some())
            .await;
        assert!(answered, "no answer to the press {data:.40?}");
        let answer = self.fake.callback_answer(&press).expect("answered");
        answer.text.unwrap_or_default()
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        self.kill();
    }
}

fn model_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("models/centerface.onnx")
}

/// The rustface crate's group photo (about 30 faces), scaled to 800 px wide.
pub fn faces_jpeg() -> &'static [u8] {
    static JPEG: OnceLock<Vec<u8>> = OnceLock::new();
    JPEG.get_or_init(|| {
        let img = image::open(photo_guard_eval::RUSTFACE_TEST_PNG).expect("rustface's test.png");
        let small = img.resize(800, 800, image::imageops::FilterType::Triangle);
        encode_jpeg(&small)
    })
}

/// A smooth gradient: no face anywhere.
pub fn plain_jpeg() -> &'static [u8] {
    static JPEG: OnceLock<Vec<u8>> = OnceLock::new();
    JPEG.get_or_init(|| {
        let img = image::RgbImage::from_fn(320, 240, |x, y| {
            image::Rgb([(x / 2) as u8, (y / 2) as u8, 128])
        });
        encode_jpeg(&image::DynamicImage::ImageRgb8(img))
    })
}

fn encode_jpeg(img: &image::DynamicImage) -> Vec<u8> {
    let mut out = Cursor::new(Vec::new());
    img.to_rgb8()
        .write_to(&mut out, image::ImageFormat::Jpeg)
        .expect("encode a fixture");
    out.into_inner()
}

impl TestApp {
    /// The running bot process's id (for reading `/proc/<pid>/status`).
    pub fn pid(&self) -> Option<u32> {
        self.child.as_ref().map(Child::id)
    }
}

impl TestApp {
    /// Whether the bot process is still running (it has not exited or panicked out).
    pub fn still_running(&mut self) -> bool {
        self.child
            .as_mut()
            .is_some_and(|c| matches!(c.try_wait(), Ok(None)))
    }
}

impl TestApp {
    /// The binary with `args` and this app's environment: the fake Telegram,
    /// the database, the key, the admin and the model.
    fn command(&self, args: &[&str]) -> Command {
        let mut command = binary(self.dir.path(), &self.database_url(), args);
        command
            .env("TELEGRAM_BOT_TOKEN", self.fake.token())
            .env("TELEGRAM_API_URL", self.fake.api_url())
            .env("ADMIN_USER_IDS", ADMIN.to_string());
        command.envs(self.env.iter().map(|(k, v)| (k, v)));
        command
    }

    /// Runs another subcommand (`doctor`, `audit verify`) on the same
    /// database and fake Telegram; its stdout, stderr and exit code.
    pub fn run_command(&self, args: &[&str]) -> std::process::Output {
        self.command(args)
            .output()
            .expect("the photo-guard binary runs")
    }
}

/// The binary with `args`, run in `dir` on the database at `url` under the
/// tests' key and the model, and nothing else from the environment.
pub(crate) fn binary(dir: &Path, url: &str, args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_photo-guard"));
    command
        .args(args)
        .current_dir(dir)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("DATABASE_URL", url)
        .env("QUARANTINE_KEY", KEY)
        .env("FACE_MODEL_PATH", model_path());
    command
}

/// SIGTERM to a spawned binary, as systemd or Docker stop it.
pub(crate) fn sigterm(child: &Child) {
    let sent = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .expect("kill runs");
    assert!(sent.success(), "kill -TERM failed");
}

/// SIGKILL to a spawned binary, if it runs: no clean shutdown, like a crash.
pub(crate) fn kill_child(child: &mut Option<Child>) {
    if let Some(mut child) = child.take() {
        let _ = child.kill();
        let _ = child.wait();
    }
}

/// The bot's database at `url`, opened from a test under the tests' key.
pub(crate) async fn open_store(url: &str, admins: &[photo_guard_core::UserId]) -> SqliteStore {
    SqliteStore::open(url, VaultKey::from_base64(KEY).unwrap(), admins)
        .await
        .expect("the test opens the bot's database")
}

/// Asks `probe` every 100 ms until it answers `Some`, for at most `WAIT`.
pub async fn eventually<T, Fut>(mut probe: impl FnMut() -> Fut) -> Option<T>
where
    Fut: std::future::Future<Output = Option<T>>,
{
    let deadline = tokio::time::Instant::now() + WAIT;
    loop {
        if let Some(found) = probe().await {
            return Some(found);
        }
        if tokio::time::Instant::now() >= deadline {
            return None;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

impl TestApp {
    /// The verdict the guard audited for `message` in the group (its
    /// `share.*` entry), waiting for it. The entry is written before anything
    /// is enforced, so asserting it first gives a later "not deleted" its
    /// meaning: nothing is coming to delete the photo.
    pub async fn wait_verdict(&self, message: i32) -> photo_guard_core::Verdict {
        let store = self.store().await;
        let deadline = tokio::time::Instant::now() + WAIT;
        loop {
            if let Some(verdict) = audited_verdict(&store, message).await {
                return verdict;
            }
            assert!(
                tokio::time::Instant::now() < deadline,
                "no verdict was audited for message {message}"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
}

/// `share.allow`, `share.blur.observed`, ... for `message` in the group.
async fn audited_verdict(store: &SqliteStore, message: i32) -> Option<photo_guard_core::Verdict> {
    let group = photo_guard_core::ChatId(GROUP);
    audited_verdict_in(store, group, i64::from(message)).await
}

/// The verdict audited for core message `message` in core chat `chat`, if any yet.
pub(crate) async fn audited_verdict_in(
    store: &SqliteStore,
    chat: photo_guard_core::ChatId,
    message: i64,
) -> Option<photo_guard_core::Verdict> {
    use photo_guard_core::store::AuditLog;
    let since = chrono::Utc::now() - chrono::Duration::days(1);
    let entries = store.entries_since(since).await.ok()?;
    entries.iter().find_map(|e| {
        let action = e.event.action.strip_prefix("share.")?;
        let detail: serde_json::Value = serde_json::from_str(&e.event.detail).ok()?;
        let here = e.event.chat == Some(chat) && detail["message"].as_i64() == Some(message);
        here.then(|| photo_guard_core::Verdict::parse(action.split('.').next()?))
            .flatten()
    })
}

impl TestApp {
    /// SIGTERM, as systemd or Docker stop the bot; waits at most `within`
    /// for it to exit and returns how it exited (`None`: still running).
    pub async fn terminate(&mut self, within: Duration) -> Option<std::process::ExitStatus> {
        let child = self.child.as_mut()?;
        sigterm(child);
        let deadline = tokio::time::Instant::now() + within;
        while tokio::time::Instant::now() < deadline {
            if let Ok(Some(status)) = child.try_wait() {
                self.child = None;
                return Some(status);
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        None
    }
}
