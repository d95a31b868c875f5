//! Files the bot sends one person (the audit CSV, a client's data, the
//! `/stats` chart): WAHA's `POST /api/sendFile`, the bytes as base64 in
//! `file.data` with their `mimetype` and `filename`, sent as a document so
//! nothing is re-encoded (the CSV must stay the bytes `audit verify --csv`
//! accepts). A picture goes through `POST /api/sendImage` (same body), so
//! WhatsApp shows it in the chat instead of as a file to open.

use base64::Engine as _;
use photo_guard_core::OutgoingFile;
use serde_json::json;

use crate::client::{WahaClient, WahaError};
use crate::wire::message_id;

impl WahaClient {
    /// `POST /api/sendFile` (`sendImage` for an `image/*` file) to `chat`;
    /// the new message's id.
    pub async fn send_file(
        &self,
        chat: &str,
        file: &OutgoingFile,
        caption: &str,
    ) -> Result<Option<String>, WahaError> {
        let body = json!({
            "session": self.session(),
            "chatId": chat,
            "caption": caption,
            "file": {
                "mimetype": file.mime,
                "filename": file.name,
                "data": base64::engine::general_purpose::STANDARD.encode(&file.bytes),
            },
        });
        let call = match file.mime.starts_with("image/") {
            true => "sendImage",
            false => "sendFile",
        };
        let url = self.url(&["api", call]);
        let req = self.request(reqwest::Method::POST, url).json(&body);
        let resp = self.send(call, req).await?;
        Ok(message_id(&self.json(call, resp).await?))
    }
}
