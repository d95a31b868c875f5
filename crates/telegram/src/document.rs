//! Files the bot sends one person (the audit CSV, a client's data, the
//! stats chart): a document with Telegram's content protection, since they
//! hold client data, through Telegram's faults (`retry.rs`).

use photo_guard_core::OutgoingFile;
use teloxide::prelude::*;
use teloxide::types::{ChatId, InputFile, Message};
use teloxide::RequestError;

use crate::retry::with_retry;

pub async fn send(
    bot: &Bot,
    chat: ChatId,
    file: &OutgoingFile,
    caption: &str,
) -> Result<Message, RequestError> {
    with_retry("sendDocument", || {
        let input = InputFile::memory(file.bytes.clone()).file_name(file.name);
        bot.send_document(chat, input)
            .caption(caption.to_owned())
            .protect_content(true)
            .send()
    })
    .await
}
