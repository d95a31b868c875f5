//! getUpdates without the waiting: confirm updates below `offset`, then hand
//! out the queued ones the bot asked for (`allowed_updates`). The long poll
//! itself lives in the server.

use serde_json::Value;

use super::params::int;
use crate::fake_telegram::state::State;

/// Update kinds Telegram sends when `allowed_updates` is empty or absent.
const DEFAULT_EXCLUDED: &[&str] = &["chat_member", "message_reaction", "message_reaction_count"];

/// Applies `offset` and `allowed_updates`, returns up to `limit` updates.
pub(crate) fn take_batch(state: &mut State, p: &Value) -> Vec<Value> {
    if let Some(list) = p.get("allowed_updates").and_then(Value::as_array) {
        let kinds: Vec<String> = list
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_owned)
            .collect();
        state.allowed_updates = Some(kinds);
    }
    let offset = int(p, "offset").unwrap_or(0);
    if offset > 0 {
        state
            .updates
            .retain(|u| u["update_id"].as_i64().unwrap_or(0) >= offset);
    } else if offset < 0 {
        let keep = usize::try_from(offset.unsigned_abs()).unwrap_or(usize::MAX);
        while state.updates.len() > keep {
            state.updates.pop_front();
        }
    }
    let allowed = state.allowed_updates.clone().unwrap_or_default();
    // Updates the bot did not ask for are never delivered: drop them.
    state.updates.retain(|u| wanted(&allowed, u));
    let limit = int(p, "limit")
        .filter(|l| (1..=100).contains(l))
        .unwrap_or(100) as usize;
    state.updates.iter().take(limit).cloned().collect()
}

/// Whether an update is of a kind the bot asked for.
fn wanted(allowed: &[String], u: &Value) -> bool {
    let kind = u
        .as_object()
        .and_then(|o| o.keys().find(|k| *k != "update_id"))
        .cloned()
        .unwrap_or_default();
    if allowed.is_empty() {
        !DEFAULT_EXCLUDED.contains(&kind.as_str())
    } else {
        allowed.contains(&kind)
    }
}

/// Webhook delivery (issue 21): the oldest update the bot asked for, taken
/// off the queue.
pub(crate) fn take_wanted(state: &mut State) -> Option<Value> {
    let allowed = state.allowed_updates.clone().unwrap_or_default();
    state.updates.retain(|u| wanted(&allowed, u));
    state.updates.pop_front()
}
