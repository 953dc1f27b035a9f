//! The `FollowScore` service implementation.

use std::sync::Arc;

use tokio::sync::mpsc;
use tokio_stream::wrappers::ReceiverStream;
use tonic::{Request, Response, Status, Streaming};
use tracing::Instrument as _;

use super::convert;
use super::gate::{self, Access};
use super::pb;
use super::status::{error_chain, item_error, to_status};
use crate::engine::ids::{AccountId, FollowerKey};
use crate::engine::result::FollowerResult;
use crate::engine::time::Timestamp;
use crate::service::error::InternalError;
use crate::service::{
    FollowerFilter, FollowerWrite, OutcomeStatus, Pending, ScoreItem, Service, ServiceError,
    SharedReport,
};

use pb::classify_followers_response::Outcome;

/// The encoded descriptor set of `proto/`, served through gRPC reflection.
pub const DESCRIPTOR_SET: &[u8] =
    include_bytes!(concat!(env!("OUT_DIR"), "/followscore_descriptor.bin"));

#[derive(Debug, Clone)]
pub struct FollowScoreApi {
    service: Arc<Service>,
}

impl FollowScoreApi {
    pub fn new(service: Arc<Service>) -> Self {
        Self { service }
    }
}

/// Runs a blocking service call off the async workers, keeping the RPC's span.
async fn blocking<T: Send + 'static>(
    call: impl FnOnce() -> Result<T, ServiceError> + Send + 'static,
) -> Result<T, ServiceError> {
    let span = tracing::Span::current();
    tokio::task::spawn_blocking(move || span.in_scope(call))
        .await
        .map_err(|e| ServiceError::Internal(InternalError::Task(Box::new(e))))?
}

/// The account and follower a per-follower request names.
fn follower_ref(
    account_id: &str,
    platform: i32,
    follower_id: &str,
) -> Result<(AccountId, FollowerKey), ServiceError> {
    let account = convert::account_id(account_id, "account_id")?;
    let key = FollowerKey {
        platform: convert::platform(platform, "platform")?,
        id: convert::follower_id(follower_id, "follower_id")?,
    };
    Ok((account, key))
}

/// The account's shared report, for a GetNetworkQuality call: served from the account's
/// cached report unless it changed since (then built from counters and the top leads:
/// milliseconds at most, so not worth a blocking thread).
pub(super) fn shared_network_quality(
    service: &Service,
    request: Request<pb::GetNetworkQualityRequest>,
    now: Timestamp,
) -> Result<Arc<SharedReport>, ServiceError> {
    let access = Access::of(&request);
    let req = request.into_inner();
    let account = convert::account_id(&req.account_id, "account_id")?;
    gate::check_account(access.as_ref(), &account)?;
    let platform = convert::optional_platform(req.platform, "platform")?;
    let top_n = (req.top_n > 0).then_some(req.top_n as usize);
    service.shared_network_quality(&account, platform, top_n, now)
}

fn required<T>(value: Option<T>, field: &str) -> Result<T, ServiceError> {
    value.ok_or_else(|| ServiceError::invalid(field, "is required"))
}

#[tonic::async_trait]
impl pb::follow_score_server::FollowScore for FollowScoreApi {
    async fn upsert_account(
        &self,
        request: Request<pb::UpsertAccountRequest>,
    ) -> Result<Response<pb::UpsertAccountResponse>, Status> {
        let service = self.service.clone();
        let access = Access::of(&request);
        let outcome = async {
            let raw = required(request.into_inner().account, "account")?;
            let config = convert::account(&raw, service.limits())?;
            gate::check_account(access.as_ref(), &config.account_id)?;
            let saved = blocking(move || service.upsert_account(config, Timestamp::now())).await?;
            tracing::info!(account = %saved.account_id, version = saved.config_version, "account upserted");
            Ok(pb::UpsertAccountResponse {
                account: Some(convert::wire_account(&saved)),
            })
        };
        outcome.await.map(Response::new).map_err(to_status)
    }

    async fn get_account(
        &self,
        request: Request<pb::GetAccountRequest>,
    ) -> Result<Response<pb::Account>, Status> {
        let service = self.service.clone();
        let access = Access::of(&request);
        let outcome = async {
            let id = convert::account_id(&request.get_ref().account_id, "account_id")?;
            gate::check_account(access.as_ref(), &id)?;
            let config = blocking(move || service.get_account(&id)).await?;
            Ok(convert::wire_account(&config))
        };
        outcome.await.map(Response::new).map_err(to_status)
    }

