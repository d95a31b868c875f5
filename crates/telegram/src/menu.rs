//! The commands menu, per scope: members see member commands; coordinators
//! and admins see theirs in their private chat with the bot.

use photo_guard_core::{Role, UserId};
use teloxide::prelude::*;
use teloxide::types::{BotCommand, BotCommandScope, ChatId, Recipient};

use crate::retry::with_retry;

fn commands(names: &[(&str, &str)]) -> Vec<BotCommand> {
    names.iter().map(|(c, d)| BotCommand::new(*c, *d)).collect()
}

const MEMBER: [(&str, &str); 4] = [
    ("rules", "Aturan foto klien / photo rules"),
    (
        "report",
        "Laporkan pesan (balas) / report a message (reply)",
    ),
    ("help", "Bantuan / help"),
    ("start", "Tentang bot / about"),
];
const COORDINATOR: [(&str, &str); 5] = [
    ("consent", "Catat persetujuan / record consent"),
    ("withdraw", "Cabut persetujuan / withdraw consent"),
    ("client", "Riwayat klien / client history"),
    ("clients", "Semua klien / all clients"),
    ("subject", "Data seorang klien / a client's data"),
];
const ADMIN: [(&str, &str); 7] = [
    ("review", "Foto yang ditahan / blocked photos"),
    ("grant", "Beri peran / grant a role"),
    ("ungrant", "Cabut peran / remove a role"),
    ("audit", "Log audit (CSV)"),
    ("stats", "Statistik / statistics"),
    ("erase", "Hapus data klien / erase a client's data"),
    ("breach", "Insiden kebocoran / data breach"),
];

fn coordinator_menu() -> Vec<BotCommand> {
    let mut menu = commands(&MEMBER);
    menu.extend(commands(&COORDINATOR));
    menu
}

fn admin_menu() -> Vec<BotCommand> {
    let mut menu = coordinator_menu();
    menu.extend(commands(&ADMIN));
    menu
}

/// Sets every scope's menu. A failure is logged: the bot works without menus.
pub async fn install(bot: &Bot, coordinators: &[UserId], admins: &[UserId]) {
    let member = commands(&MEMBER);
    let coordinator = coordinator_menu();
    let admin = admin_menu();
    let mut group_admin = member.clone();
    group_admin.push(BotCommand::new("policy", "Kebijakan obrolan / chat policy"));

    let mut scoped = vec![
        (BotCommandScope::AllGroupChats, member.clone()),
        (BotCommandScope::AllPrivateChats, member),
        (BotCommandScope::AllChatAdministrators, group_admin),
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
        Some(Role::Coordinator) => set_menu(bot, scope, coordinator_menu()).await,
        Some(Role::Admin) => set_menu(bot, scope, admin_menu()).await,
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
