//! The review desk's outbound side: the pending list sent to an admin as
//! alerts with their actions, and a press carried through the platform port
//! (the original shown privately with protection, a release posted in its
//! chat and thread), so an adapter only turns a press into
//! [`ReviewDesk::handle`] and answers with [`ReviewOutcome::msg`].

use super::chat_policies::chat_lang;
use super::{Press, ReviewDesk, ReviewOutcome};
use crate::platform::{ChatPlatform, MediaKind, OutgoingMedia, Place, PlatformError};
use crate::store::StoreResult;
use crate::texts::{text, with_reminder, Msg};
use crate::{Lang, MessageId, QuarantineItem, RecordId, ReviewAction, UserId};

impl ReviewDesk {
    /// `/review`: every pending item sent to `admin` as an alert with its
    /// actions, or word that there is none. An item that cannot be sent is
    /// logged; the rest still go.
    pub async fn list(
        &self,
        platform: &dyn ChatPlatform,
        admin: UserId,
        lang: Lang,
    ) -> StoreResult<()> {
        let items = self.pending().await?;
        if items.is_empty() {
            let empty = text(lang, &Msg::ReviewEmpty);
            let said = platform.tell_user(admin, &empty).await;
            log_failure(said, "the empty review list");
            return Ok(());
        }
        for item in items {
            let chat = item.chat.0.to_string();
            let body = text(
                lang,
                &Msg::PendingItem {
                    item: item.id.0,
                    chat: &chat,
                    sender: &item.sender_name,
                    reason_code: &item.reason_code,
                },
            );
            let actions = ReviewAction::ALL;
            let sent = platform.alert_admin(admin, lang, &body, item.id.0, &actions);
            log_failure(sent.await, "a pending item");
        }
        Ok(())
    }

    /// A press from start to end: decided, posted through `platform`,
    /// recorded. What comes back is what the presser is told.
    pub async fn handle(
        &self,
        platform: &dyn ChatPlatform,
        presser: UserId,
        action: ReviewAction,
        item: RecordId,
    ) -> ReviewOutcome {
        let outcome = match self.press(presser, action, item).await {
            Ok(press) => self.act(platform, presser, action, press).await,
            Err(e) => {
                tracing::error!(item = item.0, error = %e, "review action failed");
                ReviewOutcome::Failed
            }
        };
        self.finish(presser, action, item, outcome).await;
        outcome
    }

    /// Posts what the press came to; a post that fails is a failed press.
    async fn act(
        &self,
        platform: &dyn ChatPlatform,
        presser: UserId,
        action: ReviewAction,
        press: Press,
    ) -> ReviewOutcome {
        let sent = match press {
            Press::Answer(outcome) => return outcome,
            // Content protection: the admin can look, not forward or save.
            Press::Show { bytes } => {
                let shown = media(bytes, true);
                platform
                    .post_media(Place::private(presser), shown, "")
                    .await
            }
            Press::Post { item, bytes, .. } => self.post_release(platform, &item, bytes).await,
        };
        match sent {
            Ok(_) => ReviewOutcome::Done(action),
            Err(e) => {
                tracing::error!(error = %e, "review action failed");
                ReviewOutcome::Failed
            }
        }
    }

    /// The released photo in its chat and thread, credited to its sender.
    async fn post_release(
        &self,
        platform: &dyn ChatPlatform,
        item: &QuarantineItem,
        bytes: Vec<u8>,
    ) -> Result<MessageId, PlatformError> {
        let lang = chat_lang(self.policies.as_ref(), item.chat).await;
        let body = Msg::ReleasedBy {
            sender: &item.sender_name,
            caption: item.caption.as_deref(),
        };
        let caption = with_reminder(lang, &text(lang, &body));
        let to = Place {
            chat: item.chat,
            thread: item.thread,
        };
        let copy = platform
            .post_media(to, media(bytes, false), &caption)
            .await?;
        // Issue 23: a released photo shows the client again; noted as a copy
        // of its share, a later withdrawal takes it down like the others.
        let noted = self
            .exposure
            .record_replacement(item.chat, copy, item.share, self.guard.now().now)
            .await;
        if let Err(e) = noted {
            tracing::error!(error = %e, item = item.id.0, "a released copy could not be noted");
        }
        Ok(copy)
    }
}

/// A sealed item or a copy posted as what its bytes are: a sealed video is
/// shown and released as a video (issue 19), anything else as a photo.
fn media(bytes: Vec<u8>, protect: bool) -> OutgoingMedia {
    OutgoingMedia {
        kind: MediaKind::of(&bytes),
        bytes,
        protect,
    }
}

/// A send that failed is logged, not raised: the rest of the work goes on.
fn log_failure<T>(sent: Result<T, PlatformError>, what: &str) {
    if let Err(e) = sent {
        tracing::warn!(error = %e, what, "could not send to an admin");
    }
}

#[cfg(test)]
#[path = "review_post_tests.rs"]
mod tests;
