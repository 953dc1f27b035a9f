//! `spawn_app()`: the real server on a free loopback port with its own temporary data
//! directory, and a client connected to it. Each test owns its server, so tests run in
//! parallel. Also builders for realistic accounts and followers.
//!
//! The suite runs against sled by default. With `FOLLOWSCORE_TEST_REDIS_NODES` set to a
//! Redis Cluster's nodes (`.ci/run` starts one with `tests/redis-cluster.sh`), every server
//! the suite starts uses that cluster instead, each in a namespace of its own; tests of
//! what only the embedded store has (its data directory, its files) say so with
//! `sled_only` and are skipped there.

use std::net::SocketAddr;
use std::time::Duration;

use followscore::app::App;
use followscore::config::{Config, RedisSettings, StoreKind};
use followscore::grpc::pb;
use followscore::grpc::pb::follow_score_client::FollowScoreClient;
use tokio::sync::oneshot;
use tonic::transport::Channel;

pub type Client = FollowScoreClient<Channel>;

pub struct TestApp {
    pub addr: SocketAddr,
    /// The admin listener (`/metrics`), when the configuration turns it on.
    pub admin: Option<SocketAddr>,
    /// The plaintext health-only listener, when the configuration turns it on.
    pub health: Option<SocketAddr>,
    /// A plaintext client without a key (a lazy one that never connects for a TLS server).
    pub client: Client,
    pub dir: tempfile::TempDir,
    /// Where the server keeps its data (a restart keeps it).
    pub store: StoreKind,
    shutdown: Option<oneshot::Sender<()>>,
    server: Option<tokio::task::JoinHandle<anyhow::Result<()>>>,
}

pub async fn spawn_app() -> TestApp {
    spawn_app_with(|_| {}).await
}

pub async fn spawn_app_with(adjust: impl FnOnce(&mut Config)) -> TestApp {
    let dir = tempfile::tempdir().expect("temporary directory");
    let mut config = test_config(dir.path(), &unique_namespace());
    adjust(&mut config);
    start(config, dir).await
}

/// The Redis Cluster the suite runs against, if any.
pub fn redis_nodes() -> Option<Vec<String>> {
    let nodes = std::env::var("FOLLOWSCORE_TEST_REDIS_NODES").ok()?;
    let nodes: Vec<String> = nodes
        .split(',')
        .map(|n| n.trim().to_owned())
        .filter(|n| !n.is_empty())
        .collect();
    (!nodes.is_empty()).then_some(nodes)
}

/// True (and says so) when the suite runs against a Redis Cluster: the calling test checks
/// something only the embedded store has, and returns early.
pub fn sled_only(what: &str) -> bool {
    let redis = redis_nodes().is_some();
    if redis {
        eprintln!("skipped against a Redis Cluster: {what} is the embedded store's");
    }
    redis
}

/// A key namespace no other server of the run uses.
pub fn unique_namespace() -> String {
    use std::sync::atomic::{AtomicU64, Ordering};
    static NEXT: AtomicU64 = AtomicU64::new(0);
    format!(
        "t{}-{}-{}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos() % 1_000_000_000),
        NEXT.fetch_add(1, Ordering::Relaxed)
    )
}

/// The test configuration of the backend under test; `namespace` names the server's data
/// in a Redis Cluster (a restarted server keeps it).
pub fn test_config(dir: &std::path::Path, namespace: &str) -> Config {
    let mut config = Config::for_tests(dir);
    if let Some(nodes) = redis_nodes() {
        config.store = StoreKind::RedisCluster(RedisSettings {
            nodes,
            namespace: namespace.to_owned(),
            min_replicas: 0,
        });
    }
    config
}

