//! A fake WAHA (WhatsApp HTTP API) for end-to-end tests: axum on
//! 127.0.0.1:0, modelled on WAHA's documented endpoints and payloads
//! (session status, `/api/files/...`, `sendImage`/`sendVideo`/`sendText`,
//! `sendFile`, getting (with its media downloaded again) or deleting a
//! message, a group's info, subject and participants, `X-Api-Key`), recording every
//! call, and sending the bot webhooks signed as WAHA signs them
//! (`X-Webhook-Hmac`: HMAC-SHA512 of the raw body, hex). Never touches the
//! internet.
#![allow(dead_code)]

mod server;
mod webhooks;

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

pub use webhooks::Photo;

/// The API key the fake expects in `X-Api-Key`.
pub const API_KEY: &str = "waha-test-key";
/// The bot's own number, as the session reports it.
pub const BOT: &str = "6280000000000@c.us";

/// One call the bot made.
#[derive(Debug, Clone)]
pub struct Call {
    pub method: String,
    pub path: String,
    pub body: serde_json::Value,
}

/// Something the bot posted.
#[derive(Debug, Clone)]
pub struct Sent {
    pub id: String,
    pub endpoint: String,
    pub chat: String,
    /// A text's text, or a media message's caption.
    pub text: String,
    pub bytes: Vec<u8>,
    /// A media message's or file's `file.filename` and `file.mimetype`.
    pub filename: String,
    pub mimetype: String,
}

#[derive(Default)]
pub(crate) struct World {
    pub calls: Vec<Call>,
    pub files: BTreeMap<String, Vec<u8>>,
    /// Messages that exist in chats, by id (sent by users or the bot).
    pub messages: BTreeMap<String, String>,
    pub deleted: Vec<(String, String)>,
    pub sent: Vec<Sent>,
    /// Group → participants (id, admin).
    pub groups: BTreeMap<String, Vec<(String, bool)>>,
    /// Group → its subject (WhatsApp's group name).
    pub subjects: BTreeMap<String, String>,
    pub unauthorized: usize,
    pub next: u64,
    /// Path → how many more calls to it fail with a 500.
    pub failing: BTreeMap<String, u32>,
    /// Path → how long each call to it takes before it is answered.
    pub slow: BTreeMap<String, Duration>,
}

#[derive(Clone)]
pub struct FakeWaha {
    pub(crate) world: Arc<Mutex<World>>,
    addr: SocketAddr,
    /// Where the bot listens for webhooks, and the secret it checks.
    pub(crate) hook: Arc<Mutex<Option<(String, String)>>>,
}

impl FakeWaha {
    pub async fn start() -> FakeWaha {
        let world = Arc::new(Mutex::new(World::default()));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind the fake WAHA");
        let addr = listener.local_addr().unwrap();
        let app = server::router(world.clone());
        tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        FakeWaha {
            world,
            addr,
            hook: Arc::new(Mutex::new(None)),
        }
    }

    pub fn api_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub(crate) fn world(&self) -> std::sync::MutexGuard<'_, World> {
        self.world.lock().unwrap()
    }

    /// A group with these members; `bot_admin`: the bot's number is a group admin.
    pub fn group(&self, group: &str, members: &[&str], bot_admin: bool) {
        let mut people: Vec<(String, bool)> =
            members.iter().map(|m| (m.to_string(), false)).collect();
        people.push((BOT.to_owned(), bot_admin));
        self.world().groups.insert(group.to_owned(), people);
    }

    /// Names the group, as its members see it.
    pub fn name_group(&self, group: &str, subject: &str) {
        self.world()
            .subjects
            .insert(group.to_owned(), subject.to_owned());
    }

    /// Whether `message` is still in `chat` (sent and not deleted).
    pub fn stands(&self, message: &str) -> bool {
        self.world().messages.contains_key(message)
    }

    /// The next `times` calls to `path` (e.g. `/api/sendImage`) fail with a 500.
    pub fn fail_next(&self, path: &str, times: u32) {
        self.world().failing.insert(path.to_owned(), times);
    }

    /// Every later call to `path` (e.g. `/api/sendText`) takes `by` first.
    pub fn slow_down(&self, path: &str, by: Duration) {
        self.world().slow.insert(path.to_owned(), by);
    }

    /// Where webhooks go and the key they are signed with.
    pub fn hook_to(&self, url: &str, secret: &str) {
        *self.hook.lock().unwrap() = Some((url.to_owned(), secret.to_owned()));
    }

    pub fn calls_of(&self, method: &str, path_starts: &str) -> Vec<Call> {
        self.world()
            .calls
            .iter()
            .filter(|c| c.method == method && c.path.starts_with(path_starts))
            .cloned()
            .collect()
    }

    pub fn is_deleted(&self, message: &str) -> bool {
        self.world().deleted.iter().any(|(_, m)| m == message)
    }

    pub fn deletions_of(&self, message: &str) -> usize {
        self.world()
            .deleted
            .iter()
            .filter(|(_, m)| m == message)
            .count()
    }

    /// Everything the bot posted in `chat` (a group, or a person's own chat).
    pub fn sent_to(&self, chat: &str) -> Vec<Sent> {
        self.world()
            .sent
            .iter()
            .filter(|s| s.chat == chat)
            .cloned()
            .collect()
    }

    pub fn unauthorized_calls(&self) -> usize {
        self.world().unauthorized
    }

    pub async fn wait_until(&self, within: Duration, cond: impl Fn(&FakeWaha) -> bool) -> bool {
        let deadline = tokio::time::Instant::now() + within;
        loop {
            if cond(self) {
                return true;
            }
            if tokio::time::Instant::now() >= deadline {
                return false;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}
