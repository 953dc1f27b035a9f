//! Deciding from the readings: how well a follower fits the ICP (`fit`), how engaged they
//! are (`engagement`), who they are (`category`), how hot a lead (`tier`), what to do next
//! (`actions`), and how much the result rests on known facts (`confidence`).
//!
//! These modules read no text themselves (that is `reading/`) and keep no state; `score.rs`
//! runs them in order for one follower.

pub mod actions;
pub mod category;
pub mod confidence;
pub mod engagement;
pub mod fit;
pub mod tier;
