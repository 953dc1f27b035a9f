//! followscore scores the followers of a B2B company's social accounts: who each follower
//! is (category), whether it is real (bot probability), how well it fits (grade), how
//! engaged it is (level), how hot a lead it is (tier), why (reasons) and what to do next
//! (actions); and it reports the quality of an account's follower network.
//!
//! Layers, outermost first: `grpc` (transport, the only user of tonic and the wire types)
//! → `service` (use cases, freshness, limits; transport-free) → `engine` (pure scoring, no
//! I/O) and `store` (sled, the only user of it). `import` reads follower files for the
//! offline `cli`; `app` and `config` assemble the server, with `auth` (API keys),
//! `metrics` and `admin` (the metrics endpoint) beside it. `bot_training` and `outcome_eval`
//! are offline: training the bot model, and the synthetic benchmark of the lead model.

pub mod admin;
pub mod app;
pub mod auth;
pub mod bot_training;
pub mod cli;
pub mod config;
pub mod engine;
pub mod grpc;
pub mod import;
pub mod metrics;
pub mod outcome_eval;
pub mod sampling;
pub mod scratch;
pub mod service;
pub mod store;
