//! Acting on a decision as recorded steps (see `crate::enforcement`):
//! decided → original deleted → copy posted or sender told → admins alerted.
//! Each step is written to the store once done; a replay resumes at the next
//! one without checking the media again, and a step a later state of the
//! message replaced is not written over it. The blurred copy is sealed with
//! the decision before the original goes, so a crash between them loses
//! nothing.

use super::chat_policies::chat_lang;
use super::intake::{Incoming, Intake, IntakeError};
use crate::enforcement::{after, After};
use crate::platform::{ChatPlatform, Removed};
use crate::{Checked, Enforcement, Lang, Removal, Step, Verdict};

impl Intake {
    /// Records a fresh decision about `media` and acts on it, after
    /// `earlier`, the state of the message judged before, if any.
    pub(super) async fn decided(
        &self,
        platform: &dyn ChatPlatform,
        media: &Incoming,
        mut checked: Checked,
        earlier: Option<Enforcement>,
    ) -> Result<(), IntakeError> {
        let d = &checked.decision;
        let mut rec = Enforcement {
            chat: media.place.chat,
            message: media.message,
            update: media.update,
            verdict: d.verdict,
            enforced: d.enforce,
            reason: d.reason.clone(),
            share: checked.share,
            quarantine: checked.quarantine,
            step: Step::Decided,
            removal: None,
            copy_message: None,
        };
        if let Some(earlier) = earlier {
            match after(&earlier, rec.verdict, rec.enforced) {
                After::Replace => {}
                // The original is already gone; a copy it left is taken back.
                After::Escalate => {
                    rec.removal = earlier.removal;
                    rec.copy_message = earlier.copy_message;
                }
                After::Adopt => return self.adopt(platform, media, earlier).await,
            }
        }
        let copy = checked.anonymised.take();
        let records = &self.stores.records;
        records.record_decision(&rec, copy.as_deref()).await?;
        self.run(platform, media, rec, copy, false).await
    }

    /// Carries on with a decision recorded before (a replay after a restart).
    pub(super) async fn resume(
        &self,
        platform: &dyn ChatPlatform,
        media: &Incoming,
        rec: Enforcement,
    ) -> Result<(), IntakeError> {
        if rec.step != Step::Done {
            tracing::info!(
                chat = rec.chat.0,
                message = rec.message.0,
                step = rec.step.as_str(),
                "resuming the work on a photo decided before"
            );
        }
        self.run(platform, media, rec, None, true).await
    }

    /// A later state that asks no more than what was done: the earlier work
    /// stands, finished under the later update.
    async fn adopt(
        &self,
        platform: &dyn ChatPlatform,
        media: &Incoming,
        mut earlier: Enforcement,
    ) -> Result<(), IntakeError> {
        let (chat, message, update) = (earlier.chat, earlier.message, media.update);
        let records = &self.stores.records;
        if !records.adopt(chat, message, earlier.update, update).await? {
            return Ok(());
        }
        earlier.update = update;
        self.run(platform, media, earlier, None, true).await
    }

    async fn run(
        &self,
        platform: &dyn ChatPlatform,
        media: &Incoming,
        mut rec: Enforcement,
        mut copy: Option<Vec<u8>>,
        resumed: bool,
    ) -> Result<(), IntakeError> {
        let lang = chat_lang(self.stores.policies.as_ref(), rec.chat).await;
        loop {
            rec.step = match rec.step {
                Step::Done => return Ok(()),
                Step::Decided => self.remove(platform, media, &mut rec, resumed).await?,
                Step::Deleted => {
                    let copy = copy.take();
                    self.deliver(platform, media, &mut rec, copy, lang).await?
                }
                Step::Delivered => self.alert(platform, media, &rec).await,
            };
            if !self.stores.records.record_step(&rec).await? {
                tracing::info!(
                    chat = rec.chat.0,
                    message = rec.message.0,
                    "a later state of the message took over its work"
                );
                return Ok(());
            }
        }
    }

    /// Deletes the original (unless an earlier state already did) and, for a
    /// block, the blurred copy an earlier state posted.
    async fn remove(
        &self,
        platform: &dyn ChatPlatform,
        media: &Incoming,
        rec: &mut Enforcement,
        resumed: bool,
    ) -> Result<Step, IntakeError> {
        if !rec.enforced || rec.verdict == Verdict::Allow {
            return Ok(Step::Done);
        }
        let removal = match rec.removal {
            Some(carried) => carried,
            None => match self.remove_original(platform, media).await? {
                Removed::Yes => Removal::Removed,
                // After a crash a delete that finds nothing most likely found
                // our own: the photo must not be lost, and the copy is blurred.
                Removed::AlreadyGone if resumed => Removal::Removed,
                Removed::AlreadyGone => Removal::AlreadyGone,
                Removed::TooOld | Removed::NoRight => Removal::NotAllowed,
            },
        };
        if rec.verdict == Verdict::Block {
            if let Some(copy) = rec.copy_message.take() {
                self.remove_copy(platform, rec, copy).await?;
            }
        }
        rec.removal = Some(removal);
        Ok(Step::Deleted)
    }

    /// Deletes the bot's own blurred copy; one already gone is fine.
    async fn remove_copy(
        &self,
        platform: &dyn ChatPlatform,
        rec: &Enforcement,
        copy: crate::MessageId,
    ) -> Result<(), IntakeError> {
        let failed =
            |why: String| IntakeError::Platform(format!("deleting the copy failed: {why}"));
        match platform.remove(rec.chat, copy).await {
            Ok(Removed::Yes | Removed::AlreadyGone) => Ok(()),
            Ok(refused) => Err(failed(format!("{refused:?}"))),
            Err(e) => Err(failed(e.to_string())),
        }
    }

    /// Posts the blurred copy, or tells the sender of the block.
    async fn deliver(
        &self,
        platform: &dyn ChatPlatform,
        media: &Incoming,
        rec: &mut Enforcement,
        copy: Option<Vec<u8>>,
        lang: Lang,
    ) -> Result<Step, IntakeError> {
        let removed = rec.removal == Some(Removal::Removed);
        match rec.verdict {
            Verdict::Blur if removed => {
                let copy = match copy {
                    Some(copy) => copy,
                    None => self
                        .stores
                        .records
                        .enforcement_copy(rec.chat, rec.message)
                        .await?
                        .ok_or(IntakeError::NoCopy)?,
                };
                let posted = self.post_blurred(platform, media, copy, lang).await?;
                rec.copy_message = Some(posted);
                Ok(Step::Done)
            }
            Verdict::Block => {
                if removed {
                    self.tell_sender(platform, media, &rec.reason, lang).await;
                }
                Ok(Step::Delivered)
            }
            _ => Ok(Step::Done),
        }
    }

    /// Alerts the admins to a block that awaits review.
    async fn alert(
        &self,
        platform: &dyn ChatPlatform,
        media: &Incoming,
        rec: &Enforcement,
    ) -> Step {
        let gone_before = rec.removal == Some(Removal::AlreadyGone);
        if let (Some(item), false) = (rec.quarantine, gone_before) {
            self.alert_admins(platform, media, &rec.reason, item).await;
        }
        Step::Done
    }
}
