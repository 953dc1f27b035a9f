//! The real `followscore serve` process as an operator runs it: SIGTERM with a stream in
//! flight, SIGHUP reloading certificates, the configuration file, refusing to serve a
//! public address without keys, JSON logs with one span per RPC and no personal data in
//! them at any level, and the metrics endpoint.

use std::io::{BufRead as _, BufReader};
use std::net::SocketAddr;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use followscore::auth::Role;
use followscore::grpc::pb;
use tokio::sync::mpsc;
use tokio_stream::StreamExt as _;
use tokio_stream::wrappers::ReceiverStream;
use tonic::Code;

use crate::helpers::*;
use crate::security::write_keys;
use crate::tls::{Authority, server_files, tls_client};

/// The server binary, its standard error collected line by line.
struct Process {
    child: Child,
    log: Arc<Mutex<Vec<String>>>,
}

impl Process {
    fn start(args: &[&str], envs: &[(&str, &str)]) -> Self {
        let mut command = Command::new(env!("CARGO_BIN_EXE_followscore"));
        command
            .arg("serve")
            .args(args)
            .env_remove("FOLLOWSCORE_LOG")
            .env_remove("RUST_LOG")
            .stdout(Stdio::null())
            .stderr(Stdio::piped());
        for (key, value) in envs {
            command.env(key, value);
        }
        let mut child = command.spawn().expect("the server binary starts");
        let stderr = child.stderr.take().expect("stderr is piped");
        let log = Arc::new(Mutex::new(Vec::new()));
        let sink = log.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                sink.lock().unwrap().push(line);
            }
        });
        Self { child, log }
    }

    fn log(&self) -> Vec<String> {
        self.log.lock().unwrap().clone()
    }

    /// Waits for a log line containing `needle` and returns it.
    async fn wait_for_line(&self, needle: &str) -> String {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(60);
        loop {
            if let Some(line) = self.log().into_iter().find(|l| l.contains(needle)) {
                return line;
            }
            assert!(
                tokio::time::Instant::now() < deadline,
                "no log line with {needle:?}; log so far:\n{}",
                self.log().join("\n")
            );
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
    }

    /// The address logged in the first line holding `key=`, in text or JSON logs.
    async fn address(&self, key: &str) -> SocketAddr {
        let line = self.wait_for_line(key).await;
        let rest = line.split(key).nth(1).unwrap();
        rest.trim_start_matches(['=', '"', ':'])
            .split(|c: char| c.is_whitespace() || c == '"' || c == ',')
            .next()
            .unwrap()
            .parse()
            .unwrap_or_else(|_| panic!("an address in {line}"))
    }

    fn signal(&self, name: &str) {
        let status = Command::new("kill")
            .args([&format!("-{name}"), &self.child.id().to_string()])
            .status()
            .expect("kill runs");
        assert!(status.success());
    }

    /// Waits for the process to exit, at most a minute.
    async fn exit_code(&mut self) -> Option<i32> {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(60);
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status.code();
            }
            assert!(
                tokio::time::Instant::now() < deadline,
                "the server did not exit"
            );
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
    }
}

impl Drop for Process {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn arg(path: &Path) -> &str {
    path.to_str().unwrap()
}

fn classify_item(id: &str) -> pb::ClassifyFollowersRequest {
    pb::ClassifyFollowersRequest {
        account_id: ACCOUNT.into(),
        profile: Some(prospect(id)),
        correlation_id: id.into(),
    }
}

#[tokio::test]
async fn sigterm_drains_a_stream_in_flight_refuses_new_calls_flushes_and_exits_zero() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let mut server = Process::start(
        &[
            "--listen",
            "127.0.0.1:0",
            "--data-dir",
            arg(&data),
            "--shutdown-grace-secs",
            "30",
        ],
        &[],
    );
    let addr = server.address("addr=").await;
    let mut client = connect(addr).await;
    upsert(&mut client, account()).await;

    let (tx, rx) = mpsc::channel(16);
    let mut answers = client
        .classify_followers(ReceiverStream::new(rx))
        .await
        .unwrap()
        .into_inner();
    for i in 0..5 {
        tx.send(classify_item(&format!("before{i}"))).await.unwrap();
        answers.next().await.unwrap().unwrap();
    }