    async fn delete_account(
        &self,
        request: Request<pb::DeleteAccountRequest>,
    ) -> Result<Response<pb::DeleteAccountResponse>, Status> {
        let service = self.service.clone();
        let access = Access::of(&request);
        let outcome = async {
            let id = convert::account_id(&request.get_ref().account_id, "account_id")?;
            gate::check_account(access.as_ref(), &id)?;
            let followers_deleted = blocking(move || service.delete_account(&id)).await?;
            Ok(pb::DeleteAccountResponse { followers_deleted })
        };
        outcome.await.map(Response::new).map_err(to_status)
    }

    async fn score_follower(
        &self,
        request: Request<pb::ScoreFollowerRequest>,
    ) -> Result<Response<pb::ScoreFollowerResponse>, Status> {
        let service = self.service.clone();
        let access = Access::of(&request);
        let outcome = async {
            let req = request.into_inner();
            let now = Timestamp::now();
            let account = convert::account_id(&req.account_id, "account_id")?;
            gate::check_account(access.as_ref(), &account)?;
            let raw = required(req.profile, "profile")?;
            let limits = service.limits();
            let item = ScoreItem {
                profile: convert::profile(raw, "profile", now, limits)?,
                events: convert::score_events(&req.events, "events", now, limits)?,
            };
            // One follower: scored inline (tens of microseconds, shorter than a hand-off to
            // the blocking pool) with the account's other writes of the moment, then the
            // task sleeps until its write is durable.
            let result = service
                .apply_together(&account, FollowerWrite::score(item), now)
                .await?;
            Ok(pb::ScoreFollowerResponse {
                result: Some(convert::wire_result(result)),
            })
        };
        outcome.await.map(Response::new).map_err(to_status)
    }

    type ClassifyFollowersStream = ReceiverStream<Result<pb::ClassifyFollowersResponse, Status>>;

    async fn classify_followers(
        &self,
        request: Request<Streaming<pb::ClassifyFollowersRequest>>,
    ) -> Result<Response<Self::ClassifyFollowersStream>, Status> {
        let service = self.service.clone();
        // Responses buffered per stream before the server stops reading more requests.
        let (tx, rx) = mpsc::channel(2 * service.limits().stream_chunk);
        let access = Access::of(&request);
        let inbound = request.into_inner();
        tokio::spawn(
            async move {
                if let Err(status) = classify_stream(service, access, inbound, &tx).await {
                    let status = super::limits::request_status_as_promised(status);
                    // The client may be gone already; nothing more to tell it then.
                    let _ = tx.send(Err(status)).await;
                }
            }
            .instrument(tracing::Span::current()),
        );
        Ok(Response::new(ReceiverStream::new(rx)))
    }

    async fn import_followers(
        &self,
        request: Request<Streaming<pb::ImportFollowersRequest>>,
    ) -> Result<Response<pb::ImportFollowersResponse>, Status> {
        let service = self.service.clone();
        let access = Access::of(&request);
        let mut inbound = request.into_inner();
        let first = inbound
            .message()
            .await
            .map_err(super::limits::request_status_as_promised)?;
        let (account, format) = convert::import_start(first.as_ref()).map_err(to_status)?;
        gate::check_account(access.as_ref(), &account).map_err(to_status)?;
        let max_piece = service.limits().max_import_chunk_bytes;
        let (reader, feeder) = super::byte_stream::feed(inbound, max_piece);
        let now = Timestamp::now();
        let outcome =
            blocking(move || service.import_followers(&account, format, reader, now)).await;
        if let Some(status) = feeder.failure() {
            return Err(status);
        }
        let outcome = outcome.map_err(to_status)?;
        tracing::info!(
            format = %outcome.format,
            read = outcome.rows_read,
            scored = outcome.rows_scored,
            "followers imported"
        );
        Ok(Response::new(convert::wire_import(&outcome)))
    }

    async fn get_follower(
        &self,
        request: Request<pb::GetFollowerRequest>,
    ) -> Result<Response<pb::GetFollowerResponse>, Status> {
        let service = self.service.clone();
        let access = Access::of(&request);
        let outcome = async {
            let req = request.into_inner();
            let account = convert::account_id(&req.account_id, "account_id")?;
            gate::check_account(access.as_ref(), &account)?;
            let platform = convert::platform(req.platform, "platform")?;
            // How many ids a call may name is the service's check (`Limits::max_get_ids`).
            let ids = req
                .follower_ids
                .iter()
                .enumerate()
                .map(|(i, id)| convert::follower_id(id, &format!("follower_ids[{i}]")))
                .collect::<Result<Vec<_>, _>>()?;
            let (found, missing) =
                blocking(move || service.get_followers(&account, platform, ids, Timestamp::now()))
                    .await?;
            Ok(pb::GetFollowerResponse {
                results: found.into_iter().map(convert::wire_result).collect(),
                not_found_ids: missing.iter().map(|id| id.as_str().to_owned()).collect(),
            })
        };
        outcome.await.map(Response::new).map_err(to_status)
    }

