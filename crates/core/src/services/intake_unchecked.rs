//! What the bot cannot fetch or look at is removed and the admins told
//! (issue 17.2, 17.3), whatever the file's name: nothing to fetch, a file
//! over the download limit, a download the platform refuses outright, one
//! that failed `DOWNLOAD_MAX_TRIES` times, and media the guard could not
//! check (fail closed). Tries are counted in the store, so the count
//! survives restarts and the sweeps that replay the media; below the count a
//! failure stays unfinished and is tried again. In a chat on trial
//! (`observe`) nothing is touched: the audit entry says what would have gone.

use super::intake::{FetchFailure, Handled, Incoming, Intake, IntakeError, Limits};
use super::intake_notices::say;
use crate::platform::{ChatPlatform, Place, Removed};
use crate::texts::{text, with_reminder, Msg, Unchecked};
use crate::{AuditAction, Lang, Mode};

const MB: u64 = 1024 * 1024;

impl Intake {
    /// The media could not be fetched: removed now, or left for another try.
    pub(super) async fn fetch_failed(
        &self,
        platform: &dyn ChatPlatform,
        limits: Limits,
        media: &Incoming,
        failure: FetchFailure,
    ) -> Result<Handled, IntakeError> {
        let why = match failure {
            FetchFailure::NoFile => Unchecked::NoFile,
            FetchFailure::TooLarge { limit } => Unchecked::TooLarge {
                limit_mb: limit / MB,
            },
            FetchFailure::Refused => Unchecked::Refused,
            FetchFailure::Failed(e) => {
                let tries = self.count_try(media, limits).await;
                if tries < limits.download_max_tries {
                    return Err(IntakeError::Download(e));
                }
                Unchecked::GaveUp { tries }
            }
        };
        self.remove_unchecked(platform, media, why).await?;
        Ok(Handled::Unchecked(why))
    }

    /// One more failed try, durably. A store that cannot count fails
    /// closed: the try is taken as the last one.
    async fn count_try(&self, media: &Incoming, limits: Limits) -> u32 {
        let (chat, message) = (media.place.chat, media.message);
        match self.stores.tries.failed_download(chat, message).await {
            Ok(tries) => tries,
            Err(e) => {
                tracing::error!(chat = chat.0, message = message.0, error = %e, "cannot count a failed download; removing the photo");
                limits.download_max_tries
            }
        }
    }

    /// The media was fetched (or given up on): earlier tries no longer count.
    pub(super) async fn forget_tries(&self, media: &Incoming) {
        let (chat, message) = (media.place.chat, media.message);
        if let Err(e) = self.stores.tries.forget_downloads(chat, message).await {
            tracing::warn!(chat = chat.0, message = message.0, error = %e, "cannot forget download tries");
        }
    }

    /// Removes media that could not be checked and says so in the chat and
    /// to the admins; in a chat on trial it is only recorded.
    async fn remove_unchecked(
        &self,
        platform: &dyn ChatPlatform,
        media: &Incoming,
        why: Unchecked,
    ) -> Result<(), IntakeError> {
        let chat = media.place.chat;
        // A policy that cannot be read is the default one: enforce.
        let policy = self.stores.policies.chat_policy(chat).await;
        let policy = policy.unwrap_or_default();
        tracing::warn!(
            chat = chat.0,
            message = media.message.0,
            why = code(why),
            "media could not be checked"
        );
        let enforce = policy.mode == Mode::Enforce;
        let removed = match enforce {
            true => Some(self.remove_original(platform, media).await?),
            false => None,
        };
        let mut detail = serde_json::json!({
            "message": media.message.0,
            "why": code(why),
            "removed": removed == Some(Removed::Yes),
        });
        if let Unchecked::GaveUp { tries } = why {
            detail["tries"] = tries.into();
        }
        let action = AuditAction::ShareUnchecked { observed: !enforce };
        let actor = media.sender.id;
        self.audit.record(action, actor, Some(chat), detail).await;
        self.forget_tries(media).await;
        if removed == Some(Removed::Yes) {
            self.tell_unchecked(platform, media, why, policy.lang).await;
        }
        Ok(())
    }

    async fn tell_unchecked(
        &self,
        platform: &dyn ChatPlatform,
        media: &Incoming,
        why: Unchecked,
        lang: Lang,
    ) {
        let sender = &media.sender.name;
        let in_chat = match why {
            Unchecked::TooLarge { limit_mb } => Msg::TooLargeInChat { sender, limit_mb },
            _ => Msg::UncheckedInChat { sender },
        };
        let body = with_reminder(lang, &text(lang, &in_chat));
        say(platform, media.place, &body).await;
        let told = Msg::UncheckedAdmin {
            chat: &media.chat_title,
            sender,
            why,
        };
        let space = media.place.chat.space();
        if self.tell_admins(platform, space, &told).await == 0 {
            tracing::error!(
                chat = media.place.chat.0,
                "a photo was removed unchecked but no admin could be reached"
            );
        }
    }

    /// The guard could not record its decision: the media is removed anyway
    /// and the chat told, without showing it.
    pub(super) async fn fail_closed(
        &self,
        platform: &dyn ChatPlatform,
        media: &Incoming,
        why: &str,
    ) -> Result<Handled, IntakeError> {
        let chat = media.place.chat;
        tracing::error!(
            chat = chat.0,
            message = media.message.0,
            error = why,
            "photo could not be checked; removing it"
        );
        if self.remove_original(platform, media).await? != Removed::Yes {
            return Ok(Handled::FailedClosed);
        }
        let lang = super::chat_policies::chat_lang(self.stores.policies.as_ref(), chat).await;
        let sender = &media.sender.name;
        let body = with_reminder(lang, &text(lang, &Msg::UncheckedInChat { sender }));
        // The chat's main thread, as the Telegram intake always said it.
        say(platform, Place::chat(chat), &body).await;
        Ok(Handled::FailedClosed)
    }
}

fn code(why: Unchecked) -> &'static str {
    match why {
        Unchecked::TooLarge { .. } => "too_large",
        Unchecked::Refused => "download_refused",
        Unchecked::GaveUp { .. } => "download_failed",
        Unchecked::NoFile => "no_file",
    }
}
