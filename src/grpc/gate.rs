//! The gate every gRPC call passes, as one tower layer around all services: the RPC's span,
//! shutdown refusal, API key authentication and role, per-key rate and concurrency limits,
//! load shedding, the client's deadline (`grpc-timeout`), and the request metrics.
//!
//! What the gate cannot see is the account a call names (it sits in the protobuf body), so
//! it hands the handler an [`Access`] in the request's extensions, and handlers check the
//! account with [`check_account`] once they have parsed it, and on every stream item.
//!
//! Refusals are immediate, never queued: past `max_concurrent_calls` a call is shed with
//! UNAVAILABLE (any server would do; the client should back off), past a key's own rate or
//! concurrency with RESOURCE_EXHAUSTED (this caller is over its quota). Health checks and
//! reflection need no key and are never shed, so probes keep working under load.
//!
//! Owns no business rule and reads no message: the handlers do.

use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;

use http_body::Frame;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tokio::time::{Instant, Sleep};
use tonic::body::Body;
use tonic::{Code, Status};
use tracing::Instrument as _;

use crate::auth::{Keyring, Principal, Role};
use crate::engine::ids::AccountId;
use crate::metrics::{Metrics, ReasonLabel, RpcCode, RpcLabel};
use crate::service::{Limits, ServiceError};

const API_PREFIX: &str = "/followscore.v1.FollowScore/";

/// The API's methods and the role each needs. A method missing here needs `admin`.
const METHODS: &[(&str, Role)] = &[
    ("GetAccount", Role::Read),
    ("GetFollower", Role::Read),
    ("ListFollowers", Role::Read),
    ("GetNetworkQuality", Role::Read),
    ("ScoreFollower", Role::Write),
    ("ClassifyFollowers", Role::Write),
    ("ImportFollowers", Role::Write),
    ("RecordEngagement", Role::Write),
    ("RemoveFollower", Role::Write),
    ("SetOverride", Role::Write),
    ("ClearOverride", Role::Write),
    ("RecordOutcomes", Role::Write),
    ("GetLeadModel", Role::Read),
    ("SetLearningMode", Role::Admin),
    ("UpsertAccount", Role::Admin),
    ("DeleteAccount", Role::Admin),
    ("ForgetFollower", Role::Admin),
];

/// Our deadline fires a tenth of the timeout (at most this much) before it, so that the
/// caller gets DEADLINE_EXCEEDED from us rather than CANCELLED from its own client's timer
/// for the same `grpc-timeout` (tonic's client runs one, started before ours, and our
/// answer still has to travel back; 5 ms lost that race on a loaded machine).
const MAX_DEADLINE_MARGIN: Duration = Duration::from_millis(50);

fn deadline_margin(timeout: Duration) -> Duration {
    (timeout / 10).min(MAX_DEADLINE_MARGIN)
}

/// What a call is, for the gate: its metric label, whether it needs a key, which role.
#[derive(Debug, Clone, Copy)]
struct Method {
    label: &'static str,
    open: bool,
    role: Role,
}

impl Method {
    fn of(path: &str) -> Method {
        if let Some(name) = path.strip_prefix(API_PREFIX) {
            return match METHODS.iter().find(|(n, _)| *n == name) {
                Some((label, role)) => Method {
                    label,
                    open: false,
                    role: *role,
                },
                None => Method {
                    label: "unknown",
                    open: false,
                    role: Role::Admin,
                },
            };
        }
        let open = |label| Method {
            label,
            open: true,
            role: Role::Read,
        };
        match path {
            "/grpc.health.v1.Health/Check" => open("Health.Check"),
            "/grpc.health.v1.Health/Watch" => open("Health.Watch"),
            p if p.starts_with("/grpc.reflection.") => open("Reflection"),
            // Unknown services get UNIMPLEMENTED from the router, but only with a key.
            _ => Method {
                label: "unknown",
                open: false,
                role: Role::Admin,
            },
        }
    }