    async fn list_followers(
        &self,
        request: Request<pb::ListFollowersRequest>,
    ) -> Result<Response<pb::ListFollowersResponse>, Status> {
        let service = self.service.clone();
        let access = Access::of(&request);
        let outcome = async {
            let req = request.into_inner();
            let account = convert::account_id(&req.account_id, "account_id")?;
            gate::check_account(access.as_ref(), &account)?;
            let filter = FollowerFilter {
                platform: convert::optional_platform(req.platform, "platform")?,
                category: convert::optional_category(req.category, "category")?,
                tier: convert::optional_tier(req.lead_tier, "lead_tier")?,
                action: convert::optional_action(req.action, "action")?,
            };
            let page_size = (req.page_size > 0).then_some(req.page_size as usize);
            let token = (!req.page_token.is_empty()).then_some(req.page_token);
            let page = blocking(move || {
                service.list_followers(
                    &account,
                    &filter,
                    page_size,
                    token.as_deref(),
                    Timestamp::now(),
                )
            })
            .await?;
            Ok(pb::ListFollowersResponse {
                results: page.results.into_iter().map(convert::wire_result).collect(),
                next_page_token: page.next_page_token.unwrap_or_default(),
                profiles: if req.include_profiles {
                    page.profiles.iter().map(convert::wire_profile).collect()
                } else {
                    Vec::new()
                },
            })
        };
        outcome.await.map(Response::new).map_err(to_status)
    }

    async fn record_engagement(
        &self,
        request: Request<pb::RecordEngagementRequest>,
    ) -> Result<Response<pb::RecordEngagementResponse>, Status> {
        let service = self.service.clone();
        let access = Access::of(&request);
        let outcome = async {
            let req = request.into_inner();
            let now = Timestamp::now();
            let (account, key) = follower_ref(&req.account_id, req.platform, &req.follower_id)?;
            gate::check_account(access.as_ref(), &account)?;
            if req.events.is_empty() {
                return Err(ServiceError::invalid(
                    "events",
                    "at least one event is required",
                ));
            }
            // How many events a call may carry is the service's check.
            let events = convert::events(&req.events, "events", now, service.limits())?;
            let write = FollowerWrite::engage(key, events, service.limits())?;
            let outcome = service.apply_together(&account, write, now).await?;
            Ok(pb::RecordEngagementResponse {
                result: Some(convert::wire_result(outcome.result)),
                accepted: outcome.accepted,
                duplicates: outcome.duplicates,
                capped: outcome.capped,
            })
        };
        outcome.await.map(Response::new).map_err(to_status)
    }

    async fn remove_follower(
        &self,
        request: Request<pb::RemoveFollowerRequest>,
    ) -> Result<Response<pb::RemoveFollowerResponse>, Status> {
        let service = self.service.clone();
        let access = Access::of(&request);
        let outcome = async {
            let req = request.into_inner();
            let now = Timestamp::now();
            let (account, key) = follower_ref(&req.account_id, req.platform, &req.follower_id)?;
            gate::check_account(access.as_ref(), &account)?;
            let at = match &req.unfollowed_at {
                Some(t) => convert::timestamp(t, "unfollowed_at", now, service.limits())?,
                None => now,
            };
            let result = service
                .apply_together(&account, FollowerWrite::unfollow(key, at), now)
                .await?;
            Ok(pb::RemoveFollowerResponse {
                result: Some(convert::wire_result(result)),
            })
        };
        outcome.await.map(Response::new).map_err(to_status)
    }

    async fn forget_follower(
        &self,
        request: Request<pb::ForgetFollowerRequest>,
    ) -> Result<Response<pb::ForgetFollowerResponse>, Status> {
        let service = self.service.clone();
        let access = Access::of(&request);
        let outcome = async {
            let req = request.into_inner();
            let (account, key) = follower_ref(&req.account_id, req.platform, &req.follower_id)?;
            gate::check_account(access.as_ref(), &account)?;
            let erased = service
                .apply_together(&account, FollowerWrite::forget(key), Timestamp::now())
                .await?;
            Ok(pb::ForgetFollowerResponse { erased })
        };
        outcome.await.map(Response::new).map_err(to_status)
    }

