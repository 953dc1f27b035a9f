#!/usr/bin/env bash
# Streams N followers (default 1,000,000) through one ClassifyFollowers stream into a
# release server pinned to core 0 with one worker, the load client on core 1, and reports
# the rate and the server's peak memory (VmHWM) and store size. Loopback only; the server is
# stopped by PID at the end. Usage: [CACHE_MB=256] benches/stream.sh [followers]
set -euo pipefail
cd "$(dirname "$0")/.."
followers="${1:-1000000}"
port=50091
data="$(mktemp -d)"
cargo build --release --bins >/dev/null
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)  nproc: $(nproc)"
taskset -c 0 ./target/release/followscore serve --listen "127.0.0.1:$port" --data-dir "$data" \
    --worker-threads 1 --cache-mb "${CACHE_MB:-256}" 2>"$data.log" &
server=$!
trap 'kill "$server" 2>/dev/null || true; rm -rf "$data" "$data.log"' EXIT
for _ in $(seq 1 100); do grep -q "serving" "$data.log" && break; sleep 0.1; done
taskset -c 1 ./target/release/followscore-load --addr "http://127.0.0.1:$port" --followers "$followers"
echo "server peak RSS: $(grep VmHWM /proc/$server/status | awk '{print $2, $3}')"
echo "server CPU seconds: $(awk '{print ($14+$15)/100}' /proc/$server/stat)"
echo "store on disk: $(du -sb "$data" | cut -f1) bytes"
