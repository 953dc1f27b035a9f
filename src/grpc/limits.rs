//! Message-size errors as the API promises them.
//!
//! tonic refuses a request larger than the configured limit with OUT_OF_RANGE; the API
//! promises RESOURCE_EXHAUSTED for an oversized message (the code gRPC itself uses for
//! it). For unary calls the refusal is a trailers-only response, whose status sits in the
//! HTTP headers, so a response layer can correct it; streams correct it in the handler
//! (`resource_exhausted_if_oversized`).

use tonic::{Code, Status};

const OVERSIZED_PREFIXES: [&[u8]; 2] = [
    b"Error, decoded message length too large",
    b"Error,%20decoded%20message%20length%20too%20large",
];

fn is_oversized_message(message: &[u8]) -> bool {
    OVERSIZED_PREFIXES.iter().any(|p| message.starts_with(p))
}

/// Rewrites tonic's OUT_OF_RANGE for an oversized request to RESOURCE_EXHAUSTED.
pub fn oversized_is_resource_exhausted<B>(mut response: http::Response<B>) -> http::Response<B> {
    let headers = response.headers_mut();
    let oversized = headers
        .get("grpc-status")
        .is_some_and(|s| s.as_bytes() == b"11")
        && headers
            .get("grpc-message")
            .is_some_and(|m| is_oversized_message(m.as_bytes()));
    if oversized {
        headers.insert("grpc-status", http::HeaderValue::from_static("8"));
    }
    response
}

/// The same correction for a status met while reading a request stream.
pub fn resource_exhausted_if_oversized(status: Status) -> Status {
    if status.code() == Code::OutOfRange && is_oversized_message(status.message().as_bytes()) {
        Status::resource_exhausted(status.message().to_owned())
    } else {
        status
    }
}