    async fn set_override(
        &self,
        request: Request<pb::SetOverrideRequest>,
    ) -> Result<Response<pb::SetOverrideResponse>, Status> {
        let service = self.service.clone();
        let access = Access::of(&request);
        let outcome = async {
            let req = request.into_inner();
            let now = Timestamp::now();
            let (account, key) = follower_ref(&req.account_id, req.platform, &req.follower_id)?;
            gate::check_account(access.as_ref(), &account)?;
            let category_override = convert::category_override(&req, now, service.limits())?;
            let write = FollowerWrite::set_override(key, category_override);
            let result = service.apply_together(&account, write, now).await?;
            Ok(pb::SetOverrideResponse {
                result: Some(convert::wire_result(result)),
            })
        };
        outcome.await.map(Response::new).map_err(to_status)
    }

    async fn clear_override(
        &self,
        request: Request<pb::ClearOverrideRequest>,
    ) -> Result<Response<pb::ClearOverrideResponse>, Status> {
        let service = self.service.clone();
        let access = Access::of(&request);
        let outcome = async {
            let req = request.into_inner();
            let (account, key) = follower_ref(&req.account_id, req.platform, &req.follower_id)?;
            gate::check_account(access.as_ref(), &account)?;
            let result = service
                .apply_together(
                    &account,
                    FollowerWrite::clear_override(key),
                    Timestamp::now(),
                )
                .await?;
            Ok(pb::ClearOverrideResponse {
                result: Some(convert::wire_result(result)),
            })
        };
        outcome.await.map(Response::new).map_err(to_status)
    }

    /// Not routed in the server, which answers this method from pre-encoded bytes
    /// (`encoded_report.rs`); kept equal to it for anyone serving the generated service.
    async fn get_network_quality(
        &self,
        request: Request<pb::GetNetworkQualityRequest>,
    ) -> Result<Response<pb::NetworkQualityReport>, Status> {
        let now = Timestamp::now();
        let shared = shared_network_quality(&self.service, request, now).map_err(to_status)?;
        let mut report = convert::wire_report(&shared.report);
        report.as_of = Some(convert::wire_timestamp(now));
        Ok(Response::new(report))
    }

    async fn record_outcomes(
        &self,
        request: Request<pb::RecordOutcomesRequest>,
    ) -> Result<Response<pb::RecordOutcomesResponse>, Status> {
        let service = self.service.clone();
        let access = Access::of(&request);
        let outcome =
            async {
                let req = request.into_inner();
                let now = Timestamp::now();
                let account = convert::account_id(&req.account_id, "account_id")?;
                gate::check_account(access.as_ref(), &account)?;
                if req.outcomes.is_empty() {
                    return Err(ServiceError::invalid(
                        "outcomes",
                        "at least one outcome is required",
                    ));
                }
                // Items the wire layer cannot read are answered as invalid in their place; the
                // rest go to the service (which checks how many a call may carry).
                let parsed: Vec<_> = req
                    .outcomes
                    .iter()
                    .map(|raw| convert::outcome(raw, now, service.limits()))
                    .collect();
                let ids: Vec<String> = req.outcomes.iter().map(|o| o.outcome_id.clone()).collect();
                let (readable, unreadable): (Vec<_>, Vec<_>) = parsed
                    .into_iter()
                    .enumerate()
                    .partition(|(_, parsed)| parsed.is_ok());
                let inputs = readable
                    .into_iter()
                    .filter_map(|(i, parsed)| parsed.ok().map(|input| (i, input)))
                    .collect::<Vec<_>>();
                let positions: Vec<usize> = inputs.iter().map(|(i, _)| *i).collect();
                let recorded = {
                    let service = service.clone();
                    let inputs = inputs.into_iter().map(|(_, input)| input).collect();
                    blocking(move || service.record_outcomes(&account, inputs, now))
                        .await?
                        .durable()
                        .await?
                };
                let mut items: Vec<(usize, OutcomeStatus)> =
                    positions.into_iter().zip(recorded.items).collect();
                items.extend(unreadable.into_iter().filter_map(|(i, parsed)| {
                    parsed.err().map(|e| (i, OutcomeStatus::Invalid(e)))
                }));
                items.sort_by_key(|(i, _)| *i);
                Ok(convert::wire_outcomes_recorded(
                    &req.account_id,
                    &ids,
                    &items,
                    &recorded.model,
                ))
            };
        outcome.await.map(Response::new).map_err(to_status)
    }

