//! The seam for `/stats`'s picture (issue 23): the core sums the weeks
//! (`Reports::weekly`) and says what the picture shows ([`Layout`], for its
//! caption); a [`StatsChart`] draws it as a PNG (`crates/chart`, plotters,
//! wired by the binary). So the core and the adapters import no image
//! crate, and Telegram and WhatsApp send the same picture.

use std::collections::BTreeSet;

use chrono::NaiveDate;
use thiserror::Error;

use crate::PeriodStats;

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ChartError {
    #[error("drawing the chart failed: {0}")]
    Draw(String),
    #[error("encoding the chart failed: {0}")]
    Encode(String),
    #[error("no chart drawer is configured")]
    NotConfigured,
}

/// Draws `/stats`'s weekly chart. Synchronous and quick (a few small panels).
pub trait StatsChart: Send + Sync + 'static {
    /// The PNG: one panel per chat in [`Layout::of`]'s order, one group of
    /// bars (allowed, blurred, blocked) per week; `weeks` is not empty.
    fn weekly_png(&self, weeks: &[PeriodStats]) -> Result<Vec<u8>, ChartError>;
}

/// No drawer (a store-only command, the core's own tests): no picture, the
/// counts alone.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoChart;

impl StatsChart for NoChart {
    fn weekly_png(&self, _weeks: &[PeriodStats]) -> Result<Vec<u8>, ChartError> {
        Err(ChartError::NotConfigured)
    }
}

/// The chats in panel order (top to bottom) and the weeks on the x axis
/// (oldest on the left): what the picture shows, said in its caption since
/// the picture has no text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Layout {
    pub chats: Vec<i64>,
    pub weeks: Vec<NaiveDate>,
}

impl Layout {
    pub fn of(weeks: &[PeriodStats]) -> Self {
        let chats: BTreeSet<i64> = weeks.iter().map(|w| w.chat).collect();
        let starts: BTreeSet<NaiveDate> = weeks.iter().map(|w| w.start).collect();
        Self {
            chats: chats.into_iter().collect(),
            weeks: starts.into_iter().collect(),
        }
    }
}
