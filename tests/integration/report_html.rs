//! The HTML network report of the shipped example account, rendered by `followscore report`
//! and loaded in real headless Chromium (Debian's `chromium`, installed with apt-get when
//! missing). Chromium runs with the flags that keep it off the network; the page must load
//! without a single console message (its Content-Security-Policy turns any attempt to reach
//! outside into one), every section must be filled and every chart must have drawn marks,
//! and the screenshot must be a real PNG.
//!
//! `FOLLOWSCORE_UPDATE_SCREENSHOT=1 cargo test --test integration report_html` also copies
//! the screenshot to `docs/report.png`, the one the README shows.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

const CHROMIUM: &str = "/usr/bin/chromium";
/// Every Chromium run is killed after this long.
const CHROMIUM_SECONDS: &str = "60";
const SECTIONS: [&str; 7] = [
    "score",
    "figures",
    "composition",
    "tiers",
    "actions",
    "growth",
    "leads",
];
const CHARTS: [&str; 10] = [
    "score",
    "categories",
    "tiers",
    "sales",
    "follow-back",
    "prune",
    "growth-7",
    "growth-30",
    "growth-90",
    "lead-0",
];

/// Installs Debian's `chromium` when it is missing, once per test binary.
fn chromium() -> &'static Path {
    static INSTALLED: OnceLock<()> = OnceLock::new();
    INSTALLED.get_or_init(|| {
        if Path::new(CHROMIUM).exists() {
            return;
        }
        // Another build on the machine may hold the dpkg lock; wait for it, boundedly.
        let apt = |args: &[&str]| {
            let status = Command::new("apt-get")
                .args(["-o", "DPkg::Lock::Timeout=600", "-q"])
                .args(args)
                .env("DEBIAN_FRONTEND", "noninteractive")
                .status()
                .expect("apt-get runs");
            assert!(status.success(), "apt-get {args:?}");
        };
        apt(&["update"]);
        apt(&["install", "-y", "--no-install-recommends", "chromium"]);
    });
    assert!(Path::new(CHROMIUM).exists(), "chromium installed");
    Path::new(CHROMIUM)
}

