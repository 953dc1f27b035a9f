//! The one table from service errors to gRPC statuses. Internal errors are logged here with
//! their whole source chain and reach the caller only as "internal error".

use tonic::{Code, Status};

use crate::grpc::pb;
use crate::service::ServiceError;

pub fn to_status(error: ServiceError) -> Status {
    let code = code_of(&error);
    match &error {
        ServiceError::PermissionDenied(message) => Status::new(code, message.clone()),
        ServiceError::Internal(_) => {
            tracing::error!(error = %error_chain(&error), "internal error");
            Status::new(code, "internal error")
        }
        ServiceError::ResourceExhausted(message)
        | ServiceError::Unavailable(message)
        | ServiceError::Aborted(message) => Status::new(code, message.clone()),
        _ => Status::new(code, error.to_string()),
    }
}

pub use crate::service::error::error_chain;

/// A stream item's error, from the same table as `to_status`: the same code (as its
/// snake_case name), the same message, internal causes logged with their chain and masked.
pub fn item_error(error: &ServiceError) -> pb::ItemError {
    let message = match error {
        ServiceError::Internal(_) => {
            tracing::error!(error = %error_chain(error), "internal error in a stream item");
            "internal error".to_owned()
        }
        other => other.to_string(),
    };
    pb::ItemError {
        code: item_code(code_of(error)).to_owned(),
        message,
        field: error.field().unwrap_or_default().to_owned(),
    }
}

/// The gRPC code of each service error: the one table.
pub fn code_of(error: &ServiceError) -> Code {
    match error {
        ServiceError::InvalidArgument { .. } => Code::InvalidArgument,
        ServiceError::NotFound { .. } => Code::NotFound,
        ServiceError::PermissionDenied(_) => Code::PermissionDenied,
        ServiceError::ResourceExhausted(_) => Code::ResourceExhausted,
        ServiceError::Unavailable(_) => Code::Unavailable,
        ServiceError::Aborted(_) => Code::Aborted,
        ServiceError::Internal(_) => Code::Internal,
    }
}

/// A gRPC code as a stream item's `code` string.
fn item_code(code: Code) -> &'static str {
    match code {
        Code::InvalidArgument => "invalid_argument",
        Code::NotFound => "not_found",
        Code::PermissionDenied => "permission_denied",
        Code::ResourceExhausted => "resource_exhausted",
        Code::Unavailable => "unavailable",
        Code::Aborted => "aborted",
        _ => "internal",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_error_kind_has_its_code() {
        let check = |error: ServiceError, code: Code| assert_eq!(to_status(error).code(), code);
        check(
            ServiceError::invalid("profile.follower_id", "must not be empty"),
            Code::InvalidArgument,
        );
        check(ServiceError::not_found("account x"), Code::NotFound);
        check(
            ServiceError::PermissionDenied("not covered".into()),
            Code::PermissionDenied,
        );
        check(
            ServiceError::ResourceExhausted("too many".into()),
            Code::ResourceExhausted,
        );
        check(
            ServiceError::Unavailable("shutting down".into()),
            Code::Unavailable,
        );
        check(ServiceError::Aborted("changed".into()), Code::Aborted);
        check(
            crate::store::StoreError::Conflict("a follower").into(),
            Code::Aborted,
        );
    }

    #[test]
    fn stream_items_and_unary_calls_share_the_table() {
        let errors = || {
            vec![
                ServiceError::invalid("profile.follower_id", "must not be empty"),
                ServiceError::not_found("follower x"),
                ServiceError::ResourceExhausted("too many".into()),
                ServiceError::Unavailable("retry".into()),
                ServiceError::Aborted("changed; retry".into()),
                ServiceError::invariant("one op, one outcome"),
            ]
        };
        for (unary, item) in errors().into_iter().zip(errors()) {
            let item = item_error(&item);
            let status = to_status(unary);
            assert_eq!(item.code, item_code(status.code()));
            assert_eq!(item.message, status.message());
        }
    }

    #[test]
    fn a_broken_invariant_is_internal_and_masked() {
        let status = to_status(ServiceError::invariant("one op, one outcome"));
        assert_eq!(status.code(), Code::Internal);
        assert_eq!(status.message(), "internal error");
    }

    #[test]
    fn invalid_argument_names_the_field() {
        let status = to_status(ServiceError::invalid(
            "profile.follower_id",
            "must not be empty",
        ));
        assert_eq!(status.message(), "profile.follower_id: must not be empty");
    }
}
