//! Self-test (issue 19): the fake's videos, animations, video notes,
//! stickers, paid media, quotes and stories read as teloxide reads real
//! updates, and the bot's sendVideo stores a video (and refuses a JPEG).

use teloxide::prelude::*;
use teloxide::types::{AllowedUpdate, InputFile, UpdateKind};

use super::{fetch_updates, jpeg, team, ALICE, GROUP};
use crate::fake_telegram::{StickerFormat, Visual};

const MP4: &[u8] = b"\0\0\0\x20ftypisom\0\0\x02\0isomiso2avc1mp41";

#[tokio::test]
async fn every_kind_of_visual_a_user_posts_reads_as_its_teloxide_kind() {
    // Issue 19: the fake posts each visual kind the guard must now catch.
    let (fake, bot) = team().await;
    let visuals = [
        Visual::Video {
            bytes: MP4.to_vec(),
            caption: Some("v".into()),
        },
        Visual::Animation {
            bytes: MP4.to_vec(),
            mime: "video/mp4".into(),
            caption: None,
        },
        Visual::VideoNote {
            bytes: MP4.to_vec(),
        },
        Visual::Sticker {
            bytes: b"RIFF\0\0\0\0WEBP".to_vec(),
            format: StickerFormat::Static,
        },
        Visual::PaidVideo {
            bytes: MP4.to_vec(),
            caption: None,
        },
        Visual::QuotedPhoto {
            bytes: jpeg(64, 48, 1),
            text: "q".into(),
        },
        Visual::Story,
    ];
    for v in visuals {
        fake.send_visual(GROUP, ALICE, v);
    }
    let updates = fetch_updates(&bot, vec![AllowedUpdate::Message]).await;
    let messages: Vec<Message> = updates
        .into_iter()
        .filter_map(|u| match u.kind {
            UpdateKind::Message(m) => Some(m),
            _ => None,
        })
        .collect();
    assert_eq!(messages.len(), 7);
    assert!(messages[0].video().is_some() && messages[0].caption() == Some("v"));
    assert!(messages[1].animation().is_some());
    assert!(messages[2].video_note().is_some());
    assert!(messages[3].sticker().is_some_and(|s| s.is_static()));
    assert!(messages[4].paid_media().is_some());
    assert!(
        matches!(&messages[5].kind, teloxide::types::MessageKind::Common(c) if c.external_reply.is_some())
    );
    assert!(messages[6].story().is_some());
}

#[tokio::test]
async fn send_video_stores_a_video_and_refuses_an_image() {
    // Issue 19: the fake plays sendVideo/sendVideoNote as Telegram would.
    let (fake, bot) = team().await;
    let sent = bot
        .send_video(
            ChatId(GROUP),
            InputFile::memory(MP4.to_vec()).file_name("v.mp4"),
        )
        .caption("copy")
        .await
        .expect("sendVideo");
    assert!(sent.video().is_some());
    let videos = fake.sent_videos(GROUP);
    assert_eq!(videos.len(), 1);
    assert_eq!(videos[0].bytes.as_slice(), MP4);
    let refused = bot
        .send_video(
            ChatId(GROUP),
            InputFile::memory(jpeg(8, 8, 2)).file_name("x.jpg"),
        )
        .await;
    assert!(refused.is_err(), "a JPEG was accepted as a video");
    let note = bot
        .send_video_note(ChatId(GROUP), InputFile::memory(MP4.to_vec()))
        .await
        .expect("sendVideoNote");
    assert!(note.video_note().is_some());
}