    server.signal("TERM");
    server.wait_for_line("shutting down").await;

    // New calls are refused, on the open connection and on a new one.
    let status = get_account(&mut client).await.unwrap_err();
    assert!(
        matches!(
            status.code(),
            Code::Unavailable | Code::Cancelled | Code::Unknown
        ),
        "{status:?}"
    );
    assert!(
        FollowScoreClientConnect::try_connect(addr).await.is_err(),
        "the listener is closed"
    );

    // The stream in flight goes on to its end.
    for i in 0..5 {
        tx.send(classify_item(&format!("after{i}"))).await.unwrap();
        let answer = answers.next().await.unwrap().unwrap();
        assert!(matches!(
            answer.outcome,
            Some(pb::classify_followers_response::Outcome::Result(_))
        ));
    }
    drop(tx);
    assert!(answers.next().await.is_none(), "the stream ends cleanly");

    assert_eq!(server.exit_code().await, Some(0));
    assert!(server.log().iter().any(|l| l.contains("store flushed")));

    // Every follower acknowledged is in the store.
    // The server above ran on the embedded store in `data`.
    let app = spawn_app_with(|c| {
        c.store = followscore::config::StoreKind::Sled;
        c.data_dir = data.clone();
    })
    .await;
    let mut client = app.client.clone();
    let found = client
        .get_follower(pb::GetFollowerRequest {
            account_id: ACCOUNT.into(),
            platform: pb::Platform::Linkedin as i32,
            follower_ids: (0..5)
                .flat_map(|i| [format!("before{i}"), format!("after{i}")])
                .collect(),
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(found.results.len(), 10, "{:?}", found.not_found_ids);
}

/// A plain connection attempt, without the retries `connect` makes.
struct FollowScoreClientConnect;

impl FollowScoreClientConnect {
    async fn try_connect(addr: SocketAddr) -> Result<Client, tonic::transport::Error> {
        Client::connect(format!("http://{addr}")).await
    }
}

#[tokio::test]
async fn sighup_reloads_the_tls_certificate() {
    let dir = tempfile::tempdir().unwrap();
    let old_ca = Authority::new("old CA");
    let paths = server_files(dir.path(), &old_ca, None);
    let keys = write_keys(
        &dir.path().join("keys.toml"),
        &[("ops", Role::Admin, &["*"])],
    );
    let mut server = Process::start(
        &[
            "--listen",
            "127.0.0.1:0",
            "--data-dir",
            arg(&dir.path().join("data")),
            "--tls-cert",
            arg(&paths.cert),
            "--tls-key",
            arg(&paths.key),
            "--keys-file",
            arg(&dir.path().join("keys.toml")),
        ],
        &[],
    );
    let addr = server.address("addr=").await;
    let mut client = tls_client(addr, &old_ca, None)
        .await
        .expect("old certificate");
    let status = client
        .get_account(with_key(
            pb::GetAccountRequest {
                account_id: ACCOUNT.into(),
            },
            &keys[0],
        ))
        .await
        .unwrap_err();
    assert_eq!(status.code(), Code::NotFound);

    // A new certificate from a new CA, written over the old files, then SIGHUP.
    let new_ca = Authority::new("new CA");
    server_files(dir.path(), &new_ca, None);
    assert!(
        tls_client(addr, &new_ca, None).await.is_err(),
        "not before SIGHUP"
    );
    server.signal("HUP");
    server.wait_for_line("TLS certificates reloaded").await;
    let mut client = tls_client(addr, &new_ca, None)
        .await
        .expect("new certificate");
    let status = client
        .get_account(with_key(
            pb::GetAccountRequest {
                account_id: ACCOUNT.into(),
            },
            &keys[0],
        ))
        .await
        .unwrap_err();
    assert_eq!(status.code(), Code::NotFound);

    server.signal("TERM");
    assert_eq!(server.exit_code().await, Some(0));
}

#[tokio::test]
async fn a_public_address_without_keys_is_refused_unless_allowed_and_logged() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let mut refused = Process::start(&["--listen", "0.0.0.0:0", "--data-dir", arg(&data)], &[]);
    assert_ne!(refused.exit_code().await, Some(0));
    let log = refused.log().join("\n");
    assert!(
        log.contains("listen: refusing to serve 0.0.0.0:0 without API keys"),
        "{log}"
    );

    let mut allowed = Process::start(
        &["--listen", "0.0.0.0:0", "--data-dir", arg(&data)],
        &[("FOLLOWSCORE_ALLOW_UNAUTHENTICATED", "true")],
    );
    allowed
        .wait_for_line("serving WITHOUT API keys on a non-loopback address")
        .await;
    allowed.signal("TERM");
    assert_eq!(allowed.exit_code().await, Some(0));
}

#[tokio::test]
async fn the_configuration_file_is_merged_under_environment_and_flags() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("followscore.toml");
    let from_file = dir.path().join("from-file");
    let from_env = dir.path().join("from-env");
    let from_flag = dir.path().join("from-flag");

