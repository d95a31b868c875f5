//! Everything about the store that does not depend on the database, run on
//! both back-ends (`on_both!`: `name::sqlite`, `name::postgres`): the
//! generic contract and consent rules, reopening, the schema's own
//! append-only rules, and audit appends from many tasks and from two stores
//! (two pools) on one database staying one chain.

use photo_guard_core::store::{AuditLog, ConsentStore, RoleStore};
use photo_guard_core::{AuditEvent, ChatId, ConsentLevel, Role, UserId};

use super::{
    at, consent_rules as rules, contract, contract_time, day, grant, on_both, Fixture,
    CONFIG_ADMIN, COORDINATOR,
};
use crate::VaultKey;

/// `async fn name(fx: Fixture)` running a generic contract function on the
/// fixture's store.
macro_rules! contract {
    ($($name:ident => $body:expr;)*) => {
        $(
            async fn $name(fx: Fixture) {
                let run = $body;
                run(&fx.store).await;
            }
        )*
        on_both!($($name),*);
    };
}

contract! {
    appended_records_come_back_oldest_first_with_their_ids => contract::appended_records_come_back_oldest_first_with_their_ids;
    clients_are_registered_once_and_listed_sorted => contract::clients_are_registered_once_and_listed_sorted;
    config_admins_are_admins_and_cannot_be_ungranted => |s| contract::config_admins_are_admins_and_cannot_be_ungranted(s, CONFIG_ADMIN);
    roles_are_granted_replaced_and_ungranted => |s| contract::roles_are_granted_replaced_and_ungranted(s, CONFIG_ADMIN);
    a_chat_policy_defaults_then_round_trips => contract::a_chat_policy_defaults_then_round_trips;
    guarded_chats_and_reminders_are_remembered => contract::guarded_chats_and_reminders_are_remembered;
    shares_are_recorded_and_counted_per_chat => contract::shares_are_recorded_and_counted_per_chat;
    a_sealed_photo_opens_to_the_same_bytes => contract::a_sealed_photo_opens_to_the_same_bytes;
    a_quarantined_photo_is_resolved_once_and_a_discard_wipes_it => contract::a_quarantined_photo_is_resolved_once_and_a_discard_wipes_it;
    purge_deletes_only_items_older_than_the_cutoff => contract::purge_deletes_only_items_older_than_the_cutoff;
    audit_entries_chain_and_come_back_since_a_time => contract::audit_entries_chain_and_come_back_since_a_time;
    updates_are_received_once_and_finished => contract::updates_are_received_once_and_finished;
    what_shows_a_client_is_its_originals_in_place_and_the_copies_posted => contract_time::what_shows_a_client_is_its_originals_in_place_and_the_copies_posted;
    a_takedown_hides_a_message_and_a_replacement_copy_shows => contract_time::a_takedown_hides_a_message_and_a_replacement_copy_shows;
    a_file_id_comes_back_as_noted => contract_time::a_file_id_comes_back_as_noted;
    the_last_digest_time_is_kept_per_user => contract_time::the_last_digest_time_is_kept_per_user;
    a_persons_language_is_kept_per_user_and_replaced => contract_time::a_persons_language_is_kept_per_user_and_replaced;
    a_subjects_data_is_found_by_its_code_and_erased_but_the_proof_stays => contract_time::a_subjects_data_is_found_by_its_code_and_erased_but_the_proof_stays;
    an_incident_keeps_its_description_clients_and_reminder_count => contract_time::an_incident_keeps_its_description_clients_and_reminder_count;
    shares_are_counted_per_chat_and_day_by_verdict => contract_time::shares_are_counted_per_chat_and_day_by_verdict;
    consent_is_in_force_on_its_until_day => rules::consent_is_in_force_on_its_until_day;
    expired_consent_is_not_in_force_the_day_after_until => rules::expired_consent_is_not_in_force_the_day_after_until;
    consent_is_not_in_force_before_its_first_day => rules::consent_is_not_in_force_before_its_first_day;
    a_withdrawal_ends_consent_and_a_renewal_restores_it => rules::a_withdrawal_ends_consent_and_a_renewal_restores_it;
    guardian_given_consent_is_kept_and_in_force => rules::guardian_given_consent_is_kept_and_in_force;
    a_renewal_recorded_ahead_of_time_does_not_cut_the_current_one => rules::a_renewal_recorded_ahead_of_time_does_not_cut_the_current_one;
    the_local_day_decides_expiry_not_the_utc_day => rules::the_local_day_decides_expiry_not_the_utc_day;
}

