#!/usr/bin/env bash
# Builds the followscore image with podman without pulling any base image: the release
# binary and the shared libraries `ldd` lists for it go onto an empty root (FROM scratch),
# with a passwd entry for the non-root user and the mount points the Dockerfile has.
# For machines that reach no image registry; elsewhere, build the Dockerfile.
#
#   deploy/container/build-offline.sh            # builds localhost/followscore:offline
#   IMAGE=registry.example/followscore:1.0 deploy/container/build-offline.sh
set -euo pipefail

repo=$(cd "$(dirname "$0")/../.." && pwd)
image=${IMAGE:-localhost/followscore:offline}
target=${CARGO_TARGET_DIR:-$repo/target}
context=$(mktemp -d)
trap 'rm -rf "$context"' EXIT

(cd "$repo" && cargo build --release --locked --bin followscore)
binary="$target/release/followscore"
rootfs="$context/rootfs"
# /data comes apart from the root: COPY gives files root ownership unless told otherwise,
# and the store must belong to the non-root user.
mkdir -p "$context/data" "$rootfs/usr/local/bin" "$rootfs/tmp" \
    "$rootfs/etc/followscore/keys" "$rootfs/etc/followscore/tls"
install -m 0755 "$binary" "$rootfs/usr/local/bin/followscore"

# Every library the binary loads, at the path the loader looks for it, and the loader.
ldd "$binary" | awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }' | sort -u |
while read -r lib; do
    mkdir -p "$rootfs$(dirname "$lib")"
    cp -L "$lib" "$rootfs$lib"
    echo "library: $lib"
done

echo 'followscore:x:10001:10001:followscore:/nonexistent:/sbin/nologin' > "$rootfs/etc/passwd"
echo 'followscore:x:10001:' > "$rootfs/etc/group"
chmod 1777 "$rootfs/tmp"

cp "$repo/deploy/container/Containerfile.offline" "$context/Containerfile"
# Docker format keeps HEALTHCHECK (the OCI image format has no field for it).
podman build --pull=never --format docker -t "$image" -f "$context/Containerfile" "$context"
podman image inspect "$image" --format 'built {{.Id}} size {{.Size}} user {{.Config.User}}'