    // An unknown key is named, with its line.
    std::fs::write(&file, "listen = \"127.0.0.1:0\"\ndata_directory = \"x\"\n").unwrap();
    let mut bad = Process::start(&["--config", arg(&file)], &[]);
    assert_ne!(bad.exit_code().await, Some(0));
    let log = bad.log().join("\n");
    assert!(
        log.contains("line 2") && log.contains("data_directory"),
        "{log}"
    );

    std::fs::write(
        &file,
        format!(
            "listen = \"127.0.0.1:0\"\ndata_dir = \"{}\"\nlog_format = \"json\"\n\n[limits]\nmax_page_size = 50\ndefault_page_size = 20\n",
            from_file.display()
        ),
    )
    .unwrap();
    let data_dir_of = |server: &Process| {
        server
            .log()
            .into_iter()
            .find(|l| l.contains("data_dir"))
            .unwrap_or_default()
    };
    let mut server = Process::start(&["--config", arg(&file)], &[]);
    server.wait_for_line("data_dir").await;
    assert!(data_dir_of(&server).contains("from-file"));
    assert!(
        serde_json::from_str::<serde_json::Value>(&data_dir_of(&server)).is_ok(),
        "log_format from the file"
    );
    server.signal("TERM");
    assert_eq!(server.exit_code().await, Some(0));

    let env = [("FOLLOWSCORE_DATA_DIR", from_env.to_str().unwrap())];
    let mut server = Process::start(&["--config", arg(&file)], &env);
    server.wait_for_line("data_dir").await;
    assert!(
        data_dir_of(&server).contains("from-env"),
        "environment beats file"
    );
    server.signal("TERM");
    assert_eq!(server.exit_code().await, Some(0));

    let mut server = Process::start(
        &["--config", arg(&file), "--data-dir", arg(&from_flag)],
        &env,
    );
    server.wait_for_line("data_dir").await;
    assert!(
        data_dir_of(&server).contains("from-flag"),
        "flag beats environment"
    );
    server.signal("TERM");
    assert_eq!(server.exit_code().await, Some(0));
}

/// Personal data sent in a full run, which must appear in no log line at any level.
const SECRETS: &[&str] = &[
    "Philippa Featherstonehaugh",
    "philfeather_x9",
    "Chief Widget Whisperer",
    "Collector of antique barometers",
    "Quixotic Gadgetry Ltd",
];

fn personal(id: &str) -> pb::FollowerProfile {
    pb::FollowerProfile {
        display_name: SECRETS[0].into(),
        handle: SECRETS[1].into(),
        headline: format!("{} at {}", SECRETS[2], SECRETS[4]),
        title: SECRETS[2].into(),
        bio: SECRETS[3].into(),
        company: SECRETS[4].into(),
        ..prospect(id)
    }
}

/// The binary logging JSON at `level` on a data directory in `dir`, with an admin key
/// (returned) and the example account, and a client.
async fn json_logging_server(dir: &Path, level: &str) -> (Process, String, Client) {
    let keys_file = dir.join("keys.toml");
    let keys = write_keys(&keys_file, &[("ops", Role::Admin, &["*"])]);
    let key = keys[0].clone();
    let server = Process::start(
        &[
            "--listen",
            "127.0.0.1:0",
            "--admin-listen",
            "127.0.0.1:0",
            "--data-dir",
            arg(&dir.join("data")),
            "--keys-file",
            arg(&keys_file),
            "--log-format",
            "json",
        ],
        &[("FOLLOWSCORE_LOG", level)],
    );
    let addr = server.address("\"addr\"").await;
    let mut client = connect(addr).await;
    client
        .upsert_account(with_key(
            pb::UpsertAccountRequest {
                account: Some(account()),
            },
            &key,
        ))
        .await
        .unwrap();
    (server, key, client)
}

