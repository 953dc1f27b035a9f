//! Transport: the only module that names tonic and the generated `pb` types.
//!
//! Handlers are thin: convert the request (`convert.rs`), run the blocking service call off
//! the async workers, convert the answer, map errors through `status.rs`. Streaming,
//! backpressure and message limits live here; scoring and storage do not.

mod byte_stream;
pub mod client;
pub mod codec;
pub mod convert;
mod encoded_report;
pub mod gate;
pub mod limits;
mod server;
pub mod status;
pub mod tls;

pub use encoded_report::FollowScoreService;
pub use server::{DESCRIPTOR_SET, FollowScoreApi};

/// The generated wire types. Referred to as `pb::Thing`, never glob-imported, so wire and
/// domain types are told apart at a glance.
#[allow(clippy::all, clippy::pedantic)]
pub mod pb {
    tonic::include_proto!("followscore.v1");
}
