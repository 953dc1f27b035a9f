# followscore: multi-stage build, small runtime image, non-root user, data on a volume,
# keys and TLS material mounted read-only, health checked through gRPC health.
# Protos compile with a pure-Rust compiler in build.rs, so the builder needs no protoc.
#
# Bases are pinned to exact releases; pin them by digest too in your registry mirror
# (`FROM rust:1.95.0-slim-bookworm@sha256:…`) so a rebuild takes the same bytes.
# Without registry access, deploy/container/build-offline.sh builds an equivalent image
# from a locally built binary.

ARG RUST_IMAGE=rust:1.95.0-slim-bookworm
ARG RUNTIME_IMAGE=debian:bookworm-slim

FROM ${RUST_IMAGE} AS build
WORKDIR /src
# Dependencies first, so source edits do not rebuild them.
COPY Cargo.toml Cargo.lock build.rs ./
COPY proto ./proto
COPY models ./models
# Placeholders for every target Cargo.toml declares, so the manifest loads.
RUN mkdir -p src benches tests/integration && echo 'fn main() {}' > src/main.rs && touch src/lib.rs \
    && for f in benches/engine.rs benches/bot_model.rs tests/integration/main.rs; do echo 'fn main() {}' > "$f"; done \
    && cargo build --release --locked --bin followscore
COPY src ./src
COPY benches ./benches
COPY tests ./tests
RUN touch src/main.rs src/lib.rs && cargo build --release --locked --bin followscore

FROM ${RUNTIME_IMAGE} AS runtime
RUN useradd --system --uid 10001 --user-group --home-dir /nonexistent --no-create-home followscore \
    && mkdir -p /data /etc/followscore/keys /etc/followscore/tls \
    && chown 10001:10001 /data
COPY --from=build /src/target/release/followscore /usr/local/bin/followscore
USER 10001:10001
# The store; mount a volume here. Keys and TLS material are mounted read-only at
# /etc/followscore/keys and /etc/followscore/tls (see README, "Deploying securely").
VOLUME ["/data"]
ENV FOLLOWSCORE_DATA_DIR=/data \
    FOLLOWSCORE_LISTEN=0.0.0.0:50051 \
    FOLLOWSCORE_KEYS_FILE=/etc/followscore/keys/keys.toml \
    FOLLOWSCORE_LOG_FORMAT=json
EXPOSE 50051 9090
HEALTHCHECK --interval=10s --timeout=4s --start-period=30s --retries=3 \
    CMD ["/usr/local/bin/followscore", "health", "--addr", "127.0.0.1:50051"]
STOPSIGNAL SIGTERM
ENTRYPOINT ["/usr/local/bin/followscore"]
CMD ["serve"]
