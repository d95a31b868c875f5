//! photo-guard's core: the domain types, the policy and the guard service.
//!
//! Nothing here knows Telegram, SQL or a face detector: adapters, the store
//! and the vision pipeline plug in through the traits in [`vision`] and
//! [`store`]; chat platforms through [`platform`].

pub mod audit_action;
pub mod audit_csv;
pub mod breach;
pub mod caption;
pub mod chart;
pub mod chat_policy;
pub mod client;
pub mod clock;
pub mod command;
pub mod consent;
pub mod current;
pub mod enforcement;
mod examine;
pub mod exposure;
pub mod fence;
pub mod guard;
pub mod ids;
pub mod job;
pub mod media;
pub mod platform;
pub mod platform_fenced;
pub mod platform_router;
pub mod policy;
mod reblur;
pub mod records;
pub mod review;
pub mod role;
pub mod services;
pub mod standing;
pub mod store;
pub mod subject;
pub mod texts;
pub mod verdict;
pub mod vision;
pub mod work;
mod work_local;

pub use audit_action::AuditAction;
pub use chart::{ChartError, Layout, NoChart, StatsChart};
pub use chat_policy::{ChatKind, ChatPolicy, Lang, Mode, Untagged};
pub use client::{ClientCode, ClientCodeError};
pub use clock::{Clock, FixedClock, Moment, ShiftedClock, SystemClock};
pub use consent::{ConsentEvent, ConsentLevel, ConsentRecord, GivenBy, Grant, NewConsent};
pub use current::{current_consent, CurrentConsent};
pub use enforcement::{Enforcement, Removal, Step};
pub use fence::{Fence, Fenced};
pub use guard::{Checked, Guard, GuardError, IncomingPhoto};
pub use ids::{ChatId, IdSpace, MessageId, RecordId, UserId, PLATFORM_ID_BASE};
pub use job::{Job, Lease, ReplicaId, ReplicaIdError};
pub use media::{looks_like_video, Look, Visual};
pub use platform::{
    BotRights, ChatPlatform, MediaKind, OutgoingFile, OutgoingMedia, Place, PlatformError, Removed,
};
pub use platform_router::PlatformRouter;
pub use policy::{decide, TaggedClient};
pub use records::{
    AuditEntry, AuditEvent, ChatStats, NewQuarantine, NewShare, PeriodStats, QuarantineItem,
    Resolution,
};
pub use review::{Release, ReviewAction};
pub use role::Role;
pub use services::{Caller, Services};
pub use standing::Standing;
pub use store::{StoreError, StoreResult};
pub use verdict::{Decision, Reason, Verdict};
pub use vision::{Examined, Face, NoVideo, VideoVision, Vision, VisionError};
pub use work::{LocalWork, WorkState};
