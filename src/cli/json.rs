//! The proto3 JSON mapping of the API's messages, for files the CLI reads and writes
//! (`ACCOUNT.json` in, results out). Driven by the same descriptor set the server publishes
//! through reflection, so the JSON is exactly what grpcurl and other gRPC tools print.

use prost::Message;
use prost_reflect::{DescriptorPool, DynamicMessage, SerializeOptions};

use crate::grpc::DESCRIPTOR_SET;

#[derive(Debug, thiserror::Error)]
pub enum JsonError {
    #[error("the embedded descriptor set is unreadable")]
    Descriptors(#[source] prost_reflect::DescriptorError),
    #[error("message type {0} is not in the API")]
    UnknownMessage(String),
    #[error("not a valid {message} in proto3 JSON")]
    Parse {
        message: String,
        #[source]
        source: serde_json::Error,
    },
    #[error("could not convert {0}")]
    Convert(String, #[source] prost::DecodeError),
}

/// Converts between wire messages and their proto3 JSON form.
pub struct JsonCodec {
    pool: DescriptorPool,
}

impl JsonCodec {
    pub fn new() -> Result<Self, JsonError> {
        Ok(Self {
            pool: DescriptorPool::decode(DESCRIPTOR_SET).map_err(JsonError::Descriptors)?,
        })
    }

    fn descriptor(&self, name: &str) -> Result<prost_reflect::MessageDescriptor, JsonError> {
        self.pool
            .get_message_by_name(name)
            .ok_or_else(|| JsonError::UnknownMessage(name.to_owned()))
    }

    /// Parses `json` as the message `name` (e.g. `followscore.v1.Account`).
    pub fn parse<M: Message + Default>(&self, name: &str, json: &str) -> Result<M, JsonError> {
        let descriptor = self.descriptor(name)?;
        let mut deserializer = serde_json::Deserializer::from_str(json);
        let dynamic =
            DynamicMessage::deserialize(descriptor, &mut deserializer).map_err(|source| {
                JsonError::Parse {
                    message: name.to_owned(),
                    source,
                }
            })?;
        M::decode(dynamic.encode_to_vec().as_slice())
            .map_err(|e| JsonError::Convert(name.to_owned(), e))
    }

    /// Writes `message` (of type `name`) as one line of proto3 JSON.
    pub fn to_line<M: Message>(&self, name: &str, message: &M) -> Result<String, JsonError> {
        let descriptor = self.descriptor(name)?;
        let dynamic = DynamicMessage::decode(descriptor, message.encode_to_vec().as_slice())
            .map_err(|e| JsonError::Convert(name.to_owned(), e))?;
        let mut out = Vec::with_capacity(1024);
        let mut serializer = serde_json::Serializer::new(&mut out);
        dynamic
            .serialize_with_options(&mut serializer, &SerializeOptions::new())
            .map_err(|source| JsonError::Parse {
                message: name.to_owned(),
                source,
            })?;
        Ok(String::from_utf8_lossy(&out).into_owned())
    }
}