/// The "rpc finished" events of a JSON log.
fn rpc_finished(log: &[String]) -> Vec<serde_json::Value> {
    log.iter()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter(|v| v["fields"]["message"] == "rpc finished")
        .collect()
}

#[tokio::test]
async fn logs_are_json_with_one_span_per_rpc_and_hold_no_personal_data_or_keys() {
    let dir = tempfile::tempdir().unwrap();
    let (mut server, key, mut client) = json_logging_server(dir.path(), "trace").await;
    client
        .score_follower(with_key(
            pb::ScoreFollowerRequest {
                account_id: ACCOUNT.into(),
                profile: Some(personal("pii-1")),
                events: vec![],
            },
            &key,
        ))
        .await
        .unwrap();
    let stream = tokio_stream::iter((2..6).map(|i| pb::ClassifyFollowersRequest {
        account_id: ACCOUNT.into(),
        profile: Some(personal(&format!("pii-{i}"))),
        correlation_id: String::new(),
    }));
    let mut answers = client
        .classify_followers(with_key(stream, &key))
        .await
        .unwrap()
        .into_inner();
    while let Some(answer) = answers.next().await {
        answer.unwrap();
    }
    let csv = format!(
        "First Name,Last Name,URL,Email Address,Company,Position,Connected On\nPhilippa,Featherstonehaugh,https://www.linkedin.com/in/pf,,{},{},01 Nov 2026\n",
        SECRETS[4], SECRETS[2]
    );
    let import = vec![
        pb::ImportFollowersRequest {
            part: Some(pb::import_followers_request::Part::Start(pb::ImportStart {
                account_id: ACCOUNT.into(),
                format: pb::ImportFormat::LinkedinCsv as i32,
            })),
        },
        pb::ImportFollowersRequest {
            part: Some(pb::import_followers_request::Part::Data(csv.into_bytes())),
        },
    ];
    client
        .import_followers(with_key(tokio_stream::iter(import), &key))
        .await
        .unwrap();
    client
        .list_followers(with_key(
            pb::ListFollowersRequest {
                account_id: ACCOUNT.into(),
                include_profiles: true,
                ..Default::default()
            },
            &key,
        ))
        .await
        .unwrap();
    // A refused key and a bad request leave their traces too.
    let status = client
        .get_account(with_key(
            pb::GetAccountRequest {
                account_id: ACCOUNT.into(),
            },
            "fsk_not-a-real-key-Featherstonehaugh",
        ))
        .await
        .unwrap_err();
    assert_eq!(status.code(), Code::Unauthenticated);
    let mut bad = personal("pii-bad");
    bad.bio = format!("{} {}", SECRETS[3], "x".repeat(9_000));
    client
        .score_follower(with_key(
            pb::ScoreFollowerRequest {
                account_id: ACCOUNT.into(),
                profile: Some(bad),
                events: vec![],
            },
            &key,
        ))
        .await
        .unwrap_err();
    server.signal("TERM");
    assert_eq!(server.exit_code().await, Some(0));

    let log = server.log();
    assert!(
        log.len() > 20,
        "trace logging produced lines: {}",
        log.len()
    );
    for line in &log {
        for secret in SECRETS
            .iter()
            .copied()
            .chain([key.as_str(), "Featherstonehaugh"])
        {
            assert!(
                !line.contains(secret),
                "personal data or a key in the log: {line}"
            );
        }
    }
    // One span per RPC, with its method, status and duration.
    let finished = rpc_finished(&log);
    let of = |rpc: &str| {
        finished
            .iter()
            .find(|v| v["span"]["rpc"] == rpc)
            .unwrap_or_else(|| panic!("no finished span for {rpc}"))
            .clone()
    };
    let scored = of("ScoreFollower");
    assert_eq!(scored["fields"]["code"], "OK");
    assert!(scored["fields"]["duration_ms"].as_f64().is_some());
    assert_eq!(of("ClassifyFollowers")["fields"]["code"], "OK");
    assert_eq!(of("GetAccount")["fields"]["code"], "UNAUTHENTICATED");
}

