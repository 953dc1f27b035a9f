#!/usr/bin/env bash
# The failover harness's long mode: ROUNDS rounds (default 20) with each of
# --redis-min-replicas 0 and 1. Each round starts a Redis Cluster of its own (three
# primaries, three replicas on loopback: tests/redis-cluster.sh), keeps eight writers busy
# on one replica, kills the primary of the account's slot with SIGKILL, waits for a replica
# to be promoted, brings the killed node back as a replica, writes on, and then reads every
# acknowledged write through a fresh replica and compares the account's aggregates with a
# recount. With min_replicas 1 a lost acknowledged write fails the run; with 0 the losses
# (what asynchronous replication can lose) are counted and printed. RELIABILITY.md has the
# figures of the last run. The one-round mode (min_replicas 1) is part of `cargo test`.
#
#   reliability/failover.sh [ROUNDS]
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-20}
FOLLOWSCORE_FAILOVER_ROUNDS=$rounds cargo test --release --locked --test integration \
    -- --ignored --exact replicas::failover_rounds --nocapture 2>&1 |
    grep -E '^failover|test result|panicked|FAILED'
