//! The scoring domain: pure, synchronous, no I/O.
//!
//! Everything SPEC §1–3 says about one follower or one account's figures lives here. This
//! module knows nothing of tonic, prost, sled or tokio; it never reads the clock or the
//! disk (callers pass `now`, configurations and stored state in).

pub mod ids;
pub mod profile;
pub mod time;
pub mod vocabulary;
