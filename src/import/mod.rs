//! Follower input formats (SPEC §2): X/Twitter API user objects (v1.1 and v2) as JSON lines,
//! the v1.1 columns as CSV, and LinkedIn follower exports as CSV.
//!
//! Importers turn a row into an engine `FollowerProfile` or a row error with its line
//! number; they never abort a file for one bad row. They know nothing of the store or the
//! transport.

pub mod twitter;

/// A problem with one field of one input row.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {message}")]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

impl FieldError {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            message: message.into(),
        }
    }
}
