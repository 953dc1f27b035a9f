//! `followscore export`, the real binary: the example account's followers are classified
//! into a real server, exported through `--addr` while it runs and through `--data-dir`
//! once it is stopped, and every column of every row is read back with a CSV parser and
//! checked against what the server stored and the profiles that were sent.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use followscore::cli::json::JsonCodec;
use followscore::engine::deciding::tier;
use followscore::engine::vocabulary::{Action, Category, FitGrade, LeadTier, Platform};
use followscore::grpc::{convert, pb};
use followscore::import;

use crate::helpers::*;

const EXAMPLE_ACCOUNT: &str = "northwind-analytics";

/// The documented header (README, "Exporting to a CRM"), spelled out again on purpose: a
/// change of the column list must be a change of this test too.
const HEADER: [&str; 20] = [
    "platform",
    "follower_id",
    "name",
    "company",
    "title",
    "profile_url",
    "category",
    "lead_tier",
    "tier_label",
    "fit_grade",
    "engagement_level",
    "lead_score",
    "bot_probability",
    "actions",
    "reason_1",
    "reason_2",
    "reason_3",
    "scored_at",
    "win_probability",
    "fit_source",
];

fn example(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("examples")
        .join(name)
}

/// What an export row is checked against: the stored results (by ListFollowers) and the
/// profiles sent (by key).
struct Expected {
    profiles: HashMap<(i32, String), pb::FollowerProfile>,
}

type Key = (i32, String);

/// Upserts the example account and classifies the example LinkedIn and X files into it.
async fn load_examples(client: &mut Client) -> Expected {
    let codec = JsonCodec::new().unwrap();
    let json = std::fs::read_to_string(example("account.json")).unwrap();
    let account: pb::Account = codec.parse("followscore.v1.Account", &json).unwrap();
    upsert(client, account).await;

    let mut profiles = HashMap::new();
    let mut requests = Vec::new();
    for file in ["followers_linkedin.csv", "followers_twitter_v2.jsonl"] {
        let (_, rows) = import::open_followers(&example(file), None).unwrap();
        for profile in rows.filter_map(|row| row.outcome.ok()) {
            let wire = convert::wire_profile(&profile);
            profiles.insert((wire.platform, wire.follower_id.clone()), wire.clone());
            requests.push(pb::ClassifyFollowersRequest {
                account_id: EXAMPLE_ACCOUNT.into(),
                profile: Some(wire),
                correlation_id: String::new(),
            });
        }
    }
    let sent = requests.len();
    let mut stream = client
        .classify_followers(tokio_stream::iter(requests))
        .await
        .unwrap()
        .into_inner();
    let mut scored = 0;
    while let Some(message) = stream.message().await.unwrap() {
        match message.outcome.unwrap() {
            pb::classify_followers_response::Outcome::Result(_) => scored += 1,
            pb::classify_followers_response::Outcome::Error(e) => panic!("item error: {e:?}"),
        }
    }
    assert_eq!(scored, sent);
    assert!(
        sent > 400,
        "both example files were read ({sent} followers)"
    );
    Expected { profiles }
}

/// Every stored current follower matching the filter, in ListFollowers order.
async fn list_all(
    client: &mut Client,
    filter: &pb::ListFollowersRequest,
) -> Vec<pb::FollowerResult> {
    let mut all = Vec::new();
    let mut token = String::new();
    for _ in 0..100 {
        let page = client
            .list_followers(pb::ListFollowersRequest {
                account_id: EXAMPLE_ACCOUNT.into(),
                page_size: 1_000,
                page_token: token,
                ..filter.clone()
            })
            .await
            .unwrap()
            .into_inner();
        all.extend(page.results);
        token = page.next_page_token;
        if token.is_empty() {
            return all;
        }
    }
    panic!("ListFollowers did not end within 100 pages");
}

/// Runs the real `followscore export` with `args`; kills it after 60 s.
async fn run_export(args: Vec<String>) -> (bool, String, String) {
    run_followscore("export", args).await
}

/// Runs the real `followscore COMMAND` with `args`; kills it after 60 s.
async fn run_followscore(command: &str, args: Vec<String>) -> (bool, String, String) {
    let out_dir = tempfile::tempdir().unwrap();
    let (stdout_path, stderr_path) = (out_dir.path().join("out"), out_dir.path().join("err"));
    let mut child = Command::new(env!("CARGO_BIN_EXE_followscore"))
        .arg(command)
        .args(&args)
        .env("FOLLOWSCORE_LOG", "warn")
        .stdin(Stdio::null())
        .stdout(std::fs::File::create(&stdout_path).unwrap())
        .stderr(std::fs::File::create(&stderr_path).unwrap())
        .spawn()
        .expect("followscore runs");
    let deadline = tokio::time::Instant::now() + Duration::from_secs(60);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if tokio::time::Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("followscore {command} {args:?} ran for more than 60 s");
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    (
        status.success(),
        std::fs::read_to_string(stdout_path).unwrap(),
        std::fs::read_to_string(stderr_path).unwrap(),
    )
}