    fn is_health(&self) -> bool {
        self.label.starts_with("Health.")
    }
}

/// Who the caller is, as the gate decided; handlers read it from the request's extensions.
#[derive(Debug, Clone)]
pub enum Access {
    /// The server runs without keys.
    Open,
    /// A key in force when the call began.
    Key {
        principal: Arc<Principal>,
        keyring: Arc<Keyring>,
    },
}

impl Access {
    /// The gate's decision for this request. A request that did not pass the gate gets
    /// nothing: `None` denies every account.
    pub fn of<T>(request: &tonic::Request<T>) -> Option<Access> {
        request.extensions().get::<Access>().cloned()
    }
}

/// Whether `access` may use `account`. The answer is the same whether or not the account
/// exists, so a key cannot probe other tenants' account ids.
pub fn check_account(access: Option<&Access>, account: &AccountId) -> Result<(), ServiceError> {
    match access {
        Some(Access::Open) => Ok(()),
        Some(Access::Key { principal, .. }) if principal.covers(account.as_str()) => Ok(()),
        _ => Err(ServiceError::PermissionDenied(format!(
            "this API key does not cover account {:?}",
            account.as_str()
        ))),
    }
}

/// Whether the key a long call began with is still in force (not revoked or changed).
pub fn still_valid(access: Option<&Access>) -> bool {
    match access {
        Some(Access::Open) => true,
        Some(Access::Key { principal, keyring }) => keyring.current().still_valid(principal),
        None => false,
    }
}

/// One key's quota: a token bucket for its rate and a semaphore for its calls in flight.
#[derive(Debug)]
struct KeyLimiter {
    calls: Arc<Semaphore>,
    bucket: Mutex<(f64, Instant)>,
}

impl KeyLimiter {
    fn take_token(&self, per_second: f64, burst: f64) -> bool {
        let mut bucket = self.bucket.lock().unwrap_or_else(|p| p.into_inner());
        let now = Instant::now();
        let (tokens, last) = *bucket;
        let refilled = (tokens + now.duration_since(last).as_secs_f64() * per_second).min(burst);
        if refilled >= 1.0 {
            *bucket = (refilled - 1.0, now);
            true
        } else {
            *bucket = (refilled, now);
            false
        }
    }
}

#[derive(Debug)]
struct GateState {
    keyring: Option<Arc<Keyring>>,
    limits: Limits,
    calls: Arc<Semaphore>,
    per_key: Mutex<HashMap<String, Arc<KeyLimiter>>>,
    metrics: Arc<Metrics>,
    draining: AtomicBool,
}

/// The layer; clones share one state.
#[derive(Debug, Clone)]
pub struct Gate {
    state: Arc<GateState>,
}

impl Gate {
    pub fn new(keyring: Option<Arc<Keyring>>, limits: &Limits, metrics: Arc<Metrics>) -> Self {
        Self {
            state: Arc::new(GateState {
                keyring,
                calls: Arc::new(Semaphore::new(limits.max_concurrent_calls)),
                limits: limits.clone(),
                per_key: Mutex::new(HashMap::new()),
                metrics,
                draining: AtomicBool::new(false),
            }),
        }
    }

    /// From now on every call but health checks is refused with UNAVAILABLE; calls in
    /// flight go on.
    pub fn start_draining(&self) {
        self.state.draining.store(true, Ordering::SeqCst);
    }
}

impl<S> tower::Layer<S> for Gate {
    type Service = GateService<S>;

    fn layer(&self, inner: S) -> Self::Service {
        GateService {
            inner,
            state: self.state.clone(),
        }
    }
}

#[derive(Debug, Clone)]
pub struct GateService<S> {
    inner: S,
    state: Arc<GateState>,
}

/// What a call holds while it runs; dropping it records the call's end.
struct Passage {
    metrics: Arc<Metrics>,
    method: Method,
    started: Instant,
    span: tracing::Span,
    code: Option<Code>,
    _permits: Vec<OwnedSemaphorePermit>,
}

