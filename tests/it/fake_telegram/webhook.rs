//! Webhook mode (issue 21): `setWebhook` remembers the URL, the secret token
//! and `allowed_updates`; `deliver_to` then plays Telegram and the load
//! balancer in front of several replicas: each queued update is posted (with
//! `X-Telegram-Bot-Api-Secret-Token`) to one replica's URL in turn, moved to
//! the next URL when a replica refuses or cannot be reached (a killed one),
//! and taken off the queue only once a replica answered 2xx; every
//! `repeat_every`-th update is also posted to a second replica, as Telegram
//! does when an answer is late.

use std::time::Duration;

use serde_json::Value;

use super::api::take_wanted;
use super::error::ApiError;
use super::state::State;
use super::FakeTelegram;

/// What the bot set with `setWebhook`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WebhookSet {
    pub url: String,
    pub secret: Option<String>,
    pub allowed_updates: Vec<String>,
}

/// One post the fake made to a replica.
#[derive(Clone, Debug)]
pub struct WebhookPost {
    pub url: String,
    pub update_id: i64,
    /// The HTTP status, or `None` when the replica could not be reached.
    pub status: Option<u16>,
}

/// A replica that refuses is tried again elsewhere this often, at most this many times.
const FAILOVER_PAUSE: Duration = Duration::from_millis(100);
const FAILOVER_TRIES: usize = 600;

/// `setWebhook`: multipart from teloxide, so a list arrives as JSON text.
pub(crate) fn set_webhook(state: &mut State, p: &Value) -> Result<Value, ApiError> {
    let text = |key: &str| p.get(key).and_then(Value::as_str).map(str::to_owned);
    let url = text("url").unwrap_or_default();
    let allowed = match p.get("allowed_updates") {
        Some(Value::String(raw)) => serde_json::from_str(raw).unwrap_or_default(),
        Some(list) => serde_json::from_value(list.clone()).unwrap_or_default(),
        None => Vec::new(),
    };
    state.allowed_updates = Some(allowed.clone());
    state.webhook = Some(WebhookSet {
        url,
        secret: text("secret_token"),
        allowed_updates: allowed,
    });
    Ok(Value::Bool(true))
}

impl FakeTelegram {
    /// The webhook the bot set, if any.
    pub fn webhook(&self) -> Option<WebhookSet> {
        self.shared.read(|s| s.webhook.clone())
    }

    /// Every post made to a replica so far.
    pub fn webhook_posts(&self) -> Vec<WebhookPost> {
        self.shared.read(|s| s.webhook_posts.clone())
    }

    /// Delivers every queued update (now and later) to `urls` by POST, with
    /// the secret of `setWebhook`, until the fake shuts down.
    pub fn deliver_to(&self, urls: Vec<String>, repeat_every: usize) {
        assert!(
            !urls.is_empty(),
            "fake telegram: deliver to at least one URL"
        );
        let fake = self.clone();
        tokio::spawn(async move { fake.deliver(urls, repeat_every).await });
    }

    async fn deliver(&self, urls: Vec<String>, repeat_every: usize) {
        let client = reqwest::Client::new();
        let mut queued = self.shared.subscribe_updates();
        for n in 0usize.. {
            let next = loop {
                if self.shared.is_closed() {
                    return;
                }
                if let Some(next) = self.shared.mutate(take_wanted) {
                    break next;
                }
                let _ = tokio::time::timeout(Duration::from_millis(50), queued.changed()).await;
            };
            let secret = self.webhook().and_then(|w| w.secret).unwrap_or_default();
            let post = |url: String| self.post_update(&client, url, &secret, &next);
            for attempt in 0..FAILOVER_TRIES {
                if post(urls[(n + attempt) % urls.len()].clone()).await {
                    break;
                }
                tokio::time::sleep(FAILOVER_PAUSE).await;
            }
            if repeat_every > 0 && n % repeat_every == 0 {
                post(urls[(n + 1) % urls.len()].clone()).await;
            }
        }
    }

    /// Posts one update; whether the replica answered 2xx.
    async fn post_update(
        &self,
        client: &reqwest::Client,
        url: String,
        secret: &str,
        update: &Value,
    ) -> bool {
        let sent = client
            .post(&url)
            .header("X-Telegram-Bot-Api-Secret-Token", secret)
            .json(update)
            .timeout(Duration::from_secs(10))
            .send()
            .await;
        let status = sent.ok().map(|r| r.status().as_u16());
        let update_id = update["update_id"].as_i64().unwrap_or(0);
        self.shared.mutate(|s| {
            s.webhook_posts.push(WebhookPost {
                url,
                update_id,
                status,
            })
        });
        status.is_some_and(|s| (200..300).contains(&s))
    }
}
