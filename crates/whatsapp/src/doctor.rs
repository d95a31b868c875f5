//! What `photo-guard doctor` asks WAHA: is the session logged in, and in
//! each guarded WhatsApp group is the bot's number an admin (only an admin
//! can delete others' messages for everyone).

use std::sync::Arc;

use photo_guard_core::store::PlatformIds;
use photo_guard_core::{ChatId, ChatPlatform};

use crate::client::WahaClient;
use crate::ids::Ids;
use crate::platform::WahaPlatform;
use crate::settings::WhatsAppSettings;

/// The report's lines: (fine, what), for the WhatsApp groups among `chats`.
pub async fn diagnose(
    settings: &WhatsAppSettings,
    ids: Arc<dyn PlatformIds>,
    chats: &[ChatId],
) -> Vec<(bool, String)> {
    let client = WahaClient::new(
        settings.api_url.clone(),
        settings.api_key.clone(),
        settings.session.clone(),
    );
    let client = match client {
        Ok(c) => c,
        Err(e) => return vec![(false, format!("whatsapp: {e}"))],
    };
    let session = match client.session_info().await {
        Ok(info) if info.status == "WORKING" => (true, "whatsapp: the WAHA session is working".to_owned()),
        Ok(info) => (false, format!(
            "whatsapp: the WAHA session is {}: start it and scan its QR code (README, \"WhatsApp\")",
            info.status
        )),
        Err(e) => (false, format!("whatsapp: cannot reach WAHA ({e}); check WHATSAPP_API_URL and WHATSAPP_API_KEY")),
    };
    let working = session.0;
    let mut findings = vec![session];
    if !working {
        return findings;
    }
    let ids = Ids::new(ids);
    let platform = WahaPlatform::new(client, ids.clone(), settings.max_download_bytes);
    for chat in chats {
        let Ok(Some(group)) = ids.external(chat.0).await else {
            continue;
        };
        findings.push(match platform.rights(*chat).await {
            Ok(r) if r.can_delete => (true, format!("whatsapp {group}: the bot's number is a group admin")),
            Ok(_) => (false, format!(
                "whatsapp {group}: the bot's number is not a group admin: it cannot delete photos there; make it an admin"
            )),
            Err(e) => (false, format!("whatsapp {group}: cannot read the participants ({e})")),
        });
    }
    findings
}
