//! The chats service on the fakes: migrations, and what a change of the
//! bot's standing says to whom.

use super::*;
use crate::platform::fake::{Call, FakePlatform};
use crate::services::fakes::{trail, MemStore};
use crate::{ChatPolicy, Lang, LocalWork, Role};

fn chats(store: &Arc<MemStore>) -> Chats {
    let work = Arc::new(LocalWork::default());
    Chats::new(store.clone(), store.clone(), trail(store), work)
}

#[tokio::test]
async fn a_migrated_group_keeps_its_policy_under_the_new_id_and_the_move_is_audited_once() {
    // Issue 18: the migration is decided and audited in the core.
    let store = Arc::new(MemStore::default());
    let off = ChatPolicy {
        remind_days: None,
        ..ChatPolicy::default()
    };
    store.policies.lock().unwrap().insert(-5, off);
    let chats = chats(&store);
    let (from, to) = (ChatId(-5), ChatId(-1_005));
    assert!(chats.migrated(from, to, Some(UserId(3))).await.unwrap());
    assert_eq!(store.policies.lock().unwrap()[&to.0], off);
    assert!(!chats.migrated(from, to, None).await.unwrap());
    assert_eq!(store.actions(), ["chat.migrated"]);
}

fn change(old: Standing, new: Standing) -> StandingChange<'static> {
    StandingChange {
        chat: ChatId(-7),
        title: "Tim",
        by: Some(UserId(5)),
        old,
        new,
    }
}

#[tokio::test]
async fn losing_the_right_warns_the_chat_in_its_language_and_tells_the_admins() {
    // Issue 18: a change of standing is decided in the core, told through the port.
    let store = Arc::new(MemStore::default());
    store.roles.lock().unwrap().insert(1, Role::Admin);
    let en = ChatPolicy {
        lang: Lang::En,
        ..ChatPolicy::default()
    };
    store.policies.lock().unwrap().insert(-7, en);
    let platform = FakePlatform::default();
    let chats = chats(&store);
    let lost = change(Standing::Guarding, Standing::Unguarded);
    chats.standing_changed(&platform, lost).await;
    let warned = text(Lang::En, &Msg::NoDeleteRights);
    let told = text(Lang::Id, &Msg::NoDeleteRightsAdmin { chat: "Tim" });
    let calls = platform.calls();
    assert_eq!(
        calls,
        [
            Call::PostText(Place::chat(ChatId(-7)), warned),
            Call::TellUser(UserId(1), told)
        ]
    );
    assert_eq!(store.chats.lock().unwrap()[&-7], "Tim");
    assert_eq!(store.actions(), ["chat.bot_status"]);
}

#[tokio::test]
async fn an_unchanged_standing_does_nothing_and_being_removed_says_nothing() {
    // Issue 18: only a real change is audited; a chat the bot left is not told.
    let store = Arc::new(MemStore::default());
    store.roles.lock().unwrap().insert(1, Role::Admin);
    let platform = FakePlatform::default();
    let chats = chats(&store);
    let same = change(Standing::Guarding, Standing::Guarding);
    chats.standing_changed(&platform, same).await;
    assert!(store.actions().is_empty());
    let left = change(Standing::Guarding, Standing::Absent);
    chats.standing_changed(&platform, left).await;
    assert!(platform.calls().is_empty());
    assert!(store.chats.lock().unwrap().is_empty());
    assert_eq!(store.actions(), ["chat.bot_status"]);
}
