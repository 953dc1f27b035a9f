//! The synthetic outcome benchmark of OUTCOMES.md, offline: a deterministic world of
//! invented accounts whose real buyers differ from their typed ICP by known amounts
//! (`generator`), and the closed-loop run that measures the lead model against the rules on
//! it (`benchmark`). The server never runs it; `followscore eval-outcomes` prints it, and
//! `generator::account_outcomes` gives integration tests one account's profiles and CRM
//! outcome events.

pub mod benchmark;
pub mod generator;

pub use benchmark::{AccountFigures, measure};
pub use generator::{AccountOutcomes, SyntheticAccount, WorldSize, account, account_outcomes};
