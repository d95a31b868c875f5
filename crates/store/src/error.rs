//! What the modules share about errors: a stored value that does not parse
//! (a corrupt or hand-edited row), and how a database error crosses into the
//! core's `StoreError` without carrying anything sensitive.

use photo_guard_core::StoreError;
use thiserror::Error;

/// A column held something this store never writes.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("stored {what} is not valid: {value:?}")]
pub struct StoredValueError {
    pub what: &'static str,
    /// At most 64 characters of what was found (never photo bytes: those are
    /// only ever read as ciphertext).
    pub value: String,
}

impl StoredValueError {
    pub(crate) fn new(what: &'static str, value: &str) -> Self {
        Self {
            what,
            value: value.chars().take(64).collect(),
        }
    }
}

impl From<StoredValueError> for StoreError {
    fn from(err: StoredValueError) -> Self {
        StoreError::Integrity(err.to_string())
    }
}

/// sqlx's messages name the statement's failure, never the bound values.
pub(crate) fn database(err: sqlx::Error) -> StoreError {
    match err {
        sqlx::Error::RowNotFound => StoreError::NotFound("row".into()),
        other => StoreError::Database(other.to_string()),
    }
}
