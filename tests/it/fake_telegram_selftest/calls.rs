//! Self-test: plain Bot API calls (identity, sending, deleting, members,
//! injected faults, unknown methods) made by a real teloxide `Bot`.

use teloxide::net::Download;
use teloxide::payloads::setters::*;
use teloxide::prelude::*;
use teloxide::types::{
    ChatMemberKind, InlineKeyboardButton, InlineKeyboardMarkup, InputFile, MessageId,
    ReplyParameters,
};
use teloxide::{ApiError, RequestError};

use super::{jpeg, team, ALICE, BOB, GROUP};
use crate::fake_telegram::{FakeTelegram, Fault, Role};

#[tokio::test]
async fn get_me_describes_the_fake_bot() {
    let fake = FakeTelegram::start().await;
    let me = fake.bot().get_me().await.expect("getMe");
    assert!(me.is_bot);
    assert_eq!(me.username(), "photo_guard_test_bot");
    assert_eq!(me.id.0 as i64, fake.bot_id());
    assert_eq!(fake.calls_of("getMe").len(), 1);
}

#[tokio::test]
async fn a_wrong_token_is_refused_as_unauthorized() {
    let fake = FakeTelegram::start().await;
    let bot = Bot::new("999:WRONG").set_api_url(fake.api_url().parse().unwrap());
    let err = bot.get_me().await.unwrap_err();
    assert!(
        matches!(err, RequestError::Api(ApiError::InvalidToken)),
        "{err:?}"
    );
}

#[tokio::test]
async fn send_message_is_recorded_with_reply_markup_protection_and_reply() {
    let (fake, bot) = team().await;
    let original = fake.send_text(GROUP, ALICE, "hello");
    let keyboard = InlineKeyboardMarkup::new([[InlineKeyboardButton::callback("View", "view:1")]]);
    let sent = bot
        .send_message(ChatId(GROUP), "a reminder")
        .reply_markup(keyboard)
        .protect_content(true)
        .reply_parameters(ReplyParameters::new(MessageId(original)))
        .await
        .expect("sendMessage");
    assert_eq!(sent.text(), Some("a reminder"));
    assert_eq!(sent.reply_to_message().map(|m| m.id.0), Some(original));
    assert!(
        sent.id.0 > original,
        "message ids are shared per chat and increase"
    );

    let calls = fake.calls_of("sendMessage");
    assert_eq!(calls.len(), 1);
    assert_eq!(calls[0].chat_id, Some(GROUP));
    let messages = fake.sent_messages(GROUP);
    assert_eq!(messages.len(), 1);
    assert_eq!(messages[0].text, "a reminder");
    assert!(messages[0].protect_content);
    assert_eq!(messages[0].reply_to, Some(original));
    assert_eq!(
        messages[0].reply_markup.as_ref().unwrap()["inline_keyboard"][0][0]["callback_data"],
        "view:1"
    );
}

#[tokio::test]
async fn the_bot_cannot_start_a_private_conversation_until_the_user_does() {
    let (fake, bot) = team().await;
    let err = bot.send_message(ChatId(ALICE), "psst").await.unwrap_err();
    assert!(matches!(err, RequestError::Api(_)), "{err:?}");
    fake.user_starts_bot(ALICE);
    bot.send_message(ChatId(ALICE), "psst")
        .await
        .expect("private message after /start");
    assert_eq!(fake.messages_to(ALICE).len(), 1);
}

#[tokio::test]
async fn an_uploaded_photo_and_document_are_stored_and_served_back() {
    let (fake, bot) = team().await;
    let bytes = jpeg(320, 200, 9);
    let sent = bot
        .send_photo(
            ChatId(GROUP),
            InputFile::memory(bytes.clone()).file_name("blurred.jpg"),
        )
        .caption("blurred copy")
        .await
        .expect("sendPhoto");
    let photos = fake.sent_photos(GROUP);
    assert_eq!(photos.len(), 1);
    assert_eq!(*photos[0].bytes, bytes);
    assert_eq!(photos[0].caption.as_deref(), Some("blurred copy"));
    let largest = sent.photo().unwrap().last().unwrap();
    let file = bot.get_file(largest.file.id.clone()).await.unwrap();
    let mut downloaded = Vec::new();
    bot.download_file(&file.path, &mut downloaded)
        .await
        .unwrap();
    assert_eq!(downloaded, bytes);

    let doc = bot
        .send_document(
            ChatId(GROUP),
            InputFile::memory(b"%PDF-1.4 fake".to_vec()).file_name("notes.pdf"),
        )
        .await
        .expect("sendDocument");
    assert_eq!(
        doc.document().unwrap().file_name.as_deref(),
        Some("notes.pdf")
    );
    let docs = fake.sent_documents(GROUP);
    assert_eq!(docs[0].mime_type.as_deref(), Some("application/pdf"));
    assert_eq!(&docs[0].bytes[..], b"%PDF-1.4 fake");
}

