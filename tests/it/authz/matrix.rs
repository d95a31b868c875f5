//! Every command by every role in every chat.

use photo_guard_core::command::table::{self, Usable};
use photo_guard_core::store::RoleStore;
use photo_guard_core::texts::Msg;
use photo_guard_core::{ChatPolicy, ClientCode, ConsentLevel, Role, Untagged, UserId};

use super::cast::*;
use super::setup::world;
use super::world::*;
use crate::support::*;

/// Every command in the core's one table (`command/table.rs`): a command
/// added there gets its row in this matrix, and a failing cell until
/// `cell` says what DESIGN.md allows it to do.
pub(super) fn commands() -> impl Iterator<Item = &'static str> {
    table::TABLE.iter().map(|spec| spec.name)
}

/// What DESIGN.md allows: the command text for the cell, the answer and the effect.
pub(super) fn cell(world: &mut World, name: &str, who: Who, at: Where) -> (String, Answer, Effect) {
    let private = at == Where::Private;
    let spec = table::spec(name).expect("a command of the table");
    let command = match name {
        "consent" => {
            world.consent_codes += 1;
            format!("/consent AUTHZ{} full", world.consent_codes)
        }
        "withdraw" => format!("/withdraw {KNOWN} dicabut"),
        "client" => format!("/client {KNOWN}"),
        "subject" => format!("/subject {KNOWN}"),
        // Issue 23: an unknown code and an unknown incident change nothing.
        "erase" => "/erase AUTHZ_NONE".to_owned(),
        "breach" => "/breach 999".to_owned(),
        "grant" => format!("/grant {TARGET} admin"),
        "ungrant" => format!("/ungrant {TARGET}"),
        "policy" => "/policy untagged=block remind=3d".to_owned(),
        other => format!("/{other}"),
    };
    let refused = |msg: Msg<'_>| (command.clone(), Answer::Is(t(msg)), Effect::Nothing);
    if let Some(needed) = spec.role {
        if !who.role().is_some_and(|r| r.covers(needed)) {
            return refused(Msg::NotAllowed { needed });
        }
    }
    match (spec.usable, private) {
        (Usable::Group, true) => return refused(Msg::GroupOnly),
        (Usable::Private, false) => return refused(Msg::PrivateOnly),
        _ => {}
    }
    let code = command
        .split_whitespace()
        .nth(1)
        .unwrap_or_default()
        .to_owned();
    let client = |c: &str| ClientCode::parse(c).unwrap();
    let (answer, effect) = match name {
        "start" => (Answer::Is(t(Msg::Start)), Effect::Nothing),
        "help" => (
            Answer::Is(t(Msg::Help {
                role: who.role(),
                private,
            })),
            Effect::Nothing,
        ),
        "rules" => (Answer::Is(t(Msg::Rules)), Effect::Nothing),
        "report" => (Answer::Is(t(Msg::ReportThanks)), Effect::AdminsTold),
        "consent" => (
            Answer::Is(t(Msg::ConsentRecorded {
                code: &client(&code),
                level: ConsentLevel::Full,
                until: None,
            })),
            Effect::ClientRegistered(code),
        ),
        "withdraw" => (
            Answer::Is(t(Msg::Withdrawn {
                code: &client(KNOWN),
            })),
            Effect::RecordAppended(KNOWN.into()),
        ),
        "client" => (Answer::StartsWith(format!("{KNOWN}: ")), Effect::Nothing),
        "clients" => (Answer::Contains(format!("\n{KNOWN}: ")), Effect::Nothing),
        "review" => (Answer::ReviewItem(world.item), Effect::Nothing),
        "grant" => (
            Answer::Is(t(Msg::Granted {
                user: TARGET,
                role: Role::Admin,
            })),
            Effect::RoleIs(TARGET, Some(Role::Admin)),
        ),
        "ungrant" => (
            Answer::Is(t(Msg::Ungranted { user: TARGET })),
            Effect::RoleIs(TARGET, None),
        ),
        "policy" => {
            let set = ChatPolicy {
                untagged: Untagged::Block,
                remind_days: Some(3),
                ..ChatPolicy::default()
            };
            (
                Answer::Is(t(Msg::PolicySet { policy: &set })),
                Effect::GroupPolicy(set),
            )
        }
        "audit" => (Answer::Document, Effect::Nothing),
        "stats" => (
            Answer::TextAndDocument(t(Msg::StatsHeader)),
            Effect::Nothing,
        ),
        "subject" => (Answer::Document, Effect::Nothing),
        "erase" => (
            Answer::Is(t(Msg::UnknownClient {
                code: &client("AUTHZ_NONE"),
            })),
            Effect::Nothing,
        ),
        "breach" => (
            Answer::Is(t(Msg::UnknownIncident { id: 999 })),
            Effect::Nothing,
        ),
        other => unreachable!("{other}"),
    };
    (command, answer, effect)
}

#[tokio::test(flavor = "multi_thread")]
pub(super) async fn every_command_by_every_role_in_every_chat_does_only_what_the_design_allows() {
    let mut w = world().await;
    let mut failures = Vec::new();
    let mut cells = 0;
    for name in commands() {
        for who in Who::ALL {
            for at in [Where::Group, Where::Private] {
                // The ungrant cell needs someone to ungrant.
                if name == "ungrant" {
                    w.store
                        .grant(UserId(TARGET), Role::Coordinator, UserId(ADMIN))
                        .await
                        .unwrap();
                }
                let (command, answer, effect) = cell(&mut w, name, who, at);
                let label = format!("/{name} by {who:?} ({}) in {at:?}", who.name());
                cells += 1;
                if let Some(problem) = w.run(&label, who, at, &command, answer, effect).await {
                    failures.push(problem);
                }
                w.reset().await;
            }
        }
    }
    // Escalation and self-service attempts beyond the grid.
    let extra: [(&str, Who, String, Answer, Effect); 5] = [
        (
            "coordinator grants themself admin",
            Who::Coordinator,
            format!("/grant {COORDINATOR} admin"),
            Answer::Is(t(Msg::NotAllowed {
                needed: Role::Admin,
            })),
            Effect::Nothing,
        ),
        (
            "member grants themself coordinator",
            Who::Member,
            format!("/grant {ALICE} coordinator"),
            Answer::Is(t(Msg::NotAllowed {
                needed: Role::Admin,
            })),
            Effect::Nothing,
        ),
        (
            "coordinator ungrants the admin",
            Who::Coordinator,
            format!("/ungrant {ADMIN}"),
            Answer::Is(t(Msg::NotAllowed {
                needed: Role::Admin,
            })),
            Effect::Nothing,
        ),
        (
            "admin ungrants the config admin",
            Who::Admin,
            format!("/ungrant {ADMIN}"),
            Answer::Is(t(Msg::UngrantConfigAdmin { user: ADMIN })),
            Effect::Nothing,
        ),
        (
            "member addresses a command to this bot by @name",
            Who::Member,
            format!("/consent@{} AUTHZ_X full", w.app.fake.bot_username()),
            Answer::Is(t(Msg::NotAllowed {
                needed: Role::Coordinator,
            })),
            Effect::Nothing,
        ),
    ];
    for (label, who, command, answer, effect) in extra {
        cells += 1;
        if let Some(problem) = w
            .run(label, who, Where::Private, &command, answer, effect)
            .await
        {
            failures.push(problem);
        }
        w.reset().await;
    }
    eprintln!(
        "authorization matrix: {cells} cells, {} failing",
        failures.len()
    );
    assert!(
        failures.is_empty(),
        "authorization matrix, {} of {cells} cells wrong:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
