//! Public value types of the fake Telegram server: roles, chat types, faults,
//! recorded calls and the views of what the bot sent.

use std::sync::Arc;
use std::time::Duration;

use serde_json::Value;

/// Kind of a chat. Private chats have `chat_id == user_id`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChatType {
    Private,
    Group,
    Supergroup,
}

impl ChatType {
    /// The `type` string Telegram uses in a `Chat` object.
    pub fn as_str(self) -> &'static str {
        match self {
            ChatType::Private => "private",
            ChatType::Group => "group",
            ChatType::Supergroup => "supergroup",
        }
    }
}

/// Membership status of a user (or of the bot) in a chat.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    /// `creator`: may do everything, including deleting messages.
    Owner,
    /// `administrator` with or without the right to delete others' messages.
    Admin { can_delete_messages: bool },
    /// Plain `member`.
    Member,
    /// `left`: not in the chat.
    Left,
    /// `kicked`: banned from the chat.
    Banned,
}

impl Role {
    /// Owner or administrator.
    pub fn is_privileged(self) -> bool {
        matches!(self, Role::Owner | Role::Admin { .. })
    }

    /// Present in the chat (not left, not banned).
    pub fn is_present(self) -> bool {
        !matches!(self, Role::Left | Role::Banned)
    }

    /// May delete other people's messages.
    pub fn can_delete_messages(self) -> bool {
        matches!(
            self,
            Role::Owner
                | Role::Admin {
                    can_delete_messages: true
                }
        )
    }
}

/// A failure injected with `FakeTelegram::fail_next`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Fault {
    /// 429 with `parameters.retry_after` (seconds).
    TooManyRequests { retry_after_secs: u32 },
    /// A 5xx answer (e.g. 500 or 502). Note: teloxide sleeps 10 s after a 5xx.
    ServerError(u16),
    /// Sleep this long, then answer normally (the client may time out first).
    Timeout(Duration),
    /// 400 with this description; "Bad Request: " is prefixed when missing.
    BadRequest(String),
}

/// A file part of a multipart request, as received.
#[derive(Clone, Debug)]
pub struct UploadedFile {
    /// Name of the multipart part (a uuid for `attach://<uuid>`, or a field name).
    pub part: String,
    pub file_name: Option<String>,
    pub content_type: Option<String>,
    pub bytes: Arc<Vec<u8>>,
}

/// One request the bot made, in arrival order.
#[derive(Clone, Debug)]
pub struct Call {
    /// Method name, lowercased (`sendmessage`, `getupdates`, ...).
    pub method: String,
    /// `chat_id` parameter when there is one and it is numeric.
    pub chat_id: Option<i64>,
    /// Parameters; multipart file parts appear as
    /// `{"uploaded_file": {"file_name": .., "bytes": <length>}}`.
    pub params: Value,
    /// Raw uploaded files of a multipart request.
    pub uploads: Vec<UploadedFile>,
    /// `None` when answered `ok:true`, else `(error_code, description)`.
    pub error: Option<(u16, String)>,
}

impl Call {
    pub fn ok(&self) -> bool {
        self.error.is_none()
    }
}

/// A text message the bot sent (current state: edits applied).
#[derive(Clone, Debug)]
pub struct SentMessage {
    pub chat_id: i64,
    pub message_id: i32,
    pub text: String,
    pub parse_mode: Option<String>,
    /// `reply_markup` exactly as the bot sent (or last edited) it.
    pub reply_markup: Option<Value>,
    pub protect_content: bool,
    /// Message this one replies to.
    pub reply_to: Option<i32>,
    pub thread_id: Option<i32>,
    pub deleted: bool,
}

/// Photo, document or a moving picture, for `SentMedia`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MediaKind {
    Photo,
    Document,
    Video,
    Animation,
    VideoNote,
}

/// A photo or document the bot sent, with the bytes it uploaded.
#[derive(Clone, Debug)]
pub struct SentMedia {
    pub chat_id: i64,
    pub message_id: i32,
    pub kind: MediaKind,
    pub bytes: Arc<Vec<u8>>,
    pub file_id: String,
    pub file_name: Option<String>,
    pub mime_type: Option<String>,
    pub caption: Option<String>,
    pub reply_markup: Option<Value>,
    pub protect_content: bool,
    pub reply_to: Option<i32>,
    pub thread_id: Option<i32>,
    pub media_group_id: Option<String>,
    pub deleted: bool,
}

/// How the bot answered a callback query.
#[derive(Clone, Debug)]
pub struct CallbackAnswer {
    pub callback_query_id: String,
    pub text: Option<String>,
    pub show_alert: bool,
}

/// A command list set with `setMyCommands`.
#[derive(Clone, Debug)]
pub struct CommandSet {
    /// `scope` as sent; `{"type":"default"}` when absent.
    pub scope: Value,
    pub language_code: Option<String>,
    /// The `commands` array as sent.
    pub commands: Value,
}
