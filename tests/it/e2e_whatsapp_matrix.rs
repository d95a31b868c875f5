//! Issue 22: every row of the command table over WhatsApp, for a member, a
//! coordinator and an admin, each where the table says it runs: refused
//! with the same text as on Telegram without the role, and with it
//! answered (never silence, never the help text in place of the command);
//! an admin in the wrong place is told where to use it.

use photo_guard_core::command::table::{Spec, Usable, TABLE};
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

async fn ask(app: &WaApp, who: &str, command: &str, private: bool) -> String {
    match private {
        true => app.private_command(who, command).await,
        false => app.group_command(who, command).await,
    }
}

/// What is wrong with `answer` to `spec` from someone holding `role`, if anything.
fn misanswered(spec: &Spec, role: Option<Role>, private: bool, answer: &str) -> Option<String> {
    let allowed = spec
        .role
        .is_none_or(|needed| role.is_some_and(|r| r.covers(needed)));
    let refused = spec
        .role
        .map(|needed| text(Lang::Id, &Msg::NotAllowed { needed }));
    let help = text(Lang::Id, &Msg::Help { role, private });
    let wrong = match (allowed, refused) {
        (false, refused) => refused.as_deref() != Some(answer),
        (true, refused) => {
            refused.as_deref() == Some(answer) || (spec.name != "help" && answer == help)
        }
    };
    wrong.then(|| format!("{answer:?}"))
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
            let places: &[bool] = match spec.usable {
                Usable::Private => &[true],
                Usable::Group => &[false],
                Usable::Anywhere => &[true, false],
            };
            for &private in places {
                let command = typed(spec.name);
                let answer = ask(&app, who, &command, private).await;
                if let Some(wrong) = misanswered(spec, role, private, &answer) {
                    failures.push(format!("{command} by {who} ({role:?}): {wrong}"));
                }
            }
        }
    }
    // An admin in the wrong place is told where, as on Telegram.
    for spec in TABLE.iter().filter(|s| s.usable != Usable::Anywhere) {
        let private = spec.usable == Usable::Group;
        let command = typed(spec.name);
        let answer = ask(&app, ADMIN, &command, private).await;
        let place = match private {
            true => Msg::GroupOnly,
            false => Msg::PrivateOnly,
        };
        if answer != text(Lang::Id, &place) {
            failures.push(format!(
                "{command} by the admin in the wrong place: {answer:?}"
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
