//! Errors in a client's request bytes as the API promises them.
//!
//! tonic refuses a request larger than the configured limit with OUT_OF_RANGE; the API
//! promises RESOURCE_EXHAUSTED for an oversized message (the code gRPC itself uses for
//! it). tonic answers bytes that do not decode as the request message (a wrong wire type,
//! a string that is not UTF-8, a truncated message) with INTERNAL, which tells a client
//! the server broke and invites a retry; it is the client's input, so the API answers
//! INVALID_ARGUMENT, keeping prost's message, which names the message and field
//! ("ScoreFollowerRequest.account_id: invalid string value…"). For unary calls the refusal
//! is a trailers-only response, whose status sits in the HTTP headers, so a response layer
//! can correct it; streams correct it in the handler (`request_status_as_promised`).

use tonic::{Code, Status};

const OVERSIZED_PREFIXES: [&[u8]; 2] = [
    b"Error, decoded message length too large",
    b"Error,%20decoded%20message%20length%20too%20large",
];

/// tonic's message for a request that prost could not decode (plain and percent-encoded,
/// as it travels in `grpc-message`). The server never writes it itself: its own internal
/// errors are masked as "internal error".
const UNDECODABLE_PREFIXES: [&[u8]; 2] = [
    b"failed to decode Protobuf message",
    b"failed%20to%20decode%20Protobuf%20message",
];

fn is_oversized_message(message: &[u8]) -> bool {
    OVERSIZED_PREFIXES.iter().any(|p| message.starts_with(p))
}

fn is_undecodable_message(message: &[u8]) -> bool {
    UNDECODABLE_PREFIXES.iter().any(|p| message.starts_with(p))
}

/// Rewrites tonic's OUT_OF_RANGE for an oversized request to RESOURCE_EXHAUSTED, and its
/// INTERNAL for an undecodable one to INVALID_ARGUMENT.
pub fn request_errors_as_promised<B>(mut response: http::Response<B>) -> http::Response<B> {
    let headers = response.headers_mut();
    let status = headers.get("grpc-status").map(|s| s.as_bytes().to_vec());
    let message = headers.get("grpc-message").map(|m| m.as_bytes());
    let corrected = match (status.as_deref(), message) {
        (Some(b"11"), Some(m)) if is_oversized_message(m) => Some("8"),
        (Some(b"13"), Some(m)) if is_undecodable_message(m) => Some("3"),
        _ => None,
    };
    if let Some(code) = corrected {
        headers.insert("grpc-status", http::HeaderValue::from_static(code));
    }
    response
}

/// The same corrections for a status met while reading a request stream.
pub fn request_status_as_promised(status: Status) -> Status {
    match status.code() {
        Code::OutOfRange if is_oversized_message(status.message().as_bytes()) => {
            Status::resource_exhausted(status.message().to_owned())
        }
        Code::Internal if is_undecodable_message(status.message().as_bytes()) => {
            Status::invalid_argument(status.message().to_owned())
        }
        _ => status,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn trailers_only(code: &'static str, message: &'static str) -> http::Response<()> {
        let mut response = http::Response::new(());
        let headers = response.headers_mut();
        headers.insert("grpc-status", http::HeaderValue::from_static(code));
        headers.insert("grpc-message", http::HeaderValue::from_static(message));
        response
    }

    fn code_of(response: &http::Response<()>) -> &[u8] {
        response.headers()["grpc-status"].as_bytes()
    }

    #[test]
    fn request_bytes_that_do_not_decode_are_invalid_argument_not_internal() {
        let undecodable = trailers_only(
            "13",
            "failed%20to%20decode%20Protobuf%20message:%20ScoreFollowerRequest.account_id:%20invalid%20string%20value",
        );
        assert_eq!(code_of(&request_errors_as_promised(undecodable)), b"3");
        let oversized = trailers_only("11", "Error,%20decoded%20message%20length%20too%20large");
        assert_eq!(code_of(&request_errors_as_promised(oversized)), b"8");
        // The server's own internal errors stay INTERNAL.
        let internal = trailers_only("13", "internal%20error");
        assert_eq!(code_of(&request_errors_as_promised(internal)), b"13");

        let status = Status::internal("failed to decode Protobuf message: invalid wire type");
        assert_eq!(
            request_status_as_promised(status).code(),
            Code::InvalidArgument
        );
        let status = Status::internal("internal error");
        assert_eq!(request_status_as_promised(status).code(), Code::Internal);
    }
}
