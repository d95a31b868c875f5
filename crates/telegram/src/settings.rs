//! The adapter's knobs, validated by the binary's config module.

use std::time::Duration;

use photo_guard_core::ReplicaId;

use crate::mode::Mode;

#[derive(Clone)]
pub struct TelegramSettings {
    pub token: String,
    pub api_url: Option<String>,
    /// How long to wait for the rest of an album after its first item.
    pub album_wait: Duration,
    /// Photos downloaded and waiting for the guard at once (bounds memory).
    pub photo_queue: usize,
    /// Largest file the bot downloads; Telegram's own limit is 20 MB.
    pub max_download_bytes: u64,
    /// Failed downloads of one photo before it is removed unchecked.
    pub download_max_tries: u32,
    /// How often the reminder schedule is looked at (rules reminders, the
    /// expiry digest, breach deadlines).
    pub reminder_tick: Duration,
    /// The agency's local hour (0-23) of the daily expiry digest.
    pub digest_hour: u32,
    /// Long-polling timeout for getUpdates.
    pub poll_timeout: Duration,
    /// Whether the face detector is running weaker than it should.
    pub detector_degraded: bool,
    /// On SIGTERM or Ctrl-C, how long the photos in hand may take to finish.
    pub shutdown_grace: Duration,
    /// Long polling or webhook (issue 21).
    pub mode: Mode,
    /// The name this replica holds its job leases under.
    pub replica: ReplicaId,
    /// How long a claimed job stays this replica's without a renewal (a
    /// killed replica's jobs return to the queue after it).
    pub job_lease: Duration,
    /// How often the queue is looked at for jobs another replica recorded.
    pub queue_poll: Duration,
}

impl std::fmt::Debug for TelegramSettings {
    // The token never reaches a log line.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TelegramSettings")
            .field("api_url", &self.api_url)
            .field("album_wait", &self.album_wait)
            .field("photo_queue", &self.photo_queue)
            .field("shutdown_grace", &self.shutdown_grace)
            .field("mode", &self.mode)
            .field("replica", &self.replica)
            .field("job_lease", &self.job_lease)
            .finish_non_exhaustive()
    }
}
