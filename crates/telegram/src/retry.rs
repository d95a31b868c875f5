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
        let wait = retry_wait(&err, attempt);
        let err = scrubbed(err);
        let Some(wait) = wait else {
            return Err(err);
        };
        if attempt >= ATTEMPTS {
            return Err(err);
        }
        tracing::warn!(call = what, attempt, wait_ms = wait.as_millis() as u64, error = %err, "Bot API call failed, retrying");
        tokio::time::sleep(wait).await;
    }
}

/// Whether a later try may succeed: what `with_retry` retries (a 429, a
/// network error, a 5xx or a proxy's error page). Anything else, a 4xx
/// above all, is Telegram's final answer.
pub fn is_transient(err: &RequestError) -> bool {
    retry_wait(err, 1).is_some()
}

/// How long to wait before trying again, or `None` when retrying is pointless.
fn retry_wait(err: &RequestError, attempt: u32) -> Option<Duration> {
    let backoff = Duration::from_millis(250 * 2u64.pow(attempt.min(6)));
    match err {
        RequestError::RetryAfter(secs) => Some(secs.duration().min(MAX_WAIT)),
        RequestError::Network(_) | RequestError::Io(_) => Some(backoff),
        RequestError::Api(ApiError::Unknown(text)) if is_server_error(text) => Some(backoff),
        // A proxy or load balancer in front of the Bot API answers a 5xx
        // with an HTML page, which teloxide reports as unparsable JSON.
        RequestError::InvalidJson { raw, .. } if is_proxy_page(raw) => Some(backoff),
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

/// An unparsable body is whatever a proxy sent back, which may echo the
/// request URL and so the bot token: it never leaves here to be logged,
/// only its length does.
fn scrubbed(err: RequestError) -> RequestError {
    match err {
        RequestError::InvalidJson { source, raw } => RequestError::InvalidJson {
            source,
            raw: format!("<{} bytes, not shown>", raw.len()).into(),
        },
        other => other,
    }
}

fn is_proxy_page(raw: &str) -> bool {
    raw.trim_start().starts_with('<') || is_server_error(raw)
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;

    fn invalid_json(raw: &str) -> RequestError {
        let source =
            serde_json::from_str::<serde_json::Value>(raw).expect_err("the raw body is not JSON");
        RequestError::InvalidJson {
            source: Arc::new(source),
            raw: raw.into(),
        }
    }

    #[test]
    fn an_html_502_page_from_a_proxy_is_retried() {
        let page = "<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>";
        assert!(retry_wait(&invalid_json(page), 1).is_some());
    }

    #[test]
    fn a_garbled_body_that_is_not_an_error_page_is_not_retried() {
        assert!(retry_wait(&invalid_json("{\"ok\": tru"), 1).is_none());
    }

    #[tokio::test]
    async fn an_unparsable_body_never_leaves_with_its_text() {
        // Not an error page, so returned at once (no retry to wait for).
        let page = "{\"ok\": tru GET /bot123456:SECRET-token/getFile";
        let err = with_retry("test", || async { Err::<(), _>(invalid_json(page)) })
            .await
            .expect_err("garbled JSON is no answer");
        let shown = err.to_string();
        assert!(!shown.contains("SECRET"), "{shown}");
        assert!(shown.contains(&format!("{} bytes", page.len())), "{shown}");
    }

    #[test]
    fn a_plain_api_error_is_not_retried() {
        let err = RequestError::Api(ApiError::MessageToDeleteNotFound);
        assert!(retry_wait(&err, 1).is_none());
    }
}
