//! Self-test: what users do reaches the bot through getUpdates in shapes
//! teloxide parses, including through a running `Dispatcher`.

use std::time::Duration;

use teloxide::net::Download;
use teloxide::payloads::setters::*;
use teloxide::prelude::*;
use teloxide::types::{AllowedUpdate, InlineKeyboardButton, InlineKeyboardMarkup, UpdateKind};
use teloxide::utils::command::BotCommands;
use teloxide::RequestError;

use super::{fetch_updates, jpeg, message_of, team, ALICE, BOB, GROUP, WAIT};

#[tokio::test]
async fn a_queued_photo_arrives_through_get_updates_and_downloads_byte_for_byte() {
    let (fake, bot) = team().await;
    let bytes = jpeg(640, 480, 7);
    let id = fake.send_photo(GROUP, ALICE, &bytes, Some("client at home"));

    let updates = fetch_updates(&bot, vec![]).await;
    assert_eq!(updates.len(), 1);
    let msg = message_of(&updates[0]);
    assert_eq!(msg.id.0, id);
    assert!(msg.chat.is_supergroup());
    assert_eq!(msg.from.as_ref().unwrap().id.0 as i64, ALICE);
    assert_eq!(msg.caption(), Some("client at home"));
    let sizes = msg.photo().expect("a photo message");
    assert!(sizes.len() >= 2, "several sizes");
    let largest = sizes.last().unwrap();
    assert_eq!((largest.width, largest.height), (640, 480));

    let file = bot
        .get_file(largest.file.id.clone())
        .await
        .expect("getFile");
    let mut downloaded = Vec::new();
    bot.download_file(&file.path, &mut downloaded)
        .await
        .expect("download");
    assert_eq!(downloaded, bytes);
    assert_eq!(fake.pending_updates(), 0, "confirmed updates are dropped");
}

#[tokio::test]
async fn get_updates_long_polls_and_wakes_when_an_update_is_queued() {
    let (fake, bot) = team().await;
    let poller = tokio::spawn({
        let bot = bot.clone();
        async move { bot.get_updates().timeout(30).await }
    });
    assert!(fake.wait_for_calls("getUpdates", 1, WAIT).await);
    let started = std::time::Instant::now();
    fake.send_text(GROUP, ALICE, "/rules");
    let updates = poller.await.unwrap().expect("getUpdates");
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "the long poll returned early"
    );
    let msg = message_of(&updates[0]);
    assert_eq!(msg.text(), Some("/rules"));
}

#[tokio::test]
async fn albums_documents_forwards_edits_joins_and_button_presses_parse_in_teloxide() {
    let (fake, bot) = team().await;
    let album = fake.send_album(
        GROUP,
        ALICE,
        &[jpeg(50, 40, 1), jpeg(40, 50, 2)],
        Some("visit"),
    );
    fake.send_document(
        GROUP,
        ALICE,
        &jpeg(30, 30, 3),
        "scan.jpg",
        "image/jpeg",
        None,
    );
    fake.forward_photo(GROUP, ALICE, BOB, &jpeg(30, 30, 4), None);
    fake.edit_caption(GROUP, album[0], Some("new caption"));
    fake.user_joins(GROUP, 777);
    fake.reply_with_command(GROUP, BOB, album[1], "/report");
    let bot_msg = bot
        .send_message(ChatId(GROUP), "review")
        .reply_markup(InlineKeyboardMarkup::new([[
            InlineKeyboardButton::callback("Discard", "discard:9"),
        ]]))
        .await
        .unwrap();
    let query_id = fake.press_button(GROUP, BOB, bot_msg.id.0, "discard:9");

    let all = vec![
        AllowedUpdate::Message,
        AllowedUpdate::EditedMessage,
        AllowedUpdate::CallbackQuery,
        AllowedUpdate::ChatMember,
    ];
    let updates = fetch_updates(&bot, all).await;
    assert_eq!(updates.len(), 9);
    let group_ids: Vec<_> = updates[..2]
        .iter()
        .map(|u| message_of(u).media_group_id().cloned())
        .collect();
    assert!(group_ids[0].is_some() && group_ids[0] == group_ids[1]);
    assert_eq!(
        message_of(&updates[2])
            .document()
            .unwrap()
            .file_name
            .as_deref(),
        Some("scan.jpg")
    );
    assert!(message_of(&updates[3]).forward_origin().is_some());
    let edited = message_of(&updates[4]);
    assert!(matches!(updates[4].kind, UpdateKind::EditedMessage(_)));
    assert_eq!(edited.caption(), Some("new caption"));
    assert!(edited.edit_date().is_some());
    assert!(message_of(&updates[5]).new_chat_members().is_some());
    assert!(matches!(updates[6].kind, UpdateKind::ChatMember(_)));
    assert_eq!(
        message_of(&updates[7]).reply_to_message().map(|m| m.id.0),
        Some(album[1])
    );
    let UpdateKind::CallbackQuery(query) = &updates[8].kind else {
        panic!("expected a callback query")
    };
    assert_eq!(query.data.as_deref(), Some("discard:9"));
    assert_eq!(query.regular_message().map(|m| m.id), Some(bot_msg.id));

    bot.answer_callback_query(query.id.clone())
        .text("Done")
        .await
        .expect("answerCallbackQuery");
    assert_eq!(
        fake.callback_answer(&query_id).unwrap().text.as_deref(),
        Some("Done")
    );
}

#[derive(BotCommands, Clone)]
#[command(rename_rule = "lowercase")]
enum Command {
    Rules,
}

#[tokio::test]
async fn a_dispatcher_answers_a_rules_command_sent_by_a_user() {
    let (fake, bot) = team().await;
    let handler = Update::filter_message()
        .filter_command::<Command>()
        .endpoint(|bot: Bot, msg: Message, cmd: Command| async move {
            match cmd {
                Command::Rules => bot.send_message(msg.chat.id, "No client photos.").await?,
            };
            Ok::<(), RequestError>(())
        });
    let mut dispatcher = Dispatcher::builder(bot, handler).build();
    let shutdown = dispatcher.shutdown_token();
    let running = tokio::spawn(async move { dispatcher.dispatch().await });

    fake.send_text(GROUP, ALICE, "/rules@photo_guard_test_bot");
    let answered = fake
        .wait_until(WAIT, |f| {
            f.sent_messages(GROUP)
                .iter()
                .any(|m| m.text == "No client photos.")
        })
        .await;
    assert!(answered, "calls: {:?}", fake.methods_called());

    shutdown.shutdown().expect("dispatcher is running").await;
    running.await.unwrap();
    fake.shutdown().await;
}
