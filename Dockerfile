# followscore: multi-stage build, small runtime image, non-root user, data on a volume.
# Protos compile with a pure-Rust compiler in build.rs, so the builder needs no protoc.

FROM rust:1.95-slim-bookworm AS build
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

FROM debian:bookworm-slim AS runtime
RUN useradd --system --uid 10001 --home-dir /var/lib/followscore --create-home followscore \
    && mkdir -p /data && chown followscore /data
COPY --from=build /src/target/release/followscore /usr/local/bin/followscore
USER followscore
VOLUME ["/data"]
ENV FOLLOWSCORE_DATA_DIR=/data \
    FOLLOWSCORE_LISTEN=0.0.0.0:50051
EXPOSE 50051
STOPSIGNAL SIGTERM
ENTRYPOINT ["/usr/local/bin/followscore"]
CMD ["serve"]
