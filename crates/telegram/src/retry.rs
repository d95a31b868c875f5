//! Calling the Bot API through Telegram's faults: a 429 waits the time it
//! names, a network error or 5xx backs off and tries again, a bounded number
//! of times; every other error goes straight back to the caller.

use std::future::Future;
use std::time::Duration;

use teloxide::{ApiError, RequestError};

const ATTEMPTS: u32 = 5;
const MAX_WAIT: Duration = Duration::from_secs(60);

pub async fn with_retry<T, F, Fut>(what: &str, mut call: F) -> Result<T, RequestError>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, RequestError>>,
{
    let mut attempt = 0;
    loop {
        attempt += 1;
        let err = match call().await {
            Ok(v) => return Ok(v),
            Err(e) => e,
        };
        let Some(wait) = retry_wait(&err, attempt) else {
            return Err(err);
        };
        if attempt >= ATTEMPTS {
            return Err(err);
        }
        tracing::warn!(call = what, attempt, wait_ms = wait.as_millis() as u64, error = %err, "Bot API call failed, retrying");
        tokio::time::sleep(wait).await;
    }
}

/// How long to wait before trying again, or `None` when retrying is pointless.
fn retry_wait(err: &RequestError, attempt: u32) -> Option<Duration> {
    let backoff = Duration::from_millis(250 * 2u64.pow(attempt.min(6)));
    match err {
        RequestError::RetryAfter(secs) => Some(secs.duration().min(MAX_WAIT)),
        RequestError::Network(_) | RequestError::Io(_) => Some(backoff),
        RequestError::Api(ApiError::Unknown(text)) if is_server_error(text) => Some(backoff),
        _ => None,
    }
}

fn is_server_error(text: &str) -> bool {
    [
        "Internal Server Error",
        "Bad Gateway",
        "Gateway",
        "Service Unavailable",
        "Too Many",
    ]
    .iter()
    .any(|s| text.contains(s))
}
