//! Structured logs on stderr: human-readable by default, JSON with
//! LOG_FORMAT=json. RUST_LOG overrides the level. Nothing logs photo bytes,
//! captions' contents or secrets: the types that carry them redact their Debug.

use tracing_subscriber::EnvFilter;

pub fn init(default_level: &str, json: bool) {
    let filter =
        EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(default_level));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    let _ = if json {
        builder.json().try_init()
    } else {
        builder.try_init()
    };
}
