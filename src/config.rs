//! The only place that reads the environment (and `.env`, via dotenvy).
//!
//! Every variable is documented in `.env.example`. A missing or malformed
//! value stops start-up with one line naming the variable; secrets are never
//! echoed back in those messages.

use std::path::{Path, PathBuf};

use photo_guard_vision::{
    onnxruntime_lib_candidates, CenterFaceModel, DetectorKind, EngineChoice, EngineSettings, Style,
    VisionSettings,
};
use thiserror::Error;

use crate::validated::{check_api_url, check_gateway_url, data_dir, AdminUserId, WhatsAppUser};

#[derive(Debug, Error)]
pub enum ConfigError {
    #[error("{name} is not set: {hint}")]
    Missing {
        name: &'static str,
        hint: &'static str,
    },
    #[error("{name} is invalid: {reason}")]
    Invalid { name: &'static str, reason: String },
}

/// Reads `.env` once (a missing file is fine) then the variable.
fn var(name: &'static str) -> Option<String> {
    static LOAD: std::sync::Once = std::sync::Once::new();
    LOAD.call_once(|| {
        let _ = dotenvy::dotenv();
    });
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

fn parsed<T: std::str::FromStr>(name: &'static str, default: T) -> Result<T, ConfigError>
where
    T::Err: std::fmt::Display,
{
    match var(name) {
        None => Ok(default),
        Some(raw) => raw
            .trim()
            .parse()
            .map_err(|e: T::Err| ConfigError::Invalid {
                name,
                reason: format!("{raw:?}: {e}"),
            }),
    }
}

pub fn vision_from_env() -> Result<VisionSettings, ConfigError> {
    let defaults = VisionSettings::default();
    let detectors = match var("FACE_DETECTORS") {
        None => defaults.detectors,
        Some(raw) => parse_detectors(&raw)?,
    };
    let style = match var("BLUR_STYLE").as_deref() {
        None | Some("blur") => Style::Blur,
        Some("pixelate") => Style::Pixelate,
        Some("solid") => Style::Solid,
        Some(other) => {
            return Err(ConfigError::Invalid {
                name: "BLUR_STYLE",
                reason: format!("{other:?}: use blur, pixelate or solid"),
            })
        }
    };
    Ok(VisionSettings {
        detectors,
        centerface_model: centerface_model(),
        engine: engine()?,
        max_bytes: parsed("MAX_IMAGE_BYTES", defaults.max_bytes)?,
        max_pixels: parsed("MAX_IMAGE_PIXELS", defaults.max_pixels)?,
        mask_margin: parsed("MASK_MARGIN", defaults.mask_margin)?,
        threshold: parsed("FACE_THRESHOLD", defaults.threshold)?,
        coarse_side: parsed("FACE_COARSE_SIDE", defaults.coarse_side)?,
        min_input_side: parsed("FACE_MIN_SIDE", defaults.min_input_side)?,
        fine_scale: parsed("FACE_FINE_SCALE", defaults.fine_scale)?,
        style,
    })
}

/// `FACE_MODEL_PATH` if set; else the model compiled into the binary; else
/// beside the executable or in the data folder (the database's), so the
/// binary does not depend on the folder it is started from.
fn centerface_model() -> CenterFaceModel {
    let explicit = var("FACE_MODEL_PATH").map(PathBuf::from);
    let exe = std::env::current_exe().ok();
    let exe_dir = exe.as_deref().and_then(Path::parent);
    let data = data_dir(&database_url());
    let candidates = CenterFaceModel::candidates(exe_dir, data.as_deref());
    CenterFaceModel::locate(explicit, &candidates)
}

/// `FACE_ENGINE` (auto, onnxruntime or tract) and where ONNX Runtime's
/// library is: `ONNXRUNTIME_LIB` if set, else `libonnxruntime.so` in the
/// model's places (beside the executable, the data folder, `models/`).
fn engine() -> Result<EngineSettings, ConfigError> {
    let choice = match var("FACE_ENGINE")
        .map(|v| v.trim().to_ascii_lowercase())
        .as_deref()
    {
        None | Some("auto") => EngineChoice::Auto,
        Some("onnxruntime") => EngineChoice::OnnxRuntime,
        Some("tract") => EngineChoice::Tract,
        Some(other) => {
            return Err(ConfigError::Invalid {
                name: "FACE_ENGINE",
                reason: format!("{other:?}: use auto, onnxruntime or tract"),
            })
        }
    };
    let exe = std::env::current_exe().ok();
    let data = data_dir(&database_url());
    let onnxruntime_lib = onnxruntime_lib_candidates(
        var("ONNXRUNTIME_LIB").map(PathBuf::from),
        exe.as_deref().and_then(Path::parent),
        data.as_deref(),
    );
    Ok(EngineSettings {
        choice,
        onnxruntime_lib,
    })
}

fn parse_detectors(raw: &str) -> Result<Vec<DetectorKind>, ConfigError> {
    let mut out = Vec::new();
    for name in raw.split(',').map(str::trim).filter(|s| !s.is_empty()) {
        let kind = match name.to_ascii_lowercase().as_str() {
            "centerface" => DetectorKind::CenterFace,
            "rustface" => DetectorKind::Rustface,
            other => {
                return Err(ConfigError::Invalid {
                    name: "FACE_DETECTORS",
                    reason: format!("{other:?}: use centerface, rustface or both, comma-separated"),
                })
            }
        };
        if !out.contains(&kind) {
            out.push(kind);
        }
    }
    if out.is_empty() {
        return Err(ConfigError::Invalid {
            name: "FACE_DETECTORS",
            reason: "no detector named".into(),
        });
    }
    Ok(out)
}

/// What the store needs: where it lives, the vault key, the first admins,
/// where the audit anchor is kept.
pub struct StoreConfig {
    pub database_url: String,
    pub quarantine_key: photo_guard_store::VaultKey,
    pub admins: Vec<photo_guard_core::UserId>,
    pub retention_days: u32,
    /// `AUDIT_ANCHOR_PATH`; `None`: `<database file>.audit-anchor` on
    /// SQLite, no anchor on PostgreSQL.
    pub audit_anchor: Option<PathBuf>,
}

pub fn store_from_env() -> Result<StoreConfig, ConfigError> {
    let database_url = database_url();
    let raw_key = var("QUARANTINE_KEY").ok_or(ConfigError::Missing {
        name: "QUARANTINE_KEY",
        hint: "put 32 random bytes in base64 in .env (make one with: openssl rand -base64 32)",
    })?;
    let quarantine_key =
        photo_guard_store::VaultKey::from_base64(&raw_key).map_err(|e| ConfigError::Invalid {
            name: "QUARANTINE_KEY",
            reason: e.to_string(),
        })?;
    Ok(StoreConfig {
        database_url,
        quarantine_key,
        admins: admin_ids()?,
        retention_days: parsed("RETENTION_DAYS", 30)?,
        audit_anchor: var("AUDIT_ANCHOR_PATH").map(PathBuf::from),
    })
}

/// `DATABASE_URL` (`sqlite://...`, or `postgres://...` for PostgreSQL), or
/// photo-guard.db in the working folder.
pub fn database_url() -> String {
    var("DATABASE_URL").unwrap_or_else(default_database_url)
}

fn default_database_url() -> String {
    let dir = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
    format!("sqlite://{}", dir.join("photo-guard.db").display())
}

fn admin_ids() -> Result<Vec<photo_guard_core::UserId>, ConfigError> {
    let Some(raw) = var("ADMIN_USER_IDS") else {
        return Ok(Vec::new());
    };
    raw.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| {
            s.parse::<AdminUserId>()
                .map(AdminUserId::user)
                .map_err(|reason| ConfigError::Invalid {
                    name: "ADMIN_USER_IDS",
                    reason,
                })
        })
        .collect()
}

/// What the guard service needs besides the store and vision.
pub struct GuardConfig {
    pub max_concurrent: usize,
    pub utc_offset: chrono::FixedOffset,
    /// `CLOCK_START`: the bot's clock starts at this instant and runs on
    /// (drills, end-to-end tests); `None`: the wall clock.
    pub clock_start: Option<chrono::DateTime<chrono::Utc>>,
}

pub fn guard_from_env() -> Result<GuardConfig, ConfigError> {
    let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
    let offset = var("UTC_OFFSET").unwrap_or_else(|| "+07:00".into());
    let utc_offset = offset
        .parse::<chrono::FixedOffset>()
        .map_err(|_| ConfigError::Invalid {
            name: "UTC_OFFSET",
            reason: format!("{offset:?}: write it like +07:00"),
        })?;
    let clock_start = match var("CLOCK_START") {
        None => None,
        Some(raw) => Some(
            chrono::DateTime::parse_from_rfc3339(raw.trim())
                .map_err(|_| ConfigError::Invalid {
                    name: "CLOCK_START",
                    reason: format!("{raw:?}: write it like 2026-01-31T08:00:00+07:00"),
                })?
                .with_timezone(&chrono::Utc),
        ),
    };
    Ok(GuardConfig {
        max_concurrent: parsed("MAX_CONCURRENT_PHOTOS", cores)?,
        utc_offset,
        clock_start,
    })
}

/// The Telegram side: the token is required here and only here.
pub fn telegram_from_env(
    detector_degraded: bool,
) -> Result<photo_guard_telegram::TelegramSettings, ConfigError> {
    let token = var("TELEGRAM_BOT_TOKEN").ok_or(ConfigError::Missing {
        name: "TELEGRAM_BOT_TOKEN",
        hint: "create a bot with @BotFather in Telegram (send /newbot), then put TELEGRAM_BOT_TOKEN=<the token it gives> in .env (see .env.example)",
    })?;
    if !looks_like_token(token.trim()) {
        return Err(ConfigError::Invalid {
            name: "TELEGRAM_BOT_TOKEN",
            reason: "expected the form 123456789:ABC... that @BotFather gives (value not shown)"
                .into(),
        });
    }
    let api_url = var("TELEGRAM_API_URL").map(|u| u.trim().to_owned());
    if let Some(url) = &api_url {
        check_api_url(url).map_err(|problem| ConfigError::Invalid {
            name: "TELEGRAM_API_URL",
            reason: format!("{url:?}: {problem}"),
        })?;
    }
    let ms = |name: &'static str, default: u64| {
        parsed(name, default).map(std::time::Duration::from_millis)
    };
    Ok(photo_guard_telegram::TelegramSettings {
        token: token.trim().to_owned(),
        api_url,
        album_wait: ms("ALBUM_WAIT_MS", 1500)?,
        photo_queue: parsed("PHOTO_QUEUE", 16)?,
        max_download_bytes: parsed("MAX_IMAGE_BYTES", 20 * 1024 * 1024)?,
        download_max_tries: parsed("DOWNLOAD_MAX_TRIES", 3u32)?.max(1),
        reminder_tick: std::time::Duration::from_secs(parsed("REMINDER_TICK_SECS", 3600)?),
        digest_hour: digest_hour()?,
        poll_timeout: std::time::Duration::from_secs(parsed("POLL_TIMEOUT_SECS", 25)?),
        detector_degraded,
        shutdown_grace: std::time::Duration::from_secs(parsed("SHUTDOWN_GRACE_SECS", 20)?),
        mode: telegram_mode()?,
        replica: replica_id()?,
        job_lease: job_lease()?,
        queue_poll: ms("QUEUE_POLL_MS", 250)?.max(std::time::Duration::from_millis(10)),
    })
}

/// `TELEGRAM_MODE`: `polling` (the default) or `webhook` (issue 21), with
/// `TELEGRAM_WEBHOOK_LISTEN` and `TELEGRAM_WEBHOOK_SECRET`.
fn telegram_mode() -> Result<photo_guard_telegram::Mode, ConfigError> {
    let mode = var("TELEGRAM_MODE").map(|m| m.trim().to_ascii_lowercase());
    match mode.as_deref().unwrap_or("polling") {
        "polling" => Ok(photo_guard_telegram::Mode::Polling),
        "webhook" => Ok(photo_guard_telegram::Mode::Webhook(
            photo_guard_telegram::WebhookSettings {
                listen: parsed("TELEGRAM_WEBHOOK_LISTEN", ([0, 0, 0, 0], 8080).into())?,
                secret: webhook_secret()?,
            },
        )),
        other => Err(ConfigError::Invalid {
            name: "TELEGRAM_MODE",
            reason: format!("{other:?}: polling or webhook"),
        }),
    }
}

/// `TELEGRAM_WEBHOOK_SECRET`: what Telegram sends with every webhook call.
pub fn webhook_secret() -> Result<photo_guard_telegram::WebhookSecret, ConfigError> {
    let raw = var("TELEGRAM_WEBHOOK_SECRET").ok_or(ConfigError::Missing {
        name: "TELEGRAM_WEBHOOK_SECRET",
        hint: "webhook mode needs a secret token: make one with openssl rand -hex 32",
    })?;
    photo_guard_telegram::WebhookSecret::parse(raw.trim()).map_err(|e| ConfigError::Invalid {
        name: "TELEGRAM_WEBHOOK_SECRET",
        reason: e.to_string(),
    })
}

/// `JOB_LEASE_SECS`: how long a job's lease, and the lead of the scheduled
/// rounds, stays a replica's without a renewal.
fn job_lease() -> Result<std::time::Duration, ConfigError> {
    Ok(std::time::Duration::from_secs(
        parsed("JOB_LEASE_SECS", 30u64)?.max(1),
    ))
}

/// `REPLICA_ID`: the name this replica's leases are held under; unique per
/// process when unset, and the same for both platforms of one process (the
/// lead of the scheduled rounds is held by the process, not a platform).
fn replica_id() -> Result<photo_guard_core::ReplicaId, ConfigError> {
    static UNIQUE: std::sync::OnceLock<photo_guard_core::ReplicaId> = std::sync::OnceLock::new();
    match var("REPLICA_ID") {
        None => Ok(UNIQUE
            .get_or_init(photo_guard_core::ReplicaId::unique)
            .clone()),
        Some(raw) => {
            photo_guard_core::ReplicaId::parse(raw.trim()).map_err(|e| ConfigError::Invalid {
                name: "REPLICA_ID",
                reason: e.to_string(),
            })
        }
    }
}

/// `DIGEST_HOUR`: the local hour (0-23, in `UTC_OFFSET`) of the expiry digest.
fn digest_hour() -> Result<u32, ConfigError> {
    match parsed("DIGEST_HOUR", 8u32)? {
        hour @ 0..=23 => Ok(hour),
        other => Err(ConfigError::Invalid {
            name: "DIGEST_HOUR",
            reason: format!("{other}: an hour from 0 to 23"),
        }),
    }
}

fn looks_like_token(token: &str) -> bool {
    match token.split_once(':') {
        Some((id, secret)) => {
            !id.is_empty()
                && id.bytes().all(|b| b.is_ascii_digit())
                && !secret.is_empty()
                && !secret.contains(char::is_whitespace)
        }
        None => false,
    }
}

/// Whether a Telegram bot token is configured (`run` serves Telegram then).
pub fn telegram_configured() -> bool {
    var("TELEGRAM_BOT_TOKEN").is_some()
}

/// The WhatsApp side, served when `WHATSAPP_API_URL` is set: then the
/// webhook secret is required too.
pub fn whatsapp_from_env() -> Result<Option<photo_guard_whatsapp::WhatsAppSettings>, ConfigError> {
    let Some(raw_url) = var("WHATSAPP_API_URL") else {
        return Ok(None);
    };
    let api_url = check_gateway_url(&raw_url).map_err(|problem| ConfigError::Invalid {
        name: "WHATSAPP_API_URL",
        reason: format!("{raw_url:?}: {problem}"),
    })?;
    let secret = var("WHATSAPP_WEBHOOK_SECRET").ok_or(ConfigError::Missing {
        name: "WHATSAPP_WEBHOOK_SECRET",
        hint: "put a long random string (openssl rand -hex 32) here and the same in WAHA's webhook hmac key",
    })?;
    if secret.trim().len() < 16 {
        return Err(ConfigError::Invalid {
            name: "WHATSAPP_WEBHOOK_SECRET",
            reason: "shorter than 16 characters (value not shown)".into(),
        });
    }
    let listen = var("WHATSAPP_WEBHOOK_LISTEN").unwrap_or_else(|| "127.0.0.1:8088".into());
    let listen = listen.trim().parse().map_err(|_| ConfigError::Invalid {
        name: "WHATSAPP_WEBHOOK_LISTEN",
        reason: format!("{listen:?}: write it like 127.0.0.1:8088"),
    })?;
    Ok(Some(photo_guard_whatsapp::WhatsAppSettings {
        api_url,
        api_key: var("WHATSAPP_API_KEY").map(|k| k.trim().to_owned()),
        session: var("WHATSAPP_SESSION").unwrap_or_else(|| "default".into()),
        webhook_secret: photo_guard_whatsapp::WebhookSecret::new(secret.trim()),
        listen,
        admins: whatsapp_admins()?,
        max_download_bytes: parsed("MAX_IMAGE_BYTES", 20 * 1024 * 1024)?,
        download_max_tries: parsed("DOWNLOAD_MAX_TRIES", 3u32)?.max(1),
        retry_every: std::time::Duration::from_secs(parsed("WHATSAPP_RETRY_SECS", 60u64)?.max(1)),
        reminder_tick: std::time::Duration::from_secs(
            parsed("REMINDER_TICK_SECS", 3600u64)?.max(1),
        ),
        digest_hour: digest_hour()?,
        replica: replica_id()?,
        job_lease: job_lease()?,
    }))
}

fn whatsapp_admins() -> Result<Vec<String>, ConfigError> {
    let raw = var("WHATSAPP_ADMINS").unwrap_or_default();
    raw.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| {
            s.parse::<WhatsAppUser>()
                .map(WhatsAppUser::id)
                .map_err(|reason| ConfigError::Invalid {
                    name: "WHATSAPP_ADMINS",
                    reason,
                })
        })
        .collect()
}