impl Passage {
    fn new(metrics: Arc<Metrics>, method: Method, span: tracing::Span) -> Self {
        metrics.in_flight.inc();
        Self {
            metrics,
            method,
            started: Instant::now(),
            span,
            code: None,
            _permits: Vec::new(),
        }
    }
}

impl Passage {
    /// Ends the call with `code` (recorded as the passage drops).
    fn end(mut self, code: Code) {
        self.code = Some(code);
    }
}

impl Drop for Passage {
    fn drop(&mut self) {
        // No status seen: the client went away (or the connection broke) first.
        let code = self.code.unwrap_or(Code::Cancelled);
        let elapsed = self.started.elapsed();
        self.metrics.in_flight.dec();
        self.metrics
            .requests
            .get_or_create(&RpcCode {
                rpc: self.method.label,
                code: code_name(code),
            })
            .inc();
        self.metrics
            .latency
            .get_or_create(&RpcLabel {
                rpc: self.method.label,
            })
            .observe(elapsed.as_secs_f64());
        let duration_ms = elapsed.as_secs_f64() * 1_000.0;
        self.span.record("code", code_name(code));
        self.span.record("duration_ms", duration_ms);
        let _entered = self.span.enter();
        // A call that succeeded is counted and timed by the metrics above; a line for each
        // would be thousands a second under a CRM sync and cost each call a tenth of its
        // time (BENCHMARKS.md). At info the log keeps what a person must look at: calls
        // that did not succeed. Probes are never worth a line.
        if code == Code::Ok || self.method.is_health() {
            tracing::debug!(code = code_name(code), duration_ms, "rpc finished");
        } else {
            tracing::info!(code = code_name(code), duration_ms, "rpc finished");
        }
    }
}

impl GateState {
    /// Lets the call in, with what it holds, or refuses it with its status.
    fn admit(
        &self,
        method: Method,
        headers: &http::HeaderMap,
        passage: &mut Passage,
    ) -> Result<Access, Status> {
        if method.open {
            if self.draining.load(Ordering::SeqCst) && !method.is_health() {
                return Err(Status::unavailable("the server is shutting down"));
            }
            return Ok(Access::Open);
        }
        if self.draining.load(Ordering::SeqCst) {
            return Err(Status::unavailable("the server is shutting down"));
        }
        let access = match &self.keyring {
            None => Access::Open,
            Some(keyring) => {
                let principal = self.authenticate(keyring, headers)?;
                if principal.role < method.role {
                    self.auth_failure("role");
                    return Err(Status::permission_denied(format!(
                        "this API key's role ({}) cannot call {} (needs {})",
                        principal.role, method.label, method.role
                    )));
                }
                tracing::Span::current().record("key", principal.name.as_str());
                Access::Key {
                    principal,
                    keyring: keyring.clone(),
                }
            }
        };
        let Ok(permit) = self.calls.clone().try_acquire_owned() else {
            self.shed("server_busy");
            return Err(Status::unavailable(format!(
                "server busy: {} calls in flight; retry with backoff",
                self.limits.max_concurrent_calls
            )));
        };
        passage._permits.push(permit);
        if let Access::Key { principal, .. } = &access {
            let limiter = self.limiter(&principal.name);
            if !limiter.take_token(
                f64::from(self.limits.per_key_calls_per_second),
                f64::from(self.limits.per_key_burst),
            ) {
                self.shed("key_rate");
                return Err(Status::resource_exhausted(format!(
                    "this API key is over its rate of {} calls per second; retry with backoff",
                    self.limits.per_key_calls_per_second
                )));
            }
            let Ok(permit) = limiter.calls.clone().try_acquire_owned() else {
                self.shed("key_concurrency");
                return Err(Status::resource_exhausted(format!(
                    "this API key has {} calls in flight, its limit",
                    self.limits.per_key_concurrent_calls
                )));
            };
            passage._permits.push(permit);
        }
        Ok(access)
    }

