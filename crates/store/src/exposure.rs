//! What still shows a client in a chat (issue 23), read from what the store
//! already knows: each message's latest enforcement record and its share
//! (the tags, the verdict, whether the original was removed, the blurred
//! copy posted), the copies posted after a downgrade, minus what was taken
//! down. Also the photos' Telegram file ids, sealed like captions.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use photo_guard_core::exposure::{Shown, ShownKind};
use photo_guard_core::store::ExposureStore;
use photo_guard_core::{ChatId, ClientCode, MessageId, RecordId, StoreError, StoreResult, Verdict};
use thiserror::Error;

use crate::codec;
use crate::error::{database, StoredValueError};
use crate::pool::{on_pool, Columns};
use crate::sealed_text::{self, Place, SealedTextError};
use crate::SqlStore;

#[derive(Debug, Error)]
pub enum ExposureError {
    #[error("exposure store: {0}")]
    Database(#[from] sqlx::Error),
    #[error(transparent)]
    Stored(#[from] StoredValueError),
    #[error("file id of message {message}: {source}")]
    Sealed {
        message: i64,
        source: SealedTextError,
    },
}

impl From<ExposureError> for StoreError {
    fn from(err: ExposureError) -> Self {
        match err {
            ExposureError::Database(e) => database(e),
            ExposureError::Stored(e) => e.into(),
            e @ ExposureError::Sealed { .. } => StoreError::Integrity(e.to_string()),
        }
    }
}

/// Originals still in place (no removal, or one Telegram refused), blurred
/// copies of a blur, and replacement copies; `$1` is the tag as JSON text
/// (`"KLN0042"`: codes are letters, digits and `_`, so it cannot match
/// inside another code).
const SHOWN: &str = "\
    SELECT e.chat_id, e.message_id AS shown_id, 'original' AS kind, s.id AS share_id, \
           s.verdict, s.tags, s.faces, s.at \
      FROM enforcement e JOIN shares s ON s.id = e.share_id \
     WHERE instr(s.tags, $1) > 0 AND (e.removal IS NULL OR e.removal = 'not_allowed') \
    UNION ALL \
    SELECT e.chat_id, e.copy_message_id, 'copy', s.id, s.verdict, s.tags, s.faces, s.at \
      FROM enforcement e JOIN shares s ON s.id = e.share_id \
     WHERE instr(s.tags, $1) > 0 AND e.verdict = 'blur' AND e.copy_message_id IS NOT NULL \
    UNION ALL \
    SELECT r.chat_id, r.message_id, 'copy', s.id, 'blur', s.tags, s.faces, r.posted_at \
      FROM replacement_copies r JOIN shares s ON s.id = r.share_id \
     WHERE instr(s.tags, $1) > 0";

fn file_place(chat: ChatId, message: MessageId) -> String {
    format!("chat={chat}|message={message}")
}

fn shown_from_row(row: &impl Columns) -> Result<Shown, ExposureError> {
    let kind = match row.col::<String>("kind")?.as_str() {
        "copy" => ShownKind::Copy,
        _ => ShownKind::Original,
    };
    let verdict: String = row.col("verdict")?;
    let at: String = row.col("at")?;
    Ok(Shown {
        chat: ChatId(row.col("chat_id")?),
        message: MessageId(row.col("shown_id")?),
        kind,
        share: RecordId(row.col("share_id")?),
        verdict: Verdict::parse(&verdict)
            .ok_or_else(|| StoredValueError::new("share verdict", &verdict))?,
        tags: codec::parse_codes_json(&row.col::<String>("tags")?, "share tags")?,
        faces: row.col::<i64>("faces")?.max(0) as u32,
        at: codec::parse_time(&at, "share time")?,
    })
}

impl SqlStore {
    async fn select_shown(&self, client: &ClientCode) -> Result<Vec<Shown>, ExposureError> {
        let query = format!(
            "SELECT * FROM ({SHOWN}) x WHERE NOT EXISTS (SELECT 1 FROM takedowns t \
             WHERE t.chat_id = x.chat_id AND t.message_id = x.shown_id) ORDER BY x.at, x.shown_id"
        );
        let tag = format!("\"{}\"", client.as_str());
        on_pool!(&self.pool, pool => {
         let rows = sqlx::query(&query).bind(tag).fetch_all(pool).await?;
        rows.iter().map(shown_from_row).collect()
         })
    }

    async fn upsert_media(
        &self,
        chat: ChatId,
        message: MessageId,
        file_id: &str,
    ) -> Result<(), ExposureError> {
        let row = file_place(chat, message);
        let place = Place {
            what: "file id",
            row: &row,
        };
        let sealed = sealed_text::seal(&self.shared.cipher, &place, file_id).map_err(|source| {
            ExposureError::Sealed {
                message: message.0,
                source,
            }
        })?;
        on_pool!(&self.pool, pool => {
        sqlx::query(
                    "INSERT INTO media_files (chat_id, message_id, file_id, noted_at) VALUES ($1, $2, $3, $4) \
                     ON CONFLICT (chat_id, message_id) DO UPDATE SET file_id = excluded.file_id, \
                     noted_at = excluded.noted_at",
                )
                .bind(chat.0)
                .bind(message.0)
                .bind(sealed)
                .bind(codec::time(Utc::now()))
                .execute(pool)
                .await?;
        });
        Ok(())
    }

    async fn select_media(
        &self,
        chat: ChatId,
        message: MessageId,
    ) -> Result<Option<String>, ExposureError> {
        let stored: Option<String> = on_pool!(&self.pool, pool => {
        sqlx::query_scalar(
                    "SELECT file_id FROM media_files WHERE chat_id = $1 AND message_id = $2",
                )
                .bind(chat.0)
                .bind(message.0)
                .fetch_optional(pool)
                .await?
        });
        let row = file_place(chat, message);
        let place = Place {
            what: "file id",
            row: &row,
        };
        stored
            .map(|s| sealed_text::open(&self.shared.cipher, &place, &s))
            .transpose()
            .map_err(|source| ExposureError::Sealed {
                message: message.0,
                source,
            })
    }

    async fn insert_takedown(
        &self,
        chat: ChatId,
        message: MessageId,
        record: RecordId,
        at: DateTime<Utc>,
    ) -> Result<(), ExposureError> {
        on_pool!(&self.pool, pool => {
        sqlx::query(
                    "INSERT INTO takedowns (chat_id, message_id, record_id, removed_at) VALUES ($1, $2, $3, $4) \
                     ON CONFLICT (chat_id, message_id) DO NOTHING",
                )
                .bind(chat.0)
                .bind(message.0)
                .bind(record.0)
                .bind(codec::time(at))
                .execute(pool)
                .await?;
        });
        Ok(())
    }

    async fn insert_replacement(
        &self,
        chat: ChatId,
        copy: MessageId,
        share: RecordId,
        at: DateTime<Utc>,
    ) -> Result<(), ExposureError> {
        on_pool!(&self.pool, pool => {
        sqlx::query(
                    "INSERT INTO replacement_copies (chat_id, message_id, share_id, posted_at) \
                     VALUES ($1, $2, $3, $4) ON CONFLICT (chat_id, message_id) DO NOTHING",
                )
                .bind(chat.0)
                .bind(copy.0)
                .bind(share.0)
                .bind(codec::time(at))
                .execute(pool)
                .await?;
        });
        Ok(())
    }
}

#[async_trait]
impl ExposureStore for SqlStore {
    async fn note_media(&self, chat: ChatId, message: MessageId, file_id: &str) -> StoreResult<()> {
        Ok(self.upsert_media(chat, message, file_id).await?)
    }

    async fn media_file(&self, chat: ChatId, message: MessageId) -> StoreResult<Option<String>> {
        Ok(self.select_media(chat, message).await?)
    }

    async fn shown_with(&self, client: &ClientCode) -> StoreResult<Vec<Shown>> {
        Ok(self.select_shown(client).await?)
    }

    async fn record_takedown(
        &self,
        chat: ChatId,
        message: MessageId,
        record: RecordId,
        at: DateTime<Utc>,
    ) -> StoreResult<()> {
        Ok(self.insert_takedown(chat, message, record, at).await?)
    }

    async fn record_replacement(
        &self,
        chat: ChatId,
        copy: MessageId,
        share: RecordId,
        at: DateTime<Utc>,
    ) -> StoreResult<()> {
        Ok(self.insert_replacement(chat, copy, share, at).await?)
    }
}
