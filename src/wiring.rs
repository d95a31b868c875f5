//! Putting the parts together: the store, the vision pipeline and the guard,
//! shared by `run`, `check` and `doctor`.

use std::sync::Arc;

use anyhow::Context;
use photo_guard_core::{Guard, SystemClock};
use photo_guard_store::SqliteStore;
use photo_guard_vision::Pipeline;

use crate::config;

pub struct Parts {
    pub guard: Arc<Guard>,
    pub store: SqliteStore,
    /// Why detection is weaker than configured, if it is.
    pub degraded: Option<String>,
    pub retention_days: u32,
}

pub async fn assemble() -> anyhow::Result<Parts> {
    let store_cfg = config::store_from_env()?;
    let vision_cfg = config::vision_from_env()?;
    let guard_cfg = config::guard_from_env()?;
    let retention_days = store_cfg.retention_days;
    let store = SqliteStore::open_with(
        &store_cfg.database_url,
        store_cfg.quarantine_key,
        &store_cfg.admins,
        store_cfg.audit_anchor.as_deref(),
    )
    .await
    .context("cannot open the database")?;
    let pipeline = tokio::task::spawn_blocking(move || Pipeline::new(vision_cfg))
        .await
        .context("the vision loader stopped")?
        .context("cannot load the face detectors")?;
    let degraded = pipeline.degraded().map(str::to_owned);
    let clock = Arc::new(SystemClock {
        offset: guard_cfg.utc_offset,
    });
    let guard = Guard::new(
        Arc::new(pipeline),
        Arc::new(store.clone()),
        clock,
        guard_cfg.max_concurrent,
    );
    Ok(Parts {
        guard: Arc::new(guard),
        store,
        degraded,
        retention_days,
    })
}