    fn authenticate(
        &self,
        keyring: &Keyring,
        headers: &http::HeaderMap,
    ) -> Result<Arc<Principal>, Status> {
        let Some(presented) = bearer(headers) else {
            self.auth_failure("missing");
            return Err(Status::unauthenticated(
                "an API key is required: send the metadata `authorization: Bearer <key>`",
            ));
        };
        keyring.current().authenticate(presented).ok_or_else(|| {
            self.auth_failure("unknown");
            Status::unauthenticated("unknown API key")
        })
    }

    fn auth_failure(&self, reason: &'static str) {
        self.metrics
            .auth_failures
            .get_or_create(&ReasonLabel { reason })
            .inc();
    }

    fn shed(&self, reason: &'static str) {
        self.metrics
            .shed
            .get_or_create(&ReasonLabel { reason })
            .inc();
    }

    fn limiter(&self, name: &str) -> Arc<KeyLimiter> {
        let mut map = self.per_key.lock().unwrap_or_else(|p| p.into_inner());
        map.entry(name.to_owned())
            .or_insert_with(|| {
                Arc::new(KeyLimiter {
                    calls: Arc::new(Semaphore::new(self.limits.per_key_concurrent_calls)),
                    bucket: Mutex::new((f64::from(self.limits.per_key_burst), Instant::now())),
                })
            })
            .clone()
    }
}

/// The key of `authorization: Bearer <key>`; the scheme in any case.
fn bearer(headers: &http::HeaderMap) -> Option<&str> {
    let value = headers.get(http::header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, key) = value.split_once(' ')?;
    let key = key.trim();
    (scheme.eq_ignore_ascii_case("bearer") && !key.is_empty()).then_some(key)
}

/// `grpc-timeout`: up to eight digits and a unit (H, M, S, m, u, n), per the gRPC protocol.
fn grpc_timeout(headers: &http::HeaderMap) -> Option<Duration> {
    let value = headers.get("grpc-timeout")?.to_str().ok()?;
    if value.len() < 2 || value.len() > 9 {
        return None;
    }
    let (digits, unit) = value.split_at(value.len() - 1);
    let n: u64 = digits.parse().ok()?;
    Some(match unit {
        "H" => Duration::from_secs(n.saturating_mul(3_600)),
        "M" => Duration::from_secs(n.saturating_mul(60)),
        "S" => Duration::from_secs(n),
        "m" => Duration::from_millis(n),
        "u" => Duration::from_micros(n),
        "n" => Duration::from_nanos(n),
        _ => return None,
    })
}

fn code_name(code: Code) -> &'static str {
    match code {
        Code::Ok => "OK",
        Code::Cancelled => "CANCELLED",
        Code::Unknown => "UNKNOWN",
        Code::InvalidArgument => "INVALID_ARGUMENT",
        Code::DeadlineExceeded => "DEADLINE_EXCEEDED",
        Code::NotFound => "NOT_FOUND",
        Code::AlreadyExists => "ALREADY_EXISTS",
        Code::PermissionDenied => "PERMISSION_DENIED",
        Code::ResourceExhausted => "RESOURCE_EXHAUSTED",
        Code::FailedPrecondition => "FAILED_PRECONDITION",
        Code::Aborted => "ABORTED",
        Code::OutOfRange => "OUT_OF_RANGE",
        Code::Unimplemented => "UNIMPLEMENTED",
        Code::Internal => "INTERNAL",
        Code::Unavailable => "UNAVAILABLE",
        Code::DataLoss => "DATA_LOSS",
        Code::Unauthenticated => "UNAUTHENTICATED",
    }
}

fn status_code(headers: &http::HeaderMap) -> Option<Code> {
    headers
        .get("grpc-status")
        .map(|v| Code::from_bytes(v.as_bytes()))
}

type BoxFuture<T> = Pin<Box<dyn Future<Output = T> + Send>>;

