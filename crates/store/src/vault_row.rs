//! Reading a quarantine row back: its columns, its sealed text fields opened
//! (`sealed_text`), its stored values parsed. A row that fails here is one
//! `/review` skips and `doctor` counts (`unreadable`).

use chacha20poly1305::XChaCha20Poly1305;
use photo_guard_core::{ChatId, MessageId, QuarantineItem, RecordId, Resolution, UserId};
use sqlx::sqlite::SqliteRow;
use sqlx::Row;

use crate::codec;
use crate::error::StoredValueError;
use crate::sealed_text::{self, Place};
use crate::vault::VaultError;

pub(crate) const SENDER_NAME: &str = "sender name";
pub(crate) const CAPTION: &str = "caption";

pub(crate) const ITEM_COLUMNS: &str =
    "id, share_id, chat_id, message_id, sender, sender_name, caption, thread, \
                            tags, reason_code, created_at, resolution";

/// Seals (`sealed_text::seal`) or opens (`sealed_text::open`) one text
/// field of quarantine row `id`.
pub(crate) fn text(
    op: sealed_text::Op,
    cipher: &XChaCha20Poly1305,
    id: i64,
    what: &'static str,
    value: &str,
) -> Result<String, VaultError> {
    let row = format!("quarantine={id}");
    op(cipher, &Place { what, row: &row }, value).map_err(|source| VaultError::Text {
        id: RecordId(id),
        source,
    })
}

pub(crate) fn item_from_row(
    row: &SqliteRow,
    cipher: &XChaCha20Poly1305,
) -> Result<QuarantineItem, VaultError> {
    let resolution: &str = row.try_get("resolution")?;
    let id: i64 = row.try_get("id")?;
    let caption: Option<String> = row.try_get("caption")?;
    Ok(QuarantineItem {
        id: RecordId(id),
        share: RecordId(row.try_get("share_id")?),
        chat: ChatId(row.try_get("chat_id")?),
        message: MessageId(row.try_get("message_id")?),
        sender: UserId(row.try_get("sender")?),
        sender_name: text(
            sealed_text::open,
            cipher,
            id,
            SENDER_NAME,
            row.try_get("sender_name")?,
        )?,
        caption: caption
            .map(|c| text(sealed_text::open, cipher, id, CAPTION, &c))
            .transpose()?,
        thread: row.try_get("thread")?,
        tags: codec::parse_codes_json(row.try_get("tags")?, "quarantine tags")?,
        reason_code: row.try_get("reason_code")?,
        created_at: codec::parse_time(row.try_get("created_at")?, "quarantine created_at")?,
        resolution: Resolution::parse(resolution)
            .ok_or_else(|| StoredValueError::new("resolution", resolution))?,
    })
}
