//! Roles: who holds which, granting and removing them with their audit
//! entries, and who may run which command where. A store error grants
//! nothing: the role lookups fail closed.

use std::sync::Arc;

use super::{AuditTrail, Caller};
use crate::command::table::Usable;
use crate::command::Command;
use crate::store::{RoleStore, StoreResult};
use crate::{AuditAction, Role, UserId};

/// What `/ungrant` did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[must_use]
pub enum Ungranted {
    Removed,
    /// An admin named in the configuration: not removable by command.
    ConfigAdmin,
    /// The user had no role.
    NoRole,
}

/// Whether a command may run for this caller, here.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[must_use]
pub enum Permit {
    Run,
    /// The caller lacks the role; recorded as `command.denied`.
    Denied {
        needed: Role,
    },
    GroupOnly,
    PrivateOnly,
}

/// Whom a command needs and where it runs, as the command table says
/// (`command/table.rs`): the role first, then the place.
pub fn permit(command: &Command, role: Option<Role>, private: bool) -> Permit {
    if let Some(needed) = command.required_role() {
        if !role.is_some_and(|r| r.covers(needed)) {
            return Permit::Denied { needed };
        }
    }
    match (command.usable(), private) {
        (Usable::Group, true) => Permit::GroupOnly,
        (Usable::Private, false) => Permit::PrivateOnly,
        _ => Permit::Run,
    }
}

pub struct Roles {
    roles: Arc<dyn RoleStore>,
    audit: AuditTrail,
}

impl Roles {
    pub fn new(roles: Arc<dyn RoleStore>, audit: AuditTrail) -> Self {
        Self { roles, audit }
    }

    /// The user's role; `None` also when the store cannot say (fail closed).
    pub async fn role_of(&self, user: UserId) -> Option<Role> {
        match self.roles.role(user).await {
            Ok(role) => role,
            Err(e) => {
                tracing::error!(error = %e, "role lookup failed");
                None
            }
        }
    }

    /// Everyone holding exactly `role`.
    pub async fn holders(&self, role: Role) -> StoreResult<Vec<UserId>> {
        self.roles.users_with(role).await
    }

    /// [`permit`], with a refusal recorded in the audit log.
    pub async fn authorize(
        &self,
        caller: Caller,
        role: Option<Role>,
        command: &Command,
        private: bool,
    ) -> Permit {
        let permit = permit(command, role, private);
        if let Permit::Denied { .. } = permit {
            let detail = serde_json::json!({ "command": command.name() });
            self.audit
                .record(
                    AuditAction::CommandDenied,
                    Some(caller.user),
                    Some(caller.chat),
                    detail,
                )
                .await;
        }
        permit
    }

    pub async fn grant(&self, caller: Caller, user: UserId, role: Role) -> StoreResult<()> {
        self.roles.grant(user, role, caller.user).await?;
        let detail = serde_json::json!({ "user": user.0, "role": role.as_str() });
        self.audit
            .record(
                AuditAction::RoleGranted,
                Some(caller.user),
                Some(caller.chat),
                detail,
            )
            .await;
        Ok(())
    }

    pub async fn ungrant(&self, caller: Caller, user: UserId) -> StoreResult<Ungranted> {
        if self.roles.ungrant(user, caller.user).await? {
            let detail = serde_json::json!({ "user": user.0 });
            self.audit
                .record(
                    AuditAction::RoleUngranted,
                    Some(caller.user),
                    Some(caller.chat),
                    detail,
                )
                .await;
            return Ok(Ungranted::Removed);
        }
        // Still holding a role after a refused removal: a configured admin.
        match self.roles.role(user).await.ok().flatten() {
            Some(_) => Ok(Ungranted::ConfigAdmin),
            None => Ok(Ungranted::NoRole),
        }
    }
}

#[cfg(test)]
#[path = "roles_tests.rs"]
mod tests;