    async fn get_lead_model(
        &self,
        request: Request<pb::GetLeadModelRequest>,
    ) -> Result<Response<pb::LeadModel>, Status> {
        let service = self.service.clone();
        let access = Access::of(&request);
        let outcome = async {
            let account = convert::account_id(&request.get_ref().account_id, "account_id")?;
            gate::check_account(access.as_ref(), &account)?;
            let model = service.lead_model(&account)?;
            Ok(convert::wire_lead_model(account.as_str(), &model))
        };
        outcome.await.map(Response::new).map_err(to_status)
    }

    async fn set_learning_mode(
        &self,
        request: Request<pb::SetLearningModeRequest>,
    ) -> Result<Response<pb::LeadModel>, Status> {
        let service = self.service.clone();
        let access = Access::of(&request);
        let outcome = async {
            let req = request.into_inner();
            let account = convert::account_id(&req.account_id, "account_id")?;
            gate::check_account(access.as_ref(), &account)?;
            let mode = convert::learning_mode(req.mode, req.pinned_version)?;
            let model = {
                let account = account.clone();
                blocking(move || service.set_learning_mode(&account, mode, Timestamp::now()))
                    .await?
            };
            Ok(convert::wire_lead_model(account.as_str(), &model))
        };
        outcome.await.map(Response::new).map_err(to_status)
    }
}

/// One request of a stream: where it stands in the stream, and whether it was parsed (its
/// item then went to scoring) or refused.
struct Slot {
    index: u64,
    correlation_id: String,
    item: Result<(), ServiceError>,
}

/// Reads followers in chunks of whatever has arrived (at most `Limits::stream_chunk`),
/// scores and stores each chunk, and answers every item in order once its chunk is durable.
/// Scoring the next chunk overlaps the flush of the previous one (at most
/// `CHUNKS_IN_FLIGHT` wait). Sending waits while the response buffer is full, which stops
/// reading: memory stays bounded however long the stream. Returns when the client ends the
/// stream or goes away.
async fn classify_stream(
    service: Arc<Service>,
    access: Option<Access>,
    mut inbound: Streaming<pb::ClassifyFollowersRequest>,
    tx: &mpsc::Sender<Result<pb::ClassifyFollowersResponse, Status>>,
) -> Result<(), Status> {
    let chunk_size = service.limits().stream_chunk;
    // A reader task keeps pulling requests off the connection while a chunk is being scored
    // and stored, so chunks fill up; its channel is bounded, which is the backpressure.
    let (requests_tx, requests) = mpsc::channel(chunk_size);
    let reader = tokio::spawn(async move {
        loop {
            let next = inbound.message().await.transpose();
            let last = !matches!(next, Some(Ok(_)));
            match next {
                Some(item) => {
                    if requests_tx.send(item).await.is_err() {
                        break;
                    }
                }
                None => break,
            }
            if last {
                break;
            }
        }
    });
    let _stop_reader = AbortOnDrop(reader);
    let (chunks_tx, chunks) = mpsc::channel(CHUNKS_IN_FLIGHT);
    let (scored, answered) = tokio::join!(
        score_chunks(service, access, requests, chunks_tx, tx),
        answer_chunks(chunks, tx)
    );
    answered.and(scored)
}

/// Chunks scored and stored but not yet durable, per stream.
const CHUNKS_IN_FLIGHT: usize = 2;

/// A chunk's requests and what scoring them gave, waiting for the chunk to be durable.
struct ScoredChunk {
    slots: Vec<Slot>,
    scored: Result<Pending<Vec<Result<FollowerResult, ServiceError>>>, ServiceError>,
}

