//! Time as the engine sees it: whole seconds since the Unix epoch, UTC.
//!
//! The engine never reads the clock; callers pass `now` in, which keeps scoring a pure
//! function of its inputs and makes decay and growth windows testable.

use serde::{Deserialize, Serialize};

pub const SECONDS_PER_DAY: i64 = 86_400;

/// A point in time, in whole seconds since 1970-01-01T00:00:00Z.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Timestamp(pub i64);

impl Timestamp {
    pub const fn from_unix_seconds(seconds: i64) -> Self {
        Self(seconds)
    }

    pub const fn unix_seconds(self) -> i64 {
        self.0
    }

    /// The UTC day number (days since the epoch); engagement caps and growth series count
    /// in these days.
    pub const fn day(self) -> i64 {
        self.0.div_euclid(SECONDS_PER_DAY)
    }

    /// Days elapsed from `earlier` to `self`, fractional; negative when `earlier` is later.
    pub fn days_since(self, earlier: Timestamp) -> f64 {
        (self.0 - earlier.0) as f64 / SECONDS_PER_DAY as f64
    }

    pub const fn minus_days(self, days: i64) -> Self {
        Self(self.0 - days * SECONDS_PER_DAY)
    }

    /// The current wall-clock time. Only the service and CLI edges call this.
    pub fn now() -> Self {
        let since_epoch = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap_or_default();
        Self(since_epoch.as_secs() as i64)
    }
}
