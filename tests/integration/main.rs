//! followscore's integration tests: one binary, each test with its own real server on a
//! free loopback port and its own temporary data directory.

#![allow(clippy::unwrap_used)]

mod helpers;

mod accounts;
mod categories;
mod crash;
mod crash_rounds;
mod deployment;
mod discovery;
mod engagement;
mod errors;
mod export;
mod freshness;
mod grpcurl;
mod hostile;
mod importing;
mod lifecycle;
mod listing;
mod load;
mod operations;
mod outcomes;
mod python_client;
mod reliability;
mod replicas;
mod report_html;
mod reporting;
mod scoring;
mod security;
mod streaming;
mod tidy;
mod tls;
