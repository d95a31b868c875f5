//! The guard's blurred copy of media already shared (issue 23: a downgrade
//! from `full` to `blurred` replaces an allowed original by it). The bytes
//! say what they are, as a sealed original's do at release: a video goes to
//! the video tool on the videos' permits, anything else to the photo
//! pipeline on the photos' permits, so a takedown never examines more at
//! once than the intake may.

use crate::platform::MediaKind;
use crate::{Guard, VisionError, Visual};

impl Guard {
    /// `bytes` with every face hidden and no metadata, and what kind of
    /// media the copy is; an error when it cannot be made (the caller then
    /// posts nothing: fail closed).
    pub async fn blurred_copy(&self, bytes: Vec<u8>) -> Result<(MediaKind, Vec<u8>), VisionError> {
        let kind = MediaKind::of(&bytes);
        let visual = match kind {
            MediaKind::Video => Visual::Video,
            MediaKind::Photo => Visual::Photo,
        };
        let (eyes, permits) = self.eyes(visual);
        let stopped = || VisionError::Anonymise("the vision worker stopped".into());
        let _permit = permits
            .clone()
            .acquire_owned()
            .await
            .map_err(|_| stopped())?;
        let made = tokio::task::spawn_blocking(move || {
            let made = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                match eyes.look(&bytes)? {
                    Some(examined) => examined.anonymise(),
                    None => Err(VisionError::Unsupported("nothing to blur".into())),
                }
            }));
            made.unwrap_or_else(|_| Err(VisionError::Detector("the detector panicked".into())))
        });
        let copy = made.await.map_err(|_| stopped())??;
        Ok((kind, copy))
    }
}