impl<S> tower::Service<http::Request<Body>> for GateService<S>
where
    S: tower::Service<http::Request<Body>, Response = http::Response<Body>>
        + Clone
        + Send
        + 'static,
    S::Future: Send + 'static,
    S::Error: Send + 'static,
{
    type Response = http::Response<Body>;
    type Error = S::Error;
    type Future = BoxFuture<Result<Self::Response, Self::Error>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, mut request: http::Request<Body>) -> Self::Future {
        let method = Method::of(request.uri().path());
        let span = tracing::info_span!(
            "rpc",
            rpc = method.label,
            key = tracing::field::Empty,
            code = tracing::field::Empty,
            duration_ms = tracing::field::Empty,
        );
        let mut passage = Passage::new(self.state.metrics.clone(), method, span.clone());
        let admitted = span.in_scope(|| self.state.admit(method, request.headers(), &mut passage));
        let access = match admitted {
            Ok(access) => access,
            Err(status) => {
                passage.end(status.code());
                return Box::pin(std::future::ready(Ok(status.into_http())));
            }
        };
        request.extensions_mut().insert(access);
        let deadline = grpc_timeout(request.headers())
            .map(|d| Instant::now() + d.saturating_sub(deadline_margin(d)));

        // The clone that was made ready is the one to call (tower's readiness contract).
        let clone = self.inner.clone();
        let mut inner = std::mem::replace(&mut self.inner, clone);
        Box::pin(
            async move {
                let call = inner.call(request);
                let response = match deadline {
                    Some(at) => match tokio::time::timeout_at(at, call).await {
                        Ok(response) => response?,
                        Err(_) => {
                            passage.end(Code::DeadlineExceeded);
                            return Ok(deadline_status().into_http());
                        }
                    },
                    None => call.await?,
                };
                let (parts, body) = response.into_parts();
                // A trailers-only response (an error) carries its status in the headers.
                let finished = status_code(&parts.headers);
                passage.code = finished;
                let body = GuardedBody {
                    inner: Some(body),
                    deadline: match (finished, deadline) {
                        (None, Some(at)) => Some(Box::pin(tokio::time::sleep_until(at))),
                        _ => None,
                    },
                    passage: Some(passage),
                };
                Ok(http::Response::from_parts(parts, Body::new(body)))
            }
            .instrument(span),
        )
    }
}

fn deadline_status() -> Status {
    Status::deadline_exceeded("the call's deadline (grpc-timeout) passed")
}

/// The response body, watched: it notes the status in the trailers, ends a stream whose
/// deadline passes (dropping the handler's stream, which stops its work), and holds the
/// call's permits until the last frame is sent or the client goes away.
struct GuardedBody {
    inner: Option<Body>,
    deadline: Option<Pin<Box<Sleep>>>,
    passage: Option<Passage>,
}

impl http_body::Body for GuardedBody {
    type Data = bytes::Bytes;
    type Error = Status;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Self::Data>, Self::Error>>> {
        let this = &mut *self;
        if let Some(deadline) = this.deadline.as_mut()
            && deadline.as_mut().poll(cx).is_ready()
        {
            this.deadline = None;
            this.inner = None;
            let mut trailers = http::HeaderMap::new();
            let status = deadline_status();
            if status.add_header(&mut trailers).is_err() {
                trailers.insert(
                    "grpc-status",
                    http::HeaderValue::from(Code::DeadlineExceeded as i32),
                );
            }
            if let Some(passage) = this.passage.as_mut() {
                passage.code = Some(Code::DeadlineExceeded);
            }
            this.passage = None;
            return Poll::Ready(Some(Ok(Frame::trailers(trailers))));
        }
        let Some(inner) = this.inner.as_mut() else {
            return Poll::Ready(None);
        };
        match Pin::new(inner).poll_frame(cx) {
            Poll::Ready(Some(Ok(frame))) => {
                if let Some(code) = frame.trailers_ref().and_then(status_code) {
                    this.deadline = None;
                    if let Some(passage) = this.passage.as_mut() {
                        passage.code = Some(code);
                    }
                }
                Poll::Ready(Some(Ok(frame)))
            }
            Poll::Ready(None) => {
                this.inner = None;
                this.deadline = None;
                if let Some(passage) = this.passage.as_mut()
                    && passage.code.is_none()
                {
                    // A body that ends without trailers ended normally for tonic.
                    passage.code = Some(Code::Ok);
                }
                this.passage = None;
                Poll::Ready(None)
            }
            other => other,
        }
    }