/// Headless Chromium off the network, logging the page's console to standard error, with
/// its own profile directory; killed after `CHROMIUM_SECONDS`.
fn run_chromium(profile: &Path, page: &Path, extra: &[&str]) -> Output {
    let output = Command::new("timeout")
        .args(["--kill-after=5", CHROMIUM_SECONDS])
        .arg(chromium())
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--enable-logging=stderr",
            "--v=0",
            "--hide-scrollbars",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(extra)
        .arg(format!("file://{}", page.display()))
        .output()
        .expect("chromium runs");
    assert!(
        output.status.success(),
        "chromium failed or timed out: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

/// The page's console messages as Chromium logs them (`INFO:CONSOLE(line)] "…"`).
fn console_messages(output: &Output) -> Vec<String> {
    String::from_utf8_lossy(&output.stderr)
        .lines()
        .filter(|line| line.contains(":CONSOLE"))
        .map(str::to_owned)
        .collect()
}

fn render_example(dir: &Path) -> PathBuf {
    let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    let out = dir.join("report.html");
    let output = Command::new(env!("CARGO_BIN_EXE_followscore"))
        .arg("report")
        .arg("--account")
        .arg(examples.join("account.json"))
        .arg("--files")
        .args(
            [
                "followers_linkedin.csv",
                "followers_twitter_v2.jsonl",
                "followers_twitter_v11.jsonl",
                "followers_twitter.csv",
            ]
            .map(|f| examples.join(f)),
        )
        .arg("--out")
        .arg(&out)
        .output()
        .expect("followscore runs");
    assert!(
        output.status.success(),
        "followscore report: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    out
}

/// The body of each `<svg … data-chart="NAME" …>` up to its `</svg>`.
fn charts(dom: &str) -> Vec<(&str, &str)> {
    dom.split("data-chart=\"")
        .skip(1)
        .map(|rest| {
            let (name, body) = rest.split_once('"').unwrap();
            (name, &body[..body.find("</svg>").unwrap()])
        })
        .collect()
}

fn png_size(png: &[u8]) -> (u32, u32) {
    assert!(
        png.starts_with(b"\x89PNG\r\n\x1a\n") && &png[12..16] == b"IHDR",
        "not a PNG"
    );
    let be = |at: usize| u32::from_be_bytes(png[at..at + 4].try_into().unwrap());
    (be(16), be(20))
}

#[test]
fn example_report_renders_in_chromium_with_every_chart_drawn() {
    let dir = tempfile::tempdir().unwrap();
    let page = render_example(dir.path());

    // The page as Chromium built it, and everything its console said while loading.
    let loaded = run_chromium(&dir.path().join("profile-dom"), &page, &["--dump-dom"]);
    assert_eq!(
        console_messages(&loaded),
        Vec::<String>::new(),
        "the page loads without console messages"
    );
    let dom = String::from_utf8(loaded.stdout).unwrap();
    for section in SECTIONS {
        assert!(
            dom.contains(&format!("data-section=\"{section}\"")),
            "section {section} missing"
        );
    }
    assert!(dom.contains("Northwind Analytics"));
    assert!(dom.contains("Based on 1,048 followers — a sample of the 20,500"));
    assert!(!dom.contains("NaN"));
    for outside in ["src=\"", "href=\"", "url(", "@import", "<script", "<link"] {
        assert!(!dom.contains(outside), "{outside} would reach outside");
    }
    let charts = charts(&dom);
    for expected in CHARTS {
        assert!(
            charts.iter().any(|(name, _)| *name == expected),
            "chart {expected} missing"
        );
    }
    for (name, body) in &charts {
        let marks = body.matches("<rect class=\"mark").count();
        assert!(marks > 0, "chart {name} drew no marks");
    }
    let (_, categories) = charts.iter().find(|(n, _)| *n == "categories").unwrap();
    assert!(
        categories.matches("class=\"ci\"").count() >= 10,
        "a sample draws its confidence intervals"
    );
    let rows = dom.matches("<tr>").count();
    assert_eq!(rows, 1 + 10, "header and the ten top leads");

    // The screenshot the README shows.
    let shot = dir.path().join("report.png");
    run_chromium(
        &dir.path().join("profile-shot"),
        &page,
        &[
            &format!("--screenshot={}", shot.display()),
            "--window-size=1280,2400",
        ],
    );
    let png = std::fs::read(&shot).expect("chromium wrote the screenshot");
    assert_eq!(png_size(&png), (1280, 2400));
    // A blank page of that size compresses to a few kilobytes; charts and text do not.
    assert!(png.len() > 50_000, "the screenshot is nearly empty");
    if std::env::var_os("FOLLOWSCORE_UPDATE_SCREENSHOT").is_some() {
        let docs = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs");
        std::fs::create_dir_all(&docs).unwrap();
        std::fs::copy(&shot, docs.join("report.png")).unwrap();
    }
}

/// The console check above is only worth something if Chromium does report a page that
/// tries to reach outside: this one asks for an image on the internet.
#[test]
fn chromium_reports_a_page_that_reaches_outside() {
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("outside.html");
    let html = followscore::cli::report_html::render(
        "Outside",
        &example_free_report(),
        followscore::engine::time::Timestamp::from_unix_seconds(1_790_000_000),
    )
    .replace(
        "</main>",
        "<img alt=\"\" src=\"https://example.com/pixel.png\"></main>",
    );
    std::fs::write(&page, html).unwrap();
    let loaded = run_chromium(&dir.path().join("profile"), &page, &["--dump-dom"]);
    let messages = console_messages(&loaded);
    assert!(
        messages
            .iter()
            .any(|m| m.contains("Content Security Policy")),
        "the blocked request is a console message: {messages:?}"
    );
}

/// An empty report of a fresh account: enough for a page whose figures do not matter.
fn example_free_report() -> followscore::engine::counting::report::NetworkReport {
    use followscore::engine::counting::{aggregates, report};
    use followscore::engine::{account, ids};
    let config = account::AccountConfig::new(ids::AccountId::parse("outside").unwrap());
    report::build(
        &aggregates::AccountAggregates::default(),
        report::ReportInputs {
            config: &config,
            platform: None,
            now: followscore::engine::time::Timestamp::from_unix_seconds(1_790_000_000),
            top_leads: Vec::new(),
        },
    )
}