/// Sends the servers' warnings and errors (`FOLLOWSCORE_TEST_LOG` to choose others) where
/// the test harness captures output, so a failing test prints what its servers logged: an
/// INTERNAL answer's whole cause chain is only in the log.
fn capture_server_logs() {
    static INIT: std::sync::Once = std::sync::Once::new();
    INIT.call_once(|| {
        let filter = tracing_subscriber::EnvFilter::try_from_env("FOLLOWSCORE_TEST_LOG")
            .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn"));
        // Another subscriber already installed keeps its place.
        let _ = tracing_subscriber::fmt()
            .with_env_filter(filter)
            .with_test_writer()
            .with_ansi(false)
            .try_init();
    });
}

async fn start(config: Config, dir: tempfile::TempDir) -> TestApp {
    capture_server_logs();
    let tls = config.tls.is_some();
    let store = config.store.clone();
    let app = App::build(config).await.expect("server builds");
    let addr = app.local_addr();
    let admin = app.admin_addr();
    let health = app.health_addr();
    let (tx, rx) = oneshot::channel::<()>();
    let server = tokio::spawn(app.run_until(async {
        let _ = rx.await;
    }));
    let client = if tls {
        FollowScoreClient::new(
            Channel::from_shared(format!("http://{addr}"))
                .expect("an endpoint")
                .connect_lazy(),
        )
    } else {
        connect(addr).await
    };
    TestApp {
        addr,
        admin,
        health,
        client,
        dir,
        store,
        shutdown: Some(tx),
        server: Some(server),
    }
}

