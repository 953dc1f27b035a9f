//! The scoring domain: pure, synchronous, no I/O.
//!
//! Everything SPEC §1–3 says about one follower or one account's figures lives here. This
//! module knows nothing of tonic, prost, sled or tokio; it never reads the clock or the
//! disk (callers pass `now`, configurations and stored state in).
//!
//! Map: `profile` (input) → `score` (the pipeline): `reading/` reads what people write
//! (companies, titles, places, phrases), `bot/` estimates whether the account is real,
//! `deciding/` turns the readings into fit, engagement, category, tier, actions and
//! confidence, and `learning/` lets an account's won and lost deals correct the fit →
//! `result` (output). `counting/` turns stored results into an account's
//! figures (aggregates, the network report). The vocabulary, ids, time, the account's
//! configuration and its compiled `context` are shared by all of them.

pub mod account;
pub mod bot;
pub mod context;
pub mod counting;
pub mod deciding;
#[cfg(test)]
mod hard_cases;
pub mod ids;
pub mod learning;
pub mod profile;
#[cfg(test)]
mod properties;
pub mod reading;
pub mod reasons;
pub mod result;
pub mod score;
pub mod time;
pub mod vocabulary;
