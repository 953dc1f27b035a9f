//! proto3 JSON account loading (`classify --account`): the JSON parsed as an Account,
//! converted and validated as UpsertAccount does, and compiled into a scoring context.
#![no_main]

use std::sync::LazyLock;

use followscore::cli::json::JsonCodec;

static CODEC: LazyLock<JsonCodec> = LazyLock::new(|| JsonCodec::new().expect("descriptors"));

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let Ok(json) = std::str::from_utf8(data) else {
        return;
    };
    let _ = followscore::cli::account_from_json(&CODEC, json);
});
