//! Painting a frame's boxes the way the photos are painted (vision's
//! `anonymise`: the same ellipse around each box, the same cells, the same
//! softening), but in place and touching only the ellipses' pixels.
//!
//! Vision's version copies the frame and enlarges each face's soft cells
//! with a general-purpose resize over the whole face rectangle: about
//! 120 ms a 720p frame of eval/video's 03_land (its two faces' masks cover
//! most of the frame), 25 times a second, 45% of the clip's CPU time. Here
//! the cells are averaged with integer sums, softened exactly as vision
//! does (on the tiny cell image, where it costs nothing), and then sampled
//! bilinearly in integer arithmetic only at the pixels inside the ellipse:
//! 12% of the clip's CPU time (perf), about 8 ms a frame there. It runs on
//! the writer thread, beside detection on the other core.

use image::{imageops, Rgb, RgbImage};
use photo_guard_core::vision::Face;
// The cells, their softening and the solid colour are vision's own, so a
// frame is hidden exactly as a photo is.
use photo_guard_vision::anonymise::{masks, Ellipse, CELLS, SOFT, SOLID};
use photo_guard_vision::Style;

/// How the photos are painted, copied from the pipeline's settings.
#[derive(Debug, Clone, Copy)]
pub struct Paint {
    pub margin: f32,
    pub style: Style,
}

/// The frame with every box hidden; a frame without boxes is passed on
/// untouched, so a face-free clip is only re-encoded.
pub fn paint(mut frame: RgbImage, boxes: &[Face], how: Paint) -> RgbImage {
    for mask in masks(boxes, how.margin) {
        paint_one(&mut frame, &mask, how.style);
    }
    frame
}

/// A pixel rectangle, exclusive ends, inside the frame.
#[derive(Debug, Clone, Copy)]
struct Region {
    x0: u32,
    y0: u32,
    x1: u32,
    y1: u32,
}

impl Region {
    fn of(mask: &Ellipse, (width, height): (u32, u32)) -> Option<Region> {
        let clip = |v: f32, max: u32| (v.max(0.0) as u32).min(max);
        let r = Region {
            x0: clip((mask.cx - mask.rx).floor(), width),
            y0: clip((mask.cy - mask.ry).floor(), height),
            x1: clip((mask.cx + mask.rx).ceil(), width),
            y1: clip((mask.cy + mask.ry).ceil(), height),
        };
        (r.x1 > r.x0 && r.y1 > r.y0).then_some(r)
    }
    fn width(&self) -> u32 {
        self.x1 - self.x0
    }
    fn height(&self) -> u32 {
        self.y1 - self.y0
    }
}

fn paint_one(frame: &mut RgbImage, mask: &Ellipse, style: Style) {
    let Some(region) = Region::of(mask, frame.dimensions()) else {
        return;
    };
    if style == Style::Solid {
        return fill(frame, mask, region, |_, row| row.fill(SOLID.0));
    }
    // The cell is sized from the whole ellipse, even where it leaves the
    // frame, so a face cut by the border is hidden as strongly.
    let cell = ((2.0 * mask.rx.max(mask.ry)) / CELLS).ceil().max(2.0) as u32;
    let cells = cells(frame, region, cell);
    let (w, h) = (region.width(), region.height());
    if style == Style::Pixelate {
        let (cw, ch) = cells.dimensions();
        let column: Vec<u32> = (0..w).map(|x| x * cw / w).collect();
        return fill(frame, mask, region, |(y, x0), row| {
            let cy = y * ch / h;
            for (i, px) in row.iter_mut().enumerate() {
                *px = cells.get_pixel(column[x0 as usize + i], cy).0;
            }
        });
    }
    let (sw, sh) = (cells.width() * SOFT, cells.height() * SOFT);
    let small = imageops::resize(&cells, sw, sh, imageops::FilterType::Triangle);
    let soft = imageops::fast_blur(&small, SOFT as f32 / 2.0);
    let columns = Axis::new(w, sw);
    let rows = Axis::new(h, sh);
    let mut line = vec![[0u32; 3]; sw as usize];
    fill(frame, mask, region, |(y, x0), row| {
        // Rows first, on the small image, then only columns per pixel.
        let (a, b, t) = rows.at(y);
        for (sx, l) in line.iter_mut().enumerate() {
            let (p, q) = (
                soft.get_pixel(sx as u32, a).0,
                soft.get_pixel(sx as u32, b).0,
            );
            for k in 0..3 {
                l[k] = u32::from(p[k]) * (256 - t) + u32::from(q[k]) * t;
            }
        }
        for (i, px) in row.iter_mut().enumerate() {
            let (a, b, t) = columns.at(x0 + i as u32);
            let (p, q) = (line[a as usize], line[b as usize]);
            for k in 0..3 {
                px[k] = ((p[k] * (256 - t) + q[k] * t + (1 << 15)) >> 16) as u8;
            }
        }
    });
}

