#!/usr/bin/env bash
# The soak: steady mixed load on the real release server for MINUTES (default 30), its
# resident memory sampled from /proc every few seconds and every call timed; fails on any
# error other than load shedding, on an upward trend of memory (the median RSS of the last
# third of the run more than 10% above the middle third's and by more than the 64 MiB the
# store's page cache may still be filling; the first third is warm-up), or
# on a stored population other than the one written. The load (followscore-bench soak, see
# src/bin/followscore-bench/soak.rs): a population of followers streamed in, then
# ClassifyFollowers streams rewriting it with varied profiles, ScoreFollower,
# RecordEngagement, SetOverride/ClearOverride, GetFollower, ListFollowers pages,
# GetNetworkQuality, and forget/re-add churn, all bounded in time, all on loopback.
#
# Usage: reliability/soak.sh [MINUTES] [POPULATION]   (CI: reliability/soak.sh 2)
# Environment: SOAK_RATE (unary calls per second, default 300); SOAK_ARGS, more arguments
# for `followscore-bench soak` (for example `--only get,list --no-streams`, to tell which
# call a memory trend comes with); SOAK_BIN_DIR, a folder holding release builds of
# followscore and followscore-bench to run instead of building them (so a long soak does
# not relink binaries another run is using).
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target}"
minutes="${1:-30}"
population="${2:-50000}"
rate="${SOAK_RATE:-300}"

say() { printf '[soak] %s\n' "$*" >&2; }
fail() { printf '[soak] FAILED: %s\n' "$*" >&2; exit 1; }

if [[ -n ${SOAK_BIN_DIR:-} ]]; then
    bin="$SOAK_BIN_DIR"
    say "using the binaries in $bin"
else
    say "building the release binaries"
    cargo build --release --locked --bin followscore --bin followscore-bench >&2
    bin="$CARGO_TARGET_DIR/release"
fi

tmp=$(mktemp -d -t followscore-soak.XXXXXX)
server=""
cleanup() {
    if [[ -n $server ]] && kill -0 "$server" 2>/dev/null; then
        kill -TERM "$server" 2>/dev/null || true
        for _ in $(seq 1 100); do kill -0 "$server" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$server" 2>/dev/null || true
        wait "$server" 2>/dev/null || true
    fi
    if [[ -n ${KEEP_SOAK:-} ]]; then say "kept $tmp"; else rm -rf "$tmp"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

FOLLOWSCORE_LOG=info "$bin/followscore" serve --listen 127.0.0.1:0 --data-dir "$tmp/data" \
    2>"$tmp/server.log" &
server=$!
port=""
for _ in $(seq 1 300); do
    port=$(grep -o 'addr=127\.0\.0\.1:[0-9]*' "$tmp/server.log" | head -1 | cut -d: -f2 || true)
    [[ -n $port ]] && break
    kill -0 "$server" 2>/dev/null || fail "the server did not start: $(cat "$tmp/server.log")"
    sleep 0.1
done
[[ -n $port ]] || fail "the server did not report its address"
addr="http://127.0.0.1:$port"
say "server PID $server on $addr; $minutes min of steady load on $population followers"

client() { timeout --kill-after=10 $((minutes * 60 + 900)) "$bin/followscore-bench" "$@"; }
client setup --addr "$addr" --account soak >/dev/null
stride=$(($(cat examples/followers_*.csv examples/followers_*.jsonl | wc -l) / 4 + 1))
status=0
client soak --addr "$addr" --account soak --followers "$population" --tag s --stride "$stride" \
    --server-pid "$server" --seconds $((minutes * 60)) --rate "$rate" ${SOAK_ARGS:-} >"$tmp/soak.json" || status=$?
cat "$tmp/soak.json"
kill -0 "$server" 2>/dev/null || fail "the server died: $(tail -20 "$tmp/server.log")"
# Warnings and errors in the server's log (internal errors are logged with their cause),
# but for the one at start that says this loopback server has no API keys.
log_problems() { grep -E '^[^ ]+ +(WARN|ERROR) ' "$tmp/server.log" | grep -v 'serving WITHOUT API keys' || true; }
problems=$(log_problems | wc -l)
if [[ $problems -gt 0 ]]; then
    log_problems | head -20 >&2
    fail "$problems warnings or errors in the server's log"
fi
[[ $status == 0 ]] || fail "the soak's checks (above)"
say "passed"
