//! The binary started as an operator starts it: from some other folder, with
//! only the environment it is given (issue 17.15 and 17.17).

use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use photo_guard_core::store::{AuditLog, ConsentStore, ShareStore, Vault};
use photo_guard_core::{ClientCode, ConsentLevel};
use photo_guard_store::{SqliteStore, VaultKey};

use super::recorded_consent;
use crate::support::plain_jpeg;

const KEY: &str = "ZmVkY2JhOTg3NjU0MzIxMGZlZGNiYTk4NzY1NDMyMTA=";
/// Long enough to load the model, short enough that a bot that starts
/// instead of refusing fails the test quickly.
const EXIT_WITHIN: Duration = Duration::from_secs(30);

/// The binary in `dir` with a clean environment: PATH, the key, a database
/// in `dir`, and `env`. No FACE_MODEL_PATH unless `env` sets it.
fn binary(dir: &Path, env: &[(&str, &str)]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_photo-guard"));
    cmd.current_dir(dir)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("QUARANTINE_KEY", KEY)
        .env("DATABASE_URL", database_url(dir));
    for (name, value) in env {
        cmd.env(name, value);
    }
    cmd
}

fn database_url(dir: &Path) -> String {
    format!("sqlite://{}", dir.join("guard.db").display())
}

/// Runs `cmd`; kills it (and fails) if it is still running after EXIT_WITHIN.
fn exits(cmd: &mut Command) -> Output {
    let mut child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary starts");
    let deadline = Instant::now() + EXIT_WITHIN;
    while child.try_wait().expect("wait").is_none() {
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("still running after {EXIT_WITHIN:?}: it started instead of refusing");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    child.wait_with_output().expect("output")
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

// Issue 17.15: away from the repository root the model was not found and the
// bot ran on rustface alone.
#[test]
fn the_binary_uses_centerface_from_any_folder_without_face_model_path() {
    let dir = tempfile::tempdir().unwrap();
    let doctor = exits(binary(dir.path(), &[]).arg("doctor"));
    let report = stdout(&doctor);
    assert!(
        report.contains("ok   faces: centerface (model embedded in the binary)"),
        "{report}"
    );
    assert!(!report.contains("DEGRADED"), "{report}");

    let scan = exits(binary(dir.path(), &[]).args(["scan", photo_guard_eval::RUSTFACE_TEST_PNG]));
    assert!(scan.status.success(), "{}", stderr(&scan));
    assert!(
        !stderr(&scan).to_lowercase().contains("degraded"),
        "{}",
        stderr(&scan)
    );
}

/// `run` with a token and a loopback API nobody answers on, plus `env`.
fn run_with(dir: &Path, env: &[(&str, &str)]) -> Output {
    let mut base = vec![
        ("TELEGRAM_BOT_TOKEN", "123456:ABCdef"),
        ("TELEGRAM_API_URL", "http://127.0.0.1:9"),
        ("ADMIN_USER_IDS", "1001"),
    ];
    base.extend_from_slice(env);
    exits(binary(dir, &base).arg("run"))
}

// Issue 17.17: 0, negative and group ids were taken as admins.
#[test]
fn admin_ids_that_are_not_users_are_refused_at_start() {
    let dir = tempfile::tempdir().unwrap();
    for bad in ["0", "-5", "-1001234567890", "1001,-100500"] {
        let out = run_with(dir.path(), &[("ADMIN_USER_IDS", bad)]);
        let err = stderr(&out);
        assert!(!out.status.success(), "{bad}: {err}");
        let shown = bad.rsplit(',').next().unwrap();
        assert!(
            err.contains("ADMIN_USER_IDS") && err.contains(shown) && err.contains("positive"),
            "{bad}: {err}"
        );
    }
}

// Issue 17.17: the token travels in every request's path; plain http is for
// this machine only.
#[test]
fn a_plain_http_api_url_off_loopback_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    // Both name this machine without being loopback addresses: no packet
    // leaves it whatever the code does.
    for url in ["http://0.0.0.0:9", "http://[::]:9"] {
        let out = run_with(dir.path(), &[("TELEGRAM_API_URL", url)]);
        let err = stderr(&out);
        assert!(!out.status.success(), "{url}: {err}");
        assert!(
            err.contains("TELEGRAM_API_URL") && err.contains("https"),
            "{url}: {err}"
        );
    }
}

async fn open(dir: &Path) -> SqliteStore {
    let key = VaultKey::from_base64(KEY).unwrap();
    SqliteStore::open(&database_url(dir), key, &[])
        .await
        .expect("the test opens the database")
}

// Issue 17.17: `check` wrote share, audit and quarantine rows into the
// production database.
#[tokio::test(flavor = "multi_thread")]
async fn check_leaves_the_configured_database_without_new_shares() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(dir.path()).await;
    let refused = recorded_consent(ClientCode::parse("KLN1").unwrap(), ConsentLevel::Refused);
    store.append_consent(refused).await.unwrap();
    let since = chrono::Utc::now() - chrono::Duration::days(1);
    let audit_before = store.entries_since(since).await.unwrap().len();
    store.close().await;
    let photo = dir.path().join("foto.jpg");
    std::fs::write(&photo, plain_jpeg()).unwrap();

    let out = tokio::task::spawn_blocking({
        let (dir, photo) = (dir.path().to_owned(), photo.clone());
        move || {
            exits(binary(&dir, &[]).args(["check", photo.to_str().unwrap(), "--caption", "#KLN1"]))
        }
    })
    .await
    .unwrap();

    let report = stdout(&out);
    assert!(out.status.success(), "{report}{}", stderr(&out));
    assert!(
        report.contains("verdict: block"),
        "consent still resolves: {report}"
    );
    let store = open(dir.path()).await;
    assert!(
        store.stats().await.unwrap().is_empty(),
        "a share was recorded"
    );
    assert!(
        store.pending().await.unwrap().is_empty(),
        "a photo was sealed"
    );
    assert_eq!(
        store.entries_since(since).await.unwrap().len(),
        audit_before,
        "the audit log grew"
    );
    assert!(
        report.contains("read-only"),
        "says where consent came from: {report}"
    );
}

// Issue 17.17: checking without a database creates none.
#[test]
fn check_without_a_database_creates_none() {
    let dir = tempfile::tempdir().unwrap();
    let photo = dir.path().join("foto.jpg");
    std::fs::write(&photo, plain_jpeg()).unwrap();
    let out = exits(binary(dir.path(), &[]).args(["check", photo.to_str().unwrap()]));
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("verdict: allow"), "{}", stdout(&out));
    assert!(
        !dir.path().join("guard.db").exists(),
        "a database was created"
    );
}
