//! The one command table: every command's name, the role it needs (its
//! group: member, coordinator, admin, the same names in every crate), where
//! it may be used, and its argument parser. The parser, the permission
//! check (`services/roles.rs` `permit`), `/help`, the platforms' command
//! menus and the authorization-matrix test all read it; its help line and
//! menu entry are texts (`texts/id.rs`, `en.rs`, keyed by the name).
//!
//! Adding a command: its `Command` variant and argument parser in its
//! group's file, one row here, its help line and menu entry in the texts,
//! its use case in a service, one dispatch arm in each adapter.

use super::error::Problem;
use super::{admin, coordinator, policy, Command};
use crate::Role;

/// Where a command may be used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Usable {
    /// In a private chat with the bot (what only the caller should see).
    Private,
    /// In the group it is about.
    Group,
    Anywhere,
}

impl Usable {
    pub fn here(self, private: bool) -> bool {
        match self {
            Self::Private => private,
            Self::Group => !private,
            Self::Anywhere => true,
        }
    }
}

/// Parses a known command's argument text.
pub type ArgsParser = fn(&str) -> Result<Command, Problem>;

/// One row of the table.
#[derive(Debug, Clone, Copy)]
pub struct Spec {
    /// Without the slash, lower case, as typed and as the menus show it.
    pub name: &'static str,
    /// Who may run it (an admin covers a coordinator); `None`: every member.
    pub role: Option<Role>,
    pub usable: Usable,
    pub parse: ArgsParser,
    /// Words after it are ignored unchecked (deep-link payloads after
    /// `/start`, a note with a `/report`).
    pub ignores_words: bool,
}

impl Spec {
    /// Whether it belongs in the help and the menu of `role` here: every
    /// member command, and the commands the role covers that run here.
    pub fn shown_to(&self, role: Option<Role>, private: bool) -> bool {
        match self.role {
            None => true,
            Some(needed) => role.is_some_and(|r| r.covers(needed)) && self.usable.here(private),
        }
    }
}

const fn row(name: &'static str, role: Option<Role>, usable: Usable, parse: ArgsParser) -> Spec {
    Spec {
        name,
        role,
        usable,
        parse,
        ignores_words: false,
    }
}

/// A command that takes no arguments and ignores any words after it.
const fn bare(name: &'static str, usable: Usable, parse: ArgsParser) -> Spec {
    Spec {
        ignores_words: true,
        ..row(name, MEMBER, usable, parse)
    }
}

use Usable::{Anywhere, Group, Private};
const MEMBER: Option<Role> = None;
const COORDINATOR: Option<Role> = Some(Role::Coordinator);
const ADMIN: Option<Role> = Some(Role::Admin);

/// Every command, in the order the help and the menus list them.
pub const TABLE: &[Spec] = &[
    bare("rules", Anywhere, |_| Ok(Command::Rules)),
    bare("report", Group, |_| Ok(Command::Report)),
    bare("help", Anywhere, |_| Ok(Command::Help)),
    bare("start", Anywhere, |_| Ok(Command::Start)),
    row("consent", COORDINATOR, Private, coordinator::consent),
    row("withdraw", COORDINATOR, Private, coordinator::withdraw),
    row("client", COORDINATOR, Private, coordinator::client),
    row("clients", COORDINATOR, Private, coordinator::clients),
    row("subject", COORDINATOR, Private, coordinator::subject),
    row("review", ADMIN, Private, admin::review),
    row("grant", ADMIN, Private, admin::grant),
    row("ungrant", ADMIN, Private, admin::ungrant),
    row("policy", ADMIN, Group, policy::policy),
    row("audit", ADMIN, Private, admin::audit),
    row("stats", ADMIN, Private, admin::stats),
    row("erase", ADMIN, Private, coordinator::erase),
    row("breach", ADMIN, Private, admin::breach),
];

/// The row of the command named `name` (lower case, no slash).
pub fn spec(name: &str) -> Option<&'static Spec> {
    TABLE.iter().find(|s| s.name == name)
}

/// What `role` sees in the help and the menu here, in table order.
pub fn shown(role: Option<Role>, private: bool) -> impl Iterator<Item = &'static Spec> {
    TABLE.iter().filter(move |s| s.shown_to(role, private))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::texts::{text, Msg};
    use crate::Lang;

    #[test]
    fn every_command_has_a_help_line_and_a_menu_entry_in_both_languages() {
        // Issue 18: a row without its texts is caught here, not by a user.
        for spec in TABLE {
            for lang in [Lang::Id, Lang::En] {
                let help = text(lang, &Msg::HelpLine { command: spec.name });
                let fallback = format!("/{}", spec.name);
                assert!(
                    help.starts_with(&fallback) && help != fallback,
                    "{lang:?} /{} help: {help:?}",
                    spec.name
                );
                let menu = text(lang, &Msg::MenuEntry { command: spec.name });
                assert!(
                    !menu.is_empty() && menu != fallback,
                    "{lang:?} /{} menu: {menu:?}",
                    spec.name
                );
            }
        }
    }

    #[test]
    fn names_are_unique_lower_case_and_within_telegrams_limits() {
        // Issue 18: one row per name; Telegram's menus take 1-32 of a-z, 0-9, _.
        for (i, spec) in TABLE.iter().enumerate() {
            assert!(
                TABLE[..i].iter().all(|s| s.name != spec.name),
                "{}",
                spec.name
            );
            let ok = |b: u8| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_';
            assert!(
                spec.name.len() <= 32 && spec.name.bytes().all(ok),
                "{}",
                spec.name
            );
        }
    }

    #[test]
    fn a_coordinator_sees_consent_commands_in_private_and_an_admin_policy_in_a_group() {
        // Issue 18: the help and the menus show what runs here.
        let names = |role, private| shown(role, private).map(|s| s.name).collect::<Vec<_>>();
        let coordinator = names(COORDINATOR, true);
        assert!(coordinator.contains(&"consent") && !coordinator.contains(&"review"));
        assert!(!names(COORDINATOR, false).contains(&"consent"));
        let admin_group = names(ADMIN, false);
        assert!(admin_group.contains(&"policy") && !admin_group.contains(&"grant"));
        assert_eq!(names(MEMBER, true), ["rules", "report", "help", "start"]);
    }
}
