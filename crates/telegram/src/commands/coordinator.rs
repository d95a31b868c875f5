//! The coordinators' consent commands, in a private chat with the bot.

use photo_guard_core::command::ConsentArgs;
use photo_guard_core::texts::{ClientState, ConsentLine, Msg};
use photo_guard_core::{
    current_consent, AuditAction, ClientCode, ConsentEvent, ConsentLevel, ConsentRecord,
    CurrentConsent, Moment, NewConsent,
};

use super::Ctx;

pub async fn consent(ctx: &Ctx<'_>, args: ConsentArgs) {
    let now = ctx.app.guard.now();
    if args.until_is_in_past(now.today) {
        let until = args.until.map(|d| d.to_string()).unwrap_or_default();
        return ctx.reply(Msg::UntilInPast { until: &until }).await;
    }
    let record = NewConsent {
        client: args.code.clone(),
        event: ConsentEvent::Granted(args.grant(now.today)),
        recorded_by: ctx.user,
        recorded_at: now.now,
    };
    match ctx.app.store().append_consent(record).await {
        Ok(saved) => {
            ctx.audit(AuditAction::ConsentRecorded, serde_json::json!({ "client": args.code, "record": saved.id.0, "level": args.level.as_str() })).await;
            let until = args.until.map(|d| d.to_string());
            ctx.reply(Msg::ConsentRecorded {
                code: &args.code,
                level: args.level,
                until: until.as_deref(),
            })
            .await;
        }
        Err(e) => failed(ctx, e).await,
    }
}

pub async fn withdraw(ctx: &Ctx<'_>, code: ClientCode, reason: Option<String>) {
    let history = match ctx.app.store().consent_history(&code).await {
        Ok(h) => h,
        Err(e) => return failed(ctx, e).await,
    };
    if history.is_empty() {
        return ctx.reply(Msg::UnknownClient { code: &code }).await;
    }
    let now = ctx.app.guard.now();
    let record = NewConsent {
        client: code.clone(),
        event: ConsentEvent::Withdrawn { reason },
        recorded_by: ctx.user,
        recorded_at: now.now,
    };
    match ctx.app.store().append_consent(record).await {
        Ok(saved) => {
            ctx.audit(
                AuditAction::ConsentWithdrawn,
                serde_json::json!({ "client": code, "record": saved.id.0 }),
            )
            .await;
            ctx.reply(Msg::Withdrawn { code: &code }).await;
        }
        Err(e) => failed(ctx, e).await,
    }
}

pub async fn client(ctx: &Ctx<'_>, code: ClientCode) {
    let history = match ctx.app.store().consent_history(&code).await {
        Ok(h) => h,
        Err(e) => return failed(ctx, e).await,
    };
    if history.is_empty() {
        return ctx.reply(Msg::UnknownClient { code: &code }).await;
    }
    let state = state_of(&history, ctx.app.guard.now());
    let lines: Vec<ConsentLine> = history.iter().rev().map(line).collect();
    ctx.reply(Msg::ClientHistory {
        code: &code,
        state,
        lines: &lines,
    })
    .await;
}

pub async fn clients(ctx: &Ctx<'_>) {
    let codes = match ctx.app.store().clients().await {
        Ok(c) => c,
        Err(e) => return failed(ctx, e).await,
    };
    let now = ctx.app.guard.now();
    let mut rows = Vec::with_capacity(codes.len());
    for code in codes {
        match ctx.app.store().consent_history(&code).await {
            Ok(history) => rows.push((code, state_of(&history, now))),
            Err(e) => return failed(ctx, e).await,
        }
    }
    ctx.reply(Msg::ClientList { rows: &rows }).await;
}

/// In force, expiring within 30 days, expired, withdrawn, refused.
pub fn state_of(history: &[ConsentRecord], now: Moment) -> ClientState {
    match current_consent(history, now) {
        CurrentConsent::InForce {
            level: ConsentLevel::Refused,
            ..
        } => ClientState::Refused,
        CurrentConsent::InForce { record, .. } => {
            let until = history
                .iter()
                .find(|r| r.id == record)
                .and_then(|r| match &r.event {
                    ConsentEvent::Granted(g) => g.valid_until,
                    ConsentEvent::Withdrawn { .. } => None,
                });
            match until {
                Some(u) if (u - now.today).num_days() <= 30 => ClientState::ExpiringSoon,
                _ => ClientState::InForce,
            }
        }
        CurrentConsent::Expired { .. } => ClientState::Expired,
        CurrentConsent::Withdrawn { .. } => ClientState::Withdrawn,
        CurrentConsent::None => ClientState::NotYet,
    }
}

fn line(r: &ConsentRecord) -> ConsentLine {
    let what = match &r.event {
        ConsentEvent::Granted(g) => {
            let until = g
                .valid_until
                .map(|u| format!(" until={u}"))
                .unwrap_or_default();
            let evidence = g
                .evidence
                .as_deref()
                .map(|e| format!(" evidence={e}"))
                .unwrap_or_default();
            let purpose = g
                .purpose
                .as_deref()
                .map(|p| format!(" purpose={p}"))
                .unwrap_or_default();
            format!(
                "{} by={} from={}{until}{evidence}{purpose}",
                g.level.as_str(),
                g.given_by.as_str(),
                g.valid_from
            )
        }
        ConsentEvent::Withdrawn { reason } => format!(
            "withdrawn{}",
            reason
                .as_deref()
                .map(|r| format!(": {r}"))
                .unwrap_or_default()
        ),
    };
    ConsentLine {
        when: format!(
            "#{} {} (user {})",
            r.id,
            r.recorded_at.format("%Y-%m-%d %H:%M UTC"),
            r.recorded_by
        ),
        what,
    }
}

async fn failed(ctx: &Ctx<'_>, e: photo_guard_core::StoreError) {
    tracing::error!(error = %e, "a consent command failed");
    ctx.reply(Msg::TryAgainLater).await;
}
