//! A job of the inbox queue (issue 21): an update recorded in the inbox,
//! claimed by one replica under a lease, in its chat's line. The types the
//! queue speaks in: who holds a lease ([`ReplicaId`]), until when
//! ([`Lease`]), and what was claimed ([`Job`]).

use std::fmt;

use chrono::{DateTime, Utc};
use thiserror::Error;

/// The name a replica holds its leases under: 1 to 64 characters of
/// `A-Z a-z 0-9 . _ -`, unique among the replicas on one database.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ReplicaId(String);

#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("a replica id is 1 to 64 characters of A-Z a-z 0-9 . _ - (got {0:?})")]
pub struct ReplicaIdError(String);

impl ReplicaId {
    pub fn parse(raw: &str) -> Result<Self, ReplicaIdError> {
        let ok = (1..=64).contains(&raw.len())
            && raw
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'));
        match ok {
            true => Ok(Self(raw.to_owned())),
            false => Err(ReplicaIdError(raw.to_owned())),
        }
    }

    /// A name no other process has: this process's id and its start time.
    pub fn unique() -> Self {
        let nanos = Utc::now().timestamp_nanos_opt().unwrap_or_default();
        Self(format!("pid{}-{nanos:x}", std::process::id()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for ReplicaId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A claim on a job: held by `holder` until `until`, then the job returns
/// to the queue unless the lease was renewed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lease {
    pub holder: ReplicaId,
    pub until: DateTime<Utc>,
}

/// A claimed job: the update, its payload in clear, and how many times it
/// was claimed (this claim included): more than once means an earlier
/// holder stopped before finishing it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Job {
    pub update: i64,
    pub payload: String,
    pub attempts: u32,
}

impl Job {
    /// Whether an earlier claim of this job ended without finishing it.
    pub fn was_claimed_before(&self) -> bool {
        self.attempts > 1
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_replica_id_is_short_and_plain_and_unique_ids_parse() {
        // Issue 21: a replica id is safe to log and to store.
        assert!(ReplicaId::parse("replica-1.eu_west").is_ok());
        assert!(ReplicaId::parse("").is_err());
        assert!(ReplicaId::parse("a b").is_err());
        assert!(ReplicaId::parse(&"x".repeat(65)).is_err());
        let unique = ReplicaId::unique();
        assert_eq!(ReplicaId::parse(unique.as_str()), Ok(unique));
    }
}