async fn records_and_roles_survive_reopening_the_database(fx: Fixture) {
    let rec = fx
        .store
        .append_consent(grant(
            "KLN0042",
            ConsentLevel::Full,
            day(2025, 1, 1),
            None,
            at(2025, 1, 1, 8),
        ))
        .await
        .unwrap();
    fx.store
        .grant(COORDINATOR, Role::Coordinator, CONFIG_ADMIN)
        .await
        .unwrap();
    fx.store.close().await;
    let again = fx.reopen_with(&fx.key).await;
    assert_eq!(again.consent_history(&rec.client).await.unwrap(), vec![rec]);
    assert_eq!(
        again.role(COORDINATOR).await.unwrap(),
        Some(Role::Coordinator)
    );
}

async fn an_admin_removed_from_the_config_is_no_longer_protected(fx: Fixture) {
    let other_config = fx
        .reopen_as(&VaultKey::generate().to_base64(), &[UserId(7)])
        .await;
    assert_eq!(
        other_config.role(CONFIG_ADMIN).await.unwrap(),
        None,
        "config admins are not written into the file"
    );
    assert_eq!(
        other_config.users_with(Role::Admin).await.unwrap(),
        vec![UserId(7)]
    );
}

async fn the_database_refuses_to_edit_or_delete_consent_records_and_audit_entries(fx: Fixture) {
    fx.store
        .append_consent(grant(
            "KLN0042",
            ConsentLevel::Refused,
            day(2025, 1, 1),
            None,
            at(2025, 1, 1, 8),
        ))
        .await
        .unwrap();
    fx.store
        .append(AuditEvent {
            at: at(2025, 1, 1, 9),
            actor: None,
            chat: Some(ChatId(-1)),
            action: "x".into(),
            detail: "{}".into(),
        })
        .await
        .unwrap();
    for sql in [
        "UPDATE consent_records SET level = 'full'",
        "DELETE FROM consent_records",
        "UPDATE clients SET code = 'OTHER'",
        "DELETE FROM clients",
        "UPDATE audit_log SET detail = '{\"edited\":true}'",
        "DELETE FROM audit_log",
    ] {
        let err = fx.execute(sql).await.expect_err(sql).to_string();
        assert!(err.contains("append-only"), "{sql}: {err}");
    }
}

async fn concurrent_appends_from_one_store_keep_the_chain_valid(fx: Fixture) {
    let tasks: Vec<_> = (0..40)
        .map(|i| {
            let store = fx.store.clone();
            tokio::spawn(async move {
                store
                    .append(AuditEvent {
                        at: at(2025, 1, 1, 0),
                        actor: Some(UserId(i)),
                        chat: None,
                        action: "t".into(),
                        detail: "{}".into(),
                    })
                    .await
            })
        })
        .collect();
    for task in tasks {
        task.await.unwrap().expect("every append succeeds");
    }
    let report = fx.store.verify_audit().await.unwrap();
    assert_eq!((report.entries, report.broken), (40, None));
}

async fn concurrent_appends_from_two_stores_on_one_database_keep_the_chain_valid(fx: Fixture) {
    let second = fx.reopen_with(&fx.key).await;
    let mut tasks = Vec::new();
    for i in 0..30 {
        let store = if i % 2 == 0 {
            fx.store.clone()
        } else {
            second.clone()
        };
        tasks.push(tokio::spawn(async move {
            store
                .append(AuditEvent {
                    at: at(2025, 1, 1, 0),
                    actor: Some(UserId(i)),
                    chat: None,
                    action: "t".into(),
                    detail: "{}".into(),
                })
                .await
        }));
    }
    for task in tasks {
        task.await.unwrap().expect("every append succeeds");
    }
    let report = fx.store.verify_audit().await.unwrap();
    assert_eq!((report.entries, report.broken), (30, None));
}

on_both!(
    records_and_roles_survive_reopening_the_database,
    an_admin_removed_from_the_config_is_no_longer_protected,
    the_database_refuses_to_edit_or_delete_consent_records_and_audit_entries,
    concurrent_appends_from_one_store_keep_the_chain_valid,
    concurrent_appends_from_two_stores_on_one_database_keep_the_chain_valid,
);
