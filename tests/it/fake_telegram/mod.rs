//! A fake Telegram Bot API server for end-to-end tests: axum on 127.0.0.1:0,
//! in-process, keeping chats, messages and files in memory, recording every
//! call and letting a test act as users. Never touches the internet.
//!
//! ```ignore
//! let fake = FakeTelegram::start().await;
//! let bot = fake.bot(); // teloxide::Bot pointed at the fake
//! fake.group(GROUP, "Team");
//! fake.bot_is_admin(GROUP, true);
//! let msg = fake.send_photo(GROUP, ALICE, jpeg, Some("client"));
//! assert!(fake.wait_until(Duration::from_secs(5), |f| f.is_deleted(GROUP, msg)).await);
//! ```
//!
//! Submodules: `model` (public types), `state`/`shared` (the world),
//! `server`/`body`/`error`/`api` (HTTP side), `files`, `json`, and the handle
//! methods in `actors` (setup), `users` (acting as users), `inspect`
//! (assertions), `faults` (fault injection), `bot_status` (the bot's own
//! membership: my_chat_member, group to supergroup), `videos` (users
//! posting videos, animations, video notes, stickers, stories, quotes) and
//! `webhook` (setWebhook, and delivering updates by POST to replicas).
#![allow(dead_code)]

mod actors;
mod api;
mod body;
mod bot_status;
mod error;
mod events;
mod faults;
mod files;
mod inspect;
mod json;
mod model;
mod server;
mod shared;
mod state;
mod users;
mod videos;
mod webhook;

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::task::JoinHandle;

#[allow(unused_imports)]
pub use model::{
    Call, CallbackAnswer, ChatType, CommandSet, Fault, MediaKind, Role, SentMedia, SentMessage,
    UploadedFile,
};
#[allow(unused_imports)]
pub use users::{Content, PostOptions};
#[allow(unused_imports)]
pub use videos::{StickerFormat, Visual};
#[allow(unused_imports)]
pub use webhook::{WebhookPost, WebhookSet};

use shared::Shared;
use state::{BotUser, State};

/// Identity of the fake's bot.
#[derive(Clone, Debug)]
pub struct FakeOptions {
    /// `<bot id>:<secret>`; the bot's user id is the part before ':'.
    pub token: String,
    pub bot_username: String,
    pub bot_first_name: String,
}

impl Default for FakeOptions {
    fn default() -> Self {
        FakeOptions {
            token: "123:TEST".to_owned(),
            bot_username: "photo_guard_test_bot".to_owned(),
            bot_first_name: "Photo Guard".to_owned(),
        }
    }
}

/// Handle on a running fake server. Clones share the same world; the server
/// stops when the last clone is dropped or on `shutdown()`.
#[derive(Clone)]
pub struct FakeTelegram {
    shared: Arc<Shared>,
    guard: Arc<ServerGuard>,
    addr: SocketAddr,
}

/// Stops the server when the last handle goes away.
struct ServerGuard {
    shared: Arc<Shared>,
    task: Mutex<Option<JoinHandle<()>>>,
}

impl Drop for ServerGuard {
    fn drop(&mut self) {
        self.shared.close();
        if let Some(task) = self.task.lock().unwrap_or_else(|e| e.into_inner()).take() {
            task.abort();
        }
    }
}

impl FakeTelegram {
    /// Starts a fake with token "123:TEST" and bot @photo_guard_test_bot.
    pub async fn start() -> Self {
        Self::start_with(FakeOptions::default()).await
    }

    pub async fn start_with(options: FakeOptions) -> Self {
        let bot_id = options
            .token
            .split(':')
            .next()
            .and_then(|id| id.parse().ok())
            .unwrap_or(123);
        let bot = BotUser {
            id: bot_id,
            first_name: options.bot_first_name,
            username: options.bot_username,
        };
        let shared = Arc::new(Shared::new(State::new(bot), options.token));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind 127.0.0.1:0");
        let addr = listener.local_addr().expect("local address of the fake");
        let app = server::router(shared.clone());
        let mut closed = shared.subscribe_closed();
        let task = tokio::spawn(async move {
            let stop = async move {
                let _ = closed.wait_for(|c| *c).await;
            };
            let _ = axum::serve(listener, app)
                .with_graceful_shutdown(stop)
                .await;
        });
        let guard = Arc::new(ServerGuard {
            shared: shared.clone(),
            task: Mutex::new(Some(task)),
        });
        FakeTelegram {
            shared,
            guard,
            addr,
        }
    }

    /// Base URL for `Bot::set_api_url`, e.g. `http://127.0.0.1:40123/`.
    pub fn api_url(&self) -> String {
        format!("http://{}/", self.addr)
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    pub fn token(&self) -> String {
        self.shared.token.clone()
    }

    pub fn bot_id(&self) -> i64 {
        self.shared.read(|s| s.bot.id)
    }

    pub fn bot_username(&self) -> String {
        self.shared.read(|s| s.bot.username.clone())
    }

    /// A real teloxide `Bot` with this fake's token, talking to this fake.
    pub fn bot(&self) -> teloxide::Bot {
        let url = self.api_url().parse().expect("the fake's URL parses");
        teloxide::Bot::new(self.token()).set_api_url(url)
    }

    /// Stops accepting requests, ends pending long polls and waits (at most
    /// two seconds) for the server task to finish.
    pub async fn shutdown(&self) {
        self.shared.close();
        let task = self
            .guard
            .task
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .take();
        if let Some(mut task) = task {
            if tokio::time::timeout(Duration::from_secs(2), &mut task)
                .await
                .is_err()
            {
                task.abort();
            }
        }
    }
}
