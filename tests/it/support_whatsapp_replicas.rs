//! Several replicas of the real binary serving WhatsApp on one PostgreSQL
//! (issue 21, for issue 22's side): one fake WAHA, each replica with its
//! own webhook receiver and `REPLICA_ID`, the webhooks posted to whichever
//! the test names.

use std::process::Stdio;
use std::time::Duration;

use photo_guard_store::SqlStore;
use tempfile::TempDir;

use crate::fake_waha::FakeWaha;
use crate::support_replicas::{listening, said, Running};
use crate::support_whatsapp::{free_port, wa_command, ADMIN, ALICE, GROUP, SECRET, SUBJECT};

pub(crate) struct WaReplicas {
    pub waha: FakeWaha,
    pub url: String,
    pub dir: TempDir,
    /// Each replica as started: its process and its receiver's port.
    pub running: Vec<(Running, u16)>,
}

impl WaReplicas {
    /// The fake WAHA with the guarded group, and the schema on `url`.
    pub async fn new(url: &str) -> WaReplicas {
        let waha = FakeWaha::start().await;
        waha.group(GROUP, &[ADMIN, ALICE], true);
        waha.name_group(GROUP, SUBJECT);
        // Only the secret is used: each delivery names its replica.
        waha.hook_to("http://127.0.0.1:9/unused", SECRET);
        let dir = tempfile::tempdir().expect("temp dir");
        let migrated = wa_command(dir.path(), url, &waha, 9, &["migrate"])
            .output()
            .unwrap();
        assert!(migrated.status.success(), "{}", said(&migrated));
        WaReplicas {
            waha,
            url: url.to_owned(),
            dir,
            running: Vec::new(),
        }
    }

    /// Starts replica `name` with `env` over the defaults (leases of 3 s),
    /// waiting until it listens; its index.
    pub async fn start(&mut self, name: &str, env: &[(&str, &str)]) -> usize {
        let port = free_port();
        let child = wa_command(self.dir.path(), &self.url, &self.waha, port, &["run"])
            .env("REPLICA_ID", name)
            .env("JOB_LEASE_SECS", "3")
            .env("RUST_LOG", "photo_guard=info,warn")
            .envs(env.iter().copied())
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("a replica starts");
        self.running.push((Running(Some(child)), port));
        assert!(listening(port).await, "replica {name} never listened");
        self.running.len() - 1
    }

    /// The replicas' database, opened from the test.
    pub async fn store(&self) -> SqlStore {
        let key = photo_guard_store::VaultKey::from_base64(crate::support::KEY).unwrap();
        SqlStore::open(&self.url, key, &[]).await.unwrap()
    }

    /// The core id of the guarded group.
    pub async fn group(&self) -> photo_guard_core::ChatId {
        use photo_guard_core::store::PlatformIds;
        let id = self.store().await.core_id("whatsapp", GROUP).await;
        photo_guard_core::ChatId(id.unwrap())
    }
}

/// Waits `for_at_most` for `cond`, polling.
pub(crate) async fn within(for_at_most: Duration, cond: impl Fn() -> bool) -> bool {
    let deadline = tokio::time::Instant::now() + for_at_most;
    while tokio::time::Instant::now() < deadline {
        if cond() {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    cond()
}
