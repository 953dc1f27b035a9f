//! The one table from service errors to gRPC statuses. Internal errors are logged here with
//! their whole source chain and reach the caller only as "internal error".

use tonic::{Code, Status};

use crate::service::ServiceError;

pub fn to_status(error: ServiceError) -> Status {
    match &error {
        ServiceError::InvalidArgument { .. } => Status::invalid_argument(error.to_string()),
        ServiceError::NotFound { .. } => Status::not_found(error.to_string()),
        ServiceError::PermissionDenied(message) => Status::permission_denied(message.clone()),
        ServiceError::ResourceExhausted(message) => Status::resource_exhausted(message.clone()),
        ServiceError::Unavailable(message) => Status::unavailable(message.clone()),
        ServiceError::Internal(_) => {
            tracing::error!(error = %error_chain(&error), "internal error");
            Status::new(Code::Internal, "internal error")
        }
    }
}

/// "outer: inner: innermost", for logs.
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
