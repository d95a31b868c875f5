//! Painting a frame's boxes the way the photos are painted (vision's
//! `anonymise`: the same ellipse around each box, the same cells, the same
//! softening), but in place, on the frame's Y, U and V planes, touching only
//! the ellipses' pixels.
//!
//! Vision's version copies the frame and enlarges each face's soft cells
//! with a general-purpose resize over the whole face rectangle: about
//! 120 ms a 720p frame of eval/video's 03_land (its two faces' masks cover
//! most of the frame). Here the cells are averaged with integer sums,
//! softened exactly as vision does (on the tiny cell image, where it costs
//! nothing), and then sampled bilinearly in integer arithmetic only at the
//! pixels inside the ellipse. Averaging, softening and bilinear sampling
//! are linear, and so is BT.601's RGB -> YUV, so painting each plane gives
//! the colours painting the RGB frame would (up to rounding); U and V, at
//! half resolution, are painted inside the ellipse halved, with the same
//! cells. It runs on the writer thread, beside detection on the other core.

use image::{imageops, GrayImage, Luma};
use photo_guard_core::vision::Face;
// The cells, their softening and the solid colour are vision's own, so a
// frame is hidden exactly as a photo is.
use photo_guard_vision::anonymise::{masks, Ellipse, CELLS, SOFT, SOLID};
use photo_guard_vision::Style;

use crate::yuv::{PlaneMut, Yuv};

/// How the photos are painted, copied from the pipeline's settings.
#[derive(Debug, Clone, Copy)]
pub struct Paint {
    pub margin: f32,
    pub style: Style,
}

/// The frame with every box hidden; a frame without boxes is passed on
/// untouched, so a face-free clip is only re-encoded.
pub fn paint(mut frame: Yuv, boxes: &[Face], how: Paint) -> Yuv {
    for mask in masks(boxes, how.margin) {
        paint_one(&mut frame, &mask, how.style);
    }
    frame
}

/// A pixel rectangle, exclusive ends, inside the plane.
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

/// vision's solid grey in BT.601 limited-range Y, U, V.
fn solid_yuv() -> [u8; 3] {
    let [r, g, b] = SOLID.0.map(i32::from);
    let c = |v: i32| v.clamp(0, 255) as u8;
    [
        c(((66 * r + 129 * g + 25 * b + 128) >> 8) + 16),
        c(((-38 * r - 74 * g + 112 * b + 128) >> 8) + 128),
        c(((112 * r - 94 * g - 18 * b + 128) >> 8) + 128),
    ]
}

fn paint_one(frame: &mut Yuv, mask: &Ellipse, style: Style) {
    let Some(region) = Region::of(mask, frame.dimensions()) else {
        return;
    };
    // The cell is sized from the whole ellipse, even where it leaves the
    // frame, so a face cut by the border is hidden as strongly; the chroma
    // planes use the same grid of cells over their half-size region.
    let cell = ((2.0 * mask.rx.max(mask.ry)) / CELLS).ceil().max(2.0) as u32;
    let grid = (
        region.width().div_ceil(cell).max(1),
        region.height().div_ceil(cell).max(1),
    );
    let half = Ellipse {
        cx: mask.cx / 2.0,
        cy: mask.cy / 2.0,
        rx: mask.rx / 2.0,
        ry: mask.ry / 2.0,
    };
    let solid = solid_yuv();
    let [y, u, v] = frame.planes_mut();
    paint_plane(y, mask, grid, style, solid[0]);
    paint_plane(u, &half, grid, style, solid[1]);
    paint_plane(v, &half, grid, style, solid[2]);
}

fn paint_plane(plane: PlaneMut, mask: &Ellipse, grid: (u32, u32), style: Style, solid: u8) {
    let Some(region) = Region::of(mask, (plane.width, plane.height)) else {
        return;
    };
    if style == Style::Solid {
        return fill(plane, mask, region, |_, row| row.fill(solid));
    }
    let cells = cells(&plane, region, grid);
    let (w, h) = (region.width(), region.height());
    if style == Style::Pixelate {
        let (cw, ch) = cells.dimensions();
        let column: Vec<u32> = (0..w).map(|x| x * cw / w).collect();
        return fill(plane, mask, region, |(y, x0), row| {
            let cy = y * ch / h;
            for (i, px) in row.iter_mut().enumerate() {
                *px = cells.get_pixel(column[x0 as usize + i], cy).0[0];
            }
        });
    }
    let (sw, sh) = (cells.width() * SOFT, cells.height() * SOFT);
    let small = imageops::resize(&cells, sw, sh, imageops::FilterType::Triangle);
    let soft = imageops::fast_blur(&small, SOFT as f32 / 2.0);
    let columns = Axis::new(w, sw);
    let rows = Axis::new(h, sh);
    let mut line = vec![0u32; sw as usize];
    fill(plane, mask, region, |(y, x0), row| {
        // Rows first, on the small image, then only columns per pixel.
        let (a, b, t) = rows.at(y);
        for (sx, l) in line.iter_mut().enumerate() {
            let p = soft.get_pixel(sx as u32, a).0[0];
            let q = soft.get_pixel(sx as u32, b).0[0];
            *l = u32::from(p) * (256 - t) + u32::from(q) * t;
        }
        for (i, px) in row.iter_mut().enumerate() {
            let (a, b, t) = columns.at(x0 + i as u32);
            let (p, q) = (line[a as usize], line[b as usize]);
            *px = ((p * (256 - t) + q * t + (1 << 15)) >> 16) as u8;
        }
    });
}

/// Calls `paint((y, x0), pixels)` for each row's run of pixels inside the
/// ellipse, `y` and `x0` relative to the region, `pixels` the plane's own.
fn fill(
    plane: PlaneMut,
    mask: &Ellipse,
    region: Region,
    mut paint: impl FnMut((u32, u32), &mut [u8]),
) {
    let width = plane.width as usize;
    for y in region.y0..region.y1 {
        let Some((start, end)) = span(mask, region, y) else {
            continue;
        };
        let row = y as usize * width;
        let pixels = &mut plane.data[row + start as usize..row + end as usize];
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

/// The region averaged down to a `grid` of blocks (the information is
/// gone, not smeared), with integer sums over the plane in place.
fn cells(plane: &PlaneMut, region: Region, (cw, ch): (u32, u32)) -> GrayImage {
    let (w, h) = (region.width(), region.height());
    let (cw, ch) = (cw.min(w).max(1), ch.min(h).max(1));
    let column: Vec<usize> = (0..w).map(|x| (x * cw / w) as usize).collect();
    let mut sums = vec![[0u32; 2]; (cw * ch) as usize];
    let stride = plane.width as usize;
    for y in 0..h {
        let row = ((y * ch / h) * cw) as usize;
        let start = (region.y0 + y) as usize * stride + region.x0 as usize;
        let pixels = &plane.data[start..start + w as usize];
        for (p, c) in pixels.iter().zip(&column) {
            let s = &mut sums[row + c];
            s[0] += u32::from(*p);
            s[1] += 1;
        }
    }
    GrayImage::from_fn(cw, ch, |x, y| {
        let [sum, n] = sums[(y * cw + x) as usize];
        let n = n.max(1);
        Luma([((sum + n / 2) / n) as u8])
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
