//! GetNetworkQuality answered from bytes encoded once per report.
//!
//! A report changes only when its account does, but dashboards poll it. Copying the cached
//! report and encoding its 12 KB (ten top leads with their reasons, shares, the day series)
//! again for every call was most of the method's cost: allocation, `memmove` and varint
//! encoding were 60% of the server's time under load (BENCHMARKS.md). Here the protobuf
//! bytes of the shared report, all but `as_of`, are encoded once and kept in the report's
//! memo (`service::SharedReport::encoded`, dropped with the report), and each call appends
//! its own `as_of`. Protobuf readers accept fields in any order and read a field written
//! once as written, so the reply decodes to the very message the generated method sends.
//!
//! [`FollowScoreService`] is the service the server mounts: it answers this one path
//! itself and hands every other to the generated `FollowScoreServer`.
//!
//! Owns: that routing and the method's codec. Must not decide anything the generated
//! method does not: access, validation and errors go through the same function
//! (`server::shared_network_quality`).

use std::convert::Infallible;
use std::sync::Arc;
use std::task::{Context, Poll};

use prost::Message as _;
use tonic::codec::{Codec, EncodeBuf, Encoder};
use tonic::codegen::{BoxFuture, Service as TowerService, StdError};
use tonic::server::{Grpc, NamedService, UnaryService};
use tonic::{Request, Response, Status};

use super::convert;
use super::pb;
use super::pb::follow_score_server::FollowScoreServer;
use super::server::{FollowScoreApi, shared_network_quality};
use super::status::to_status;
use crate::engine::time::Timestamp;
use crate::service::{Service, SharedReport};

/// The method this module answers.
const PATH: &str = "/followscore.v1.FollowScore/GetNetworkQuality";
/// `NetworkQualityReport.as_of` in `proto/followscore/v1/followscore.proto`.
const AS_OF_FIELD: u32 = 3;

/// The FollowScore service as the server mounts it: GetNetworkQuality from pre-encoded
/// bytes, every other method by the generated server.
#[derive(Debug, Clone)]
pub struct FollowScoreService {
    generated: FollowScoreServer<FollowScoreApi>,
    service: Arc<Service>,
    max_message_bytes: usize,
}

impl FollowScoreService {
    /// `max_message_bytes` bounds requests and replies, as on the generated server.
    pub fn new(service: Arc<Service>, max_message_bytes: usize) -> Self {
        let generated = FollowScoreServer::new(FollowScoreApi::new(service.clone()))
            .max_decoding_message_size(max_message_bytes)
            .max_encoding_message_size(max_message_bytes);
        Self {
            generated,
            service,
            max_message_bytes,
        }
    }
}

impl NamedService for FollowScoreService {
    const NAME: &'static str = <FollowScoreServer<FollowScoreApi> as NamedService>::NAME;
}

impl<B> TowerService<http::Request<B>> for FollowScoreService
where
    B: http_body::Body + Send + 'static,
    B::Error: Into<StdError> + Send + 'static,
{
    type Response = http::Response<tonic::body::Body>;
    type Error = Infallible;
    type Future = BoxFuture<Self::Response, Self::Error>;

    fn poll_ready(&mut self, _cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, request: http::Request<B>) -> Self::Future {
        if request.uri().path() != PATH {
            return self.generated.call(request);
        }
        let method = EncodedReportMethod(self.service.clone());
        let limit = self.max_message_bytes;
        Box::pin(async move {
            let mut grpc =
                Grpc::new(ReportCodec).apply_max_message_size_config(Some(limit), Some(limit));
            Ok(grpc.unary(method, request).await)
        })
    }
}

/// A reply: the shared report's bytes, then the call's own `as_of`.
pub struct ReportReply {
    shared: Arc<SharedReport>,
    as_of: prost_types::Timestamp,
}

impl ReportReply {
    fn new(shared: Arc<SharedReport>, now: Timestamp) -> Self {
        Self {
            shared,
            as_of: convert::wire_timestamp(now),
        }
    }

