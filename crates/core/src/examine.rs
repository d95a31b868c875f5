//! The guard's look at one item on a blocking thread: the right eyes for its
//! kind (the photo pipeline, the video tool, or none), the verdict table,
//! and the anonymised copy when the verdict is an enforced blur. Anything
//! that fails here is a block: a photo and a video fail closed alike.

use std::sync::Arc;

use crate::guard::Examination;
use crate::policy::{decide, TaggedClient};
use crate::{Decision, Examined, Reason, Verdict, VideoVision, Vision, VisionError};

/// What looks at an item.
pub(crate) enum Eyes {
    Image(Arc<dyn Vision>),
    Video(Arc<dyn VideoVision>),
    /// A drawing (TGS sticker): nobody can be in it.
    Nothing,
    /// Nothing the bot could fetch: it cannot be examined.
    Refuse,
}

impl Eyes {
    /// The item examined; `Ok(None)` when there is nothing to look at.
    pub(crate) fn look(&self, bytes: &[u8]) -> Result<Option<Box<dyn Examined>>, VisionError> {
        match self {
            Self::Image(v) => v.examine(bytes).map(Some),
            Self::Video(v) => v.examine_video(bytes).map(Some),
            Self::Nothing => Ok(None),
            Self::Refuse => Err(VisionError::Unsupported("no file to examine".into())),
        }
    }
}

/// Runs on a blocking thread: examine, decide, anonymise when the verdict is
/// an enforced blur. A failed anonymisation turns the blur into a block.
pub(crate) fn examine_blocking(
    eyes: &Eyes,
    bytes: Vec<u8>,
    tagged: &[TaggedClient],
    policy: &crate::ChatPolicy,
) -> Examination {
    let examined = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| eyes.look(&bytes)))
        .unwrap_or_else(|_| Err(VisionError::Detector("the detector panicked".into())));
    let (examined, error) = match examined {
        Ok(e) => (e, None),
        Err(e) => (None, Some(e.to_string())),
    };
    let faces = examined.as_ref().map_or(0, |e| e.faces().len());
    let sight = match &error {
        Some(detail) => Err(detail.as_str()),
        None => Ok(faces),
    };
    let mut decision = decide(sight, tagged, policy);
    let mut anonymised = None;
    if decision.enforce && decision.verdict == Verdict::Blur {
        match examined.map(|e| e.anonymise()) {
            Some(Ok(copy)) => anonymised = Some(copy),
            Some(Err(e)) => block_unreadable(&mut decision, e.to_string()),
            None => block_unreadable(&mut decision, "nothing to anonymise".into()),
        }
    }
    Examination {
        decision,
        faces,
        anonymised,
        bytes,
    }
}

fn block_unreadable(decision: &mut Decision, detail: String) {
    decision.verdict = Verdict::Block;
    decision.reason = Reason::Unreadable { detail };
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ChatPolicy;

    use crate::services::fakes_guard::FakeVideos;

    fn check(eyes: Eyes) -> Examination {
        examine_blocking(&eyes, b"clip".to_vec(), &[], &ChatPolicy::default())
    }

    #[test]
    fn a_video_with_untagged_faces_is_blurred_with_the_video_tools_copy() {
        // Issue 19: a video is decided by the photos' table and its copy comes from the video tool.
        let exam = check(Eyes::Video(Arc::new(FakeVideos(Ok(2)))));
        assert_eq!(exam.decision.verdict, Verdict::Blur);
        assert_eq!(exam.faces, 2);
        assert_eq!(exam.anonymised.as_deref(), Some(&b"blurred clip"[..]));
    }

    #[test]
    fn a_video_the_tool_cannot_read_or_that_is_too_long_is_blocked() {
        // Issue 19: fail closed: a video error (ffmpeg missing, too long) blocks for review.
        for err in [
            VisionError::Unsupported("ffmpeg is not installed".into()),
            VisionError::TooLarge("the video lasts 200 s, over the 180 s limit".into()),
        ] {
            let exam = check(Eyes::Video(Arc::new(FakeVideos(Err(err)))));
            assert_eq!(exam.decision.verdict, Verdict::Block);
            assert_eq!(exam.decision.reason.code(), "unreadable");
            assert_eq!(exam.bytes, b"clip", "the original is kept for the vault");
        }
    }

    #[test]
    fn a_drawing_is_allowed_and_what_cannot_be_fetched_is_blocked() {
        // Issue 19: a TGS sticker cannot show a photo; an unfetchable item fails closed.
        assert_eq!(check(Eyes::Nothing).decision.verdict, Verdict::Allow);
        assert_eq!(check(Eyes::Refuse).decision.verdict, Verdict::Block);
    }
}
