//! The commands menu, per scope, from the core's command table: members see
//! member commands everywhere; Telegram's group admins also see the group
//! commands of a photo-guard admin (`/policy`); coordinators and admins see
//! theirs in their private chat with the bot.

use photo_guard_core::command::table;
use photo_guard_core::texts::menu_entry;
use photo_guard_core::{Role, UserId};
use teloxide::prelude::*;
use teloxide::types::{BotCommand, BotCommandScope, ChatId, Recipient};

use crate::retry::with_retry;

/// What `role` sees in the menu of a private chat or a group.
fn menu(role: Option<Role>, private: bool) -> Vec<BotCommand> {
    table::shown(role, private)
        .map(|spec| BotCommand::new(spec.name, menu_entry(spec.name)))
        .collect()
}

/// Sets every scope's menu. A failure is logged: the bot works without menus.
pub async fn install(bot: &Bot, coordinators: &[UserId], admins: &[UserId]) {
    let coordinator = menu(Some(Role::Coordinator), true);
    let admin = menu(Some(Role::Admin), true);
    let mut scoped = vec![
        (BotCommandScope::AllGroupChats, menu(None, false)),
        (BotCommandScope::AllPrivateChats, menu(None, true)),
        (
            BotCommandScope::AllChatAdministrators,
            menu(Some(Role::Admin), false),
        ),
    ];
    for user in coordinators {
        scoped.push((private(*user), coordinator.clone()));
    }
    for user in admins {
        scoped.push((private(*user), admin.clone()));
    }
    for (scope, list) in scoped {
        if let Err(e) = set_menu(bot, scope, list).await {
            tracing::warn!(error = %e, "cannot set a commands menu");
        }
    }
}

async fn set_menu(
    bot: &Bot,
    scope: BotCommandScope,
    list: Vec<BotCommand>,
) -> Result<(), teloxide::RequestError> {
    with_retry("setMyCommands", || {
        bot.set_my_commands(list.clone())
            .scope(scope.clone())
            .send()
    })
    .await
    .map(drop)
}

/// A user's private menu after /grant or /ungrant: their role's commands,
/// or (no role) the members' menu every private chat falls back to.
pub async fn set_for(bot: &Bot, user: UserId, role: Option<Role>) {
    let scope = private(user);
    let res = match role {
        Some(role) => set_menu(bot, scope, menu(Some(role), true)).await,
        None => with_retry("deleteMyCommands", || {
            bot.delete_my_commands().scope(scope.clone()).send()
        })
        .await
        .map(drop),
    };
    if let Err(e) = res {
        tracing::warn!(error = %e, "cannot update a user's commands menu");
    }
}

fn private(user: UserId) -> BotCommandScope {
    BotCommandScope::Chat {
        chat_id: Recipient::Id(ChatId(user.0)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(menu: Vec<BotCommand>) -> Vec<String> {
        menu.into_iter().map(|c| c.command).collect()
    }

    #[test]
    fn each_menu_lists_the_commands_its_role_may_use_there() {
        // Issue 18: the menus come from the core's table (issue 23 added
        // /subject, /erase and /breach to it, private chats only).
        let member = ["rules", "report", "help", "start"];
        let coordinator = [
            &member[..],
            &["consent", "withdraw", "client", "clients", "subject"],
        ]
        .concat();
        let admin = [
            &coordinator[..],
            &[
                "review", "grant", "ungrant", "audit", "stats", "erase", "breach",
            ],
        ]
        .concat();
        assert_eq!(names(menu(None, false)), member);
        assert_eq!(names(menu(None, true)), member);
        let group_admin = [&member[..], &["policy"]].concat();
        assert_eq!(names(menu(Some(Role::Admin), false)), group_admin);
        assert_eq!(names(menu(Some(Role::Coordinator), true)), coordinator);
        assert_eq!(names(menu(Some(Role::Admin), true)), admin);
    }
}