async fn score_chunks(
    service: Arc<Service>,
    access: Option<Access>,
    mut requests: mpsc::Receiver<Result<pb::ClassifyFollowersRequest, Status>>,
    chunks: mpsc::Sender<ScoredChunk>,
    answers: &mpsc::Sender<Result<pb::ClassifyFollowersResponse, Status>>,
) -> Result<(), Status> {
    let chunk_size = service.limits().stream_chunk;
    let mut account: Option<AccountId> = None;
    let mut next_index: u64 = 0;
    loop {
        let Some(first) = requests.recv().await else {
            break;
        };
        let mut chunk = vec![first?];
        while chunk.len() < chunk_size {
            match requests.try_recv() {
                Ok(message) => chunk.push(message?),
                Err(_) => break,
            }
        }

        // A key revoked (or changed) while the stream runs stops it at the next chunk.
        if !gate::still_valid(access.as_ref()) {
            return Err(Status::unauthenticated("the API key is no longer valid"));
        }
        let stream_account = match &account {
            Some(id) => id.clone(),
            None => {
                let id =
                    convert::account_id(&chunk[0].account_id, "account_id").map_err(to_status)?;
                gate::check_account(access.as_ref(), &id).map_err(to_status)?;
                let check = service.clone();
                let lookup = id.clone();
                blocking(move || check.get_account(&lookup))
                    .await
                    .map_err(to_status)?;
                account = Some(id.clone());
                id
            }
        };

        let now = Timestamp::now();
        // Parsed items are moved to scoring; each slot keeps its place in the answers.
        let mut valid: Vec<ScoreItem> = Vec::with_capacity(chunk.len());
        let slots: Vec<Slot> = chunk
            .into_iter()
            .map(|message| {
                let index = next_index;
                next_index += 1;
                let item = if !message.account_id.is_empty()
                    && message.account_id != stream_account.as_str()
                {
                    // Every item is checked: one naming an account the key does not cover
                    // is refused as such, whatever else is wrong with it.
                    match convert::account_id(&message.account_id, "account_id")
                        .and_then(|other| gate::check_account(access.as_ref(), &other))
                    {
                        Err(denied @ ServiceError::PermissionDenied(_)) => Err(denied),
                        _ => Err(ServiceError::invalid(
                            "account_id",
                            "differs from the stream's account",
                        )),
                    }
                } else {
                    convert::score_item(message.profile, now, service.limits())
                };
                Slot {
                    index,
                    correlation_id: message.correlation_id,
                    item: item.map(|item| valid.push(item)),
                }
            })
            .collect();

        // A client that went away (or a call past its deadline) stops the stream before
        // the next chunk is scored, not after it.
        if answers.is_closed() {
            return Ok(());
        }
        let scored = if valid.is_empty() {
            Ok(Pending::ready(Vec::new()))
        } else {
            let service = service.clone();
            let id = stream_account.clone();
            blocking(move || service.score_followers(&id, valid, now)).await
        };
        if chunks.send(ScoredChunk { slots, scored }).await.is_err() {
            // The answering side stopped: the client went away.
            return Ok(());
        }
    }
    Ok(())
}

/// Answers each chunk's items in order once the chunk is durable.
async fn answer_chunks(
    mut chunks: mpsc::Receiver<ScoredChunk>,
    tx: &mpsc::Sender<Result<pb::ClassifyFollowersResponse, Status>>,
) -> Result<(), Status> {
    while let Some(ScoredChunk { slots, scored }) = chunks.recv().await {
        let valid_count = slots.iter().filter(|s| s.item.is_ok()).count();
        let acknowledged = match scored {
            Ok(pending) => pending.durable().await,
            Err(error) => Err(error),
        };
        let scored: Vec<Outcome> = match acknowledged {
            Ok(results) => results
                .into_iter()
                .map(|outcome| match outcome {
                    Ok(result) => Outcome::Result(convert::wire_result(result)),
                    Err(error) => Outcome::Error(item_error(&error)),
                })
                .collect(),
            // The account was deleted while the stream ran.
            Err(error @ ServiceError::NotFound { .. }) => return Err(to_status(error)),
            Err(error) => {
                // The chunk could not be stored: each of its items gets the error.
                tracing::error!(error = %error_chain(&error), items = valid_count, "chunk could not be stored");
                vec![Outcome::Error(item_error(&error)); valid_count]
            }
        };
        let mut scored = scored.into_iter();

        for slot in slots {
            let outcome = match slot.item {
                Err(error) => Outcome::Error(item_error(&error)),
                Ok(_) => scored.next().unwrap_or_else(|| {
                    Outcome::Error(item_error(&ServiceError::invariant(
                        "every valid item of a chunk has an outcome",
                    )))
                }),
            };
            let response = pb::ClassifyFollowersResponse {
                index: slot.index,
                correlation_id: slot.correlation_id,
                outcome: Some(outcome),
            };
            if tx.send(Ok(response)).await.is_err() {
                tracing::debug!("client went away; stream stopped");
                return Ok(());
            }
        }
    }
    Ok(())
}

/// Stops the request reader when the stream handler ends, however it ends.
struct AbortOnDrop(tokio::task::JoinHandle<()>);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}
