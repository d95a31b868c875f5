//! Issue 6, the authorization matrix: every command × every role (none,
//! member, coordinator, admin) × chat type (group, private), and the review
//! buttons × roles, against the real bot. Only what DESIGN.md allows has an
//! effect; everything else is answered with NotAllowed / PrivateOnly /
//! GroupOnly and changes nothing in the store.
//!
//! DESIGN.md, "The bot's commands":
//! - everyone: /start, /help, /rules anywhere; /report in a group, as a reply;
//! - coordinators (and admins, who cover them), in a private chat: /consent,
//!   /withdraw, /client, /clients;
//! - admins, in a private chat: /review, /grant, /ungrant, /audit, /stats;
//!   /policy in a group.
//!
//! "none" is a user who is not in the group (in the group cells Telegram
//! would have made them a member by the time they can post, as the fake does);
//! "member" is in the group with no photo-guard role; the coordinator is
//! named with `/grant ID coordinator` by the admin; the admin comes from
//! ADMIN_USER_IDS. One bot process runs the whole matrix, a cell at a time.

use std::collections::{BTreeMap, BTreeSet};

use photo_guard_core::store::{AuditLog, ConsentStore, Inbox, PolicyStore, RoleStore, Vault};
use photo_guard_core::texts::{text, Msg};
use photo_guard_core::{
    ChatId, ChatPolicy, ClientCode, ConsentLevel, Lang, RecordId, Resolution, Role, Untagged,
    UserId,
};
use photo_guard_store::SqliteStore;

use crate::support::*;

/// Not in the group; talks to the bot privately.
const NOBODY: i64 = 2002;
/// The user /grant and /ungrant act on.
const TARGET: i64 = 3001;
/// A client with consent, for /withdraw and /client.
const KNOWN: &str = "AUTHZ_WD";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Who {
    None,
    Member,
    Coordinator,
    Admin,
}

impl Who {
    const ALL: [Who; 4] = [Who::None, Who::Member, Who::Coordinator, Who::Admin];

    fn user(self) -> i64 {
        match self {
            Who::None => NOBODY,
            Who::Member => ALICE,
            Who::Coordinator => COORDINATOR,
            Who::Admin => ADMIN,
        }
    }

    fn role(self) -> Option<Role> {
        match self {
            Who::None | Who::Member => None,
            Who::Coordinator => Some(Role::Coordinator),
            Who::Admin => Some(Role::Admin),
        }
    }

