//! Issue 21: the real binary on PostgreSQL. The audit chain stays one chain
//! across processes on one database: `purge` (which appends an audit entry)
//! from eight processes at once, then `photo-guard audit verify`. `check`
//! reads the consent recorded there, without printing the URL.
//! The server is the store tests' one (`TEST_DATABASE_URL`, or a throwaway
//! cluster from Debian's PostgreSQL binaries).

use std::process::{Command, Output, Stdio};

use photo_guard_core::store::{ConsentStore, ShareStore};
use photo_guard_core::{ClientCode, ConsentLevel};
use photo_guard_store::{SqlStore, VaultKey};

use crate::e2e_promises::recorded_consent;
use crate::support::plain_jpeg;

#[path = "../../crates/store/src/tests/pg_cluster.rs"]
pub(crate) mod pg_cluster;

fn photo_guard(dir: &std::path::Path, url: &str, key: &str, args: &[&str]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_photo-guard"));
    cmd.args(args)
        .current_dir(dir)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("DATABASE_URL", url)
        .env("QUARANTINE_KEY", key)
        .stdin(Stdio::null());
    cmd
}

fn said(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

#[tokio::test]
async fn audit_verify_passes_after_eight_processes_append_to_one_postgresql_database_at_once() {
    // Issue 21: appends from several processes are serialised into one chain.
    let url = pg_cluster::fresh_database().await;
    let key = VaultKey::generate().to_base64();
    let dir = tempfile::tempdir().unwrap();
    let migrated = photo_guard(dir.path(), &url, &key, &["migrate"])
        .output()
        .unwrap();
    assert!(migrated.status.success(), "{}", said(&migrated));
    let children: Vec<_> = (0..8)
        .map(|_| {
            photo_guard(dir.path(), &url, &key, &["purge"])
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for child in children {
        let out = child.wait_with_output().unwrap();
        assert!(out.status.success(), "{}", said(&out));
    }
    let verified = photo_guard(dir.path(), &url, &key, &["audit", "verify"])
        .output()
        .unwrap();
    let text = said(&verified);
    assert!(verified.status.success(), "{text}");
    assert!(text.contains("audit chain ok: 8 entries"), "{text}");
}

#[tokio::test(flavor = "multi_thread")]
async fn check_reads_the_consent_recorded_in_postgresql_and_records_nothing_there() {
    // Issue 21: `check` said "no database" for a postgres:// URL, printing it.
    let url = pg_cluster::fresh_database().await;
    let key = VaultKey::generate().to_base64();
    let store = SqlStore::open(&url, VaultKey::from_base64(&key).unwrap(), &[])
        .await
        .unwrap();
    let refused = recorded_consent(ClientCode::parse("KLN1").unwrap(), ConsentLevel::Refused);
    store.append_consent(refused).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let photo = dir.path().join("foto.jpg");
    std::fs::write(&photo, plain_jpeg()).unwrap();
    let out = tokio::task::spawn_blocking({
        let (dir, photo, url, key) = (dir.path().to_owned(), photo.clone(), url.clone(), key);
        move || {
            photo_guard(
                &dir,
                &url,
                &key,
                &["check", photo.to_str().unwrap(), "--caption", "#KLN1"],
            )
            .output()
            .unwrap()
        }
    })
    .await
    .unwrap();
    let text = said(&out);
    assert!(out.status.success(), "{text}");
    assert!(text.contains("verdict: block"), "consent resolves: {text}");
    assert!(
        text.contains("consent: read from the PostgreSQL database"),
        "{text}"
    );
    assert!(!text.contains(&url), "the URL is not printed: {text}");
    assert!(
        store.stats().await.unwrap().is_empty(),
        "a share was recorded"
    );
}
