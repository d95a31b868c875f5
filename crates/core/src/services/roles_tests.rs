//! Roles on the in-memory fake: grant and ungrant with their audit entries,
//! the configured admin that stays, and who may run what where.

use std::sync::atomic::Ordering;
use std::sync::Arc;

use super::*;
use crate::command::parse;
use crate::services::fakes::{caller, trail, MemStore};

fn roles(store: MemStore) -> (Roles, Arc<MemStore>) {
    let store = Arc::new(store);
    (Roles::new(store.clone(), trail(&store)), store)
}

fn command(text: &str) -> Command {
    parse(text, "bot").unwrap().unwrap()
}

#[tokio::test]
async fn granting_and_ungranting_a_role_are_audited() {
    // Issue 18: the roles service writes both entries, not the adapter.
    let (roles, store) = roles(MemStore::default());
    roles
        .grant(caller(), UserId(42), Role::Coordinator)
        .await
        .unwrap();
    assert_eq!(roles.role_of(UserId(42)).await, Some(Role::Coordinator));
    assert_eq!(
        roles.ungrant(caller(), UserId(42)).await.unwrap(),
        Ungranted::Removed
    );
    assert_eq!(roles.role_of(UserId(42)).await, None);
    assert_eq!(store.actions(), ["role.granted", "role.ungranted"]);
    assert_eq!(
        roles.ungrant(caller(), UserId(42)).await.unwrap(),
        Ungranted::NoRole
    );
    assert_eq!(store.actions().len(), 2, "a no-op ungrant is not audited");
}

#[tokio::test]
async fn a_configured_admin_cannot_be_ungranted() {
    // Issue 18: the refusal is told apart from "had no role".
    let store = MemStore {
        config_admins: vec![1],
        ..MemStore::default()
    };
    store.roles.lock().unwrap().insert(1, Role::Admin);
    let (roles, store) = roles(store);
    assert_eq!(
        roles.ungrant(caller(), UserId(1)).await.unwrap(),
        Ungranted::ConfigAdmin
    );
    assert!(store.actions().is_empty());
}

#[tokio::test]
async fn a_broken_store_grants_no_role() {
    // Issue 18: fail closed.
    let (roles, store) = roles(MemStore::default());
    store.roles.lock().unwrap().insert(42, Role::Admin);
    store.broken.store(true, Ordering::SeqCst);
    assert_eq!(roles.role_of(UserId(42)).await, None);
}

#[tokio::test]
async fn a_refused_command_is_audited_and_says_the_role_it_needs() {
    // Issue 18: who may do what is decided in the core.
    let (roles, store) = roles(MemStore::default());
    let stats = command("/stats");
    let got = roles
        .authorize(caller(), Some(Role::Coordinator), &stats, true)
        .await;
    assert_eq!(
        got,
        Permit::Denied {
            needed: Role::Admin
        }
    );
    assert_eq!(store.actions(), ["command.denied"]);
    let ok = roles
        .authorize(caller(), Some(Role::Admin), &stats, true)
        .await;
    assert_eq!(ok, Permit::Run);
    assert_eq!(store.actions().len(), 1);
}

#[test]
fn policy_runs_only_in_a_group_and_other_role_commands_only_in_private() {
    // Issue 18: where a command may be used.
    let admin = Some(Role::Admin);
    assert_eq!(permit(&command("/policy"), admin, true), Permit::GroupOnly);
    assert_eq!(permit(&command("/policy"), admin, false), Permit::Run);
    assert_eq!(
        permit(&command("/clients"), admin, false),
        Permit::PrivateOnly
    );
    assert_eq!(permit(&command("/rules"), None, false), Permit::Run);
    assert_eq!(
        permit(&command("/clients"), None, true),
        Permit::Denied {
            needed: Role::Coordinator
        }
    );
}
