//! Which messages carry something to guard, read from Bot API JSON the way
//! teloxide reads an update.

use serde_json::{json, Value};

use super::*;

fn message(media: Value) -> Message {
    let mut m = json!({
        "message_id": 7,
        "date": 1_700_000_000,
        "chat": {"id": -100500, "type": "supergroup", "title": "Tim"},
        "from": {"id": 1003, "is_bot": false, "first_name": "Alice"},
    });
    for (k, v) in media.as_object().unwrap() {
        m[k] = v.clone();
    }
    serde_json::from_value(m).expect("a message teloxide reads")
}

fn file(id: &str) -> Value {
    json!({"file_id": id, "file_unique_id": format!("u{id}"), "file_size": 1000})
}

fn with(mut base: Value, extra: Value) -> Value {
    for (k, v) in extra.as_object().unwrap() {
        base[k] = v.clone();
    }
    base
}

fn kind_of(media: Value) -> Option<Visual> {
    candidate(&message(media)).map(|c| c.kind)
}

fn sticker(animated: bool, video: bool) -> Value {
    let s = with(
        file("s"),
        json!({"width": 512, "height": 512, "type": "regular", "is_animated": animated, "is_video": video}),
    );
    json!({ "sticker": s })
}

#[test]
fn videos_animations_and_video_notes_are_videos() {
    // Issue 19: a video, a GIF (animation) or a round video note no longer passes untouched.
    let video = with(
        file("v"),
        json!({"width": 320, "height": 240, "duration": 2, "mime_type": "video/mp4"}),
    );
    assert_eq!(
        kind_of(json!({ "video": video.clone() })),
        Some(Visual::Video)
    );
    let gif = with(
        video.clone(),
        json!({"mime_type": "video/gif", "file_name": "a.gif"}),
    );
    assert_eq!(
        kind_of(json!({ "animation": gif.clone(), "document": gif })),
        Some(Visual::Video)
    );
    let note = with(file("n"), json!({"length": 240, "duration": 2}));
    assert_eq!(kind_of(json!({ "video_note": note })), Some(Visual::Video));
}

#[test]
fn stickers_are_images_videos_or_drawings_by_their_format() {
    // Issue 19: a static sticker is an image, a WebM one a video, a TGS one a drawing.
    assert_eq!(kind_of(sticker(false, false)), Some(Visual::ImageSticker));
    assert_eq!(kind_of(sticker(false, true)), Some(Visual::Video));
    assert_eq!(kind_of(sticker(true, false)), Some(Visual::AnimatedSticker));
}

#[test]
fn a_forwarded_story_or_a_paid_preview_has_no_file_and_is_still_a_candidate() {
    // Issue 19: what cannot be fetched is removed, so it must be found.
    let story = json!({"story": {"chat": {"id": -5, "type": "channel", "title": "c"}, "id": 3}});
    let found = candidate(&message(story)).expect("a story is a candidate");
    assert_eq!(
        (found.kind, found.file.is_none()),
        (Visual::Unfetchable, true)
    );
    let preview = json!({"paid_media": {"star_count": 5, "paid_media": [{"type": "preview"}]}});
    assert_eq!(kind_of(preview), Some(Visual::Unfetchable));
    let video = with(
        file("pv"),
        json!({"width": 320, "height": 240, "duration": 2, "mime_type": "video/mp4"}),
    );
    let paid =
        json!({"paid_media": {"star_count": 5, "paid_media": [{"type": "video", "video": video}]}});
    assert_eq!(kind_of(paid), Some(Visual::Video));
}

#[test]
fn media_quoted_from_another_chat_is_a_candidate() {
    // Issue 19: a quote (external_reply) shows the other chat's photo here.
    let origin = json!({"type": "hidden_user", "sender_user_name": "X", "date": 1});
    let photo = with(file("p"), json!({"width": 800, "height": 600}));
    let quote = json!({"text": "lihat ini", "external_reply": {"origin": origin, "message_id": 5, "photo": [photo]}});
    assert_eq!(kind_of(quote), Some(Visual::Photo));
    assert_eq!(kind_of(json!({"text": "halo"})), None);
}

#[test]
fn a_document_is_settled_by_its_bytes_whatever_its_name() {
    // Issue 19: a video sent as a file is found by MIME type or by its bytes (ftyp, EBML).
    let doc = |name: &str, mime: &str| {
        let d = with(file("d"), json!({"file_name": name, "mime_type": mime}));
        candidate(&message(json!({ "document": d }))).unwrap()
    };
    let mp4 = b"\0\0\0\x20ftypisom\0\0\x02\0";
    let webm = [0x1A, 0x45, 0xDF, 0xA3, 0x9F, 0x42];
    assert_eq!(doc("clip.mp4", "video/mp4").kind, Visual::Video);
    assert_eq!(
        doc("laporan.txt", "text/plain").settle(mp4),
        Some(Visual::Video)
    );
    assert_eq!(
        doc("foto.jpg", "image/jpeg").settle(&webm),
        Some(Visual::Video)
    );
    assert_eq!(
        doc("laporan.txt", "text/plain").settle(b"\xFF\xD8\xFF\xE0"),
        Some(Visual::Photo)
    );
    assert_eq!(
        doc("laporan.pdf", "application/pdf").settle(b"%PDF-1.7"),
        None
    );
}
