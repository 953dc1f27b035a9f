//! Reasons: every result explains itself with `{code, message, weight}`.
//!
//! `code` is a stable snake_case identifier that integrations may key on; `message` is a
//! sentence a salesperson can read; `weight` is the signed contribution to the figure the
//! reason explains (fit points for fit reasons, probability change for bot reasons, 0 for
//! reasons that only state a fact such as a matched list).

use std::borrow::Cow;

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Reason {
    pub code: Cow<'static, str>,
    pub message: String,
    pub weight: f64,
}

impl Reason {
    pub fn new(code: &'static str, message: impl Into<String>, weight: f64) -> Self {
        Self {
            code: Cow::Borrowed(code),
            message: message.into(),
            weight,
        }
    }
}

/// Whether a result's reasons are worded: for a result someone reads, or only coded and
/// weighed, for the stored result, whose explanation is re-derived when it is read. Codes
/// and weights decide (the lead model reads the fit reasons'); a message never does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Wording {
    Worded,
    Unworded,
}

impl Wording {
    /// The sentence `message` words, or an empty one (which allocates nothing) for an
    /// unworded result.
    pub fn say(self, message: impl FnOnce() -> String) -> String {
        match self {
            Self::Worded => message(),
            Self::Unworded => String::new(),
        }
    }
}
