//! Limits and load through the real server: calls past the server's concurrency are shed
//! with UNAVAILABLE, a key past its own rate or concurrency gets RESOURCE_EXHAUSTED, the
//! client's deadline ends a call with DEADLINE_EXCEEDED, a cancelled stream stops its work,
//! and value limits come from the configuration.

use std::time::Duration;

use followscore::auth::Role;
use followscore::grpc::pb;
use tokio::sync::mpsc;
use tokio_stream::StreamExt as _;
use tokio_stream::wrappers::ReceiverStream;
use tonic::Code;

use crate::helpers::*;
use crate::security::write_keys;

fn item(id: &str) -> pb::ClassifyFollowersRequest {
    pb::ClassifyFollowersRequest {
        account_id: ACCOUNT.into(),
        profile: Some(prospect(id)),
        correlation_id: id.into(),
    }
}

/// Opens a ClassifyFollowers stream and waits for its first answer, so the call is
/// certainly in flight; the sender keeps it open.
async fn open_stream(
    client: &mut Client,
    key: Option<&str>,
) -> (
    mpsc::Sender<pb::ClassifyFollowersRequest>,
    tonic::Streaming<pb::ClassifyFollowersResponse>,
) {
    let (tx, rx) = mpsc::channel(16);
    let requests = ReceiverStream::new(rx);
    let request = match key {
        Some(key) => with_key(requests, key),
        None => tonic::Request::new(requests),
    };
    let mut answers = client
        .classify_followers(request)
        .await
        .unwrap()
        .into_inner();
    tx.send(item("first")).await.unwrap();
    answers.next().await.unwrap().unwrap();
    (tx, answers)
}

#[tokio::test]
async fn calls_past_the_servers_concurrency_are_shed_with_unavailable() {
    let mut app = spawn_app_with(|c| c.limits.max_concurrent_calls = 1).await;
    upsert(&mut app.client, account()).await;
    let (tx, answers) = open_stream(&mut app.client, None).await;

    let status = get_account(&mut app.client).await.unwrap_err();
    assert_eq!(status.code(), Code::Unavailable, "{status:?}");
    // Probes still get through.
    let channel = tonic::transport::Channel::from_shared(format!("http://{}", app.addr))
        .unwrap()
        .connect()
        .await
        .unwrap();
    tonic_health::pb::health_client::HealthClient::new(channel)
        .check(tonic_health::pb::HealthCheckRequest::default())
        .await
        .unwrap();

    // Once the stream ends, its slot is free again.
    drop(tx);
    drop(answers);
    let client = app.client.clone();
    eventually("the slot is released", || {
        let mut client = client.clone();
        async move { get_account(&mut client).await.is_ok() }
    })
    .await;
}

#[tokio::test]
async fn a_key_past_its_concurrency_gets_resource_exhausted_and_others_go_on() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("keys.toml");
    let keys = write_keys(
        &file,
        &[("one", Role::Admin, &["*"]), ("two", Role::Admin, &["*"])],
    );
    let mut app = spawn_app_with(|c| {
        c.keys_file = Some(file);
        c.limits.per_key_concurrent_calls = 1;
    })
    .await;
    app.client
        .upsert_account(with_key(
            pb::UpsertAccountRequest {
                account: Some(account()),
            },
            &keys[0],
        ))
        .await
        .unwrap();
    let (_tx, _answers) = open_stream(&mut app.client, Some(&keys[0])).await;
    let request = || pb::GetAccountRequest {
        account_id: ACCOUNT.into(),
    };
    let status = app
        .client
        .get_account(with_key(request(), &keys[0]))
        .await
        .unwrap_err();
    assert_eq!(status.code(), Code::ResourceExhausted, "{status:?}");
    app.client
        .get_account(with_key(request(), &keys[1]))
        .await
        .expect("another key has its own quota");
}

#[tokio::test]
async fn a_key_past_its_rate_gets_resource_exhausted() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("keys.toml");
    let keys = write_keys(&file, &[("bursty", Role::Read, &["*"])]);
    let mut app = spawn_app_with(|c| {
        c.keys_file = Some(file);
        c.limits.per_key_calls_per_second = 1;
        c.limits.per_key_burst = 3;
    })
    .await;
    let mut codes = Vec::new();
    for _ in 0..10 {
        let answer = app
            .client
            .get_account(with_key(
                pb::GetAccountRequest {
                    account_id: ACCOUNT.into(),
                },
                &keys[0],
            ))
            .await;
        codes.push(answer.map(|_| Code::Ok).unwrap_or_else(|s| s.code()));
    }
    // The burst passes the gate (to NOT_FOUND: no such account); then the rate holds.
    assert_eq!(&codes[..3], &[Code::NotFound; 3], "{codes:?}");
    assert!(codes.contains(&Code::ResourceExhausted), "{codes:?}");
}

/// The caller's deadline as the `grpc-timeout` header only: the server alone must end the
/// call (tonic's `set_timeout` would also start a client-side timer, which under load can
/// fire first and answer CANCELLED on the client's own).
fn server_deadline<T>(request: &mut tonic::Request<T>, millis: u64) {
    request
        .metadata_mut()
        .insert("grpc-timeout", format!("{millis}m").parse().unwrap());
}

