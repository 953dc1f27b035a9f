//! The location parser: a location or country field, an ICP region entry, and the pair.
#![no_main]

use followscore::engine::reading::geo::{country_of, parse_area, region_contains};

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let (region, place) = text.split_once('\n').unwrap_or((&text, "Berlin"));
    if let Some(code) = country_of(place) {
        assert_eq!(code.len(), 2, "a country code is two letters");
        assert!(region_contains(code, code), "a country contains itself");
    }
    if let Some(area) = parse_area(region) {
        let _ = area.name();
    }
    let _ = region_contains(region, place);
});
