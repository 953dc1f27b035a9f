//! Durability: a write acknowledged to a client survives `kill -9` of the real server
//! process, and after a restart the maintained aggregates equal a full recount.

use std::collections::HashMap;
use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use followscore::grpc::pb;
use tokio_stream::StreamExt as _;

use crate::helpers::*;

/// The `followscore serve` binary on a free loopback port.
pub(crate) struct ServerProcess {
    child: Child,
    pub(crate) addr: SocketAddr,
    /// Everything the server has logged so far, for failure messages.
    pub(crate) log: Arc<Mutex<Vec<String>>>,
}

impl ServerProcess {
    pub(crate) fn start(data_dir: &std::path::Path) -> Self {
        match Self::try_start(data_dir) {
            Ok(server) => server,
            Err(log) => panic!("the server did not start on {}:\n{log}", data_dir.display()),
        }
    }

    /// Starts the server; its log if it exits or never says where it listens.
    pub(crate) fn try_start(data_dir: &std::path::Path) -> Result<Self, String> {
        let data_dir = data_dir.display().to_string();
        Self::try_start_with(&["--data-dir", &data_dir])
    }

    /// The server on the backend under test (`helpers.rs`): the data directory `dir`, or,
    /// against a Redis Cluster, a namespace named after `dir` (so a restart finds its data).
    pub(crate) fn start_on(dir: &std::path::Path) -> Self {
        Self::try_start_on(dir)
            .unwrap_or_else(|log| panic!("the server did not start on {}:\n{log}", dir.display()))
    }

    pub(crate) fn try_start_on(dir: &std::path::Path) -> Result<Self, String> {
        match redis_nodes() {
            Some(nodes) => {
                use std::hash::{Hash, Hasher};
                let mut hasher = std::collections::hash_map::DefaultHasher::new();
                dir.hash(&mut hasher);
                let namespace = format!("crash-{}-{:x}", std::process::id(), hasher.finish());
                Self::try_start_with(&[
                    "--store",
                    "redis-cluster",
                    "--redis-nodes",
                    &nodes.join(","),
                    "--redis-namespace",
                    &namespace,
                ])
            }
            None => Self::try_start(dir),
        }
    }

    /// The server with these flags (its store's, say) beside a free loopback port.
    pub(crate) fn start_with(flags: &[&str]) -> Self {
        Self::try_start_with(flags)
            .unwrap_or_else(|log| panic!("the server did not start with {flags:?}:\n{log}"))
    }