/// At info, the default, the log holds the calls a person must look at: a successful call
/// is counted by the metrics, not written as a line.
#[tokio::test]
async fn at_info_only_calls_that_did_not_succeed_are_logged() {
    let dir = tempfile::tempdir().unwrap();
    let (mut server, key, mut client) = json_logging_server(dir.path(), "info").await;
    for i in 0..3 {
        client
            .score_follower(with_key(
                pb::ScoreFollowerRequest {
                    account_id: ACCOUNT.into(),
                    profile: Some(personal(&format!("ok-{i}"))),
                    events: vec![],
                },
                &key,
            ))
            .await
            .unwrap();
    }
    let mut bad = personal("bad");
    bad.bio = "x".repeat(9_000);
    let status = client
        .score_follower(with_key(
            pb::ScoreFollowerRequest {
                account_id: ACCOUNT.into(),
                profile: Some(bad),
                events: vec![],
            },
            &key,
        ))
        .await
        .unwrap_err();
    assert_eq!(status.code(), Code::InvalidArgument);
    server.signal("TERM");
    assert_eq!(server.exit_code().await, Some(0));

    let finished = rpc_finished(&server.log());
    let codes: Vec<(&str, &str)> = finished
        .iter()
        .map(|v| {
            (
                v["span"]["rpc"].as_str().unwrap_or("?"),
                v["fields"]["code"].as_str().unwrap_or("?"),
            )
        })
        .collect();
    assert_eq!(codes, [("ScoreFollower", "INVALID_ARGUMENT")]);
}

#[tokio::test]
async fn metrics_are_scraped_from_the_admin_listener_without_ids_or_keys() {
    let dir = tempfile::tempdir().unwrap();
    let keys_file = dir.path().join("keys.toml");
    let keys = write_keys(&keys_file, &[("ops", Role::Admin, &["*"])]);
    let app = spawn_app_with(|c| {
        c.admin_listen = Some(([127, 0, 0, 1], 0).into());
        c.keys_file = Some(keys_file);
    })
    .await;
    let admin = app.admin.expect("the admin listener is on");
    let mut client = app.client.clone();
    client
        .upsert_account(with_key(
            pb::UpsertAccountRequest {
                account: Some(account()),
            },
            &keys[0],
        ))
        .await
        .unwrap();
    for id in ["maria-keller", "lead-2"] {
        client
            .score_follower(with_key(
                pb::ScoreFollowerRequest {
                    account_id: ACCOUNT.into(),
                    profile: Some(prospect(id)),
                    events: vec![],
                },
                &keys[0],
            ))
            .await
            .unwrap();
    }
    client
        .score_follower(with_key(
            pb::ScoreFollowerRequest {
                account_id: ACCOUNT.into(),
                profile: Some(bot("b1")),
                events: vec![],
            },
            &keys[0],
        ))
        .await
        .unwrap();
    let _ = get_account(&mut client).await.unwrap_err();

    let (status, text) = http_get(admin, "/metrics").await;
    assert!(status.contains("200"), "{status}");
    let value = |series: &str| metric(&text, series).unwrap_or_else(|| panic!("{series}:\n{text}"));
    assert_eq!(
        value(r#"followscore_requests_total{rpc="ScoreFollower",code="OK"}"#),
        3.0
    );
    assert_eq!(
        value(r#"followscore_auth_failures_total{reason="missing"}"#),
        1.0
    );
    assert_eq!(
        value(r#"followscore_request_duration_seconds_count{rpc="ScoreFollower"}"#),
        3.0
    );
    assert_eq!(value(r#"followscore_followers{category="PROSPECT"}"#), 2.0);
    assert_eq!(value("followscore_stored_followers"), 3.0);
    assert_eq!(value("followscore_rescoring_backlog"), 0.0);
    assert!(value("followscore_store_size_bytes") > 0.0);
    for private in [ACCOUNT, "maria-keller", "lead-2", keys[0].as_str(), "ops"] {
        assert!(
            !text.contains(&format!("\"{private}\"")),
            "{private} appears as a label value"
        );
    }
    let (status, _) = http_get(admin, "/other").await;
    assert!(status.contains("404"), "{status}");
}
