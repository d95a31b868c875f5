//! Issue 17.3: failed downloads are counted per message, durably.

use photo_guard_core::store::DownloadTries;
use photo_guard_core::{ChatId, MessageId};

use super::{on_both, Fixture};

const CHAT: ChatId = ChatId(-1_000_000_000_777);

async fn failed_downloads_are_counted_per_message_and_survive_a_reopen(fx: Fixture) {
    // Issue 17.3: the count must outlive the process, or a restart retries forever.
    assert_eq!(
        fx.store.failed_download(CHAT, MessageId(5)).await.unwrap(),
        1
    );
    assert_eq!(
        fx.store.failed_download(CHAT, MessageId(5)).await.unwrap(),
        2
    );
    assert_eq!(
        fx.store.failed_download(CHAT, MessageId(6)).await.unwrap(),
        1
    );
    fx.store.close().await;
    let again = fx.reopen_with(&fx.key).await;
    assert_eq!(again.failed_download(CHAT, MessageId(5)).await.unwrap(), 3);
}

async fn forgotten_download_tries_count_from_one_again(fx: Fixture) {
    // Issue 17.3: a fetched (or removed) message leaves no count behind.
    fx.store.failed_download(CHAT, MessageId(9)).await.unwrap();
    fx.store.failed_download(CHAT, MessageId(9)).await.unwrap();
    fx.store.forget_downloads(CHAT, MessageId(9)).await.unwrap();
    assert_eq!(
        fx.store.failed_download(CHAT, MessageId(9)).await.unwrap(),
        1
    );
}

on_both!(
    failed_downloads_are_counted_per_message_and_survive_a_reopen,
    forgotten_download_tries_count_from_one_again,
);
