#!/usr/bin/env bash
# Power loss, shown with a syscall trace: runs the real server under strace while a client
# makes acknowledged writes of every kind, one at a time on one connection, then checks
# that every acknowledgement written to the socket comes after a completed fsync/fdatasync
# of the files the write changed, issued after the data was written (check_sync_order.py).
#
# SIGKILL leaves the page cache intact, so the crash harness cannot see a missing sync;
# device-mapper (dm-flakey, dm-log-writes) would, but needs a kernel driver this machine's
# kind does not offer. See RELIABILITY.md.
#
# Usage: reliability/power-loss.sh   (installs strace with apt-get if it is missing)
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target}"

if ! command -v strace >/dev/null; then
    apt-get update -qq && apt-get install -y -qq strace >/dev/null
fi

cargo build --locked --bin followscore
cargo test --locked --test integration --no-run
work="$(mktemp -d)"
stop_server() {
    # strace does not pass signals on: stop the traced server itself.
    pkill -TERM -P "$tracer" 2>/dev/null || true
    wait "$tracer" 2>/dev/null || true
}
trap 'stop_server; [ -n "${KEEP_TRACE:-}" ] && echo "trace kept in $work" || rm -rf "$work"' EXIT

# -f: every thread; -yy: file descriptors as paths and socket addresses; the writes that
# carry data (pwrite*) and answers (write*, send*), the syncs, and the socket reads that
# carry requests.
strace -f -yy -s 0 -o "$work/trace" \
    -e trace=fsync,fdatasync,sync_file_range,write,pwrite64,pwritev,pwritev2,writev,sendto,sendmsg,read,recvfrom,recvmsg \
    "$CARGO_TARGET_DIR/debug/followscore" serve --listen 127.0.0.1:0 --data-dir "$work/data" \
    2>"$work/log" &
tracer=$!
for _ in $(seq 1 600); do
    addr="$(grep -o 'addr=[0-9.:]*' "$work/log" | head -1 | cut -d= -f2 || true)"
    [ -n "$addr" ] && break
    sleep 0.1
done
[ -n "$addr" ] || { cat "$work/log"; echo "the server did not start" >&2; exit 1; }

FOLLOWSCORE_DRIVE_ADDR="$addr" cargo test --locked --test integration power_loss_driver \
    -- --ignored --nocapture 2>&1 | grep -E "acknowledged writes|test result"
stop_server
python3 reliability/check_sync_order.py "$work/trace" "$work/data"
