//! X v1.1 columns as CSV (the research data's shape): every row is a profile or an error with
//! its line; nothing panics. Detection runs on the same bytes.
#![no_main]
mod common;
mod import_common;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    import_common::run(data, followscore::import::InputFormat::TwitterCsv);
});
