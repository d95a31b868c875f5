//! `photo-guard audit export` and `audit verify --csv` as an operator runs
//! them: the real binary on a database the test filled, the CSV checked with
//! the keyed chain, one altered cell named by its entry.

use std::path::Path;
use std::process::{Command, Output};

use chrono::{TimeZone, Utc};
use photo_guard_core::store::AuditLog;
use photo_guard_core::{audit_csv, AuditEvent, ChatId, UserId};
use photo_guard_store::{SqliteStore, VaultKey};
use tempfile::TempDir;

struct Db {
    dir: TempDir,
    url: String,
    key: String,
}

/// A database with three audit entries, one whose detail starts a formula.
async fn filled() -> (Db, SqliteStore) {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("audit.db").display());
    let key = VaultKey::generate().to_base64();
    let store = SqliteStore::open(&url, VaultKey::from_base64(&key).unwrap(), &[])
        .await
        .unwrap();
    for (i, detail) in [r#"{"n":1}"#, "=1+1", r#"{"n":3}"#].iter().enumerate() {
        store
            .append(AuditEvent {
                at: Utc.with_ymd_and_hms(2025, 3, 1, i as u32, 0, 0).unwrap(),
                actor: Some(UserId(7)),
                chat: Some(ChatId(-100)),
                action: "share.blocked".into(),
                detail: (*detail).into(),
            })
            .await
            .unwrap();
    }
    (Db { dir, url, key }, store)
}

fn photo_guard(db: &Db, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_photo-guard"))
        .args(args)
        .current_dir(db.dir.path())
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("DATABASE_URL", &db.url)
        .env("QUARANTINE_KEY", &db.key)
        .output()
        .expect("the binary runs")
}

/// `audit export --out export.csv`; the file's path.
fn export(db: &Db) -> std::path::PathBuf {
    let exported = db.dir.path().join("export.csv");
    let out = photo_guard(
        db,
        &["audit", "export", "--out", exported.to_str().unwrap()],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    exported
}

fn verify_csv(db: &Db, csv: &Path) -> (Option<i32>, String) {
    let out = photo_guard(db, &["audit", "verify", "--csv", csv.to_str().unwrap()]);
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr);
    (out.status.code(), format!("{stdout}{stderr}"))
}

// Issue 17.11: `audit export` and the bytes /audit sends verify with `--csv`.
#[tokio::test]
async fn an_exported_audit_csv_and_the_audit_command_bytes_verify_with_audit_verify_csv() {
    let (db, store) = filled().await;
    let exported = export(&db);
    let text = std::fs::read_to_string(&exported).unwrap();
    assert!(
        text.contains(",'=1+1,"),
        "the formula is neutralised: {text}"
    );
    assert_eq!(
        verify_csv(&db, &exported).0,
        Some(0),
        "{}",
        verify_csv(&db, &exported).1
    );
    let since = Utc.with_ymd_and_hms(2025, 3, 1, 1, 0, 0).unwrap();
    let sent = audit_csv::to_bytes(&store.entries_since(since).await.unwrap()).unwrap();
    let sent_path = db.dir.path().join("sent.csv");
    std::fs::write(&sent_path, sent).unwrap();
    let (code, said) = verify_csv(&db, &sent_path);
    assert_eq!(code, Some(0), "{said}");
    assert!(said.contains("audit CSV ok: 2 entries"), "{said}");
}

// Issue 17.11: one cell altered in the CSV fails, naming its entry.
#[tokio::test]
async fn an_audit_csv_with_one_cell_altered_fails_naming_the_entry() {
    let (db, _store) = filled().await;
    let exported = export(&db);
    let text = std::fs::read_to_string(&exported).unwrap();
    let altered = text.replacen(r#"{""n"":3}"#, r#"{""n"":4}"#, 1);
    assert_ne!(altered, text);
    std::fs::write(&exported, altered).unwrap();
    let (code, said) = verify_csv(&db, &exported);
    assert_eq!(code, Some(1), "{said}");
    assert!(said.contains("broken at entry 3"), "{said}");
}
