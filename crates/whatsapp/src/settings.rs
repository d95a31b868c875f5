//! What the WhatsApp side is configured with (read by the binary's config).

use std::net::SocketAddr;

use url::Url;

use crate::signature::WebhookSecret;

/// No `Debug`: it holds the API key.
#[derive(Clone)]
pub struct WhatsAppSettings {
    /// `WHATSAPP_API_URL`: WAHA's base address.
    pub api_url: Url,
    /// `WHATSAPP_API_KEY`: sent as `X-Api-Key`, if WAHA asks for one.
    pub api_key: Option<String>,
    /// `WHATSAPP_SESSION`: WAHA's session name (`default`).
    pub session: String,
    /// `WHATSAPP_WEBHOOK_SECRET`: the HMAC key WAHA signs webhooks with.
    pub webhook_secret: WebhookSecret,
    /// `WHATSAPP_WEBHOOK_LISTEN`: where the webhook receiver listens.
    pub listen: SocketAddr,
    /// `WHATSAPP_ADMINS`: the WhatsApp ids made admins at start-up.
    pub admins: Vec<String>,
    /// `MAX_IMAGE_BYTES`: the largest media downloaded.
    pub max_download_bytes: u64,
    /// `DOWNLOAD_MAX_TRIES`: failed downloads of one photo before it is removed unchecked.
    pub download_max_tries: u32,
    /// `WHATSAPP_RETRY_SECS`: how often unfinished photo work is tried again.
    pub retry_every: std::time::Duration,
    /// `REMINDER_TICK_SECS`: how often the reminder schedule is checked.
    pub reminder_tick: std::time::Duration,
    /// `DIGEST_HOUR`: the local hour of the expiry digest (issue 23).
    pub digest_hour: u32,
    /// `REPLICA_ID`: the name this replica holds its leases under, the
    /// same as the Telegram side's in one process (issue 21).
    pub replica: photo_guard_core::ReplicaId,
    /// `JOB_LEASE_SECS`: how long a lease (a job's, the lead of the
    /// scheduled rounds) stays this replica's without a renewal.
    pub job_lease: std::time::Duration,
}
