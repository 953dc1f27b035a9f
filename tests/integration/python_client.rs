//! The Python CRM-sync client (`clients/python/`) against the real server: the test makes
//! a virtual environment under its temporary directory, pip-installs the package (which
//! pulls grpcio and grpcio-tools from PyPI and generates the stubs from `proto/` while it
//! builds), runs `python -m followscore_client sync` on the shipped examples and reads what
//! it printed; then checks through Rust calls that the followers are stored.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use followscore::grpc::pb;

use crate::helpers::*;

const REPO: &str = env!("CARGO_MANIFEST_DIR");
const EXAMPLE_ACCOUNT: &str = "northwind-analytics";

fn run(command: &mut Command) -> Output {
    let output = command.output().expect("command starts");
    assert!(
        output.status.success(),
        "{command:?} failed\n--- stdout\n{}\n--- stderr\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

/// Copies the package's sources (not build leftovers), so that building it writes nothing
/// into the repository.
fn copy_sources(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if name == "build"
            || name == "_generated"
            || name == "__pycache__"
            || name.ends_with(".egg-info")
        {
            continue;
        }
        let target = to.join(&*name);
        if entry.file_type().unwrap().is_dir() {
            copy_sources(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// A virtual environment with the client installed; returns its python.
fn install_client(dir: &Path) -> PathBuf {
    let sources = dir.join("client");
    copy_sources(&Path::new(REPO).join("clients/python"), &sources);
    let venv = dir.join("venv");
    run(Command::new("python3").args(["-m", "venv"]).arg(&venv));
    let python = venv.join("bin/python");
    run(Command::new(&python)
        .args([
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
        ])
        .arg(&sources)
        .env("FOLLOWSCORE_PROTO_DIR", Path::new(REPO).join("proto")));
    python
}

fn sync(python: &Path, addr: &str) -> String {
    let output = run(Command::new(python)
        .current_dir(REPO)
        .args(["-m", "followscore_client", "sync", "--addr", addr])
        .args(["--account", "examples/account.json"])
        .args([
            "examples/followers_linkedin.csv",
            "examples/followers_twitter_v2.jsonl",
        ]));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("followers_linkedin.csv: 100% sent"),
        "progress: {stderr}"
    );
    String::from_utf8(output.stdout).unwrap()
}

/// Makes a few of the best-fitting prospects engaged (a demo request), so that they become
/// HOT or WARM leads.
async fn engage_best_prospects(client: &mut Client) -> usize {
    let page = client
        .list_followers(pb::ListFollowersRequest {
            account_id: EXAMPLE_ACCOUNT.into(),
            lead_tier: pb::LeadTier::Nurture as i32,
            page_size: 5,
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner();
    let mut hot_or_warm = 0;
    for (i, lead) in page.results.iter().enumerate() {
        let event = |kind: pb::EngagementType, n: usize| pb::EngagementEvent {
            event_id: format!("test-{i}-{n}"),
            r#type: kind as i32,
            occurred_at: Some(days_ago(1)),
        };
        let result = client
            .record_engagement(pb::RecordEngagementRequest {
                account_id: EXAMPLE_ACCOUNT.into(),
                platform: lead.platform,
                follower_id: lead.follower_id.clone(),
                events: vec![
                    event(pb::EngagementType::DemoRequest, 0),
                    event(pb::EngagementType::WebinarAttended, 1),
                ],
            })
            .await
            .unwrap()
            .into_inner()
            .result
            .unwrap();
        let tier = result.lead_tier;
        if tier == pb::LeadTier::Hot as i32 || tier == pb::LeadTier::Warm as i32 {
            hot_or_warm += 1;
        }
    }
    hot_or_warm
}

#[tokio::test]
async fn the_python_client_syncs_the_examples_and_prints_leads_and_the_report() {
    let mut app = spawn_app().await;
    let work = tempfile::tempdir().unwrap();
    let dir = work.path().to_owned();
    let python = tokio::task::spawn_blocking(move || install_client(&dir))
        .await
        .unwrap();
    let addr = app.addr.to_string();

    let (py, at) = (python.clone(), addr.clone());
    let first = tokio::task::spawn_blocking(move || sync(&py, &at))
        .await
        .unwrap();
    for expected in [
        "account northwind-analytics (Northwind Analytics) upserted",
        "examples/followers_linkedin.csv: read as LINKEDIN_CSV: 300 rows read, 298 scored, 2 skipped",
        "  line 98: skipped: Profile URL: ",
        "  line 315: skipped: Profile URL: ",
        "examples/followers_twitter_v2.jsonl: read as TWITTER_JSON: 250 rows read, 250 scored, 0 skipped",
        "HOT leads: ",
        "WARM leads: ",
        "Network quality report: northwind-analytics",
        "audience quality score: ",
        "quality ratio 0.",
    ] {
        assert!(
            first.contains(expected),
            "missing {expected:?} in:\n{first}"
        );
    }

    // Stored, as the server sees it.
    let report = report_of(&mut app.client, EXAMPLE_ACCOUNT).await;
    assert_eq!(report.total_followers, 548);
    let stored = app
        .client
        .get_follower(pb::GetFollowerRequest {
            account_id: EXAMPLE_ACCOUNT.into(),
            platform: pb::Platform::Twitter as i32,
            follower_ids: vec!["594291880221300211".into()],
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(stored.results.len(), 1, "{stored:?}");

    // Engaged prospects are printed as HOT or WARM leads, with why and what next; syncing
    // the same files again stores nothing twice.
    assert!(engage_best_prospects(&mut app.client).await > 0);
    let second = tokio::task::spawn_blocking(move || sync(&python, &addr))
        .await
        .unwrap();
    let lead_lines: Vec<&str> = second
        .lines()
        .filter(|l| l.starts_with("  HOT ") || l.starts_with("  WARM "))
        .collect();
    assert!(!lead_lines.is_empty(), "no HOT or WARM lead in:\n{second}");
    assert!(second.contains("      why: "), "{second}");
    assert!(second.contains("      next: "), "{second}");
    assert!(second.contains("followers: 548 "), "{second}");
}
