//! Chat policies on the in-memory fake: showing changes nothing, setting
//! keeps what was not named and is audited.

use std::sync::Arc;

use super::*;
use crate::command::{parse, Command};
use crate::services::fakes::{trail, MemStore};
use crate::{Mode, UserId};

fn args(text: &str) -> PolicyArgs {
    match parse(text, "bot") {
        Some(Ok(Command::Policy(a))) => a,
        other => panic!("{text:?} parsed as {other:?}"),
    }
}

fn group() -> Caller {
    Caller {
        user: UserId(1),
        chat: ChatId(-100),
    }
}

#[tokio::test]
async fn showing_the_policy_changes_and_records_nothing() {
    // Issue 18: /policy alone is a read.
    let store = Arc::new(MemStore::default());
    let policies = ChatPolicies::new(store.clone(), trail(&store));
    let got = policies
        .apply(group(), "Tim", &args("/policy"))
        .await
        .unwrap();
    assert_eq!(got, PolicyOutcome::Shown(ChatPolicy::default()));
    assert!(store.actions().is_empty());
    assert!(store.policies.lock().unwrap().is_empty());
}

#[tokio::test]
async fn setting_the_policy_keeps_the_rest_remembers_the_chat_and_is_audited() {
    // Issue 18: the policy service saves, remembers and audits.
    let store = Arc::new(MemStore::default());
    let policies = ChatPolicies::new(store.clone(), trail(&store));
    let got = policies
        .apply(group(), "Tim", &args("/policy mode=observe lang=en"))
        .await
        .unwrap();
    let want = ChatPolicy {
        mode: Mode::Observe,
        lang: Lang::En,
        ..ChatPolicy::default()
    };
    assert_eq!(got, PolicyOutcome::Set(want));
    assert_eq!(policies.lang(group().chat).await, Lang::En);
    assert_eq!(
        store.chats.lock().unwrap().get(&-100).map(String::as_str),
        Some("Tim")
    );
    assert_eq!(store.actions(), ["policy.set"]);
}
