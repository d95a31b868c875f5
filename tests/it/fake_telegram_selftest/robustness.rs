//! Self-test: multipart uploads (albums, media edits), edit errors, and odd
//! raw HTTP requests answered with clear errors rather than crashes.

use teloxide::prelude::*;
use teloxide::types::{InputFile, InputMedia, InputMediaPhoto};
use teloxide::{ApiError, RequestError};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use super::{jpeg, team, GROUP};
use crate::fake_telegram::FakeTelegram;

#[tokio::test]
async fn media_groups_media_edits_and_text_edits_work_over_multipart_and_json() {
    let (fake, bot) = team().await;
    let (a, b, c) = (jpeg(60, 40, 1), jpeg(40, 60, 2), jpeg(80, 80, 3));
    let album = bot
        .send_media_group(
            ChatId(GROUP),
            [
                InputMedia::Photo(
                    InputMediaPhoto::new(InputFile::memory(a.clone())).caption("first"),
                ),
                InputMedia::Photo(InputMediaPhoto::new(InputFile::memory(b.clone()))),
            ],
        )
        .await
        .expect("sendMediaGroup");
    assert_eq!(album.len(), 2);
    let photos = fake.sent_photos(GROUP);
    assert_eq!((&*photos[0].bytes, &*photos[1].bytes), (&a, &b));
    assert_eq!(photos[0].caption.as_deref(), Some("first"));
    assert!(
        photos[0].media_group_id.is_some() && photos[0].media_group_id == photos[1].media_group_id
    );

    bot.edit_message_media(
        ChatId(GROUP),
        album[1].id,
        InputMedia::Photo(InputMediaPhoto::new(InputFile::memory(c.clone()))),
    )
    .await
    .expect("editMessageMedia");
    assert_eq!(*fake.sent_photos(GROUP)[1].bytes, c);

    let text = bot.send_message(ChatId(GROUP), "v1").await.unwrap();
    bot.edit_message_text(ChatId(GROUP), text.id, "v2")
        .await
        .expect("editMessageText");
    assert_eq!(fake.sent_messages(GROUP)[0].text, "v2");
    let err = bot
        .edit_message_text(ChatId(GROUP), text.id, "v2")
        .await
        .unwrap_err();
    assert!(
        matches!(err, RequestError::Api(ApiError::MessageNotModified)),
        "{err:?}"
    );
}

/// Sends one raw HTTP/1.1 request and returns the status code and body.
async fn raw_request(fake: &FakeTelegram, head: &str, body: &[u8]) -> (u16, String) {
    let mut stream = tokio::net::TcpStream::connect(fake.addr()).await.unwrap();
    let request = format!(
        "{head}\r\nHost: fake\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    stream.write_all(request.as_bytes()).await.unwrap();
    stream.write_all(body).await.unwrap();
    let mut response = Vec::new();
    stream.read_to_end(&mut response).await.unwrap();
    let response = String::from_utf8_lossy(&response).into_owned();
    let status = response
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let body = response.split("\r\n\r\n").nth(1).unwrap_or("").to_owned();
    (status, body)
}

#[tokio::test]
async fn odd_requests_get_a_clear_error_answer_and_the_server_keeps_serving() {
    let (fake, bot) = team().await;
    let method = |name: &str| {
        format!(
            "POST /bot{}/{name} HTTP/1.1\r\nContent-Type: application/json",
            fake.token()
        )
    };
    let cases: Vec<(String, &[u8], u16)> = vec![
        (method("sendMessage"), b"{not json", 400),
        (method("sendMessage"), b"[1,2,3]", 400),
        (
            method("sendMessage"),
            br#"{"chat_id":"@nobody","text":"x"}"#,
            400,
        ),
        (
            method("sendMessage"),
            br#"{"chat_id":99999999999999999999,"text":"x"}"#,
            400,
        ),
        (
            method("deleteMessage"),
            br#"{"chat_id":-100200300,"message_id":"abc"}"#,
            400,
        ),
        (
            method("sendPhoto"),
            br#"{"chat_id":-100200300,"photo":"attach://missing"}"#,
            400,
        ),
        (
            method("sendPhoto"),
            br#"{"chat_id":-100200300,"photo":{"deep":[[[]]]}}"#,
            400,
        ),
        (
            method("sendMediaGroup"),
            br#"{"chat_id":-100200300,"media":"nope"}"#,
            400,
        ),
        (method("getFile"), br#"{"file_id":12}"#, 400),
        (
            format!(
                "POST /bot{}/sendPhoto HTTP/1.1\r\nContent-Type: multipart/form-data; boundary=XYZ",
                fake.token()
            ),
            b"--XYZ\r\nbroken",
            400,
        ),
        ("POST /botWRONG/getMe HTTP/1.1".to_owned(), b"", 401),
        ("GET /nowhere HTTP/1.1".to_owned(), b"", 404),
        (
            format!(
                "GET /file/bot{}/photos%2Fnothing.jpg HTTP/1.1",
                fake.token()
            ),
            b"",
            404,
        ),
    ];
    for (head, body, expected) in cases {
        let (status, answer) = raw_request(&fake, &head, body).await;
        assert_eq!(status, expected, "{head} {answer}");
        assert!(answer.contains("\"ok\":false"), "{head} {answer}");
    }
    bot.get_me().await.expect("still serving");
}