    fn try_start_with(flags: &[&str]) -> Result<Self, String> {
        // `FOLLOWSCORE_BIN` runs another build of the server (the long crash run uses a
        // copy, so rebuilding meanwhile does not swap the binary under it).
        let binary = std::env::var_os("FOLLOWSCORE_BIN")
            .unwrap_or_else(|| env!("CARGO_BIN_EXE_followscore").into());
        let mut child = Command::new(binary)
            .args(["serve", "--listen", "127.0.0.1:0"])
            .args(flags)
            .env("FOLLOWSCORE_LOG", "info")
            .stderr(Stdio::piped())
            .stdout(Stdio::null())
            .spawn()
            .expect("server binary starts");
        let stderr = child.stderr.take().expect("stderr is piped");
        let log: Arc<Mutex<Vec<String>>> = Arc::default();
        let (tx, rx) = std::sync::mpsc::channel();
        let lines = log.clone();
        std::thread::spawn(move || {
            // Keep draining the log so the server never blocks on a full pipe.
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if let Some(rest) = line.split("addr=").nth(1) {
                    let addr = rest
                        .split_whitespace()
                        .next()
                        .unwrap_or_default()
                        .to_owned();
                    let _ = tx.send(addr);
                }
                lines.lock().unwrap().push(line);
            }
        });
        let addr = match rx.recv_timeout(Duration::from_secs(60)) {
            Ok(addr) => addr.parse().expect("a socket address"),
            Err(_) => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(log.lock().unwrap().join("\n"));
            }
        };
        Ok(Self { child, addr, log })
    }

    /// SIGKILL: no shutdown path runs.
    pub(crate) fn kill_9(mut self) {
        self.child.kill().expect("kill -9");
        self.child.wait().expect("reaped");
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn profile(i: usize) -> pb::FollowerProfile {
    let mut p = match i % 4 {
        0 => bot(&format!("b{i}")),
        1 => prospect(&format!("p{i}")),
        2 => competitor(&format!("k{i}")),
        _ => pb::FollowerProfile {
            headline: "Student at TU München | open to work".into(),
            ..follower(&format!("s{i}"))
        },
    };
    p.followed_at = Some(days_ago((i % 120) as i64));
    p
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn acknowledged_writes_survive_kill_9_and_aggregates_equal_a_recount() {
    let dir = tempfile::tempdir().unwrap();
    let server = ServerProcess::start_on(dir.path());
    let mut client = connect(server.addr).await;
    upsert(&mut client, account()).await;

    // Stream far more followers than will be written before the kill.
    let acked: Arc<Mutex<Vec<(i32, String)>>> = Arc::default();
    let writer = {
        let acked = acked.clone();
        let mut client = client.clone();
        tokio::spawn(async move {
            let requests = (0..400_000).map(|i| pb::ClassifyFollowersRequest {
                account_id: ACCOUNT.into(),
                profile: Some(profile(i)),
                correlation_id: String::new(),
            });
            let Ok(response) = client
                .classify_followers(tokio_stream::iter(requests))
                .await
            else {
                return;
            };
            let mut responses = response.into_inner();
            while let Some(Ok(message)) = responses.next().await {
                if let Some(pb::classify_followers_response::Outcome::Result(r)) = message.outcome {
                    acked.lock().unwrap().push((r.platform, r.follower_id));
                }
            }
        })
    };
    let deadline = tokio::time::Instant::now() + Duration::from_secs(120);
    while acked.lock().unwrap().len() < 5_000 {
        assert!(
            tokio::time::Instant::now() < deadline,
            "stream made no progress"
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    server.kill_9();
    let _ = writer.await;
    let acked = acked.lock().unwrap().clone();
    assert!(acked.len() < 400_000, "the kill must land mid-stream");

    let server = ServerProcess::start_on(dir.path());
    let mut client = connect(server.addr).await;

    // Every acknowledged follower is there.
    let lost = not_stored(&mut client, acked.iter().cloned()).await;
    assert!(
        lost.is_empty(),
        "{} lost after kill -9, among them {:?}",
        lost.len(),
        &lost[..5.min(lost.len())]
    );

    // The aggregates equal a recount of the stored followers.
    let mut categories: HashMap<i32, u64> = HashMap::new();
    let mut tiers: HashMap<i32, u64> = HashMap::new();
    let mut new_in_30_days = 0u64;
    let month_ago = days_ago(29).seconds / 86_400 * 86_400;
    let mut token = String::new();
    let mut total = 0u64;
    loop {
        let page = client
            .list_followers(pb::ListFollowersRequest {
                account_id: ACCOUNT.into(),
                page_size: 1_000,
                page_token: token,
                ..Default::default()
            })
            .await
            .unwrap()
            .into_inner();
        for r in &page.results {
            total += 1;
            *categories.entry(r.category).or_default() += 1;
            *tiers.entry(r.lead_tier).or_default() += 1;
            if r.followed_at
                .as_ref()
                .is_some_and(|t| t.seconds >= month_ago)
            {
                new_in_30_days += 1;
            }
        }
        if page.next_page_token.is_empty() {
            break;
        }
        token = page.next_page_token;
    }
    assert!(total >= acked.len() as u64, "{total} < {}", acked.len());
    let report = report(&mut client).await;
    assert_eq!(report.total_followers, total);
    for c in &report.categories {
        let share = c.share.unwrap();
        assert_eq!(
            share.count,
            categories.get(&c.category).copied().unwrap_or(0),
            "category {}",
            c.category
        );
    }
    for t in &report.tiers {
        assert_eq!(
            t.share.unwrap().count,
            tiers.get(&t.lead_tier).copied().unwrap_or(0),
            "tier {}",
            t.lead_tier
        );
    }
    let month = report.growth.iter().find(|g| g.window_days == 30).unwrap();
    assert_eq!(month.new_followers, new_in_30_days);
    assert_eq!(report.stale_results, 0);
}
