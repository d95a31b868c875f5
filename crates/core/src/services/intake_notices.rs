//! What the intake posts and says while acting on a verdict: the blurred
//! copy in place of the original, the sender's notice of a block, the
//! admins' alert with every review action, and a removal the platform
//! refused (issue 17.4: the chat warned once about a missing right, the
//! admins told every time, with a link, and audited).

use super::intake::{Incoming, Intake, IntakeError};
use crate::platform::{ChatPlatform, MediaKind, OutgoingMedia, Place, Removed, ReviewAction};
use crate::store::RoleStore;
use crate::texts::{text, with_reminder, Msg, Undeletable};
use crate::{AuditAction, Lang, MessageId, Reason, RecordId, Role, UserId};

impl Intake {
    /// Deletes the original; a refusal is told (see [`Intake::undeletable`]).
    pub(super) async fn remove_original(
        &self,
        platform: &dyn ChatPlatform,
        media: &Incoming,
    ) -> Result<Removed, IntakeError> {
        let (chat, message) = (media.place.chat, media.message);
        let removed = platform.remove_sent(chat, message, media.sent).await;
        let removed = removed.map_err(|e| IntakeError::Platform(format!("delete failed: {e}")))?;
        match removed {
            Removed::Yes => {}
            Removed::AlreadyGone => tracing::info!(
                chat = chat.0,
                message = message.0,
                "the original was already deleted"
            ),
            Removed::TooOld | Removed::NoRight => self.undeletable(platform, media, removed).await,
        }
        Ok(removed)
    }

    /// The platform would not delete a photo that should go: the chat is
    /// warned about a missing right once, the admins every time, with a link.
    async fn undeletable(&self, platform: &dyn ChatPlatform, media: &Incoming, removed: Removed) {
        let chat = media.place.chat;
        let why = match removed {
            Removed::TooOld => Undeletable::TooOld,
            // A refusal while the right is held has no cause the bot can name.
            _ => match platform.rights(chat).await {
                Ok(rights) if !rights.can_delete => Undeletable::NoRight,
                _ => Undeletable::Unknown,
            },
        };
        let code = undeletable_code(why);
        tracing::warn!(
            chat = chat.0,
            message = media.message.0,
            why = code,
            "a photo that should go could not be deleted"
        );
        if why == Undeletable::NoRight && self.work.first_warning(chat) {
            self.chats.warn_unguarded(platform, media.place).await;
        }
        let told = Msg::UndeletableAdmin {
            chat: &media.chat_title,
            sender: &media.sender.name,
            link: media.link.as_deref(),
            message: media.message.0,
            why,
        };
        self.tell_admins(platform, chat.space(), &told).await;
        let detail = serde_json::json!({ "message": media.message.0, "why": code });
        let action = AuditAction::ShareUndeletable;
        self.audit
            .record(action, media.sender.id, Some(chat), detail)
            .await;
    }

    /// Posts the blurred copy credited to the sender, as a photo or a video
    /// by what the copy is, answering what the original answered.
    pub(super) async fn post_blurred(
        &self,
        platform: &dyn ChatPlatform,
        media: &Incoming,
        copy: Vec<u8>,
        lang: Lang,
    ) -> Result<MessageId, IntakeError> {
        let caption = Msg::BlurredCaption {
            sender: &media.sender.name,
            caption: media.caption.as_deref(),
        };
        let body = with_reminder(lang, &text(lang, &caption));
        let kind = MediaKind::of(&copy);
        let copy = OutgoingMedia {
            kind,
            bytes: copy,
            protect: false,
        };
        let posted = match media.reply_to {
            Some(parent) => {
                platform
                    .post_media_reply(media.place, parent, copy, &body)
                    .await
            }
            None => platform.post_media(media.place, copy, &body).await,
        };
        posted.map_err(|e| IntakeError::Platform(format!("posting the blurred {kind:?}: {e}")))
    }

    /// The sender privately; where that fails, a notice in the chat that
    /// shows no photo.
    pub(super) async fn tell_sender(
        &self,
        platform: &dyn ChatPlatform,
        media: &Incoming,
        reason: &Reason,
        lang: Lang,
    ) {
        if let Some(user) = media.sender.id {
            let private = media.sender.lang.unwrap_or(lang);
            let body = text(private, &Msg::BlockedForSender { reason });
            let body = with_reminder(private, &body);
            if platform.tell_user(user, &body).await.is_ok() {
                return;
            }
        }
        let notice = Msg::BlockedInChat {
            sender: &media.sender.name,
        };
        say(
            platform,
            media.place,
            &with_reminder(lang, &text(lang, &notice)),
        )
        .await;
    }

    /// Every admin on this platform gets the alert with the review actions.
    pub(super) async fn alert_admins(
        &self,
        platform: &dyn ChatPlatform,
        media: &Incoming,
        reason: &Reason,
        item: RecordId,
    ) {
        let body = Msg::AdminAlert {
            chat: &media.chat_title,
            sender: &media.sender.name,
            reason,
            item: item.0,
        };
        let body = text(Lang::Id, &body);
        let mut reached = 0;
        for admin in admins(self.stores.roles.as_ref(), media.place.chat.space()).await {
            let actions = &ReviewAction::ALL;
            match platform
                .alert_admin(admin, Lang::Id, &body, item.0, actions)
                .await
            {
                Ok(()) => reached += 1,
                Err(e) => tracing::warn!(admin = admin.0, error = %e, "cannot reach an admin"),
            }
        }
        if reached == 0 {
            tracing::error!(
                item = item.0,
                "a blocked photo awaits review but no admin could be reached"
            );
        }
    }

    /// Tells every admin on the platform of `space` `msg`, in Indonesian
    /// (the admins' language); how many were reached.
    pub(super) async fn tell_admins(
        &self,
        platform: &dyn ChatPlatform,
        space: crate::IdSpace,
        msg: &Msg<'_>,
    ) -> usize {
        let body = text(Lang::Id, msg);
        let mut reached = 0;
        for admin in admins(self.stores.roles.as_ref(), space).await {
            match platform.tell_user(admin, &body).await {
                Ok(()) => reached += 1,
                Err(e) => tracing::warn!(admin = admin.0, error = %e, "cannot reach an admin"),
            }
        }
        reached
    }
}

/// The admins a platform can reach: those whose ids are in its space (a
/// WhatsApp admin is told on WhatsApp, a Telegram one on Telegram).
async fn admins(roles: &dyn RoleStore, space: crate::IdSpace) -> Vec<UserId> {
    let all = roles.users_with(Role::Admin).await.unwrap_or_else(|e| {
        tracing::error!(error = %e, "cannot list admins");
        Vec::new()
    });
    let here = |u: &UserId| crate::ChatId(u.0).space() == space;
    all.into_iter().filter(here).collect()
}

/// Posts a text in the chat; a failure is logged, the work goes on.
pub(super) async fn say(platform: &dyn ChatPlatform, place: Place, body: &str) {
    if let Err(e) = platform.post_text(place, body).await {
        tracing::warn!(chat = place.chat.0, error = %e, "could not send a message");
    }
}

fn undeletable_code(why: Undeletable) -> &'static str {
    match why {
        Undeletable::TooOld => "too_old",
        Undeletable::NoRight => "no_right",
        Undeletable::Unknown => "unknown",
    }
}
