//! Hostile text: long and odd captions, commands, forged callbacks.

use photo_guard_core::store::{ConsentStore, Vault};
use photo_guard_core::texts::{text, Msg};
use photo_guard_core::{ClientCode, ConsentEvent, ConsentLevel, GivenBy, Lang, Resolution};

use super::chat::*;
use super::SERIAL;
use crate::support::*;

/// 4096 characters: odd Unicode up front, the tag, then filler with emoji.
pub(super) fn long_caption(tag: &str) -> String {
    let mut caption = String::from(
        "\u{200F}\u{202E}مرحبا \u{200D}👨\u{200D}👩\u{200D}👧 \u{0000}nul \u{FEFF}\u{200B}",
    );
    caption.push_str(tag);
    caption.push_str("\u{200D} ");
    let filler = ['a', 'ü', '🙂', '\u{200F}', ' ', '#', '界', '\u{0301}'];
    let mut i = 0;
    while caption.chars().count() < 4096 {
        caption.push(filler[i % filler.len()]);
        i += 1;
    }
    caption
}

pub(super) fn utf16_len(s: &str) -> usize {
    s.encode_utf16().count()
}

#[tokio::test(flavor = "multi_thread")]
#[allow(clippy::await_holding_lock)]
pub(super) async fn hostile_captions_commands_and_callbacks_are_handled_verbatim_or_refused() {
    let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let mut app = TestApp::spawn().await;
    let store = app.store().await;
    let username = app.fake.bot_username();

    // --- captions -----------------------------------------------------------
    let answer = app
        .private_command(ADMIN, "/consent HOSTILE1 refused")
        .await;
    assert!(answer.contains("HOSTILE1"), "{answer}");
    let tagged = long_caption("#HOSTILE1");
    assert_eq!(tagged.chars().count(), 4096);
    let blocked_msg = app
        .fake
        .send_photo(GROUP, ALICE, plain_jpeg(), Some(&tagged));
    let untagged = long_caption("#BUKANKLIEN");
    let blurred_msg = app
        .fake
        .send_photo(GROUP, ALICE, faces_jpeg(), Some(&untagged));
    assert!(
        app.wait_checked(2).await,
        "the captioned photos were not checked"
    );
    assert!(
        app.fake
            .wait_until(WAIT, |f| f.is_deleted(GROUP, blocked_msg))
            .await,
        "the tagged photo stayed"
    );
    assert!(
        app.fake
            .wait_until(WAIT, |f| !f.sent_photos(GROUP).is_empty())
            .await,
        "no blurred copy was posted"
    );
    assert!(app.fake.is_deleted(GROUP, blurred_msg));
    let item = store
        .pending()
        .await
        .unwrap()
        .into_iter()
        .find(|i| i.message.0 == i64::from(blocked_msg));
    let item = item.expect("the tagged photo is held for review");
    assert_eq!(
        item.caption.as_deref(),
        Some(tagged.as_str()),
        "the caption was not kept verbatim (NUL, RTL, ZWJ)"
    );
    assert_eq!(item.tags, vec![ClientCode::parse("HOSTILE1").unwrap()]);
    let copy = &app.fake.sent_photos(GROUP)[0];
    let caption = copy.caption.clone().unwrap_or_default();
    // Telegram counts a caption's 1024 characters in UTF-16 code units.
    assert!(
        utf16_len(&caption) <= 1024,
        "blurred copy's caption is {} UTF-16 units",
        utf16_len(&caption)
    );
    assert!(caption.starts_with("📷 Dari Alice"), "{caption:.80}");
    assert!(
        caption.ends_with(&text(Lang::Id, &Msg::Reminder)),
        "the reminder was cut off"
    );

    // --- commands with quotes, newlines and SQL-looking text ----------------
    let sql = "'; DROP TABLE consent_records;--";
    let answer = app
        .private_command(ADMIN, &format!("/consent KLN1 full purpose=\"{sql}\""))
        .await;
    let code = |c: &str| ClientCode::parse(c).unwrap();
    assert_eq!(
        answer,
        text(
            Lang::Id,
            &Msg::ConsentRecorded {
                code: &code("KLN1"),
                level: ConsentLevel::Full,
                until: None
            }
        )
    );
    let grant_of = |history: &[photo_guard_core::ConsentRecord]| match &history
        .last()
        .expect("a record")
        .event
    {
        ConsentEvent::Granted(g) => g.clone(),
        other => panic!("expected a grant, got {other:?}"),
    };
    let g = grant_of(&store.consent_history(&code("KLN1")).await.unwrap());
    assert_eq!(
        g.purpose.as_deref(),
        Some(sql),
        "purpose not recorded verbatim"
    );

    let answer = app
        .private_command(ADMIN, "/consent KLN2 blurred evidence=\"F-12\nbaris dua\" purpose=\"kata \\\"kutip\\\" dan 'tunggal'; --\"")
        .await;
    assert!(answer.contains("KLN2"), "{answer}");
    let g = grant_of(&store.consent_history(&code("KLN2")).await.unwrap());
    assert_eq!(g.evidence.as_deref(), Some("F-12\nbaris dua"));
    assert_eq!(
        g.purpose.as_deref(),
        Some("kata \"kutip\" dan 'tunggal'; --")
    );

    let answer = app
        .private_command(ADMIN, "/consent\nKLN3\nfull\nby=guardian")
        .await;
    assert!(answer.contains("KLN3"), "{answer}");
    let g = grant_of(&store.consent_history(&code("KLN3")).await.unwrap());
    assert_eq!(
        (g.level, g.given_by),
        (ConsentLevel::Full, GivenBy::Guardian)
    );

    let reason = "Robert'); DROP TABLE students;-- \"x\"\nbaris 2";
    let answer = app
        .private_command(ADMIN, &format!("/withdraw KLN1 {reason}"))
        .await;
    assert_eq!(
        answer,
        text(
            Lang::Id,
            &Msg::Withdrawn {
                code: &code("KLN1")
            }
        )
    );
    let history = store.consent_history(&code("KLN1")).await.unwrap();
    assert!(
        matches!(&history.last().unwrap().event, ConsentEvent::Withdrawn { reason: Some(r) } if r == reason),
        "withdrawal reason not verbatim: {:?}",
        history.last().unwrap().event
    );

    // Refused with a clear one-line error and nothing recorded.
    let long_purpose = format!("/consent KLN7 full purpose=\"{}\"", "x".repeat(4000));
    let long_code = format!("/consent {} full", "A".repeat(4080));
    let refused = [
        "/consent KLN4 full purpose=\"a b",
        "/consent KLN5 full evidence=\"x\u{0}y\"",
        "/consent KLN6 full purpose=\"\u{202E}kiri\"",
        long_purpose.as_str(),
        long_code.as_str(),
        "/consent KLN8 full; DROP TABLE consent_records",
        "/client KLN1' OR '1'='1",
        "/grant 1004 admin; DROP TABLE roles",
        "/grant 1004; admin",
        "/ungrant -1",
        "/audit 99999999999999999999",
        "/policy mode=observe\u{0}",
    ];
    for command in refused {
        let expected = match photo_guard_core::command::parse(command, &username) {
            Some(Err(e)) => text(
                Lang::Id,
                &Msg::CommandProblem {
                    problem: e.problem(),
                    command: e.command(),
                },
            ),
            other => panic!("{command:.60?} should not parse, got {other:?}"),
        };
        let answer = app.private_command(ADMIN, command).await;
        assert_eq!(answer, expected, "answer to {command:.60?}");
        assert!(
            answer.chars().count() < 400,
            "a clear, short error for {command:.60?}"
        );
    }
    let clients: Vec<String> = store
        .clients()
        .await
        .unwrap()
        .iter()
        .map(|c| c.to_string())
        .collect();
    assert_eq!(
        clients,
        ["HOSTILE1", "KLN1", "KLN2", "KLN3"],
        "only the accepted commands registered clients"
    );
    assert_eq!(
        photo_guard_core::store::RoleStore::role(&store, photo_guard_core::UserId(MALLORY))
            .await
            .unwrap(),
        None
    );
    // The database still answers through the bot.
    let answer = app.private_command(ADMIN, "/client KLN1").await;
    assert!(
        answer.starts_with("KLN1: ") && answer.contains(sql),
        "{answer}"
    );
    let answer = app.private_command(ADMIN, "/clients").await;
    assert!(
        answer.contains("KLN2") && answer.contains("KLN3"),
        "{answer}"
    );

    // --- forged callback data -------------------------------------------------
    let alert = app
        .fake
        .messages_to(ADMIN)
        .into_iter()
        .find(|m| {
            m.reply_markup
                .as_ref()
                .is_some_and(|k| k.to_string().contains(&format!("rv:v:{}", item.id.0)))
        })
        .expect("the admin alert for the captioned photo");
    let id = item.id.0;
    let forged = [
        "rv:v:-1".to_owned(),
        "rv:x:1".to_owned(),
        format!("rv:x:{id}"),
        "rv:v:99999999999999999999".to_owned(),
        "rv:d:0".to_owned(),
        format!("rv:d:{id}:extra"),
        format!("rv:d: {id}"),
        format!("RV:D:{id}"),
        format!(" rv:d:{id}"),
        format!("rv:d:{id}\u{0}"),
        format!("\u{FFFD}\u{0}\u{1}rv:d:{id}\u{FFFF}"),
        "rv:d:１".to_owned(),
        format!("rv:d:{}", "9".repeat(10_000)),
        "x".repeat(10 * 1024),
        String::new(),
        "rv".to_owned(),
        "rv::".to_owned(),
    ];
    let stale = text(Lang::Id, &Msg::ReviewStale);
    for data in &forged {
        let answer = app.press(ADMIN, ADMIN, alert.message_id, data).await;
        assert_eq!(answer, stale, "answer to forged data {data:.40?}");
    }
    let still = store.item(item.id).await.unwrap();
    assert_eq!(
        still.resolution,
        Resolution::Pending,
        "a forged press changed the item"
    );
    assert!(
        app.fake.sent_photos(ADMIN).is_empty(),
        "a forged press showed the photo"
    );
    assert_eq!(
        app.fake.sent_photos(GROUP).len(),
        1,
        "a forged press released something"
    );

    still_answers_rules(&mut app, "after hostile captions, commands and callbacks").await;
}