/// Calls `paint((y, x0), pixels)` for each row's run of pixels inside the
/// ellipse, `y` and `x0` relative to the region, `pixels` the frame's own.
fn fill(
    frame: &mut RgbImage,
    mask: &Ellipse,
    region: Region,
    mut paint: impl FnMut((u32, u32), &mut [[u8; 3]]),
) {
    let width = frame.width() as usize;
    let raw: &mut [u8] = frame;
    for y in region.y0..region.y1 {
        let Some((start, end)) = span(mask, region, y) else {
            continue;
        };
        let row = &mut raw
            [(y as usize * width + start as usize) * 3..(y as usize * width + end as usize) * 3];
        let (pixels, _) = row.as_chunks_mut::<3>();
        paint((y - region.y0, start - region.x0), pixels);
    }
}

/// The pixels of row `y` inside the ellipse, as `start..end`; exactly
/// those `Ellipse::contains` accepts (the closed form, then its edges
/// checked against it).
fn span(mask: &Ellipse, region: Region, y: u32) -> Option<(u32, u32)> {
    let dy = (y as f32 + 0.5 - mask.cy) / mask.ry;
    let half = mask.rx * (1.0 - dy * dy).max(0.0).sqrt();
    let clip = |v: f32| (v.max(region.x0 as f32) as u32).min(region.x1);
    let (mut start, mut end) = (
        clip((mask.cx - half - 0.5).ceil()),
        clip((mask.cx + half + 0.5).floor()),
    );
    while start > region.x0 && mask.contains(start - 1, y) {
        start -= 1;
    }
    while start < end && !mask.contains(start, y) {
        start += 1;
    }
    while end < region.x1 && mask.contains(end, y) {
        end += 1;
    }
    while end > start && !mask.contains(end - 1, y) {
        end -= 1;
    }
    (end > start).then_some((start, end))
}

/// The region averaged down to `cell`-sized blocks (the information is
/// gone, not smeared), with integer sums over the frame in place.
fn cells(frame: &RgbImage, region: Region, cell: u32) -> RgbImage {
    let (w, h) = (region.width(), region.height());
    let cw = w.div_ceil(cell).max(1);
    let ch = h.div_ceil(cell).max(1);
    let column: Vec<usize> = (0..w).map(|x| (x * cw / w) as usize).collect();
    let mut sums = vec![[0u32; 4]; (cw * ch) as usize];
    let stride = frame.width() as usize * 3;
    let raw: &[u8] = frame;
    for y in 0..h {
        let row = ((y * ch / h) * cw) as usize;
        let start = (region.y0 + y) as usize * stride + region.x0 as usize * 3;
        let (pixels, _) = raw[start..start + w as usize * 3].as_chunks::<3>();
        for (p, c) in pixels.iter().zip(&column) {
            let s = &mut sums[row + c];
            s[0] += u32::from(p[0]);
            s[1] += u32::from(p[1]);
            s[2] += u32::from(p[2]);
            s[3] += 1;
        }
    }
    RgbImage::from_fn(cw, ch, |x, y| {
        let s = sums[(y * cw + x) as usize];
        let n = s[3].max(1);
        let avg = |v: u32| ((v + n / 2) / n) as u8;
        Rgb([avg(s[0]), avg(s[1]), avg(s[2])])
    })
}

/// For each output position along one axis, the two source positions and
/// the weight of the second in 1/256 (pixel centres aligned, as image's
/// resize).
struct Axis(Vec<(u32, u32, u32)>);

impl Axis {
    fn new(out: u32, source: u32) -> Axis {
        let ratio = source as f32 / out.max(1) as f32;
        let last = source.saturating_sub(1);
        Axis(
            (0..out)
                .map(|i| {
                    let u = ((i as f32 + 0.5) * ratio - 0.5).max(0.0);
                    let a = (u.floor() as u32).min(last);
                    let t = ((u - a as f32) * 256.0).round().clamp(0.0, 256.0) as u32;
                    (a, (a + 1).min(last), t)
                })
                .collect(),
        )
    }
    fn at(&self, i: u32) -> (u32, u32, u32) {
        self.0[i as usize]
    }
}

#[cfg(test)]
#[path = "mask_tests.rs"]
mod tests;
