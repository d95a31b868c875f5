//! A client's data on request (issue 23, UU PDP Art. 32-33): what the store
//! holds about one client code, and the file handed to the coordinator.
//! Other clients tagged in the same photo are left out: a share lists its
//! chat, time and verdict, never its other tags; audit details have other
//! codes masked.

use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::Value;

use crate::{AuditEntry, ChatId, ClientCode, ConsentRecord, MessageId, RecordId};

/// The 3x24 hours the law gives to answer.
pub const ANSWER_WITHIN_HOURS: i64 = 72;

/// One checked photo that tagged the client.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SubjectShare {
    pub share: RecordId,
    pub chat: ChatId,
    pub message: MessageId,
    pub at: DateTime<Utc>,
    /// `allow`, `blur` or `block`.
    pub verdict: String,
    pub enforced: bool,
    pub reason_code: String,
}

/// A quarantined photo that tagged the client, without the photo, its
/// caption or the sender's name.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SubjectQuarantine {
    pub item: RecordId,
    pub share: RecordId,
    pub chat: ChatId,
    pub created_at: DateTime<Utc>,
    pub resolution: String,
    pub reason_code: String,
}

/// What `/erase` removed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[must_use]
pub struct Erasure {
    /// Quarantined photos deleted (bytes, caption, sender's name).
    pub quarantined: u64,
    /// Telegram file ids forgotten.
    pub files: u64,
    /// Sealed copies not yet posted, wiped.
    pub copies: u64,
}

/// Everything in the file.
#[derive(Debug, Clone, Serialize)]
pub struct SubjectFile {
    pub client: ClientCode,
    pub requested_at: DateTime<Utc>,
    /// The 3x24 h answer is due by then.
    pub answer_due_by: DateTime<Utc>,
    pub consent_records: Vec<ConsentRecord>,
    pub shares: Vec<SubjectShare>,
    pub quarantined: Vec<SubjectQuarantine>,
    pub audit: Vec<Value>,
}

impl SubjectFile {
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).expect("plain data always serialises")
    }
}

/// An audit entry as the client may see it: other codes masked.
pub fn audit_line(entry: &AuditEntry, client: &ClientCode) -> Value {
    let mut detail: Value = serde_json::from_str(&entry.event.detail).unwrap_or(Value::Null);
    mask(&mut detail, client);
    serde_json::json!({
        "seq": entry.seq,
        "at": entry.event.at,
        "action": entry.event.action,
        "actor": entry.event.actor,
        "chat": entry.event.chat,
        "detail": detail,
    })
}

/// Lists of names keep only the client's; a `client` field naming another
/// client is masked, at any depth.
fn mask(value: &mut Value, client: &ClientCode) {
    match value {
        Value::Array(items) => {
            items.retain(|v| v.as_str().is_none_or(|s| s == client.as_str()));
            items.iter_mut().for_each(|v| mask(v, client));
        }
        Value::Object(map) => {
            for (key, v) in map.iter_mut() {
                let other = key == "client" && v.as_str().is_some_and(|s| s != client.as_str());
                match other {
                    true => *v = Value::String("(another client)".into()),
                    false => mask(v, client),
                }
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::AuditEvent;

    #[test]
    fn an_audit_line_masks_every_other_client_named_in_it() {
        // Issue 23: nothing about other clients in a shared photo.
        let detail = r#"{"tags":["KLN1","OTHER"],"reason":{"ConsentRefused":{"client":"OTHER","record":3}}}"#;
        let entry = AuditEntry {
            seq: 4,
            event: AuditEvent {
                at: Utc::now(),
                actor: None,
                chat: Some(ChatId(-1)),
                action: "share.block".into(),
                detail: detail.into(),
            },
            prev_hash: String::new(),
            hash: String::new(),
        };
        let line = audit_line(&entry, &ClientCode::parse("KLN1").unwrap());
        let text = line.to_string();
        assert!(!text.contains("OTHER"), "{text}");
        assert_eq!(line["detail"]["tags"], serde_json::json!(["KLN1"]));
    }
}