    /// The report's encoding less `as_of`, made by the first call that needs it.
    fn body(&self) -> &[u8] {
        self.shared.encoded.get_or_init(|| {
            let mut wire = convert::wire_report(&self.shared.report);
            wire.as_of = None;
            wire.encode_to_vec().into_boxed_slice()
        })
    }

    fn encode(&self, dst: &mut impl bytes::BufMut) {
        dst.put_slice(self.body());
        prost::encoding::message::encode(AS_OF_FIELD, &self.as_of, dst);
    }
}

struct EncodedReportMethod(Arc<Service>);

impl UnaryService<pb::GetNetworkQualityRequest> for EncodedReportMethod {
    type Response = ReportReply;
    type Future = BoxFuture<Response<ReportReply>, Status>;

    fn call(&mut self, request: Request<pb::GetNetworkQualityRequest>) -> Self::Future {
        let service = self.0.clone();
        Box::pin(async move {
            let now = Timestamp::now();
            let shared = shared_network_quality(&service, request, now).map_err(to_status)?;
            Ok(Response::new(ReportReply::new(shared, now)))
        })
    }
}

/// Requests decode as protobuf (prost); replies are written from their bytes.
#[derive(Debug, Clone, Copy, Default)]
struct ReportCodec;

/// prost's codec for the method, for its request decoder.
type ProstReportCodec =
    tonic_prost::ProstCodec<pb::NetworkQualityReport, pb::GetNetworkQualityRequest>;

impl Codec for ReportCodec {
    type Encode = ReportReply;
    type Decode = pb::GetNetworkQualityRequest;
    type Encoder = ReportEncoder;
    type Decoder = <ProstReportCodec as Codec>::Decoder;

    fn encoder(&mut self) -> Self::Encoder {
        ReportEncoder
    }

    fn decoder(&mut self) -> Self::Decoder {
        ProstReportCodec::default().decoder()
    }
}

#[derive(Debug, Clone, Copy, Default)]
struct ReportEncoder;

impl Encoder for ReportEncoder {
    type Item = ReportReply;
    type Error = Status;

    fn encode(&mut self, item: ReportReply, dst: &mut EncodeBuf<'_>) -> Result<(), Status> {
        item.encode(dst);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::account::{AccountConfig, CompanySet};
    use crate::engine::ids::AccountId;
    use crate::service::testing::{example_followers, open_service, score_profiles};

    #[test]
    fn a_reply_decodes_to_the_message_the_generated_method_sends() {
        let dir = tempfile::tempdir().unwrap();
        let service = open_service(dir.path());
        let account = AccountId::parse("northwind").unwrap();
        let mut config = AccountConfig::new(account.clone());
        config.customers = CompanySet {
            names: vec!["Contoso".into(), "Fabrikam".into()],
            domains: vec![],
        };
        config.icp.industries = vec!["Software".into()];
        let built = Timestamp::now().minus_days(1);
        service.upsert_account(config, built).unwrap();
        let profiles = example_followers("followers_linkedin.csv");
        score_profiles(&service, &account, &profiles, built);

        let shared = service
            .shared_network_quality(&account, None, Some(10), built)
            .unwrap();
        let now = Timestamp::now();
        let mut expected = convert::wire_report(&shared.report);
        expected.as_of = Some(convert::wire_timestamp(now));
        assert!(
            expected.top_leads.len() > 1,
            "a report with leads and reasons"
        );
        let reply = ReportReply::new(shared, now);
        let mut bytes = Vec::new();
        reply.encode(&mut bytes);
        let decoded = pb::NetworkQualityReport::decode(bytes.as_slice()).unwrap();
        assert_eq!(decoded, expected);
        assert_ne!(decoded.as_of, Some(convert::wire_timestamp(built)));

        // The memo is made once and reused by later calls.
        let body = reply.body().as_ptr();
        let later = ReportReply::new(
            service
                .shared_network_quality(&account, None, Some(10), built)
                .unwrap(),
            now,
        );
        assert_eq!(later.body().as_ptr(), body);
        let mut again = Vec::new();
        later.encode(&mut again);
        assert_eq!(again, bytes);
    }
}
