//! What still shows a client in a chat (issue 23): an original the bot left
//! in place or a blurred copy it posted, found by the client's tag. When
//! consent is withdrawn or narrowed, these are what must come down.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::{ChatId, ClientCode, MessageId, RecordId, Verdict};

/// Telegram lets a bot delete a message for this long after it was sent.
pub const DELETE_WINDOW_HOURS: i64 = 48;

/// Which kind of message shows the client.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ShownKind {
    /// The sender's own message, left in the chat.
    Original,
    /// A blurred copy the bot posted.
    Copy,
}

impl ShownKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Original => "original",
            Self::Copy => "copy",
        }
    }
}

/// One message in a chat that shows a client.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Shown {
    pub chat: ChatId,
    pub message: MessageId,
    pub kind: ShownKind,
    /// The checked share it comes from.
    pub share: RecordId,
    pub verdict: Verdict,
    pub tags: Vec<ClientCode>,
    pub faces: u32,
    /// When it was posted (the check's time, for a copy its posting).
    pub at: DateTime<Utc>,
}

impl Shown {
    /// Whether Telegram no longer lets the bot delete it.
    pub fn too_old(&self, now: DateTime<Utc>) -> bool {
        now - self.at >= chrono::Duration::hours(DELETE_WINDOW_HOURS)
    }
}
