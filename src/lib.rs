pub mod engine;

pub mod pb {
    tonic::include_proto!("followscore.v1");
}
