//! The service's closed set of errors. `grpc/status.rs` maps them to gRPC statuses; the CLI
//! prints them. Internal causes keep their source chain for the logs and never reach a
//! caller.

use crate::store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    /// A request value is unacceptable; `field` names it (e.g. `profile.follower_id`).
    #[error("{field}: {message}")]
    InvalidArgument { field: String, message: String },
    #[error("{what} not found")]
    NotFound { what: String },
    /// The caller's key does not cover the account (the same whether it exists or not).
    #[error("{0}")]
    PermissionDenied(String),
    #[error("{0}")]
    ResourceExhausted(String),
    #[error("{0}")]
    Unavailable(String),
    /// Another replica changed what the call read while it was applied; nothing of it was
    /// kept, and the call may be retried as it is.
    #[error("{0}")]
    Aborted(String),
    #[error("internal error")]
    Internal(#[from] InternalError),
}

/// Causes callers never see. Each keeps its source, so the log shows the whole chain.
#[derive(Debug, thiserror::Error)]
pub enum InternalError {
    #[error("storage failed")]
    Store(#[from] StoreError),
    #[error("background task failed")]
    Task(#[source] Box<dyn std::error::Error + Send + Sync>),
    /// Something the code relies on did not hold (a chunk of one op without its outcome, a
    /// write that keeps a follower without its result). A bug, never a caller's mistake: it
    /// is INTERNAL, never NOT_FOUND.
    #[error("broken invariant: {0}")]
    Invariant(&'static str),
}

impl ServiceError {
    /// A broken invariant: INTERNAL, logged, masked for the caller.
    pub fn invariant(what: &'static str) -> Self {
        ServiceError::Internal(InternalError::Invariant(what))
    }
}

/// "outer: inner: innermost", for logs: every internal error is logged with its chain.
pub fn error_chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

impl From<StoreError> for ServiceError {
    fn from(error: StoreError) -> Self {
        match error {
            // The write is applied but could not be synced: the caller may retry (writes
            // are idempotent per follower and per event id).
            StoreError::Flush(failed) => {
                tracing::error!(error = %error_chain(&failed), "a write could not be made durable");
                ServiceError::Unavailable("the write could not be made durable; retry".into())
            }
            // No space: nothing was written; reads go on, and writes resume once space is
            // freed.
            full if full.is_disk_full() => {
                tracing::warn!(error = %error_chain(&full), "a write was refused: the disk is full");
                ServiceError::ResourceExhausted(
                    "the data directory's disk is full; retry once space is freed".into(),
                )
            }
            StoreError::AccountGone => ServiceError::not_found("account"),
            StoreError::Conflict(what) => ServiceError::Aborted(format!(
                "{what} changed while the request was applied (another replica wrote it); retry"
            )),
            StoreError::NotReplicated { .. } => {
                tracing::warn!(error = %error, "a write was not confirmed by enough replicas");
                ServiceError::Unavailable(format!("{error}; it may or may not be kept: retry"))
            }
            // The cluster is unreachable, failing over, busy or timed out: nothing was
            // acknowledged, and the call may be retried.
            outage if outage.is_outage() => {
                tracing::warn!(error = %error_chain(&outage), "the store did not answer");
                ServiceError::Unavailable("the store did not answer; retry".into())
            }
            other => ServiceError::Internal(InternalError::Store(other)),
        }
    }
}

impl ServiceError {
    /// A write another replica's write overtook (only kept as an error once retries ran
    /// out, or where the caller handles it).
    pub fn is_conflict(&self) -> bool {
        matches!(self, ServiceError::Aborted(_))
    }
}

impl ServiceError {
    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> Self {
        ServiceError::InvalidArgument {
            field: field.into(),
            message: message.into(),
        }
    }

    pub fn not_found(what: impl Into<String>) -> Self {
        ServiceError::NotFound { what: what.into() }
    }

    /// A stable snake_case code, used for per-item errors in streams.
    pub fn code(&self) -> &'static str {
        match self {
            ServiceError::InvalidArgument { .. } => "invalid_argument",
            ServiceError::NotFound { .. } => "not_found",
            ServiceError::PermissionDenied(_) => "permission_denied",
            ServiceError::ResourceExhausted(_) => "resource_exhausted",
            ServiceError::Unavailable(_) => "unavailable",
            ServiceError::Aborted(_) => "aborted",
            ServiceError::Internal(_) => "internal",
        }
    }

    pub fn field(&self) -> Option<&str> {
        match self {
            ServiceError::InvalidArgument { field, .. } => Some(field),
            _ => None,
        }
    }
}

pub type Result<T, E = ServiceError> = std::result::Result<T, E>;
