//! The one audit CSV writer and its reader: stored times, round trips, formula cells.

use chrono::TimeZone;

use super::*;
use crate::{AuditEvent, ChatId, UserId};

fn entry(seq: i64, chat: Option<i64>, action: &str, detail: &str) -> AuditEntry {
    AuditEntry {
        seq,
        event: AuditEvent {
            at: Utc.with_ymd_and_hms(2025, 1, 31, 8, 0, 0).unwrap()
                + chrono::Duration::nanoseconds(1_500),
            actor: Some(UserId(7)),
            chat: chat.map(ChatId),
            action: action.into(),
            detail: detail.into(),
        },
        prev_hash: "0".repeat(64),
        hash: "ab".repeat(32),
    }
}

// Issue 17.11: /audit wrote RFC 3339 times while the chain covers the stored form.
#[test]
fn the_csv_writes_times_in_the_stored_form_the_chain_covers() {
    let written = String::from_utf8(to_bytes(&[entry(1, None, "x", "{}")]).unwrap()).unwrap();
    let second = written.lines().nth(1).unwrap();
    assert!(
        second.starts_with("1,2025-01-31T08:00:00.000001500Z,7,,x,"),
        "{second}"
    );
    assert_eq!(
        parse_canonical_time("2025-01-31T08:00:00.000001500Z").map(canonical_time),
        Some("2025-01-31T08:00:00.000001500Z".to_owned())
    );
}

// Issue 17.11: what the writer writes, the reader reads back as the stored row.
#[test]
fn a_written_csv_reads_back_as_the_rows_the_chain_covers() {
    let entries = [
        entry(1, Some(-100), "share.blocked", r#"{"n":1}"#),
        entry(2, None, "a,b \"quoted\"\nline", ""),
    ];
    let rows = read(to_bytes(&entries).unwrap().as_slice()).unwrap();
    let expected: Vec<AuditRow> = entries.iter().map(AuditRow::from).collect();
    assert_eq!(rows, expected);
}

// Issue 17.13: a cell a spreadsheet would run as a formula is neutralised.
#[test]
fn cells_that_would_start_a_formula_are_written_with_a_quote_in_front() {
    for start in ["=", "+", "-", "@", "\t", "\r", "'"] {
        let detail = format!("{start}HYPERLINK(\"http://x\")");
        let written =
            String::from_utf8(to_bytes(&[entry(1, None, "x", &detail)]).unwrap()).unwrap();
        let mut reader = csv::Reader::from_reader(written.as_bytes());
        let record = reader.records().next().unwrap().unwrap();
        assert_eq!(&record[5], format!("'{detail}"), "{start:?}");
    }
}

// Issue 17.13: a negative chat id is a number, not a formula, and stays one.
#[test]
fn whole_numbers_such_as_a_negative_chat_id_are_written_as_they_are() {
    let written = String::from_utf8(to_bytes(&[entry(1, Some(-100), "x", "-5")]).unwrap()).unwrap();
    let second = written.lines().nth(1).unwrap();
    assert!(second.contains(",-100,x,-5,"), "{second}");
}

// Issue 17.13: neutralising is undone on reading, so the chain still verifies.
#[test]
fn a_neutralised_detail_reads_back_as_the_stored_value() {
    let details = ["=1+1", "'=already quoted", "''", "-x", "@SUM(A1)", "plain"];
    let entries: Vec<AuditEntry> = details
        .iter()
        .enumerate()
        .map(|(i, d)| entry(i as i64 + 1, None, d, d))
        .collect();
    let rows = read(to_bytes(&entries).unwrap().as_slice()).unwrap();
    for (row, detail) in rows.iter().zip(details) {
        assert_eq!((row.action.as_str(), row.detail.as_str()), (detail, detail));
    }
}

#[test]
fn a_csv_with_another_header_or_a_bad_number_names_the_line() {
    let err = read("seq,when\n".as_bytes()).unwrap_err();
    assert!(err.to_string().contains("line 1"), "{err}");
    let mut bytes = to_bytes(&[entry(1, None, "x", "{}")]).unwrap();
    bytes.extend_from_slice(b"two,t,,,x,{},p,h\n");
    let err = read(bytes.as_slice()).unwrap_err();
    assert!(
        err.to_string().contains("line 3") && err.to_string().contains("seq"),
        "{err}"
    );
}