#[tokio::test]
async fn delete_message_needs_rights_and_a_live_message() {
    let (fake, bot) = team().await;
    let id = fake.send_photo(GROUP, ALICE, &jpeg(64, 64, 1), None);

    let err = bot
        .delete_message(ChatId(GROUP), MessageId(id))
        .await
        .unwrap_err();
    assert!(
        matches!(err, RequestError::Api(ApiError::MessageCantBeDeleted)),
        "{err:?}"
    );
    assert!(!fake.is_deleted(GROUP, id));

    fake.bot_is_admin(GROUP, false);
    let err = bot
        .delete_message(ChatId(GROUP), MessageId(id))
        .await
        .unwrap_err();
    assert!(
        matches!(err, RequestError::Api(ApiError::MessageCantBeDeleted)),
        "{err:?}"
    );

    fake.bot_is_admin(GROUP, true);
    bot.delete_message(ChatId(GROUP), MessageId(id))
        .await
        .expect("delete with rights");
    assert!(fake.is_deleted(GROUP, id));

    let err = bot
        .delete_message(ChatId(GROUP), MessageId(id))
        .await
        .unwrap_err();
    assert!(
        matches!(err, RequestError::Api(ApiError::MessageToDeleteNotFound)),
        "{err:?}"
    );
}

#[tokio::test]
async fn an_injected_429_surfaces_as_retry_after_then_calls_succeed_again() {
    let (fake, bot) = team().await;
    fake.fail_next(
        "sendMessage",
        Fault::TooManyRequests {
            retry_after_secs: 7,
        },
    );
    let err = bot.send_message(ChatId(GROUP), "hi").await.unwrap_err();
    match err {
        RequestError::RetryAfter(secs) => assert_eq!(secs.seconds(), 7),
        other => panic!("expected RetryAfter, got {other:?}"),
    }
    bot.send_message(ChatId(GROUP), "hi")
        .await
        .expect("second try passes");
    let calls = fake.calls_of("sendmessage");
    assert_eq!(calls.len(), 2);
    assert_eq!(calls[0].error.as_ref().map(|e| e.0), Some(429));
    assert!(calls[1].ok());

    fake.fail_next_n("getChat", Fault::BadRequest("chat not found".into()), 2);
    for _ in 0..2 {
        let err = bot.get_chat(ChatId(GROUP)).await.unwrap_err();
        assert!(
            matches!(err, RequestError::Api(ApiError::ChatNotFound)),
            "{err:?}"
        );
    }
    bot.get_chat(ChatId(GROUP))
        .await
        .expect("getChat after the faults");
}

#[tokio::test]
async fn chat_members_admins_and_chat_info_parse_in_teloxide() {
    let (fake, bot) = team().await;
    fake.bot_is_admin(GROUP, true);
    let me = bot
        .get_chat_member(ChatId(GROUP), UserId(fake.bot_id() as u64))
        .await
        .expect("bot as member");
    assert!(me.kind.is_administrator());
    assert!(me.kind.can_delete_messages());
    let bob = bot
        .get_chat_member(ChatId(GROUP), UserId(BOB as u64))
        .await
        .unwrap();
    assert!(bob.kind.is_privileged());
    let alice = bot
        .get_chat_member(ChatId(GROUP), UserId(ALICE as u64))
        .await
        .unwrap();
    assert!(matches!(alice.kind, ChatMemberKind::Member(_)));
    let admins = bot.get_chat_administrators(ChatId(GROUP)).await.unwrap();
    assert_eq!(admins.len(), 2, "Bob and the bot");
    let chat = bot.get_chat(ChatId(GROUP)).await.unwrap();
    assert!(chat.is_supergroup());

    fake.set_bot_role(GROUP, Role::Member);
    let me = bot
        .get_chat_member(ChatId(GROUP), UserId(fake.bot_id() as u64))
        .await
        .unwrap();
    assert!(!me.kind.can_delete_messages());
}

#[tokio::test]
async fn unknown_methods_are_accepted_and_recorded() {
    let (fake, bot) = team().await;
    bot.pin_chat_message(ChatId(GROUP), MessageId(1))
        .await
        .expect("accepted");
    assert_eq!(fake.calls_of("pinChatMessage").len(), 1);
}
