#!/usr/bin/env bash
# The crash harness's long mode: ROUNDS rounds (default 1000) of mixed load on the real
# server binary, each ended by SIGKILL and checked after a restart on the same directory
# (tests/integration/crash_rounds.rs says what is checked). SEED replays a run.
#
# Usage: reliability/crash.sh [ROUNDS] [SEED]
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target}"
export FOLLOWSCORE_CRASH_ROUNDS="${1:-1000}"
if [ -n "${2:-}" ]; then export FOLLOWSCORE_CRASH_SEED="$2"; fi
cargo test --locked --release --test integration crash_rounds_lose_nothing \
    -- --nocapture --test-threads 1
