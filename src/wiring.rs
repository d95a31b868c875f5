//! Putting the parts together: the store, the vision pipeline and the guard,
//! shared by `run`, `check` and `doctor`.

use std::sync::Arc;

use anyhow::Context;
use photo_guard_core::{Clock, Guard, Services, ShiftedClock, SystemClock};
use photo_guard_store::SqlStore;
use photo_guard_vision::Pipeline;

use crate::config;
use crate::video_vision::VideoExaminer;

pub struct Parts {
    /// The core's use cases on the store; `guard` is `services.guard`.
    pub services: Arc<Services>,
    pub guard: Arc<Guard>,
    pub store: SqlStore,
    /// Why detection is weaker than configured, if it is.
    pub degraded: Option<String>,
    /// The detectors in use and where CenterFace's model came from.
    pub faces: String,
    /// ffmpeg's version when videos can be examined; why not otherwise
    /// (then every video is blocked).
    pub videos: Result<String, String>,
    pub retention_days: u32,
}

/// The guard on the configured database.
pub async fn assemble() -> anyhow::Result<Parts> {
    let store_cfg = config::store_from_env()?;
    let store = SqlStore::open_with(
        &store_cfg.database_url,
        store_cfg.quarantine_key,
        &store_cfg.admins,
        store_cfg.audit_anchor.as_deref(),
    )
    .await
    .context("cannot open the database")?;
    assemble_on(store, store_cfg.retention_days).await
}

/// The guard on a store the caller opened (`check` gives it a scratch one).
pub async fn assemble_on(store: SqlStore, retention_days: u32) -> anyhow::Result<Parts> {
    let vision_cfg = config::vision_from_env()?;
    let guard_cfg = config::guard_from_env()?;
    let pipeline = tokio::task::spawn_blocking(move || Pipeline::new(vision_cfg))
        .await
        .context("the vision loader stopped")?
        .context("cannot load the face detectors")?;
    let degraded = pipeline.degraded().map(str::to_owned);
    let faces = pipeline.describe();
    let clock: Arc<dyn Clock> = match guard_cfg.clock_start {
        None => Arc::new(SystemClock {
            offset: guard_cfg.utc_offset,
        }),
        Some(start) => Arc::new(ShiftedClock {
            offset: guard_cfg.utc_offset,
            shift: start - chrono::Utc::now(),
        }),
    };
    let pipeline = Arc::new(pipeline);
    let (videos, examiner) = video_examiner(pipeline.clone()).await?;
    let services = Arc::new(
        Services::with_videos(
            pipeline,
            Arc::new(examiner),
            Arc::new(store.clone()),
            clock,
            guard_cfg.max_concurrent,
            config::video_from_env()?.max_concurrent,
        )
        .with_chart(Arc::new(photo_guard_chart::Bars)),
    );
    Ok(Parts {
        guard: services.guard.clone(),
        services,
        store,
        degraded,
        faces,
        videos,
        retention_days,
    })
}

/// The video tool on the photos' pipeline, and whether ffmpeg is here.
async fn video_examiner(
    pipeline: Arc<Pipeline>,
) -> anyhow::Result<(Result<String, String>, VideoExaminer)> {
    let cfg = config::video_from_env()?;
    let videos = tokio::task::spawn_blocking(photo_guard_video::tools_available)
        .await
        .context("the ffmpeg check stopped")?;
    let missing = videos
        .as_ref()
        .err()
        .map(|why| format!("videos cannot be examined: {why}"));
    let examiner = VideoExaminer::new(pipeline, cfg.settings, cfg.work_dir, missing);
    Ok((videos, examiner))
}