fn name_of<T: Copy>(all: &[T], text: fn(T) -> &'static str, value: &str, column: &str) -> T {
    all.iter()
        .copied()
        .find(|v| text(*v) == value)
        .unwrap_or_else(|| panic!("{column} {value:?} is not a documented value"))
}

/// Parses the CSV and checks every column of every row; returns the keys in file order.
fn check_csv(csv_text: &str, stored: &[pb::FollowerResult], expected: &Expected) -> Vec<Key> {
    let mut reader = csv::Reader::from_reader(csv_text.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_owned)
        .collect();
    assert_eq!(header, HEADER);
    let by_key: HashMap<Key, &pb::FollowerResult> = stored
        .iter()
        .map(|r| ((r.platform, r.follower_id.clone()), r))
        .collect();
    let mut keys = Vec::new();
    let mut previous_score = u32::MAX;
    for (line, record) in reader.records().enumerate() {
        let record = record.unwrap();
        assert_eq!(record.len(), HEADER.len(), "row {line}");
        let col = |name: &str| &record[HEADER.iter().position(|h| *h == name).unwrap()];
        let at = |name: &str| format!("row {line}, {name} {:?}", col(name));

        let platform = name_of(Platform::ALL, Platform::as_str, col("platform"), "platform");
        let id = col("follower_id").to_owned();
        assert!(!id.is_empty(), "{}", at("follower_id"));
        let wire_platform = platform.index() as i32 + 1;
        let key = (wire_platform, id.clone());
        let result = by_key
            .get(&key)
            .unwrap_or_else(|| panic!("{} is not stored", at("follower_id")));
        let profile = &expected.profiles[&key];

        // Profile fields: what was sent, as documented.
        let name = if profile.display_name.is_empty() {
            &profile.handle
        } else {
            &profile.display_name
        };
        assert!(!col("name").is_empty(), "{}", at("name"));
        assert_eq!(col("name"), name.trim(), "{}", at("name"));
        let company = if profile.company.is_empty() {
            &result.matched_company
        } else {
            &profile.company
        };
        assert_eq!(col("company"), company.trim(), "{}", at("company"));
        match platform {
            Platform::LinkedIn => {
                let title = if profile.title.is_empty() {
                    &profile.headline
                } else {
                    &profile.title
                };
                assert_eq!(col("title"), title.trim(), "{}", at("title"));
                assert_eq!(col("profile_url"), profile.url, "{}", at("profile_url"));
                assert!(
                    col("profile_url").starts_with("https://www.linkedin.com/"),
                    "{}",
                    at("profile_url")
                );
            }
            Platform::Twitter => {
                assert_eq!(col("title"), profile.title.trim(), "{}", at("title"));
                assert_eq!(
                    col("profile_url"),
                    format!("https://x.com/{}", profile.handle),
                    "{}",
                    at("profile_url")
                );
            }
            other => panic!("no example follower is on {other}"),
        }

        // Result fields: the stored result, in the documented vocabulary, consistent.
        let category = name_of(Category::ALL, Category::as_str, col("category"), "category");
        assert_eq!(
            category.index() as i32 + 1,
            result.category,
            "{}",
            at("category")
        );
        let tier_value = name_of(
            LeadTier::ALL,
            LeadTier::as_str,
            col("lead_tier"),
            "lead_tier",
        );
        assert_eq!(
            tier_value.index() as i32 + 1,
            result.lead_tier,
            "{}",
            at("lead_tier")
        );
        let grade = name_of(
            FitGrade::ALL,
            FitGrade::as_str,
            col("fit_grade"),
            "fit_grade",
        );
        let level: u8 = col("engagement_level").parse().unwrap();
        assert!((1..=4).contains(&level), "{}", at("engagement_level"));
        assert_eq!(
            col("tier_label"),
            format!("{}{level}", grade.as_str()),
            "{}",
            at("tier_label")
        );
        assert_eq!(col("tier_label"), result.tier_label, "{}", at("tier_label"));
        if category.is_lead() {
            assert_eq!(tier_value, tier::tier(grade, level), "{}", at("lead_tier"));
        } else {
            assert_eq!(tier_value, LeadTier::NotALead, "{}", at("lead_tier"));
        }
        let score: u32 = col("lead_score").parse().unwrap();
        assert!(
            score <= 100 && score == result.lead_score,
            "{}",
            at("lead_score")
        );
        assert!(
            score <= previous_score,
            "{}: rows are ordered by lead score",
            at("lead_score")
        );
        previous_score = score;
        let bot: f64 = col("bot_probability").parse().unwrap();
        assert!((0.0..=1.0).contains(&bot), "{}", at("bot_probability"));
        assert!(
            (bot - result.bot_probability).abs() <= 0.0005 + 1e-9,
            "{}",
            at("bot_probability")
        );
        assert!(
            col("bot_probability")
                .split('.')
                .nth(1)
                .is_some_and(|d| d.len() == 3),
            "{}",
            at("bot_probability")
        );
        let actions: Vec<i32> = col("actions")
            .split(';')
            .map(|a| name_of(Action::ALL, Action::as_str, a, "actions").index() as i32 + 1)
            .collect();
        assert_eq!(actions, result.actions, "{}", at("actions"));
        for (i, column) in ["reason_1", "reason_2", "reason_3"].into_iter().enumerate() {
            let stored = result.reasons.get(i).map_or("", |r| r.message.as_str());
            assert_eq!(col(column), stored, "{}", at(column));
        }
        assert!(!col("reason_1").is_empty(), "{}", at("reason_1"));
        let scored_at = chrono::DateTime::parse_from_rfc3339(col("scored_at")).unwrap();
        assert!(col("scored_at").ends_with('Z'), "{}", at("scored_at"));
        assert_eq!(
            scored_at.timestamp(),
            result.scored_at.unwrap().seconds,
            "{}",
            at("scored_at")
        );
        let win: f64 = col("win_probability").parse().unwrap();
        assert!(
            (win - result.win_probability).abs() < 0.000_05,
            "{}",
            at("win_probability")
        );
        let source = match pb::FitSource::try_from(result.fit_source).unwrap() {
            pb::FitSource::Blend => "blend",
            pb::FitSource::Learned => "learned",
            _ => "rules",
        };
        assert_eq!(col("fit_source"), source, "{}", at("fit_source"));
        keys.push(key);
    }
    keys
}

