//! The scoring domain: pure, synchronous, no I/O.
//!
//! Everything SPEC §1–3 says about one follower or one account's figures lives here. This
//! module knows nothing of tonic, prost, sled or tokio; it never reads the clock or the
//! disk (callers pass `now`, configurations and stored state in).
//!
//! Map: `profile` (input) → `score` (the pipeline) using `title`, `company_match`, `geo`,
//! `signals`, `bot`, `fit`, `engagement`, `category`, `tier`, `actions`, `confidence` →
//! `result` (output). `aggregates` and `report` turn stored results into account figures.

pub mod account;
pub mod actions;
pub mod aggregates;
pub mod bot;
pub mod category;
pub mod company_match;
pub mod confidence;
pub mod context;
pub mod engagement;
pub mod fit;
pub mod geo;
#[cfg(test)]
mod hard_cases;
pub mod ids;
pub mod profile;
pub mod reasons;
pub mod report;
pub mod result;
pub mod score;
pub mod signals;
pub mod text;
pub mod tier;
pub mod time;
pub mod title;
pub mod vocabulary;