/// `text` (default) or `json` log lines.
pub fn log_json() -> Result<bool, ConfigError> {
    match var("LOG_FORMAT").as_deref() {
        None | Some("text") => Ok(false),
        Some("json") => Ok(true),
        Some(other) => Err(ConfigError::Invalid {
            name: "LOG_FORMAT",
            reason: format!("{other:?}: use text or json"),
        }),
    }
}

/// How videos are examined: the limits a clip must pass, the wall-clock
/// deadline after which ffmpeg is killed, how many at once, and the folder
/// the clip is handed to ffmpeg in (RAM-backed by default: media bytes never
/// reach a disk in clear).
pub struct VideoConfig {
    pub settings: photo_guard_video::VideoSettings,
    pub max_concurrent: usize,
    pub work_dir: PathBuf,
}

pub fn video_from_env() -> Result<VideoConfig, ConfigError> {
    let defaults = photo_guard_video::VideoSettings::default();
    let limits = photo_guard_video::ProbeLimits {
        max_bytes: parsed("VIDEO_MAX_BYTES", defaults.limits.max_bytes)?,
        max_seconds: parsed("VIDEO_MAX_SECONDS", defaults.limits.max_seconds)?,
        max_pixels: parsed("VIDEO_MAX_PIXELS", defaults.limits.max_pixels)?,
    };
    let deadline = std::time::Duration::from_secs(parsed("VIDEO_DEADLINE_SECS", 300u64)?.max(1));
    let shm = Path::new("/dev/shm");
    let work_dir = match var("VIDEO_WORK_DIR") {
        Some(dir) => PathBuf::from(dir),
        None if shm.is_dir() => shm.to_path_buf(),
        None => std::env::temp_dir(),
    };
    Ok(VideoConfig {
        settings: photo_guard_video::VideoSettings {
            limits,
            deadline,
            ..defaults
        },
        max_concurrent: parsed("MAX_CONCURRENT_VIDEOS", 1usize)?.max(1),
        work_dir,
    })
}
