//! Files the bot sends one person (the audit CSV, a client's data): WAHA's
//! `POST /api/sendFile`, the bytes as base64 in `file.data` with their
//! `mimetype` and `filename`, sent as a document so nothing is re-encoded
//! (the CSV must stay the bytes `audit verify --csv` accepts).

use base64::Engine as _;
use photo_guard_core::OutgoingFile;
use serde_json::json;

use crate::client::{WahaClient, WahaError};
use crate::wire::message_id;

impl WahaClient {
    /// `POST /api/sendFile` to `chat`; the new message's id.
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
        let url = self.url(&["api", "sendFile"]);
        let req = self.request(reqwest::Method::POST, url).json(&body);
        let resp = self.send("sendFile", req).await?;
        Ok(message_id(&self.json("sendFile", resp).await?))
    }
}
