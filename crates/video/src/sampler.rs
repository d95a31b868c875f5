//! Which frames are examined, and the boxes every frame gets.
//!
//! Frames arrive in order. Every `step`-th frame is a sample (detected on);
//! so is the first, the last, and, at a cut, both the last frame of the old
//! scene and the first of the new one, so no interpolation spans a cut. The
//! frames since the last sample wait in a short buffer (at most `step`
//! frames: memory stays bounded) until the next sample's faces are known;
//! then each is given its boxes (track.rs) and handed on in order. A face
//! the detector loses for a few samples is carried on (carry.rs).

use std::collections::VecDeque;

use photo_guard_core::vision::Face;

use crate::carry::{self, Tracked};
use crate::scene::Thumb;
use crate::track::{between, on_sample, Motion};
use crate::yuv::Yuv;

/// The last sample: where it is and what was found on it.
struct Sample {
    index: u64,
    faces: Vec<Face>,
    /// The sample before it and its distance, unless a cut separates them.
    previous: Option<(Vec<Face>, usize)>,
}

/// Drives detection and hands out (frame, boxes) in order.
pub struct Sampler<D, E> {
    step: u64,
    frame: (u32, u32),
    motion: Motion,
    detect: D,
    emit: E,
    /// Frames from the last sample (front) on.
    pending: VecDeque<Yuv>,
    last: Option<Sample>,
    thumb: Option<Thumb>,
    /// The faces followed across samples (carry.rs).
    tracks: Vec<Tracked>,
    next_index: u64,
    /// (frame index, faces) of every sample, for the report.
    pub samples: Vec<(u64, usize)>,
}

impl<D, E, Err> Sampler<D, E>
where
    D: FnMut(&Yuv) -> Result<Vec<Face>, Err>,
    E: FnMut(Yuv, Vec<Face>) -> Result<(), Err>,
{
    pub fn new(step: u64, frame: (u32, u32), motion: Motion, detect: D, emit: E) -> Self {
        Self {
            step: step.max(1),
            frame,
            motion,
            detect,
            emit,
            pending: VecDeque::new(),
            last: None,
            thumb: None,
            tracks: Vec::new(),
            next_index: 0,
            samples: Vec::new(),
        }
    }

    /// Takes the next frame.
    pub fn push(&mut self, frame: Yuv) -> Result<(), Err> {
        let index = self.next_index;
        self.next_index += 1;
        let thumb = Thumb::of(&frame);
        let cut = self.thumb.as_ref().is_some_and(|t| thumb.is_cut_after(t));
        self.thumb = Some(thumb);
        if cut && self.pending.len() > 1 {
            // Close the old scene on its own last frame.
            self.sample_back()?;
        }
        self.pending.push_back(frame);
        let due = match &self.last {
            None => true,
            Some(s) => cut || index - s.index >= self.step,
        };
        if due {
            self.sample_back_with(cut)?;
        }
        Ok(())
    }

    /// Ends the clip: the last frame is a sample, then everything is emitted.
    pub fn finish(mut self) -> Result<Vec<(u64, usize)>, Err> {
        if self.pending.len() > 1 {
            self.sample_back()?;
        }
        if let (Some(last), Some(frame)) = (self.last.take(), self.pending.pop_front()) {
            let neighbours: Vec<(&[Face], usize)> = last
                .previous
                .iter()
                .map(|(f, d)| (f.as_slice(), *d))
                .collect();
            let boxes = on_sample(&last.faces, &neighbours, self.frame, &self.motion);
            (self.emit)(frame, boxes)?;
        }
        Ok(self.samples)
    }

    fn sample_back(&mut self) -> Result<(), Err> {
        self.sample_back_with(false)
    }

    /// Detects on the newest pending frame and emits every frame before it.
    fn sample_back_with(&mut self, cut: bool) -> Result<(), Err> {
        let index = self.last_pending_index();
        let found = match self.pending.back() {
            Some(f) => (self.detect)(f)?,
            None => return Ok(()),
        };
        self.samples.push((index, found.len()));
        // Across a cut no face is carried: the old scene's faces are gone.
        let before: &[Tracked] = if cut { &[] } else { &self.tracks };
        self.tracks = carry::update(before, &found, self.frame, &self.motion);
        let faces = carry::boxes(&self.tracks, self.frame, &self.motion);
        let Some(last) = self.last.take() else {
            self.last = Some(Sample {
                index,
                faces,
                previous: None,
            });
            return Ok(());
        };
        let gap = (index - last.index) as usize;
        let mut neighbours: Vec<(&[Face], usize)> = last
            .previous
            .iter()
            .map(|(f, d)| (f.as_slice(), *d))
            .collect();
        if !cut {
            neighbours.push((&faces, gap));
        }
        let own = on_sample(&last.faces, &neighbours, self.frame, &self.motion);
        let middle = if cut {
            vec![Vec::new(); gap.saturating_sub(1)]
        } else {
            between(&last.faces, &faces, gap, self.frame, &self.motion)
        };
        let first = self.pending.pop_front().expect("the last sample's frame");
        (self.emit)(first, own)?;
        for boxes in middle {
            let frame = self.pending.pop_front().expect("a frame between samples");
            (self.emit)(frame, boxes)?;
        }
        self.last = Some(Sample {
            index,
            previous: (!cut).then_some((last.faces, gap)),
            faces,
        });
        Ok(())
    }

    /// The index of the newest pending frame.
    fn last_pending_index(&self) -> u64 {
        let start = self.last.as_ref().map_or(0, |s| s.index);
        start + self.pending.len() as u64 - 1
    }
}

#[cfg(test)]
#[path = "sampler_tests.rs"]
mod tests;
