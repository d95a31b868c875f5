//! Carrying a takedown plan out (issue 23), the same for every platform:
//! each message through the platform router (the chat's id says whose it
//! is), so a `/withdraw` on one platform clears the chats of both. A
//! downgrade re-fetches the original by the file noted at intake while the
//! message stands, blurs it (a photo with the photo pipeline, a video with
//! the intake's video tool, told apart by its bytes), deletes the original,
//! then posts the copy as the same kind of media; if the file cannot be
//! fetched or blurred, the original is only deleted (fail closed). What cannot be removed is listed for the chat's admins with a
//! link where the platform has one, else the chat's name and the time.

use super::{Caller, Plan, Takedowns};
use crate::exposure::Shown;
use crate::platform::{ChatPlatform, MediaKind, OutgoingMedia, Place, Removed};
use crate::store::StoreResult;
use crate::texts::{text, with_reminder, Msg};
use crate::{ClientCode, MessageId, RecordId};

/// Where a message the bot could not remove is, for the chat's admins.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ByHand {
    /// A link to the message (Telegram's `t.me/c/…`).
    Link(String),
    /// No link on this platform (WhatsApp): the chat's name and when the
    /// photo was sent, in the agency's local time.
    Place { chat: String, at: String },
}

/// What a takedown came to, for the coordinator who changed the consent.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[must_use]
pub struct TakedownReport {
    pub removed: usize,
    pub replaced: usize,
    pub by_hand: Vec<ByHand>,
}

/// What became of one message.
enum Done {
    Removed,
    Replaced,
    Left(&'static str),
}

impl Takedowns {
    /// Follows consent record `record` of `client`: takes down what it
    /// concerns on every platform; `None` when nothing shows the client.
    pub async fn follow(
        &self,
        caller: Caller,
        client: &ClientCode,
        record: RecordId,
    ) -> StoreResult<Option<TakedownReport>> {
        let plan = match self.plan(client, record).await? {
            Some(plan) if !plan.is_empty() => plan,
            _ => return Ok(None),
        };
        let mut report = TakedownReport::default();
        let work = plan.remove.iter().map(|s| (s, false));
        let work = work.chain(plan.reblur.iter().map(|s| (s, true)));
        for (shown, reblur) in work {
            match self.take_down(caller, &plan, shown, reblur).await {
                Done::Removed => report.removed += 1,
                Done::Replaced => report.replaced += 1,
                Done::Left(why) => {
                    self.left(caller, &plan, shown, why).await;
                    report.by_hand.push(self.by_hand(shown).await);
                }
            }
        }
        for shown in &plan.too_old {
            self.left(caller, &plan, shown, "too_old").await;
            report.by_hand.push(self.by_hand(shown).await);
        }
        Ok(Some(report))
    }

    async fn take_down(&self, caller: Caller, plan: &Plan, shown: &Shown, reblur: bool) -> Done {
        if !self.platforms.serves(shown.chat.space()) {
            // A chat of a platform this process does not run: said, not skipped.
            return Done::Left("no_platform");
        }
        let copy = match reblur {
            true => self.blurred_copy(shown).await,
            false => None,
        };
        match self.platforms.remove(shown.chat, shown.message).await {
            Ok(Removed::Yes | Removed::AlreadyGone) => {}
            Ok(Removed::TooOld) => return Done::Left("too_old"),
            Ok(Removed::NoRight) => return Done::Left("refused"),
            Err(e) => {
                tracing::warn!(error = %e, "a takedown's delete failed");
                return Done::Left("error");
            }
        }
        let posted = match copy {
            Some(made) => self.post_copy(shown, made).await,
            None => None,
        };
        let recorded = match posted {
            Some(copy) => self.replaced(caller, plan, shown, copy).await,
            None => self.removed(caller, plan, shown).await,
        };
        if let Err(e) = recorded {
            tracing::error!(error = %e, "a takedown was done but not recorded");
        }
        match posted {
            Some(_) => Done::Replaced,
            None => Done::Removed,
        }
    }

    /// The original fetched again and blurred, photo or video; `None` if
    /// that cannot be done.
    async fn blurred_copy(&self, shown: &Shown) -> Option<(MediaKind, Vec<u8>)> {
        let file = match self.media_file(shown).await {
            Ok(Some(file)) => file,
            _ => return None,
        };
        let fetched = self
            .platforms
            .fetch_original(shown.chat, shown.message, &file);
        let bytes = match fetched.await {
            Ok(bytes) => bytes,
            Err(e) => {
                tracing::warn!(error = %e, "cannot fetch the original again; only deleting it");
                return None;
            }
        };
        match self.guard.blurred_copy(bytes).await {
            Ok(copy) => Some(copy),
            Err(e) => {
                tracing::warn!(error = %e, "cannot blur the original again; only deleting it");
                None
            }
        }
    }

    async fn post_copy(
        &self,
        shown: &Shown,
        (kind, copy): (MediaKind, Vec<u8>),
    ) -> Option<MessageId> {
        let lang = super::chat_policies::chat_lang(self.policies.as_ref(), shown.chat).await;
        let tags: Vec<String> = shown.tags.iter().map(|t| format!("#{t}")).collect();
        let tags = tags.join(" ");
        let caption = with_reminder(lang, &text(lang, &Msg::ReblurredCaption { tags: &tags }));
        let media = OutgoingMedia {
            kind,
            bytes: copy,
            protect: false,
        };
        let posted = self
            .platforms
            .post_media(Place::chat(shown.chat), media, &caption);
        match posted.await {
            Ok(id) => Some(id),
            Err(e) => {
                tracing::warn!(error = %e, "the blurred copy could not be posted");
                None
            }
        }
    }

    /// A link where the platform has one, else the chat's name and the time.
    async fn by_hand(&self, shown: &Shown) -> ByHand {
        if let Some(link) = self.platforms.message_link(shown.chat, shown.message) {
            return ByHand::Link(link);
        }
        let chat = self.platforms.chat_name(shown.chat).await;
        let at = shown.at.with_timezone(&self.audit.offset());
        ByHand::Place {
            chat: chat.unwrap_or_else(|| shown.chat.to_string()),
            at: at.format("%Y-%m-%d %H:%M").to_string(),
        }
    }
}
