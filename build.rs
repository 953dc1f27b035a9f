//! Compiles `proto/` with protox, a pure-Rust protobuf compiler, so a fresh machine needs no
//! system `protoc`. The encoded descriptor set is written beside the generated code: the
//! server publishes it through gRPC reflection and the CLI uses it for the proto3 JSON mapping.

use std::path::PathBuf;

use protox::prost::Message as _;

const PROTO_ROOT: &str = "proto";
const PROTO_FILES: &[&str] = &["proto/followscore/v1/followscore.proto"];

fn main() -> Result<(), Box<dyn std::error::Error>> {
    println!("cargo:rerun-if-changed={PROTO_ROOT}");
    let out_dir = PathBuf::from(std::env::var("OUT_DIR")?);

    let descriptors = protox::compile(PROTO_FILES, [PROTO_ROOT])?;
    std::fs::write(
        out_dir.join("followscore_descriptor.bin"),
        descriptors.encode_to_vec(),
    )?;

    tonic_prost_build::configure()
        .build_client(true)
        .build_server(true)
        // prost's messages, written through a plain buffer (`src/grpc/codec.rs`).
        .codec_path("crate::grpc::codec::WireCodec")
        .compile_fds(descriptors)?;
    Ok(())
}
