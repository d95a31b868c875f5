//! A quarantine row's sealed columns made (text fields and photo bytes bound
//! to the row), and the row read back: its columns, its sealed text fields
//! opened (`sealed_text`), its stored values parsed. A row that fails here is one
//! `/review` skips and `doctor` counts (`unreadable`).

use chacha20poly1305::aead::{Aead, AeadCore, OsRng, Payload};
use chacha20poly1305::XChaCha20Poly1305;
use photo_guard_core::{
    ChatId, MessageId, NewQuarantine, QuarantineItem, RecordId, Resolution, UserId,
};

use crate::codec;
use crate::error::StoredValueError;
use crate::pool::Columns;
use crate::sealed_text::{self, Place};
use crate::vault::{associated_data, VaultError};
use crate::SqlStore;

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

/// A quarantine row's sealed columns.
pub(crate) struct SealedRow {
    pub nonce: Vec<u8>,
    pub bytes: Vec<u8>,
    pub sender_name: String,
    pub caption: Option<String>,
}

impl SqlStore {
    /// Seals the row's text fields and photo bytes, bound to row `id`.
    pub(crate) fn seal_row(
        &self,
        id: i64,
        item: &NewQuarantine,
        bytes: &[u8],
    ) -> Result<SealedRow, VaultError> {
        let cipher = &self.shared.cipher;
        let sender_name = text(
            sealed_text::seal,
            cipher,
            id,
            SENDER_NAME,
            &item.sender_name,
        )?;
        let caption = item
            .caption
            .as_deref()
            .map(|c| text(sealed_text::seal, cipher, id, CAPTION, c))
            .transpose()?;
        let nonce = XChaCha20Poly1305::generate_nonce(&mut OsRng);
        let aad = associated_data(id, item.share.0, item.chat.0, item.message.0);
        let sealed = cipher
            .encrypt(
                &nonce,
                Payload {
                    msg: bytes,
                    aad: &aad,
                },
            )
            .map_err(|_| VaultError::Seal)?;
        Ok(SealedRow {
            nonce: nonce.to_vec(),
            bytes: sealed,
            sender_name,
            caption,
        })
    }
}

pub(crate) fn item_from_row(
    row: &impl Columns,
    cipher: &XChaCha20Poly1305,
) -> Result<QuarantineItem, VaultError> {
    let column = |col: &str| -> Result<String, sqlx::Error> { row.col(col) };
    let resolution = column("resolution")?;
    let id: i64 = row.col("id")?;
    let caption: Option<String> = row.col("caption")?;
    Ok(QuarantineItem {
        id: RecordId(id),
        share: RecordId(row.col("share_id")?),
        chat: ChatId(row.col("chat_id")?),
        message: MessageId(row.col("message_id")?),
        sender: UserId(row.col("sender")?),
        sender_name: text(
            sealed_text::open,
            cipher,
            id,
            SENDER_NAME,
            &column("sender_name")?,
        )?,
        caption: caption
            .map(|c| text(sealed_text::open, cipher, id, CAPTION, &c))
            .transpose()?,
        thread: row.col("thread")?,
        tags: codec::parse_codes_json(&column("tags")?, "quarantine tags")?,
        reason_code: row.col("reason_code")?,
        created_at: codec::parse_time(&column("created_at")?, "quarantine created_at")?,
        resolution: Resolution::parse(&resolution)
            .ok_or_else(|| StoredValueError::new("resolution", &resolution))?,
    })
}
