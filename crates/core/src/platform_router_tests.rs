use std::sync::Arc;

use super::*;
use crate::platform::fake::{both, Call, FakePlatform};
use crate::PLATFORM_ID_BASE;

#[tokio::test]
async fn the_router_sends_each_chat_and_person_to_the_platform_of_its_id_space() {
    // Issue 23: a takedown reaches the chats of both platforms, each through its own.
    let (router, telegram, whatsapp) = both();
    let (tg_chat, wa_chat) = (ChatId(-100_500), ChatId(PLATFORM_ID_BASE + 7));
    router.remove(tg_chat, MessageId(3)).await.unwrap();
    router
        .remove(wa_chat, MessageId(PLATFORM_ID_BASE + 9))
        .await
        .unwrap();
    router
        .tell_user(UserId(PLATFORM_ID_BASE + 2), "hi")
        .await
        .unwrap();
    router.tell_user(UserId(42), "halo").await.unwrap();
    assert_eq!(
        telegram.calls(),
        vec![
            Call::Remove(tg_chat, MessageId(3)),
            Call::TellUser(UserId(42), "halo".into())
        ]
    );
    assert_eq!(
        whatsapp.calls(),
        vec![
            Call::Remove(wa_chat, MessageId(PLATFORM_ID_BASE + 9)),
            Call::TellUser(UserId(PLATFORM_ID_BASE + 2), "hi".into())
        ]
    );
}

#[tokio::test]
async fn a_chat_of_a_platform_not_configured_is_refused_not_skipped() {
    // Issue 23: a WhatsApp chat with only Telegram running is an error the takedown reports.
    let telegram = Arc::new(FakePlatform::default());
    let router = PlatformRouter::default();
    router.register(IdSpace::Telegram, telegram.clone());
    let wa_chat = ChatId(PLATFORM_ID_BASE + 7);
    let removed = router.remove(wa_chat, MessageId(1)).await;
    assert!(
        matches!(removed, Err(PlatformError::Refused(_))),
        "{removed:?}"
    );
    assert!(!router.serves(IdSpace::Mapped) && router.serves(IdSpace::Telegram));
    assert!(telegram.calls().is_empty(), "sent to the wrong platform");
}