/// Waits at most ten seconds: a server that ignored the deadline fails the test.
async fn bounded<T>(call: impl std::future::Future<Output = T>) -> T {
    tokio::time::timeout(Duration::from_secs(10), call)
        .await
        .expect("the server ends the call at its deadline")
}

#[tokio::test]
async fn the_clients_deadline_ends_a_unary_call_and_a_stream() {
    let mut app = spawn_app().await;
    upsert(&mut app.client, account()).await;

    // An import whose file never comes: the deadline ends it.
    let (tx, rx) = mpsc::channel(4);
    tx.send(pb::ImportFollowersRequest {
        part: Some(pb::import_followers_request::Part::Start(pb::ImportStart {
            account_id: ACCOUNT.into(),
            format: pb::ImportFormat::LinkedinCsv as i32,
        })),
    })
    .await
    .unwrap();
    let mut request = tonic::Request::new(ReceiverStream::new(rx));
    server_deadline(&mut request, 300);
    let status = bounded(app.client.import_followers(request))
        .await
        .unwrap_err();
    assert_eq!(status.code(), Code::DeadlineExceeded, "{status:?}");

    // A stream the client keeps open: it ends with DEADLINE_EXCEEDED, after its answers.
    let (tx, rx) = mpsc::channel(4);
    let mut request = tonic::Request::new(ReceiverStream::new(rx));
    server_deadline(&mut request, 500);
    let mut answers = app
        .client
        .classify_followers(request)
        .await
        .unwrap()
        .into_inner();
    tx.send(item("within")).await.unwrap();
    answers.next().await.unwrap().unwrap();
    let status = bounded(answers.next()).await.unwrap().unwrap_err();
    assert_eq!(status.code(), Code::DeadlineExceeded, "{status:?}");
    drop(tx);

    // The server goes on serving.
    get_account(&mut app.client).await.unwrap();
}

#[tokio::test]
async fn a_cancelled_stream_stops_its_work() {
    let mut app = spawn_app_with(|c| c.admin_listen = Some(([127, 0, 0, 1], 0).into())).await;
    upsert(&mut app.client, account()).await;
    let admin = app.admin.unwrap();

    // A client that would send a million followers goes away after ten answers: its
    // runtime, and with it its connection, is dropped mid-stream.
    let addr = app.addr;
    // (On a blocking thread: the server runs on this test's runtime and must keep going.)
    tokio::task::spawn_blocking(move || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        runtime.block_on(async move {
            let mut client = connect(addr).await;
            let many = tokio_stream::iter((0u64..1_000_000).map(|i| item(&format!("f{i}"))));
            let mut answers = client.classify_followers(many).await.unwrap().into_inner();
            for _ in 0..10 {
                answers.next().await.unwrap().unwrap();
            }
        });
    })
    .await
    .unwrap();

    // The call ends on the server, and its work stops: the chunk being scored when the
    // client left may still be stored (a chunk is one atomic batch), nothing after it.
    let scrape = || async move { http_get(admin, "/metrics").await.1 };
    eventually("no call in flight", || async move {
        metric(&scrape().await, "followscore_requests_in_flight") == Some(0.0)
    })
    .await;
    let at_end = metric(&scrape().await, "followscore_stored_followers").unwrap();
    let mut settled = at_end;
    for _ in 0..50 {
        tokio::time::sleep(Duration::from_millis(300)).await;
        let now = metric(&scrape().await, "followscore_stored_followers").unwrap();
        if now == settled {
            break;
        }
        settled = now;
    }
    let chunk = followscore::service::Limits::default().stream_chunk as f64;
    assert!(
        settled - at_end <= chunk,
        "stored {at_end} when the call ended, then {settled}: more than the chunk in progress"
    );
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(
        metric(&scrape().await, "followscore_stored_followers"),
        Some(settled),
        "work went on after the stream was cancelled"
    );
    let text = scrape().await;
    assert_eq!(
        metric(
            &text,
            r#"followscore_requests_total{rpc="ClassifyFollowers",code="CANCELLED"}"#
        ),
        Some(1.0),
        "{text}"
    );
}

#[tokio::test]
async fn value_limits_come_from_the_configuration() {
    let mut app = spawn_app_with(|c| {
        c.limits.max_text_bytes = 32;
        c.limits.max_page_size = 5;
        c.limits.default_page_size = 5;
    })
    .await;
    upsert(&mut app.client, account()).await;
    let mut long = prospect("long");
    long.headline = "x".repeat(33);
    let status = app
        .client
        .score_follower(pb::ScoreFollowerRequest {
            account_id: ACCOUNT.into(),
            profile: Some(long),
            events: vec![],
        })
        .await
        .unwrap_err();
    assert_eq!(status.code(), Code::InvalidArgument);
    assert!(
        status
            .message()
            .contains("profile.headline: at most 32 bytes"),
        "{status:?}"
    );
    let status = app
        .client
        .list_followers(pb::ListFollowersRequest {
            account_id: ACCOUNT.into(),
            page_size: 6,
            ..Default::default()
        })
        .await
        .unwrap_err();
    assert_eq!(status.code(), Code::InvalidArgument, "{status:?}");
}
