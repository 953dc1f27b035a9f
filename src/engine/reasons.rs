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
