//! Fault injection: queue failures for the next calls of a method, and turn
//! a queued `Fault` into the answer Telegram would give.

use super::error::ApiError;
use super::model::Fault;
use super::state::State;
use super::FakeTelegram;

impl FakeTelegram {
    /// The next call of `method` (any case: "sendMessage", "deletemessage";
    /// "download" for a file fetched from the file server, errors only)
    /// fails with `fault`.
    pub fn fail_next(&self, method: &str, fault: Fault) {
        self.fail_next_n(method, fault, 1);
    }

    /// The next `times` calls of `method` fail with `fault`.
    pub fn fail_next_n(&self, method: &str, fault: Fault, times: usize) {
        let method = method.to_ascii_lowercase();
        self.shared.mutate(|s| {
            let queue = s.faults.entry(method).or_default();
            queue.extend(std::iter::repeat_n(fault, times));
        });
    }

    /// Drops every queued fault.
    pub fn clear_faults(&self) {
        self.shared.mutate(|s| s.faults.clear());
    }

    /// How many injected faults are still waiting for their call.
    pub fn pending_faults(&self) -> usize {
        self.shared
            .read(|s| s.faults.values().map(|q| q.len()).sum())
    }
}

/// Takes the next fault queued for `method`, if any.
pub(crate) fn take_fault(state: &mut State, method: &str) -> Option<Fault> {
    let queue = state.faults.get_mut(method)?;
    let fault = queue.pop_front();
    if queue.is_empty() {
        state.faults.remove(method);
    }
    fault
}

/// The error answer of a fault; `None` for `Timeout`, which only delays.
pub(crate) fn fault_error(fault: &Fault) -> Option<ApiError> {
    match fault {
        Fault::TooManyRequests { retry_after_secs } => {
            Some(ApiError::too_many_requests(*retry_after_secs))
        }
        Fault::ServerError(code) => {
            let code = if (500..600).contains(code) {
                *code
            } else {
                500
            };
            let text = match code {
                502 => "Bad Gateway",
                503 => "Service Unavailable",
                504 => "Gateway Timeout",
                _ => "Internal Server Error",
            };
            Some(ApiError::new(code, text))
        }
        Fault::Timeout(_) => None,
        Fault::BadRequest(description) => {
            let description = if description.starts_with("Bad Request") {
                description.clone()
            } else {
                format!("Bad Request: {description}")
            };
            Some(ApiError::new(400, description))
        }
    }
}
