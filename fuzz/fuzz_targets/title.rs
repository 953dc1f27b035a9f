//! The title parser (and the phrase signals read from the same text): any text, in any
//! language or script, gives a reading; nothing panics.
#![no_main]

use followscore::engine::reading::signals::detect_signals;
use followscore::engine::reading::title::parse_title;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let first = parse_title(&text);
    assert_eq!(
        first,
        parse_title(&text),
        "the same title read twice differs"
    );
    let _ = detect_signals(&text);
});
