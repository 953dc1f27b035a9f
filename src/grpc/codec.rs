//! The protobuf codec of every FollowScore method: prost's messages, encoded through a
//! plain byte buffer.
//!
//! prost writes a message a byte or a short slice at a time (each varint byte is its own
//! `put_u8`). Into tonic's `EncodeBuf` each of those writes is a call through to `BytesMut`
//! that the compiler does not inline: about 125 of them for one explained result, half the
//! cost of encoding a ClassifyFollowers reply (BENCHMARKS.md, "Replies encoded through a
//! plain buffer"). Written into a `Vec<u8>` the same writes inline to a few instructions
//! each, and the message reaches tonic's buffer as one copy. The bytes are the very bytes
//! `tonic_prost::ProstCodec` writes: only the route to the buffer differs. The price is
//! that copy, and for a message larger than the scratch buffer has grown to (a long
//! ListFollowers page), the buffer's growth: a few copies of the page's bytes, small beside
//! reading and explaining each of its results.
//!
//! Decoding reads the same way: prost decodes a message from a plain slice (tonic's
//! buffer holds each message in one piece) rather than through `DecodeBuf`, whose reads
//! prost cannot see through: the server decodes a streamed profile in about 5,500
//! instructions this way, against 7,900 through the buffer. The message decoded is the
//! same.
//!
//! Owns: the byte route of encoding and decoding. Must not change what is encoded or
//! decoded: messages are the generated `pb` types, as prost encodes and decodes them.

use std::marker::PhantomData;

use bytes::{Buf as _, BufMut as _};
use prost::Message;
use tonic::Status;
use tonic::codec::{Codec, DecodeBuf, Decoder, EncodeBuf, Encoder};

use crate::scratch;

/// The codec the generated server and client use (`build.rs` names it): requests and
/// replies as prost encodes them.
#[derive(Debug, Clone, Copy)]
pub struct WireCodec<T, U>(PhantomData<fn(T) -> U>);

impl<T, U> Default for WireCodec<T, U> {
    fn default() -> Self {
        Self(PhantomData)
    }
}

impl<T, U> Codec for WireCodec<T, U>
where
    T: Message + Send + 'static,
    U: Message + Default + Send + 'static,
{
    type Encode = T;
    type Decode = U;
    type Encoder = WireEncoder<T>;
    type Decoder = WireDecoder<U>;

    fn encoder(&mut self) -> Self::Encoder {
        WireEncoder(PhantomData)
    }

    fn decoder(&mut self) -> Self::Decoder {
        WireDecoder(PhantomData)
    }
}

/// Encodes each message into this thread's scratch buffer (`crate::scratch`: no
/// allocation once it has grown to the usual reply's size), then copies it into tonic's.
#[derive(Debug, Clone, Copy)]
pub struct WireEncoder<T>(PhantomData<fn(T)>);

impl<T: Message> Encoder for WireEncoder<T> {
    type Item = T;
    type Error = Status;

    fn encode(&mut self, item: T, buf: &mut EncodeBuf<'_>) -> Result<(), Status> {
        scratch::with_bytes(|bytes| {
            item.encode_raw(bytes);
            buf.put_slice(bytes);
        });
        Ok(())
    }
}

/// Decodes each message from the slice tonic's buffer holds it in.
#[derive(Debug, Clone, Copy)]
pub struct WireDecoder<U>(PhantomData<fn() -> U>);

impl<U: Message + Default> Decoder for WireDecoder<U> {
    type Item = U;
    type Error = Status;

