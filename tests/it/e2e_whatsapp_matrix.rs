//! Issue 22: every row of the command table over WhatsApp, for a member, a
//! coordinator and an admin, each where the table says it runs: refused
//! with the same text as on Telegram without the role, and with it
//! answered (never silence, never the help text in place of the command).

use photo_guard_core::command::table::{Usable, TABLE};
use photo_guard_core::texts::{text, Msg};
use photo_guard_core::{ConsentLevel, Lang, Role};

use crate::e2e_whatsapp::consent;
use crate::support_whatsapp::{WaApp, ADMIN, ALICE};

const COORDINATOR: &str = "6281100000005@c.us";

/// A well-formed use of the command named `name`.
fn typed(name: &str) -> String {
    let args = match name {
        "consent" => " KLNAZ01 full",
        "withdraw" | "client" | "subject" => " KLNAZ02",
        "erase" => " KLNAZ03",
        "grant" => " 6281100000009 coordinator",
        "ungrant" => " 6281100000009",
        "breach" => " a client photo was forwarded outside the team",
        _ => "",
    };
    format!("/{name}{args}")
}

#[tokio::test]
async fn every_command_in_the_table_is_answered_on_whatsapp_and_checked_against_its_role() {
    // Issue 22: commands WhatsApp did not run were answered with the help text, refusals aside.
    let app = WaApp::spawn().await;
    app.give_role(COORDINATOR, Role::Coordinator).await;
    for code in ["KLNAZ02", "KLNAZ03"] {
        consent(&app, code, ConsentLevel::Full).await;
    }
    let mut failures = Vec::new();
    for (who, role) in [
        (ALICE, None),
        (COORDINATOR, Some(Role::Coordinator)),
        (ADMIN, Some(Role::Admin)),
    ] {
        for spec in TABLE {
            let private = spec.usable != Usable::Group;
            let command = typed(spec.name);
            let answer = match private {
                true => app.private_command(who, &command).await,
                false => app.group_command(who, &command).await,
            };
            let allowed = spec
                .role
                .is_none_or(|needed| role.is_some_and(|r| r.covers(needed)));
            let refused = spec
                .role
                .map(|needed| text(Lang::Id, &Msg::NotAllowed { needed }));
            let lang = Lang::Id;
            let help = text(lang, &Msg::Help { role, private });
            let wrong = match (allowed, refused) {
                (false, Some(refused)) => answer != refused,
                (false, None) => unreachable!("a member command is always allowed"),
                (true, refused) => {
                    refused.is_some_and(|r| answer == r) || (spec.name != "help" && answer == help)
                }
            };
            if wrong {
                failures.push(format!("{command} by {who} ({role:?}): {answer:?}"));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