    fn name(self) -> &'static str {
        match self {
            Who::None => "Nobody",
            Who::Member => "Alice",
            Who::Coordinator => "Citra",
            Who::Admin => "Ade",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Where {
    Group,
    Private,
}

impl Where {
    fn chat(self, who: Who) -> i64 {
        match self {
            Where::Group => GROUP,
            Where::Private => who.user(),
        }
    }
}

/// What the answer in the chat must be.
#[derive(Debug, Clone)]
enum Answer {
    /// Exactly one text message, this one.
    Is(String),
    /// One text message starting with this.
    StartsWith(String),
    /// One text message containing this.
    Contains(String),
    /// The review queue: one message per pending item, with its buttons.
    ReviewItem(i64),
    /// Only a document (the audit CSV), sent with content protection.
    Document,
}

/// The change the command must make, if any.
#[derive(Debug, Clone)]
enum Effect {
    Nothing,
    ClientRegistered(String),
    RecordAppended(String),
    RoleIs(i64, Option<Role>),
    GroupPolicy(ChatPolicy),
    AdminsTold,
}

/// Everything a command could change, read from the store (and, for
/// /report, the admins' chat).
#[derive(Debug, Clone, PartialEq)]
struct Snapshot {
    clients: BTreeSet<String>,
    records: BTreeMap<String, usize>,
    roles: BTreeMap<i64, Option<Role>>,
    policies: BTreeMap<i64, ChatPolicy>,
    item: Resolution,
    reports_to_admin: usize,
}

struct World {
    app: TestApp,
    store: SqliteStore,
    item: i64,
    /// A bot message in the group with no buttons (the blocked-photo notice).
    group_notice: i32,
    consent_codes: usize,
}

impl World {
    async fn snapshot(&self) -> Snapshot {
        let s = &self.store;
        let mut clients = BTreeSet::new();
        let mut records = BTreeMap::new();
        for code in s.clients().await.expect("clients") {
            records.insert(
                code.to_string(),
                s.consent_history(&code).await.expect("history").len(),
            );
            clients.insert(code.to_string());
        }
        let mut roles = BTreeMap::new();
        for user in [NOBODY, ALICE, COORDINATOR, ADMIN, MALLORY, TARGET] {
            roles.insert(user, s.role(UserId(user)).await.expect("role"));
        }
        let mut policies = BTreeMap::new();
        for chat in [GROUP, NOBODY, ALICE, COORDINATOR, ADMIN] {
            policies.insert(chat, s.chat_policy(ChatId(chat)).await.expect("policy"));
        }
        let marker = report_marker();
        let reports_to_admin = self
            .app
            .fake
            .messages_to(ADMIN)
            .iter()
            .filter(|m| m.text.contains(&marker))
            .count();
        let item = s
            .item(RecordId(self.item))
            .await
            .expect("the quarantined item")
            .resolution;
        Snapshot {
            clients,
            records,
            roles,
            policies,
            item,
            reports_to_admin,
        }
    }

    /// The ids of what the bot has posted in a chat so far (texts and documents).
    fn outputs(&self, chat: i64) -> BTreeSet<i32> {
        let f = &self.app.fake;
        f.sent_messages(chat)
            .iter()
            .map(|m| m.message_id)
            .chain(f.sent_documents(chat).iter().map(|d| d.message_id))
            .collect()
    }

    /// Waits until the bot has answered in `chat` (something new beyond
    /// `before`) and has finished every update it received.
    async fn settle(&self, chat: i64, before: &BTreeSet<i32>) -> bool {
        let answered = self.app.fake.wait_until(WAIT, |f| {
            f.sent_messages(chat)
                .iter()
                .any(|m| !before.contains(&m.message_id))
                || f.sent_documents(chat)
                    .iter()
                    .any(|d| !before.contains(&d.message_id))
        });
        if !answered.await {
            return false;
        }
        let deadline = tokio::time::Instant::now() + WAIT;
        while tokio::time::Instant::now() < deadline {
            if self
                .store
                .unfinished()
                .await
                .map(|u| u.is_empty())
                .unwrap_or(false)
            {
                return true;
            }
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
        false
    }

    /// Runs one cell; returns what was wrong with it, if anything.
    async fn run(
        &self,
        label: &str,
        who: Who,
        at: Where,
        command: &str,
        answer: Answer,
        effect: Effect,
    ) -> Option<String> {
        let chat = at.chat(who);
        let before_outputs = self.outputs(chat);
        let before = self.snapshot().await;
        let fake = &self.app.fake;
        if command == "/report" && at == Where::Group {
            let target = fake.send_text(GROUP, MALLORY, "foto klien di grup lain");
            fake.reply_with_command(GROUP, who.user(), target, command);
        } else {
            fake.send_text(chat, who.user(), command);
        }
        if !self.settle(chat, &before_outputs).await {
            return Some(format!("{label}: no answer"));
        }
        let after = self.snapshot().await;
        let mut problems = Vec::new();

        let texts: Vec<_> = fake
            .sent_messages(chat)
            .into_iter()
            .filter(|m| !before_outputs.contains(&m.message_id))
            .collect();
        let docs: Vec<_> = fake
            .sent_documents(chat)
            .into_iter()
            .filter(|d| !before_outputs.contains(&d.message_id))
            .collect();
        let shown: Vec<String> = texts.iter().map(|m| format!("{:.70?}", m.text)).collect();
        match &answer {
            Answer::Is(want) => {
                if texts.len() != 1 || texts[0].text != *want || !docs.is_empty() {
                    problems.push(format!(
                        "answer {shown:?} (+{} documents), want {want:.70?}",
                        docs.len()
                    ));
                }
            }
            Answer::StartsWith(want) => {
                if texts.len() != 1 || !texts[0].text.starts_with(want.as_str()) || !docs.is_empty()
                {
                    problems.push(format!("answer {shown:?}, want one starting {want:.50?}"));
                }
            }
            Answer::Contains(want) => {
                if texts.len() != 1 || !texts[0].text.contains(want.as_str()) || !docs.is_empty() {
                    problems.push(format!("answer {shown:?}, want one containing {want:.50?}"));
                }
            }
            Answer::ReviewItem(item) => {
                let data = format!("rv:v:{item}");
                let listed = texts.iter().any(|m| {
                    m.text.contains(&format!("#{item}"))
                        && m.reply_markup
                            .as_ref()
                            .is_some_and(|k| k.to_string().contains(&data))
                });
                if !listed {
                    problems.push(format!(
                        "review queue {shown:?} does not list item {item} with its buttons"
                    ));
                }
            }
            Answer::Document => {
                if !texts.is_empty() || docs.len() != 1 || !docs[0].protect_content {
                    problems.push(format!(
                        "want one protected document, got texts {shown:?} and {} documents",
                        docs.len()
                    ));
                }
            }
        }
        // A refused command or button must not reveal anything: no buttons.
        if !matches!(answer, Answer::ReviewItem(_))
            && texts.iter().any(|m| m.reply_markup.is_some())
        {
            problems.push("answered with buttons".into());
        }

        let mut want = before.clone();
        match &effect {
            Effect::Nothing => {}
            Effect::ClientRegistered(code) => {
                want.clients.insert(code.clone());
                want.records.insert(code.clone(), 1);
            }
            Effect::RecordAppended(code) => *want.records.entry(code.clone()).or_default() += 1,
            Effect::RoleIs(user, role) => {
                want.roles.insert(*user, *role);
            }
            Effect::GroupPolicy(policy) => {
                want.policies.insert(GROUP, *policy);
            }
            Effect::AdminsTold => want.reports_to_admin += 1,
        }
        if after != want {
            problems.push(format!("store/effects {}", diff(&want, &after)));
        }
        (!problems.is_empty()).then(|| format!("{label}: {}", problems.join("; ")))
    }

    /// Puts back what an allowed cell changed, so every cell starts alike.
    async fn reset(&self) {
        let _ = self.store.ungrant(UserId(TARGET), UserId(ADMIN)).await;
        self.store
            .set_chat_policy(ChatId(GROUP), &ChatPolicy::default())
            .await
            .expect("reset the group policy");
    }
}

fn diff(want: &Snapshot, got: &Snapshot) -> String {
    let mut out = Vec::new();
    if want.clients != got.clients {
        out.push(format!(
            "clients {:?}, want {:?}",
            got.clients, want.clients
        ));
    }
    if want.records != got.records {
        out.push(format!(
            "consent records {:?}, want {:?}",
            got.records, want.records
        ));
    }
    if want.roles != got.roles {
        out.push(format!("roles {:?}, want {:?}", got.roles, want.roles));
    }
    if want.policies != got.policies {
        out.push(format!(
            "policies {:?}, want {:?}",
            got.policies, want.policies
        ));
    }
    if want.item != got.item {
        out.push(format!("review item {:?}, want {:?}", got.item, want.item));
    }
    if want.reports_to_admin != got.reports_to_admin {
        out.push(format!(
            "reports to admin {}, want {}",
            got.reports_to_admin, want.reports_to_admin
        ));
    }
    out.join(", ")
}

/// The words of the admins' report notice between the reporter and the chat.
fn report_marker() -> String {
    let full = text(
        Lang::Id,
        &Msg::ReportAdmin {
            chat: "\u{1}",
            reporter: "\u{2}",
            link: "",
        },
    );
    let (start, end) = (full.find('\u{2}').unwrap() + 1, full.find('\u{1}').unwrap());
    full[start..end].to_owned()
}

fn t(msg: Msg<'_>) -> String {
    text(Lang::Id, &msg)
}

const COMMANDS: [&str; 14] = [
    "start", "help", "rules", "report", "consent", "withdraw", "client", "clients", "review",
    "grant", "ungrant", "policy", "audit", "stats",
];

/// What DESIGN.md allows: the command text for the cell, the answer and the effect.
fn cell(world: &mut World, name: &str, who: Who, at: Where) -> (String, Answer, Effect) {
    let private = at == Where::Private;
    let needed = match name {
        "start" | "help" | "rules" | "report" => None,
        "consent" | "withdraw" | "client" | "clients" => Some(Role::Coordinator),
        _ => Some(Role::Admin),
    };
    let command = match name {
        "consent" => {
            world.consent_codes += 1;
            format!("/consent AUTHZ{} full", world.consent_codes)
        }
        "withdraw" => format!("/withdraw {KNOWN} dicabut"),
        "client" => format!("/client {KNOWN}"),
        "grant" => format!("/grant {TARGET} admin"),
        "ungrant" => format!("/ungrant {TARGET}"),
        "policy" => "/policy untagged=block remind=3d".to_owned(),
        other => format!("/{other}"),
    };
    let refused = |msg: Msg<'_>| (command.clone(), Answer::Is(t(msg)), Effect::Nothing);
    if let Some(needed) = needed {
        if !who.role().is_some_and(|r| r.covers(needed)) {
            return refused(Msg::NotAllowed { needed });
        }
        let group_only = name == "policy";
        if group_only && private {
            return refused(Msg::GroupOnly);
        }
        if !group_only && !private {
            return refused(Msg::PrivateOnly);
        }
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
        "report" if private => (Answer::Is(t(Msg::GroupOnly)), Effect::Nothing),
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
        "stats" => (Answer::StartsWith(t(Msg::StatsHeader)), Effect::Nothing),
        other => unreachable!("{other}"),
    };
    (command, answer, effect)
}

/// Starts the bot, names the coordinator, registers a client and blocks one
/// photo so that /review and the buttons have an item.
async fn world() -> World {
    let app = TestApp::spawn().await;
    app.fake.user(NOBODY, "Nobody", None);
    app.fake.user(TARGET, "Target", None);
    let answer = app
        .private_command(ADMIN, &format!("/grant {COORDINATOR} coordinator"))
        .await;
    assert_eq!(
        answer,
        t(Msg::Granted {
            user: COORDINATOR,
            role: Role::Coordinator
        })
    );
    let answer = app
        .private_command(ADMIN, &format!("/consent {KNOWN} full"))
        .await;
    assert!(answer.contains(KNOWN), "{answer}");
    app.private_command(ADMIN, "/consent AUTHZ_BLK refused")
        .await;
    app.fake
        .send_photo(GROUP, MALLORY, plain_jpeg(), Some("#AUTHZ_BLK"));
    let notice = t(Msg::BlockedInChat { sender: "Mallory" });
    let blocked = app.fake.wait_until(WAIT, |f| {
        f.messages_to(ADMIN)
            .iter()
            .any(|m| m.reply_markup.is_some())
            && f.sent_messages(GROUP)
                .iter()
                .any(|m| m.text.contains(&notice))
    });
    assert!(blocked.await, "the setup photo was not blocked");
    let store = app.store().await;
    let item = store.pending().await.unwrap()[0].id.0;
    let group_notice = app
        .fake
        .sent_messages(GROUP)
        .iter()
        .find(|m| m.text.contains(&notice))
        .unwrap()
        .message_id;
    // Make sure the setup's updates are all done before the matrix starts.
    let deadline = tokio::time::Instant::now() + WAIT;
    while !store.unfinished().await.unwrap().is_empty() && tokio::time::Instant::now() < deadline {
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    World {
        app,
        store,
        item,
        group_notice,
        consent_codes: 0,
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn every_command_by_every_role_in_every_chat_does_only_what_the_design_allows() {
    let mut w = world().await;
    let mut failures = Vec::new();
    let mut cells = 0;
    for name in COMMANDS {
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

/// `review.<action>` audit entries with outcome "denied" by `user`.
async fn denied_presses(store: &SqliteStore, user: i64) -> usize {
    let since = chrono::Utc::now() - chrono::Duration::days(1);
    store
        .entries_since(since)
        .await
        .unwrap()
        .iter()
        .filter(|e| e.event.actor == Some(UserId(user)) && e.event.action.starts_with("review."))
        .filter(|e| e.event.detail.contains("\"denied\""))
        .count()
}

#[tokio::test(flavor = "multi_thread")]
async fn review_buttons_work_only_for_admins_whatever_the_chat() {
    let w = world().await;
    let fake = &w.app.fake;
    let item = w.item;
    let group_photos = fake.sent_photos(GROUP).len();
    let mut failures = Vec::new();
    // Non-admins press every button, forged onto a bot message in their own
    // private chat and onto the notice in the group.
    for who in [Who::None, Who::Member, Who::Coordinator] {
        let user = who.user();
        fake.send_text(user, user, "/rules");
        assert!(
            fake.wait_until(WAIT, |f| !f.messages_to(user).is_empty())
                .await
        );
        let own = fake.messages_to(user).last().unwrap().message_id;
        for (chat, message, at) in [
            (user, own, Where::Private),
            (GROUP, w.group_notice, Where::Group),
        ] {
            for action in ["v", "b", "o", "d"] {
                let label = format!("button rv:{action} by {who:?} in {at:?}");
                let denied_before = denied_presses(&w.store, user).await;
                let press = fake.press_button(chat, user, message, &format!("rv:{action}:{item}"));
                if !fake
                    .wait_until(WAIT, |f| f.callback_answer(&press).is_some())
                    .await
                {
                    failures.push(format!("{label}: no answer"));
                    continue;
                }
                let answer = fake
                    .callback_answer(&press)
                    .unwrap()
                    .text
                    .unwrap_or_default();
                let mut problems = Vec::new();
                if answer
                    != t(Msg::NotAllowed {
                        needed: Role::Admin,
                    })
                {
                    problems.push(format!("answered {answer:?}"));
                }
                let resolution = w.store.item(RecordId(item)).await.unwrap().resolution;
                if resolution != Resolution::Pending {
                    problems.push(format!("item is now {resolution:?}"));
                }
                if !fake.sent_photos(user).is_empty()
                    || fake.sent_photos(GROUP).len() != group_photos
                {
                    problems.push("a photo was shown or released".into());
                }
                if denied_presses(&w.store, user).await != denied_before + 1 {
                    problems.push("the denied press was not logged".into());
                }
                if !problems.is_empty() {
                    failures.push(format!("{label}: {}", problems.join("; ")));
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "review buttons by non-admins:\n{}",
        failures.join("\n")
    );

    // The admin, on the alert in their private chat.
    let alert = fake
        .messages_to(ADMIN)
        .into_iter()
        .find(|m| m.reply_markup.is_some())
        .unwrap()
        .message_id;
    let press = |data: String| fake.press_button(ADMIN, ADMIN, alert, &data);
    let answer_of = |id: String| async move {
        assert!(
            fake.wait_until(WAIT, |f| f.callback_answer(&id).is_some())
                .await,
            "no answer to the admin's press"
        );
        fake.callback_answer(&id).unwrap().text.unwrap_or_default()
    };
    let viewed = answer_of(press(format!("rv:v:{item}"))).await;
    assert_eq!(viewed, t(Msg::ReviewDone { what: "view" }));
    assert!(
        fake.sent_photos(ADMIN)
            .first()
            .is_some_and(|p| p.protect_content),
        "view shows the photo, protected"
    );
    assert_eq!(
        w.store.item(RecordId(item)).await.unwrap().resolution,
        Resolution::Pending,
        "viewing resolves nothing"
    );
    let original = answer_of(press(format!("rv:o:{item}"))).await;
    assert_eq!(
        original,
        t(Msg::ReviewOriginalNotAllowed),
        "the client refused: no original release"
    );
    assert_eq!(
        w.store.item(RecordId(item)).await.unwrap().resolution,
        Resolution::Pending
    );
    // The admin's press counts wherever the button sits (here: forged onto the group notice).
    let discarded =
        answer_of(fake.press_button(GROUP, ADMIN, w.group_notice, &format!("rv:d:{item}"))).await;
    assert_eq!(discarded, t(Msg::ReviewDone { what: "dibuang" }));
    assert_eq!(
        w.store.item(RecordId(item)).await.unwrap().resolution,
        Resolution::Discarded
    );
    let again = answer_of(press(format!("rv:b:{item}"))).await;
    assert_eq!(
        again,
        t(Msg::ReviewStale),
        "a settled item cannot be released"
    );
    assert_eq!(
        fake.sent_photos(GROUP).len(),
        group_photos,
        "nothing was posted in the group"
    );
}
