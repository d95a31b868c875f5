//! What every handler shares: the core's services, the platform port on
//! WAHA, and the settings.

use std::collections::HashSet;
use std::sync::{Arc, Mutex};

use photo_guard_core::store::Store;
use photo_guard_core::{Role, Services, UserId, PLATFORM_ID_BASE};

use crate::ids::Ids;
use crate::platform::WahaPlatform;
use crate::settings::WhatsAppSettings;

pub struct App {
    pub services: Arc<Services>,
    pub platform: WahaPlatform,
    pub settings: WhatsAppSettings,
    /// Inbox entries being handled now, so the retry sweep leaves them alone.
    pub in_flight: Mutex<HashSet<i64>>,
}

impl App {
    pub fn store(&self) -> &Arc<dyn Store> {
        self.services.guard.store()
    }

    pub fn ids(&self) -> &Ids {
        self.platform.ids()
    }

    /// Takes inbox entry `id` for this task; false if another task has it.
    pub fn take(&self, id: i64) -> bool {
        self.in_flight
            .lock()
            .map(|mut s| s.insert(id))
            .unwrap_or(false)
    }

    pub fn release(&self, id: i64) {
        if let Ok(mut set) = self.in_flight.lock() {
            set.remove(&id);
        }
    }

    /// The admins who can be reached on WhatsApp (Telegram's are told there).
    pub async fn admins(&self) -> Vec<UserId> {
        let all = self.services.roles.holders(Role::Admin).await;
        let all = all.unwrap_or_else(|e| {
            tracing::error!(error = %e, "cannot list admins");
            Vec::new()
        });
        all.into_iter()
            .filter(|u| u.0 >= PLATFORM_ID_BASE)
            .collect()
    }

    /// Makes `WHATSAPP_ADMINS` admins, once: a role already held is left as it is.
    pub async fn grant_configured_admins(&self) {
        for external in &self.settings.admins {
            let user = match self.ids().user(external).await {
                Ok(user) => user,
                Err(e) => {
                    tracing::error!(error = %e, "cannot map a WhatsApp admin");
                    continue;
                }
            };
            if self.services.roles.role_of(user).await == Some(Role::Admin) {
                continue;
            }
            if let Err(e) = self.store().grant(user, Role::Admin, user).await {
                tracing::error!(error = %e, "cannot make a WhatsApp admin");
            }
        }
    }
}
