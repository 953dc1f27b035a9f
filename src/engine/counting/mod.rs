//! Counting an account's followers: what one stored result contributes to the account's
//! counters (`aggregates`), and the network quality report built from those counters
//! alone (`report`), so a report costs the same at 1,000 or 1,000,000 followers.
//!
//! Nothing here scores a follower or reads a profile's text.

pub mod aggregates;
pub mod report;