    fn decode(&mut self, buf: &mut DecodeBuf<'_>) -> Result<Option<U>, Status> {
        let len = buf.remaining();
        let decoded = if buf.chunk().len() == len {
            let decoded = U::decode(buf.chunk());
            buf.advance(len);
            decoded
        } else {
            // A message in pieces (tonic's buffer is one piece today): prost reads across.
            U::decode(&mut *buf)
        };
        // As `tonic_prost::ProstCodec` answers a message that does not decode.
        decoded
            .map(Some)
            .map_err(|error| Status::internal(error.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use std::pin::pin;
    use std::sync::Arc;

    use http_body_util::BodyExt as _;
    use tonic::codec::{EncodeBody, SingleMessageCompressionOverride, Streaming};

    use super::*;
    use crate::engine::account::AccountConfig;
    use crate::engine::bot::forest::shipped_model;
    use crate::engine::context::ScoringContext;
    use crate::engine::deciding::engagement::EngagementSummary;
    use crate::engine::ids::{AccountId, FollowerId, FollowerKey};
    use crate::engine::profile::FollowerProfile;
    use crate::engine::score::score;
    use crate::engine::time::Timestamp;
    use crate::engine::vocabulary::Platform;
    use crate::grpc::{convert, pb};

    /// Replies of every shape a stream sends: explained results on both platforms (nested
    /// messages, repeated fields, strings, doubles, enums), an item's error, and an empty
    /// reply.
    fn replies() -> Vec<pb::ClassifyFollowersResponse> {
        let now = Timestamp::from_unix_seconds(1_795_000_000);
        let ctx = ScoringContext::new(
            Arc::new(AccountConfig::new(AccountId::parse("northwind").unwrap())),
            shipped_model(),
        );
        let scored = |platform, id: &str, headline: &str| {
            let mut profile = FollowerProfile::new(FollowerKey {
                platform,
                id: FollowerId::parse(id).unwrap(),
            });
            profile.headline = Some(headline.into());
            profile.followed_at = Some(now.minus_days(3));
            let result = score(&ctx, &profile, &EngagementSummary::default(), None, now);
            Some(pb::classify_followers_response::Outcome::Result(
                convert::wire_result(result),
            ))
        };
        let reply = |index, outcome| pb::ClassifyFollowersResponse {
            index,
            correlation_id: format!("crm-{index}"),
            outcome,
        };
        vec![
            reply(
                0,
                scored(Platform::LinkedIn, "maria", "VP Sales at Tailspin Toys"),
            ),
            reply(
                1,
                scored(Platform::Twitter, "4711", "Crypto giveaways every day"),
            ),
            reply(
                2,
                Some(pb::classify_followers_response::Outcome::Error(
                    pb::ItemError {
                        code: "invalid_argument".into(),
                        message: "must not be empty".into(),
                        field: "profile.follower_id".into(),
                    },
                )),
            ),
            reply(3, None),
        ]
    }

    /// The body tonic sends for `replies`, through `encoder`.
    async fn body<E>(encoder: E, replies: Vec<pb::ClassifyFollowersResponse>) -> Vec<u8>
    where
        E: Encoder<Item = pb::ClassifyFollowersResponse, Error = Status> + Send + 'static,
    {
        let source = tokio_stream::iter(replies.into_iter().map(Ok));
        let mut body = pin!(EncodeBody::new_server(
            encoder,
            source,
            None,
            SingleMessageCompressionOverride::default(),
            None,
        ));
        let mut sent = Vec::new();
        while let Some(frame) = body.frame().await {
            if let Ok(data) = frame.unwrap().into_data() {
                sent.extend_from_slice(&data);
            }
        }
        sent
    }

    /// What a peer reads from `body` through `decoder`, message by message.
    async fn received<D>(
        decoder: D,
        body: Vec<u8>,
    ) -> Vec<Result<pb::ClassifyFollowersResponse, Status>>
    where
        D: Decoder<Item = pb::ClassifyFollowersResponse, Error = Status> + Send + 'static,
    {
        let body = http_body_util::Full::new(bytes::Bytes::from(body));
        let mut stream = Streaming::new_request(decoder, body, None, None);
        let mut read = Vec::new();
        loop {
            match stream.message().await {
                Ok(Some(message)) => read.push(Ok(message)),
                Ok(None) => return read,
                Err(status) => {
                    read.push(Err(status));
                    return read;
                }
            }
        }
    }

    #[tokio::test]
    async fn reads_back_what_it_sends_and_refuses_what_does_not_decode() {
        let sent = body(WireEncoder(PhantomData), replies()).await;
        let read: Vec<_> = received(WireDecoder(PhantomData), sent)
            .await
            .into_iter()
            .map(Result::unwrap)
            .collect();
        assert_eq!(read, replies());

        // A frame whose message is cut short: a field's length runs past its end.
        let damaged = vec![0, 0, 0, 0, 2, 0x12, 0x05];
        let read = received(WireDecoder(PhantomData), damaged).await;
        let status = read.last().unwrap().as_ref().unwrap_err();
        assert_eq!(status.code(), tonic::Code::Internal, "{status:?}");
    }

    #[tokio::test]
    async fn sends_the_bytes_prost_sends() {
        let ours = body(WireEncoder(PhantomData), replies()).await;
        let prosts = body(tonic_prost::ProstEncoder::default(), replies()).await;
        assert!(ours.len() > 600, "explained results: {} bytes", ours.len());
        assert_eq!(ours, prosts);
    }
}