pub async fn connect(addr: SocketAddr) -> Client {
    let endpoint = format!("http://{addr}");
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    loop {
        match FollowScoreClient::connect(endpoint.clone()).await {
            Ok(client) => return client.max_decoding_message_size(64 * 1024 * 1024),
            Err(error) if tokio::time::Instant::now() < deadline => {
                let _ = error;
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
            Err(error) => panic!("cannot connect to {endpoint}: {error}"),
        }
    }
}

impl TestApp {
    /// Shuts the server down gracefully and waits for it.
    pub async fn stop(mut self) -> tempfile::TempDir {
        self.stop_in_place().await;
        self.dir
    }

    async fn stop_in_place(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(server) = self.server.take() {
            server
                .await
                .expect("server task")
                .expect("server stops cleanly");
        }
    }

    /// Stops the server and opens its store, for audits. The server's background threads
    /// let go of a data directory's lock a moment after it stops, so the open is retried
    /// for up to ten seconds.
    pub async fn stop_and_open_store(self) -> (tempfile::TempDir, followscore::store::Store) {
        let store = self.store.clone();
        let dir = self.stop().await;
        if let StoreKind::RedisCluster(redis) = store {
            let options = followscore::store::RedisOptions {
                nodes: redis.nodes,
                namespace: redis.namespace,
                ..Default::default()
            };
            let opened = tokio::task::spawn_blocking(move || {
                followscore::store::Store::open_redis(&options)
            })
            .await
            .expect("opening the store");
            return (dir, opened.expect("the cluster answers"));
        }
        for _ in 0..200 {
            match followscore::store::open_at(dir.path()) {
                Err(followscore::store::StoreError::Locked(..)) => {
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
                opened => return (dir, opened.expect("the data directory opens")),
            }
        }
        panic!("the stopped server still holds its data directory");
    }

    /// Stops the server and starts a new one on the same data directory.
    pub async fn restart(mut self) -> TestApp {
        self.stop_in_place().await;
        let mut config = Config::for_tests(self.dir.path());
        config.store = self.store.clone();
        let dir = std::mem::replace(
            &mut self.dir,
            tempfile::tempdir().expect("temporary directory"),
        );
        start(config, dir).await
    }
}

/// `message` with the metadata `authorization: Bearer <key>`.
pub fn with_key<T>(message: T, key: &str) -> tonic::Request<T> {
    let mut request = tonic::Request::new(message);
    request.metadata_mut().insert(
        "authorization",
        format!("Bearer {key}").parse().expect("a metadata value"),
    );
    request
}

/// `GET path` on the admin listener, over plain HTTP/1.1; the status line and the body.
pub async fn http_get(addr: SocketAddr, path: &str) -> (String, String) {
    use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
    let mut stream = tokio::net::TcpStream::connect(addr)
        .await
        .expect("admin listener accepts");
    let request = format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n");
    stream
        .write_all(request.as_bytes())
        .await
        .expect("request sent");
    let mut response = String::new();
    tokio::time::timeout(
        Duration::from_secs(30),
        stream.read_to_string(&mut response),
    )
    .await
    .expect("the admin listener answers in time")
    .expect("a UTF-8 answer");
    let (head, body) = response.split_once("\r\n\r\n").unwrap_or((&response, ""));
    let status = head.lines().next().unwrap_or_default().to_owned();
    (status, body.to_owned())
}

/// One sample's value in a Prometheus text exposition, by its exact name and labels.
pub fn metric(text: &str, series: &str) -> Option<f64> {
    text.lines()
        .find_map(|line| line.strip_prefix(series)?.strip_prefix(' '))
        .and_then(|value| value.trim().parse().ok())
}

pub const ACCOUNT: &str = "northwind";

/// A B2B analytics vendor with customers, a competitor, vendors, target accounts and an ICP.
pub fn account() -> pb::Account {
    let set = |names: &[&str], domains: &[&str]| {
        Some(pb::CompanySet {
            names: names.iter().map(|s| s.to_string()).collect(),
            domains: domains.iter().map(|s| s.to_string()).collect(),
        })
    };
    pb::Account {
        account_id: ACCOUNT.into(),
        display_name: "Northwind Analytics".into(),
        own_company: set(
            &["Northwind Analytics", "Northwind"],
            &["northwind-analytics.com"],
        ),
        customers: set(
            &["Contoso Retail Group", "Fabrikam Inc."],
            &["contoso-retail.com"],
        ),
        partners: set(&["Adatum Consulting"], &[]),
        vendors: set(&["PixelForge Agency"], &[]),
        competitors: set(&["Datawise Labs"], &["datawise.io"]),
        target_accounts: set(
            &["Tailspin Toys", "Wingtip Manufacturing GmbH"],
            &["tailspin.com"],
        ),
        analyst_firms: set(&["Gartner", "Forrester"], &[]),
        icp: Some(pb::IdealCustomerProfile {
            industries: vec![
                "Retail".into(),
                "Manufacturing".into(),
                "Financial Services".into(),
            ],
            min_company_size: Some(200),
            max_company_size: Some(20_000),
            regions: vec!["North America".into(), "DACH".into(), "UK".into()],
            departments: vec![
                pb::Department::It as i32,
                pb::Department::Engineering as i32,
                pb::Department::Finance as i32,
            ],
            min_seniority: pb::Seniority::Director as i32,
            title_keywords: vec!["data".into(), "analytics".into()],
        }),
        influencer_handles: vec!["@analyst_anna".into()],
        ..Default::default()
    }
}

/// A bare profile with an id on LinkedIn.
pub fn follower(id: &str) -> pb::FollowerProfile {
    pb::FollowerProfile {
        platform: pb::Platform::Linkedin as i32,
        follower_id: id.into(),
        ..Default::default()
    }
}

/// A decision maker at a target account.
pub fn prospect(id: &str) -> pb::FollowerProfile {
    pb::FollowerProfile {
        display_name: "Maria Keller".into(),
        headline: "VP Data & Analytics at Tailspin Toys".into(),
        company: "Tailspin Toys".into(),
        industry: "Retail".into(),
        company_size: Some(4_000),
        location: "Chicago, Illinois, United States".into(),
        connections_count: Some(500),
        has_photo: Some(true),
        followed_at: Some(days_ago(3)),
        ..follower(id)
    }
}

/// An obviously bought follower on X.
pub fn bot(id: &str) -> pb::FollowerProfile {
    pb::FollowerProfile {
        platform: pb::Platform::Twitter as i32,
        follower_id: id.into(),
        handle: format!("jessica{id}83921"),
        followers_count: Some(2),
        following_count: Some(1_850),
        posts_count: Some(0),
        likes_count: Some(0),
        listed_count: Some(0),
        default_profile: Some(true),
        default_profile_image: Some(true),
        created_at: Some(days_ago(40)),
        followed_at: Some(days_ago(2)),
        ..Default::default()
    }
}

/// An employee of a competitor.
pub fn competitor(id: &str) -> pb::FollowerProfile {
    pb::FollowerProfile {
        headline: "Senior Account Executive @ Datawise Labs".into(),
        company: "Datawise Labs".into(),
        has_photo: Some(true),
        followed_at: Some(days_ago(10)),
        ..follower(id)
    }
}

pub fn days_ago(days: i64) -> prost_types::Timestamp {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("clock after 1970")
        .as_secs() as i64;
    prost_types::Timestamp {
        seconds: now - days * 86_400,
        nanos: 0,
    }
}

pub async fn upsert(client: &mut Client, account: pb::Account) -> pb::Account {
    client
        .upsert_account(pb::UpsertAccountRequest {
            account: Some(account),
        })
        .await
        .expect("upsert account")
        .into_inner()
        .account
        .expect("account in response")
}

pub async fn get_account(client: &mut Client) -> Result<pb::Account, tonic::Status> {
    client
        .get_account(pb::GetAccountRequest {
            account_id: ACCOUNT.into(),
        })
        .await
        .map(tonic::Response::into_inner)
}

pub async fn score(client: &mut Client, profile: pb::FollowerProfile) -> pb::FollowerResult {
    client
        .score_follower(pb::ScoreFollowerRequest {
            account_id: ACCOUNT.into(),
            profile: Some(profile),
            events: vec![],
        })
        .await
        .expect("score follower")
        .into_inner()
        .result
        .expect("result in response")
}

/// The followers of `followers` (platform, id) that [`ACCOUNT`] does not hold, each asked
/// for on its own platform, in GetFollower calls of 500.
pub async fn not_stored(
    client: &mut Client,
    followers: impl IntoIterator<Item = (i32, String)>,
) -> Vec<String> {
    let mut by_platform: std::collections::BTreeMap<i32, Vec<String>> = Default::default();
    for (platform, id) in followers {
        by_platform.entry(platform).or_default().push(id);
    }
    let mut missing = Vec::new();
    for (platform, ids) in by_platform {
        for chunk in ids.chunks(500) {
            let found = client
                .get_follower(pb::GetFollowerRequest {
                    account_id: ACCOUNT.into(),
                    platform,
                    follower_ids: chunk.to_vec(),
                })
                .await
                .unwrap()
                .into_inner();
            missing.extend(found.not_found_ids);
        }
    }
    missing
}

pub async fn report(client: &mut Client) -> pb::NetworkQualityReport {
    report_of(client, ACCOUNT).await
}

/// The network quality report of `account`, all platforms, default top leads.
pub async fn report_of(client: &mut Client, account: &str) -> pb::NetworkQualityReport {
    client
        .get_network_quality(pb::GetNetworkQualityRequest {
            account_id: account.into(),
            ..Default::default()
        })
        .await
        .expect("report")
        .into_inner()
}

pub async fn get(
    client: &mut Client,
    platform: pb::Platform,
    id: &str,
) -> Option<pb::FollowerResult> {
    client
        .get_follower(pb::GetFollowerRequest {
            account_id: ACCOUNT.into(),
            platform: platform as i32,
            follower_ids: vec![id.into()],
        })
        .await
        .expect("get follower")
        .into_inner()
        .results
        .pop()
}

pub fn category_count(report: &pb::NetworkQualityReport, category: pb::Category) -> u64 {
    report
        .categories
        .iter()
        .find(|c| c.category == category as i32)
        .and_then(|c| c.share)
        .map_or(0, |s| s.count)
}

/// Polls `check` until it returns true or the deadline passes.
pub async fn eventually<F, Fut>(what: &str, mut check: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
    while !check().await {
        assert!(
            tokio::time::Instant::now() < deadline,
            "timed out waiting for: {what}"
        );
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
}