    fn is_end_stream(&self) -> bool {
        self.inner
            .as_ref()
            .is_none_or(http_body::Body::is_end_stream)
            && self.deadline.is_none()
    }

    fn size_hint(&self) -> http_body::SizeHint {
        match &self.inner {
            Some(inner) if self.deadline.is_none() => inner.size_hint(),
            Some(_) => http_body::SizeHint::default(),
            None => http_body::SizeHint::with_exact(0),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grpc_timeouts_parse_as_the_protocol_says() {
        let check = |raw: &str, expected: Option<Duration>| {
            let mut headers = http::HeaderMap::new();
            headers.insert("grpc-timeout", raw.parse().unwrap());
            assert_eq!(grpc_timeout(&headers), expected, "{raw}");
        };
        check("100m", Some(Duration::from_millis(100)));
        check("2S", Some(Duration::from_secs(2)));
        check("1H", Some(Duration::from_secs(3_600)));
        check("5u", Some(Duration::from_micros(5)));
        check("123456789S", None);
        check("10x", None);
        check("S", None);
    }

    #[test]
    fn bearer_keys_are_read_in_any_scheme_case() {
        let check = |raw: &str, expected: Option<&str>| {
            let mut headers = http::HeaderMap::new();
            headers.insert(http::header::AUTHORIZATION, raw.parse().unwrap());
            assert_eq!(bearer(&headers), expected, "{raw}");
        };
        check("Bearer fsk_abc", Some("fsk_abc"));
        check("bearer fsk_abc", Some("fsk_abc"));
        check("Basic Zm9v", None);
        check("Bearer ", None);
    }

    #[test]
    fn every_api_method_has_its_role() {
        assert_eq!(
            Method::of("/followscore.v1.FollowScore/GetAccount").role,
            Role::Read
        );
        assert_eq!(
            Method::of("/followscore.v1.FollowScore/SetOverride").role,
            Role::Write
        );
        assert_eq!(
            Method::of("/followscore.v1.FollowScore/ForgetFollower").role,
            Role::Admin
        );
        assert_eq!(
            Method::of("/followscore.v1.FollowScore/Nope").role,
            Role::Admin
        );
        assert!(Method::of("/grpc.health.v1.Health/Check").open);
        assert!(!Method::of("/other.Service/Call").open);
    }

    #[test]
    fn every_rpc_of_the_api_has_a_role_and_no_other_is_listed() {
        use prost::Message as _;
        let set = prost_types::FileDescriptorSet::decode(super::super::DESCRIPTOR_SET).unwrap();
        let methods: Vec<String> = set
            .file
            .iter()
            .flat_map(|f| f.service.iter())
            .filter(|s| s.name() == "FollowScore")
            .flat_map(|s| s.method.iter().map(|m| m.name().to_owned()))
            .collect();
        assert_eq!(methods.len(), METHODS.len(), "{methods:?}");
        for method in &methods {
            assert!(
                METHODS.iter().any(|(n, _)| n == method),
                "{method} has no role"
            );
        }
    }

    #[test]
    fn a_token_bucket_allows_its_burst_then_its_rate() {
        let limiter = KeyLimiter {
            calls: Arc::new(Semaphore::new(1)),
            bucket: Mutex::new((3.0, Instant::now())),
        };
        let taken = (0..10).filter(|_| limiter.take_token(0.001, 3.0)).count();
        assert_eq!(taken, 3);
    }
}
