//! The bot and store the matrix runs against, and a snapshot of everything
//! a command could change.

use std::collections::{BTreeMap, BTreeSet};

use photo_guard_core::store::{ConsentStore, Inbox, PolicyStore, RoleStore, Vault};
use photo_guard_core::texts::{text, Msg};
use photo_guard_core::{ChatId, ChatPolicy, Lang, RecordId, Resolution, Role, UserId};
use photo_guard_store::SqliteStore;

use super::cast::*;
use crate::support::*;

/// Everything a command could change, read from the store (and, for
/// /report, the admins' chat).
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Snapshot {
    pub clients: BTreeSet<String>,
    pub records: BTreeMap<String, usize>,
    pub roles: BTreeMap<i64, Option<Role>>,
    pub policies: BTreeMap<i64, ChatPolicy>,
    pub item: Resolution,
    pub reports_to_admin: usize,
}

pub(super) struct World {
    pub app: TestApp,
    pub store: SqliteStore,
    pub item: i64,
    /// A bot message in the group with no buttons (the blocked-photo notice).
    pub group_notice: i32,
    pub consent_codes: usize,
}

impl World {
    pub async fn snapshot(&self) -> Snapshot {
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
    pub fn outputs(&self, chat: i64) -> BTreeSet<i32> {
        let f = &self.app.fake;
        f.sent_messages(chat)
            .iter()
            .map(|m| m.message_id)
            .chain(f.sent_documents(chat).iter().map(|d| d.message_id))
            .collect()
    }

    /// Waits until the bot has answered in `chat` (something new beyond
    /// `before`) and has finished every update it received.
    pub async fn settle(&self, chat: i64, before: &BTreeSet<i32>) -> bool {
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
    pub async fn run(
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
            Answer::TextAndDocument(want) => {
                let text_ok = texts.len() == 1 && texts[0].text.starts_with(want.as_str());
                if !text_ok || docs.len() != 1 || !docs[0].protect_content {
                    problems.push(format!(
                        "answer {shown:?} (+{} documents), want one starting {want:.50?} and a document",
                        docs.len()
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
    pub async fn reset(&self) {
        let _ = self.store.ungrant(UserId(TARGET), UserId(ADMIN)).await;
        self.store
            .set_chat_policy(ChatId(GROUP), &ChatPolicy::default())
            .await
            .expect("reset the group policy");
    }
}

pub(super) fn diff(want: &Snapshot, got: &Snapshot) -> String {
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
pub(super) fn report_marker() -> String {
    let full = text(
        Lang::Id,
        &Msg::ReportAdmin {
            chat: "\u{1}",
            reporter: "\u{2}",
            link: Some(""),
            message: 0,
        },
    );
    let (start, end) = (full.find('\u{2}').unwrap() + 1, full.find('\u{1}').unwrap());
    full[start..end].to_owned()
}

pub(super) fn t(msg: Msg<'_>) -> String {
    text(Lang::Id, &msg)
}
