//! `/stats`'s picture (issue 23), the core's `StatsChart` for every
//! platform: one panel per chat, top to bottom, one group of three bars per
//! week, oldest on the left: allowed (green), blurred (amber), blocked
//! (red). Drawn with plotters into an RGB buffer and encoded as PNG by
//! `image`. No text in the picture: plotters needs a font for it and none
//! ships offline, so the caption (the core's `Layout`) names the panels and
//! weeks. Only the binary depends on this crate; it hands [`Bars`] to the
//! core (`Services::with_chart`), so the adapters stay on the core alone.

use std::collections::BTreeMap;
use std::io::Cursor;

use chrono::NaiveDate;
use photo_guard_core::{ChartError, Layout, PeriodStats, StatsChart};
use plotters::prelude::*;

const WIDTH: u32 = 800;
const PANEL_HEIGHT: u32 = 200;
const MAX_HEIGHT: u32 = 2000;
const ALLOWED: RGBColor = RGBColor(46, 160, 67);
const BLURRED: RGBColor = RGBColor(230, 160, 0);
const BLOCKED: RGBColor = RGBColor(208, 40, 40);

/// The weekly bars, as PNG.
#[derive(Debug, Clone, Copy, Default)]
pub struct Bars;

impl StatsChart for Bars {
    fn weekly_png(&self, weeks: &[PeriodStats]) -> Result<Vec<u8>, ChartError> {
        weekly_png(weeks)
    }
}

/// The PNG; `weeks` must not be empty.
pub fn weekly_png(weeks: &[PeriodStats]) -> Result<Vec<u8>, ChartError> {
    let layout = Layout::of(weeks);
    let by_key: BTreeMap<(i64, NaiveDate), &PeriodStats> =
        weeks.iter().map(|w| ((w.chat, w.start), w)).collect();
    let panels = layout.chats.len().max(1) as u32;
    let height = (panels * PANEL_HEIGHT).min(MAX_HEIGHT);
    let mut buffer = vec![255u8; (WIDTH * height * 3) as usize];
    draw(&mut buffer, height, &layout, &by_key).map_err(|e| ChartError::Draw(e.to_string()))?;
    let image = image::RgbImage::from_raw(WIDTH, height, buffer)
        .expect("the buffer is exactly width x height x 3");
    let mut png = Cursor::new(Vec::new());
    image
        .write_to(&mut png, image::ImageFormat::Png)
        .map_err(|e| ChartError::Encode(e.to_string()))?;
    Ok(png.into_inner())
}

type Drawn = Result<(), Box<dyn std::error::Error>>;

fn draw(
    buffer: &mut [u8],
    height: u32,
    layout: &Layout,
    by_key: &BTreeMap<(i64, NaiveDate), &PeriodStats>,
) -> Drawn {
    let root = BitMapBackend::with_buffer(buffer, (WIDTH, height)).into_drawing_area();
    root.fill(&WHITE)?;
    let areas = root.split_evenly((layout.chats.len().max(1), 1));
    for (area, chat) in areas.iter().zip(&layout.chats) {
        let rows: Vec<Option<&&PeriodStats>> = layout
            .weeks
            .iter()
            .map(|w| by_key.get(&(*chat, *w)))
            .collect();
        panel(area, &rows)?;
    }
    root.present()?;
    Ok(())
}

fn panel<DB: DrawingBackend>(
    area: &DrawingArea<DB, plotters::coord::Shift>,
    rows: &[Option<&&PeriodStats>],
) -> Drawn
where
    DB::ErrorType: 'static,
{
    let top = rows
        .iter()
        .flatten()
        .map(|w| w.allowed.max(w.blurred).max(w.blocked))
        .max()
        .unwrap_or(0)
        .max(1) as f64;
    let mut chart = ChartBuilder::on(area)
        .margin(12)
        .build_cartesian_2d(0f64..rows.len().max(1) as f64, 0f64..top * 1.1)?;
    let baseline = [(0.0, 0.0), (rows.len() as f64, 0.0)];
    chart.draw_series(std::iter::once(PathElement::new(baseline, BLACK)))?;
    for (i, week) in rows.iter().enumerate() {
        let Some(week) = week else { continue };
        let bars = [
            (week.allowed, ALLOWED),
            (week.blurred, BLURRED),
            (week.blocked, BLOCKED),
        ];
        for (k, (value, colour)) in bars.into_iter().enumerate() {
            let x0 = i as f64 + 0.08 + k as f64 * 0.28;
            let bar = Rectangle::new([(x0, 0.0), (x0 + 0.26, value as f64)], colour.filled());
            chart.draw_series(std::iter::once(bar))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_chart_is_a_png_with_one_panel_per_chat_and_the_verdict_colours() {
        // Issue 23: /stats's picture decodes and shows the bars.
        let week = |chat, allowed, blocked| PeriodStats {
            chat,
            start: "2026-11-23".parse().unwrap(),
            allowed,
            blurred: 0,
            blocked,
        };
        let png = weekly_png(&[week(-1, 4, 1), week(-2, 0, 3)]).unwrap();
        let img = image::load_from_memory(&png).unwrap().to_rgb8();
        assert_eq!(img.dimensions(), (WIDTH, 2 * PANEL_HEIGHT));
        let has = |c: RGBColor| img.pixels().any(|p| p.0 == [c.0, c.1, c.2]);
        assert!(has(ALLOWED) && has(BLOCKED), "the bars are missing");
        assert!(!has(BLURRED), "a bar for nothing blurred");
    }
}
