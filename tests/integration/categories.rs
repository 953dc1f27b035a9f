//! The category evaluation as a regression guard: `followscore eval-categories` on the
//! hand-labelled set in `eval/` must keep the figures CLASSIFIER.md reports. A rule change
//! that costs accuracy fails here, with the misclassified rows in the output.

use std::process::Command;

/// The figures reached on the evaluation set (CLASSIFIER.md); the guard allows no drop.
const MIN_STRICT_ACCURACY: f64 = 0.955;
const MIN_MACRO_F1: f64 = 0.955;
const MIN_FOLLOWERS: u64 = 500;

#[test]
fn evaluation_set_keeps_its_accuracy() {
    let eval_dir = concat!(env!("CARGO_MANIFEST_DIR"), "/eval");
    let output = Command::new(env!("CARGO_BIN_EXE_followscore"))
        .args([
            "eval-categories",
            "--set",
            eval_dir,
            "--as-of",
            "2026-11-15T00:00:00Z",
        ])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "eval-categories failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let last = stdout.lines().last().unwrap_or_default();
    let figures: serde_json::Value = serde_json::from_str(last).unwrap();
    let figure = |name: &str| figures[name].as_f64().unwrap();
    assert!(
        figures["n"].as_u64().unwrap() >= MIN_FOLLOWERS,
        "the set shrank: {last}"
    );
    assert!(
        figure("strict_acc") >= MIN_STRICT_ACCURACY && figure("macro_f1") >= MIN_MACRO_F1,
        "category accuracy dropped: {last}\n{stdout}"
    );
}
