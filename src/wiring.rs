//! Putting the parts together: the store, the vision pipeline and the guard,
//! shared by `run`, `check` and `doctor`.

use std::sync::Arc;

use anyhow::Context;
use photo_guard_core::{Clock, Guard, Services, ShiftedClock, SystemClock};
use photo_guard_store::SqliteStore;
use photo_guard_vision::Pipeline;

use crate::config;

pub struct Parts {
    /// The core's use cases on the store; `guard` is `services.guard`.
    pub services: Arc<Services>,
    pub guard: Arc<Guard>,
    pub store: SqliteStore,
    /// Why detection is weaker than configured, if it is.
    pub degraded: Option<String>,
    /// The detectors in use and where CenterFace's model came from.
    pub faces: String,
    pub retention_days: u32,
}

/// The guard on the configured database.
pub async fn assemble() -> anyhow::Result<Parts> {
    let store_cfg = config::store_from_env()?;
    let store = SqliteStore::open_with(
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
pub async fn assemble_on(store: SqliteStore, retention_days: u32) -> anyhow::Result<Parts> {
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
    let services = Arc::new(Services::new(
        Arc::new(pipeline),
        Arc::new(store.clone()),
        clock,
        guard_cfg.max_concurrent,
    ));
    Ok(Parts {
        guard: services.guard.clone(),
        services,
        store,
        degraded,
        faces,
        retention_days,
    })
}
