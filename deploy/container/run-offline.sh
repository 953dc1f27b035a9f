#!/usr/bin/env bash
# Runs the image built by build-offline.sh as an operator would: a key made with
# `followscore keys add`, the keys file mounted read-only, the data on a named volume, the
# gRPC port published on loopback only. Checks the container's gRPC health check, one
# authenticated call and one refused without a key, then stops it with SIGTERM and
# requires exit code 0.
#
# Sandboxes differ in what a container runtime may do; PODMAN_FLAGS (global options) and
# PODMAN_RUN_FLAGS (for `podman run`) adapt it, for example where crun cannot set up
# hybrid cgroups and the hard limits are low:
#   PODMAN_FLAGS="--runtime runc" \
#   PODMAN_RUN_FLAGS="--ulimit nofile=4096:4096 --ulimit nproc=1024:1024" \
#   deploy/container/run-offline.sh
set -euo pipefail

pm() {
    # shellcheck disable=SC2086 # the flags are words on purpose
    podman ${PODMAN_FLAGS:-} "$@"
}

repo=$(cd "$(dirname "$0")/../.." && pwd)
image=${IMAGE:-localhost/followscore:offline}
target=${CARGO_TARGET_DIR:-$repo/target}
port=${PORT:-50551}
name=followscore-offline-check
secrets=$(mktemp -d)
remove_container() {
    pm rm -f "$name" >/dev/null 2>&1 || true
    pm volume rm -f followscore-offline-data >/dev/null 2>&1 || true
}
trap 'remove_container; rm -rf "$secrets"' EXIT
remove_container

key=$("$target/release/followscore" keys add --name ops --role admin --accounts '*' \
    --keys-file "$secrets/keys.toml")
# The non-root user in the container must read the mount, as a Secret volume allows.
chmod 0755 "$secrets"
chmod 0444 "$secrets/keys.toml"

pm run -d --name "$name" ${PODMAN_RUN_FLAGS:-} \
    -p "127.0.0.1:$port:50051" \
    -v followscore-offline-data:/data \
    -v "$secrets:/etc/followscore/keys:ro" \
    "$image"

for _ in $(seq 1 60); do
    if pm healthcheck run "$name" >/dev/null 2>&1; then break; fi
    sleep 1
done
pm healthcheck run "$name"
echo "container health check: SERVING"

"$target/release/followscore" health --addr "127.0.0.1:$port"
answer=$(env -u FOLLOWSCORE_API_KEY "$target/release/followscore" export --account nobody \
    --addr "http://127.0.0.1:$port" 2>&1 || true)
case "$answer" in
    *"API key"*) echo "a call without a key is refused: $answer" ;;
    *) echo "unexpected answer without a key: $answer"; exit 1 ;;
esac
answer=$(FOLLOWSCORE_API_KEY="$key" "$target/release/followscore" export --account nobody \
    --addr "http://127.0.0.1:$port" 2>&1 || true)
case "$answer" in
    *"not found"*) echo "a call with the key gets through: $answer" ;;
    *) echo "unexpected answer with the key: $answer"; exit 1 ;;
esac

pm stop --time 20 "$name" >/dev/null
code=$(pm inspect "$name" --format '{{.State.ExitCode}}')
pm logs "$name" 2>&1 | tail -n 5
echo "exit code after SIGTERM: $code"
test "$code" = 0
