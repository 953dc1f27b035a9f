//! One importer over arbitrary bytes: rows in order, line numbers that never go back,
//! at most a bounded number scored.
use std::io::Cursor;

use followscore::import::{InputFormat, detect_reader, read_followers};

use crate::common::score_and_check;

pub fn run(data: &[u8], format: InputFormat) {
    let mut last_line = 0;
    for (i, row) in read_followers(Cursor::new(data), format).enumerate() {
        assert!(row.line >= last_line, "line numbers go back");
        last_line = row.line;
        if let Ok(profile) = &row.outcome
            && i < 8
        {
            score_and_check(profile);
        }
    }
    // Detection must give back every byte it read.
    if let Ok((detected, mut reader)) = detect_reader(Cursor::new(data)) {
        let mut all = Vec::new();
        std::io::Read::read_to_end(&mut reader, &mut all).expect("a cursor reads");
        assert_eq!(all, data, "detection lost bytes");
        for _ in read_followers(Cursor::new(data), detected).take(64) {}
    }
}
