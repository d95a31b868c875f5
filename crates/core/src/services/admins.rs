//! Telling photo-guard's admins, each in their private chat, through the
//! platform port: who they are (the roles, read when it is needed), and
//! `/report`: a member's report of a message, told to them and audited.

use std::sync::Arc;

use super::{AuditTrail, Caller};
use crate::platform::ChatPlatform;
use crate::store::RoleStore;
use crate::texts::{text, Msg};
use crate::{AuditAction, Lang, Role};

/// A message a member reported, as the platform names it.
#[derive(Debug, Clone, Copy)]
pub struct Reported<'a> {
    pub chat_title: &'a str,
    pub reporter: &'a str,
    /// A link that opens it, where the platform has one.
    pub link: Option<&'a str>,
    pub message: i64,
}

pub struct AdminNotices {
    roles: Arc<dyn RoleStore>,
    audit: AuditTrail,
}

impl AdminNotices {
    pub fn new(roles: Arc<dyn RoleStore>, audit: AuditTrail) -> Self {
        Self { roles, audit }
    }

    /// Tells every admin `msg` (in Indonesian, the admins' language);
    /// returns how many were reached. One not reached is logged: they may
    /// need to open a private chat with the bot first.
    pub async fn tell(&self, platform: &dyn ChatPlatform, msg: &Msg<'_>) -> usize {
        let admins = self.roles.users_with(Role::Admin).await;
        let admins = admins.unwrap_or_else(|e| {
            tracing::error!(error = %e, "cannot list admins");
            Vec::new()
        });
        let body = text(Lang::Id, msg);
        let mut reached = 0;
        for admin in admins {
            match platform.tell_user(admin, &body).await {
                Ok(()) => reached += 1,
                Err(e) => tracing::warn!(admin = admin.0, error = %e, "cannot reach an admin"),
            }
        }
        reached
    }

    /// `/report`: the admins told, the report audited.
    pub async fn report(&self, platform: &dyn ChatPlatform, caller: Caller, what: Reported<'_>) {
        let body = Msg::ReportAdmin {
            chat: what.chat_title,
            reporter: what.reporter,
            link: what.link,
            message: what.message,
        };
        self.tell(platform, &body).await;
        let detail = serde_json::json!({ "message": what.message });
        let (actor, chat) = (Some(caller.user), Some(caller.chat));
        self.audit
            .record(AuditAction::ReportMade, actor, chat, detail)
            .await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::platform::fake::{Call, FakePlatform};
    use crate::services::fakes::{caller, trail, MemStore};
    use crate::UserId;

    #[tokio::test]
    async fn a_report_reaches_every_admin_even_when_one_cannot_be_reached_and_is_audited() {
        // Issue 18: /report is decided in the core and told through the port.
        let store = Arc::new(MemStore::default());
        store.roles.lock().unwrap().insert(1, Role::Admin);
        store.roles.lock().unwrap().insert(2, Role::Admin);
        store.roles.lock().unwrap().insert(3, Role::Coordinator);
        let notices = AdminNotices::new(store.clone(), trail(&store));
        let platform = FakePlatform::default();
        platform.unreachable.lock().unwrap().insert(1);
        let what = Reported {
            chat_title: "Tim",
            reporter: "Ana",
            link: None,
            message: 42,
        };
        notices.report(&platform, caller(), what).await;
        let told: Vec<UserId> = platform
            .calls()
            .into_iter()
            .map(|c| match c {
                Call::TellUser(user, body) => {
                    assert!(body.ends_with("pesan 42"), "{body}");
                    user
                }
                other => panic!("only admins are told, got {other:?}"),
            })
            .collect();
        assert_eq!(told, [UserId(1), UserId(2)]);
        assert_eq!(store.actions(), ["report.made"]);
    }
}
