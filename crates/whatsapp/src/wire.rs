//! Reading WAHA's answers where engines differ: ids as strings or WEBJS's
//! `{ "_serialized": ... }`, group admins as WEBJS's `isAdmin`/`isSuperAdmin`
//! or NOWEB's `admin`, a sent message's id as `id` or NOWEB's `key`.

use serde_json::Value;

/// One group participant.
#[derive(Debug, Clone)]
pub struct Participant {
    pub id: String,
    pub is_admin: bool,
}

/// An id as engines write it: a string, or WEBJS's `{ "_serialized": ... }`.
fn id_text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Object(o) => o.get("_serialized")?.as_str().map(str::to_owned),
        _ => None,
    }
}

pub fn participant(value: &Value) -> Option<Participant> {
    let id = id_text(value.get("id")?)?;
    let flag = |k: &str| value.get(k).and_then(Value::as_bool).unwrap_or(false);
    let noweb = matches!(
        value.get("admin").and_then(Value::as_str),
        Some("admin" | "superadmin")
    );
    Some(Participant {
        id,
        is_admin: flag("isAdmin") || flag("isSuperAdmin") || noweb,
    })
}

/// The id of a message WAHA just sent: WEBJS `id` (string or object),
/// NOWEB `key` (`fromMe`, `remoteJid`, `id`).
pub fn message_id(answer: &Value) -> Option<String> {
    if let Some(id) = answer.get("id").and_then(id_text) {
        return Some(id);
    }
    let key = answer.get("key")?;
    let chat = key.get("remoteJid")?.as_str()?;
    let id = key.get("id")?.as_str()?;
    let mine = key.get("fromMe").and_then(Value::as_bool).unwrap_or(true);
    Some(format!("{mine}_{chat}_{id}"))
}

/// A group's subject from WAHA's group answer: NOWEB's group metadata
/// (`subject`) or WEBJS's chat (`groupMetadata.subject`, `name`).
pub fn group_subject(answer: &Value) -> Option<String> {
    let meta = answer.get("groupMetadata");
    [
        answer.get("subject"),
        meta.and_then(|m| m.get("subject")),
        answer.get("name"),
    ]
    .into_iter()
    .flatten()
    .filter_map(Value::as_str)
    .map(str::trim)
    .find(|s| !s.is_empty())
    .map(str::to_owned)
}

/// The number part of an id: `6281...` of `6281...@c.us`, `6281...:12@s.whatsapp.net`.
pub fn number_of(id: &str) -> &str {
    let user = id.split('@').next().unwrap_or(id);
    user.split(':').next().unwrap_or(user)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn participants_and_sent_ids_are_read_from_either_engine() {
        // Issue 22: WEBJS and NOWEB describe admins and sent messages differently.
        let webjs =
            json!({"id": {"_serialized": "62811@c.us"}, "isAdmin": false, "isSuperAdmin": true});
        let noweb = json!({"id": "62812@s.whatsapp.net", "admin": "admin"});
        let plain = json!({"id": "62813@c.us", "admin": null});
        assert!(participant(&webjs).unwrap().is_admin);
        assert!(participant(&noweb).unwrap().is_admin);
        assert!(!participant(&plain).unwrap().is_admin);
        assert_eq!(
            message_id(&json!({"id": {"_serialized": "true_1@g.us_AB"}})).as_deref(),
            Some("true_1@g.us_AB")
        );
        assert_eq!(
            message_id(&json!({"key": {"remoteJid": "1@g.us", "id": "CD", "fromMe": true}}))
                .as_deref(),
            Some("true_1@g.us_CD")
        );
        assert_eq!(number_of("62812:7@s.whatsapp.net"), "62812");
    }

    #[test]
    fn a_group_subject_is_read_from_either_engine() {
        // Issue 22: alerts name a group by its subject, however the engine writes it.
        let noweb = json!({"id": "1@g.us", "subject": "Tim A", "participants": []});
        let webjs = json!({"id": {"_serialized": "1@g.us"}, "name": "Tim B",
                           "groupMetadata": {"subject": "Tim B"}});
        assert_eq!(group_subject(&noweb).as_deref(), Some("Tim A"));
        assert_eq!(group_subject(&webjs).as_deref(), Some("Tim B"));
        assert_eq!(group_subject(&json!({"name": "  "})), None);
        assert_eq!(group_subject(&Value::Null), None);
    }
}