/// Export filters (the command's flags) and the same filter as a ListFollowers request.
fn filters() -> Vec<(Vec<&'static str>, pb::ListFollowersRequest, bool)> {
    let request = pb::ListFollowersRequest::default;
    vec![
        (vec![], request(), false),
        (vec!["--leads-only"], request(), true),
        (
            vec!["--category", "prospect"],
            pb::ListFollowersRequest {
                category: pb::Category::Prospect as i32,
                ..request()
            },
            false,
        ),
        (
            vec!["--tier", "nurture"],
            pb::ListFollowersRequest {
                lead_tier: pb::LeadTier::Nurture as i32,
                ..request()
            },
            false,
        ),
        (
            vec!["--platform", "TWITTER", "--action", "PRUNE"],
            pb::ListFollowersRequest {
                platform: pb::Platform::Twitter as i32,
                action: pb::Action::Prune as i32,
                ..request()
            },
            false,
        ),
    ]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn export_writes_every_documented_column_from_a_server_and_from_its_data_directory() {
    let mut app = spawn_app().await;
    let expected = load_examples(&mut app.client).await;
    let addr = format!("http://{}", app.addr);
    let out_dir = tempfile::tempdir().unwrap();

    // Through the running server, for each filter: rows = stored followers matching it.
    let mut by_filter = Vec::new();
    for (flags, request, leads_only) in filters() {
        let mut stored = list_all(&mut app.client, &request).await;
        if leads_only {
            stored.retain(|r| Category::ALL[r.category as usize - 1].is_lead());
        }
        assert!(
            !stored.is_empty(),
            "the examples have followers for {flags:?}"
        );
        let out = out_dir
            .path()
            .join(format!("export-{}.csv", by_filter.len()));
        let mut args: Vec<String> = ["--account", EXAMPLE_ACCOUNT, "--addr", &addr, "--out"]
            .map(str::to_owned)
            .into();
        args.push(out.display().to_string());
        args.extend(flags.iter().map(|f| f.to_string()));
        let (ok, _, stderr) = run_export(args).await;
        assert!(ok, "export {flags:?} failed: {stderr}");
        let csv_text = std::fs::read_to_string(&out).unwrap();
        let keys = check_csv(&csv_text, &stored, &expected);
        let listed: Vec<Key> = stored
            .iter()
            .map(|r| (r.platform, r.follower_id.clone()))
            .collect();
        assert_eq!(
            keys, listed,
            "{flags:?}: the rows are the stored followers, in listing order"
        );
        by_filter.push((flags, stored, csv_text));
    }
    let everyone = &by_filter[0].1;
    let leads = &by_filter[1].1;
    assert!(leads.len() < everyone.len());

    if sled_only("exporting from a data directory") {
        return;
    }
    // The data directory is refused while the server holds it.
    let data_dir = app.dir.path().display().to_string();
    let (ok, _, stderr) = run_export(
        ["--account", EXAMPLE_ACCOUNT, "--data-dir", &data_dir]
            .map(str::to_owned)
            .into(),
    )
    .await;
    assert!(
        !ok && stderr.contains("in use by a running server"),
        "{stderr}"
    );

    // Once it is stopped, the data directory gives the same files (to standard output).
    let dir = app.stop().await;
    let data_dir = dir.path().display().to_string();
    for (flags, stored, from_server) in &by_filter {
        let mut args: Vec<String> = ["--account", EXAMPLE_ACCOUNT, "--data-dir", &data_dir]
            .map(str::to_owned)
            .into();
        args.extend(flags.iter().map(|f| f.to_string()));
        let (ok, stdout, stderr) = run_export(args).await;
        assert!(ok, "export --data-dir {flags:?} failed: {stderr}");
        check_csv(&stdout, stored, &expected);
        assert_eq!(
            &stdout, from_server,
            "{flags:?}: both sources give the same file"
        );
        assert!(
            stderr.contains(&format!("exported {} followers", stored.len())),
            "{stderr}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn export_of_an_unknown_account_or_a_missing_directory_fails_with_a_clear_message() {
    let app = spawn_app().await;
    // A bare HOST:PORT, as grpcurl takes it, works as well as a URL.
    let addr = app.addr.to_string();
    let (ok, stdout, stderr) = run_export(
        ["--account", "nobody", "--addr", &addr]
            .map(str::to_owned)
            .into(),
    )
    .await;
    assert!(
        !ok && stderr.contains("account nobody not found"),
        "{stderr}"
    );
    assert!(stdout.lines().count() <= 1, "no rows: {stdout}");

    let empty = tempfile::tempdir().unwrap();
    let missing = empty.path().join("none").display().to_string();
    let (ok, _, stderr) = run_export(
        ["--account", "nobody", "--data-dir", &missing]
            .map(str::to_owned)
            .into(),
    )
    .await;
    assert!(
        !ok && stderr.contains("not a followscore data directory"),
        "{stderr}"
    );
    assert!(
        !empty.path().join("none").exists(),
        "no store is created where there was none"
    );

    let (ok, _, stderr) = run_export(
        [
            "--account",
            "nobody",
            "--addr",
            &addr,
            "--data-dir",
            &missing,
        ]
        .map(str::to_owned)
        .into(),
    )
    .await;
    assert!(!ok && stderr.contains("cannot be used with"), "{stderr}");
}

/// `followscore report` reads the stored report through the same two sources as `export`:
/// the page names the account and carries its figures, from the server and from its data
/// directory alike.
#[tokio::test]
async fn report_page_comes_from_a_server_and_from_its_data_directory() {
    let mut app = spawn_app().await;
    load_examples(&mut app.client).await;
    let report = report_of(&mut app.client, EXAMPLE_ACCOUNT).await;
    let out_dir = tempfile::tempdir().unwrap();
    let page = |name: &str| out_dir.path().join(name).display().to_string();
    let addr = format!("http://{}", app.addr);
    let (ok, _, stderr) = run_followscore(
        "report",
        [
            "--account",
            EXAMPLE_ACCOUNT,
            "--addr",
            &addr,
            "--out",
            &page("server.html"),
        ]
        .map(str::to_owned)
        .into(),
    )
    .await;
    assert!(ok, "report --addr failed: {stderr}");
    let from_server = std::fs::read_to_string(page("server.html")).unwrap();
    assert!(from_server.contains("Northwind Analytics"));
    assert!(
        from_server.contains(&format!("{}", report.total_followers)),
        "the page states the stored follower count {}",
        report.total_followers
    );
    assert!(from_server.contains("<svg"));
    if sled_only("a report from a data directory") {
        return;
    }

    let dir = app.stop().await;
    let data_dir = dir.path().display().to_string();
    let (ok, _, stderr) = run_followscore(
        "report",
        [
            "--account",
            EXAMPLE_ACCOUNT,
            "--data-dir",
            &data_dir,
            "--out",
            &page("dir.html"),
        ]
        .map(str::to_owned)
        .into(),
    )
    .await;
    assert!(ok, "report --data-dir failed: {stderr}");
    let from_dir = std::fs::read_to_string(page("dir.html")).unwrap();
    assert!(from_dir.contains("Northwind Analytics"));
    assert!(from_dir.contains("<svg"));

    // No source at all is a clear error, not a page.
    let (ok, _, stderr) = run_followscore(
        "report",
        ["--account", EXAMPLE_ACCOUNT, "--out", &page("none.html")]
            .map(str::to_owned)
            .into(),
    )
    .await;
    assert!(!ok && stderr.contains("--files"), "{stderr}");
}
