//! The audit CSV: the one writer's bytes (what `audit export` writes and
//! `/audit` sends) verify with the keyed chain, a CSV with one cell changed
//! names its entry, and a neutralised formula cell still verifies.

use photo_guard_core::audit_csv::{self, HEADER};
use photo_guard_core::store::AuditLog;
use photo_guard_core::AuditEvent;

use super::audit_tamper::{broken_at, filled};
use super::{at, on_both, Fixture};
use crate::audit_chain::AuditKeys;
use crate::{Break, VaultKey, GENESIS_PREV_HASH};

async fn exported(fx: &Fixture) -> String {
    let mut out = Vec::new();
    fx.store.export_audit_csv(None, &mut out).await.unwrap();
    String::from_utf8(out).unwrap()
}

async fn the_csv_export_has_the_header_and_every_chained_column(fx: Fixture) {
    let fx = filled(fx, 3).await;
    let text = exported(&fx).await;
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    assert_eq!(reader.headers().unwrap().iter().collect::<Vec<_>>(), HEADER);
    let rows = audit_csv::read(text.as_bytes()).unwrap();
    assert_eq!(rows.len(), 3);
    assert_eq!(rows[0].prev_hash, GENESIS_PREV_HASH);
    let keys = AuditKeys::derive(&VaultKey::from_base64(&fx.key).unwrap());
    for (i, row) in rows.iter().enumerate() {
        assert_eq!(
            keys.entry_mac(row),
            row.hash,
            "the chain can be checked from the CSV alone"
        );
        if i > 0 {
            assert_eq!(row.prev_hash, rows[i - 1].hash);
        }
    }
    assert_eq!((rows[0].chat, rows[1].chat), (None, Some(-100)));
}

// Issue 17.11: the bytes /audit sends are the ones `audit verify --csv` checks.
async fn the_bytes_the_audit_command_sends_verify_as_a_csv(fx: Fixture) {
    let fx = filled(fx, 5).await;
    let entries = fx.store.entries_since(at(2025, 1, 1, 2)).await.unwrap();
    let bytes = audit_csv::to_bytes(&entries).unwrap();
    let report = fx.store.verify_audit_csv(bytes.as_slice()).await.unwrap();
    assert_eq!((report.entries, report.broken), (4, None));
}

// Issue 17.11: one cell changed in the CSV is named by its entry.
async fn a_csv_with_one_cell_altered_names_the_entry(fx: Fixture) {
    let fx = filled(fx, 4).await;
    let text = exported(&fx).await;
    let altered = text.replacen(r#"{""n"":3}"#, r#"{""n"":0}"#, 1);
    assert_ne!(text, altered);
    let report = fx.store.verify_audit_csv(altered.as_bytes()).await.unwrap();
    assert_eq!(report.broken, broken_at(3, Break::HashMismatch));
    let without_second: String = text
        .lines()
        .enumerate()
        .filter(|(i, _)| *i != 2)
        .map(|(_, l)| format!("{l}\n"))
        .collect();
    let report = fx
        .store
        .verify_audit_csv(without_second.as_bytes())
        .await
        .unwrap();
    assert_eq!(report.broken, broken_at(3, Break::Gap { expected: 2 }));
}

// Issue 17.13: a detail that starts a formula is neutralised in the CSV, the
// chain covers the stored value, and the CSV still verifies.
async fn a_detail_starting_with_equals_is_neutralised_and_still_verifies(fx: Fixture) {
    let fx = filled(fx, 1).await;
    let formula = r#"=HYPERLINK("http://evil.example","x")"#;
    fx.store
        .append(AuditEvent {
            at: at(2025, 1, 2, 0),
            actor: None,
            chat: None,
            action: "@cmd".into(),
            detail: formula.into(),
        })
        .await
        .unwrap();
    let text = exported(&fx).await;
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let second = reader.records().nth(1).unwrap().unwrap();
    assert_eq!(
        (&second[4], &second[5]),
        ("'@cmd", format!("'{formula}").as_str())
    );
    let rows = audit_csv::read(text.as_bytes()).unwrap();
    assert_eq!(rows[1].detail, formula);
    let report = fx.store.verify_audit_csv(text.as_bytes()).await.unwrap();
    assert_eq!((report.entries, report.broken), (2, None));
    assert!(fx.store.verify_audit().await.unwrap().is_ok());
}

on_both!(
    the_csv_export_has_the_header_and_every_chained_column,
    the_bytes_the_audit_command_sends_verify_as_a_csv,
    a_csv_with_one_cell_altered_names_the_entry,
    a_detail_starting_with_equals_is_neutralised_and_still_verifies,
);
