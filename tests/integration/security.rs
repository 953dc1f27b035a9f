//! Access control through the real server: API keys from a keys file, roles, tenant
//! patterns, every stream item checked, open health and reflection, and keys added and
//! revoked with `followscore keys` while the server runs.

use std::path::{Path, PathBuf};
use std::process::Command;

use followscore::auth::{KeyEntry, KeysFile, Role, generate_key};
use followscore::grpc::pb;
use tokio_stream::StreamExt as _;
use tonic::Code;

use crate::helpers::*;

/// A keys file with one key per (name, role, patterns); returns the keys in that order.
pub fn write_keys(path: &Path, keys: &[(&str, Role, &[&str])]) -> Vec<String> {
    let mut file = KeysFile::default();
    let mut made = Vec::new();
    for (name, role, patterns) in keys {
        let key = generate_key().unwrap();
        let patterns: Vec<String> = patterns.iter().map(|p| p.to_string()).collect();
        file.keys
            .push(KeyEntry::new(name, *role, &patterns, &key).unwrap());
        made.push(key);
    }
    file.write(path).unwrap();
    made
}

pub struct Keys {
    pub admin: String,
    pub writer: String,
    pub reader: String,
    pub tenant: String,
    pub file: PathBuf,
    _dir: tempfile::TempDir,
}

/// An admin key for everything, a writer and a reader of `northwind`, and a writer of the
/// `acme/` tenant.
pub fn standard_keys() -> Keys {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("keys.toml");
    let keys = write_keys(
        &file,
        &[
            ("ops", Role::Admin, &["*"]),
            ("crm-sync", Role::Write, &[ACCOUNT]),
            ("dashboard", Role::Read, &[ACCOUNT]),
            ("acme-sync", Role::Write, &["acme/"]),
        ],
    );
    let mut keys = keys.into_iter();
    Keys {
        admin: keys.next().unwrap(),
        writer: keys.next().unwrap(),
        reader: keys.next().unwrap(),
        tenant: keys.next().unwrap(),
        file,
        _dir: dir,
    }
}

pub async fn spawn_with_keys(keys: &Keys) -> TestApp {
    let file = keys.file.clone();
    spawn_app_with(move |c| c.keys_file = Some(file)).await
}

fn acme(id: &str) -> pb::Account {
    pb::Account {
        account_id: id.into(),
        ..account()
    }
}

fn get_account_req(id: &str) -> pb::GetAccountRequest {
    pb::GetAccountRequest {
        account_id: id.into(),
    }
}

fn score_req(account: &str, id: &str) -> pb::ScoreFollowerRequest {
    pb::ScoreFollowerRequest {
        account_id: account.into(),
        profile: Some(prospect(id)),
        events: vec![],
    }
}

#[tokio::test]
async fn calls_without_a_key_or_with_an_unknown_key_are_unauthenticated() {
    let keys = standard_keys();
    let mut app = spawn_with_keys(&keys).await;
    let missing = app
        .client
        .get_account(get_account_req(ACCOUNT))
        .await
        .unwrap_err();
    assert_eq!(missing.code(), Code::Unauthenticated, "{missing:?}");
    let unknown = app
        .client
        .get_account(with_key(get_account_req(ACCOUNT), &generate_key().unwrap()))
        .await
        .unwrap_err();
    assert_eq!(unknown.code(), Code::Unauthenticated, "{unknown:?}");
    let mut not_bearer = tonic::Request::new(get_account_req(ACCOUNT));
    not_bearer.metadata_mut().insert(
        "authorization",
        format!("Basic {}", keys.admin).parse().unwrap(),
    );
    let status = app.client.get_account(not_bearer).await.unwrap_err();
    assert_eq!(status.code(), Code::Unauthenticated);
    // The right key in the right place works.
    let status = app
        .client
        .get_account(with_key(get_account_req(ACCOUNT), &keys.admin))
        .await
        .unwrap_err();
    assert_eq!(
        status.code(),
        Code::NotFound,
        "authenticated, and no such account yet"
    );
}

#[tokio::test]
async fn roles_limit_what_a_key_may_call() {
    let keys = standard_keys();
    let mut app = spawn_with_keys(&keys).await;
    let c = &mut app.client;

    // Only admin creates accounts.
    for key in [&keys.reader, &keys.writer] {
        let status = c
            .upsert_account(with_key(
                pb::UpsertAccountRequest {
                    account: Some(account()),
                },
                key,
            ))
            .await
            .unwrap_err();
        assert_eq!(status.code(), Code::PermissionDenied, "{status:?}");
    }
    c.upsert_account(with_key(
        pb::UpsertAccountRequest {
            account: Some(account()),
        },
        &keys.admin,
    ))
    .await
    .unwrap();

    // A reader reads but does not score.
    c.get_account(with_key(get_account_req(ACCOUNT), &keys.reader))
        .await
        .unwrap();
    let status = c
        .score_follower(with_key(score_req(ACCOUNT, "maria"), &keys.reader))
        .await
        .unwrap_err();
    assert_eq!(status.code(), Code::PermissionDenied, "{status:?}");

    // A writer scores, sets overrides, but neither forgets nor deletes.
    c.score_follower(with_key(score_req(ACCOUNT, "maria"), &keys.writer))
        .await
        .unwrap();
    c.set_override(with_key(
        pb::SetOverrideRequest {
            account_id: ACCOUNT.into(),
            platform: pb::Platform::Linkedin as i32,
            follower_id: "maria".into(),
            category: pb::Category::Customer as i32,
            ..Default::default()
        },
        &keys.writer,
    ))
    .await
    .unwrap();
    let forget = pb::ForgetFollowerRequest {
        account_id: ACCOUNT.into(),
        platform: pb::Platform::Linkedin as i32,
        follower_id: "maria".into(),
    };
    let status = c
        .forget_follower(with_key(forget.clone(), &keys.writer))
        .await
        .unwrap_err();
    assert_eq!(status.code(), Code::PermissionDenied);
    let status = c
        .delete_account(with_key(
            pb::DeleteAccountRequest {
                account_id: ACCOUNT.into(),
            },
            &keys.writer,
        ))
        .await
        .unwrap_err();
    assert_eq!(status.code(), Code::PermissionDenied);
    let erased = c
        .forget_follower(with_key(forget, &keys.admin))
        .await
        .unwrap()
        .into_inner();
    assert!(erased.erased);
}

#[tokio::test]
async fn a_key_covers_its_tenant_only_and_says_the_same_of_existing_and_missing_accounts() {
    let keys = standard_keys();
    let mut app = spawn_with_keys(&keys).await;
    let c = &mut app.client;
    for id in ["acme/emea", "acmecorp/x", ACCOUNT] {
        c.upsert_account(with_key(
            pb::UpsertAccountRequest {
                account: Some(acme(id)),
            },
            &keys.admin,
        ))
        .await
        .unwrap();
    }
    // The tenant key works on its own accounts.
    c.score_follower(with_key(score_req("acme/emea", "p1"), &keys.tenant))
        .await
        .unwrap();
    // Another tenant's account that exists, one that does not, and a look-alike prefix:
    // the same code and the same words, so the answer leaks nothing.
    let mut answers = Vec::new();
    for id in ["acmecorp/x", "acmecorp/missing", ACCOUNT, "no-such-account"] {
        let status = c
            .get_account(with_key(get_account_req(id), &keys.tenant))
            .await
            .unwrap_err();
        assert_eq!(status.code(), Code::PermissionDenied, "{id}: {status:?}");
        answers.push(status.message().replace(id, "ID"));
    }
    assert!(answers.windows(2).all(|w| w[0] == w[1]), "{answers:?}");
    // The same on every RPC that names an account.
    let status = c
        .list_followers(with_key(
            pb::ListFollowersRequest {
                account_id: ACCOUNT.into(),
                ..Default::default()
            },
            &keys.tenant,
        ))
        .await
        .unwrap_err();
    assert_eq!(status.code(), Code::PermissionDenied);
    let status = c
        .get_network_quality(with_key(
            pb::GetNetworkQualityRequest {
                account_id: ACCOUNT.into(),
                ..Default::default()
            },
            &keys.tenant,
        ))
        .await
        .unwrap_err();
    assert_eq!(status.code(), Code::PermissionDenied);
    // An exact-id key does not cover the tenant.
    let status = c
        .get_account(with_key(get_account_req("acme/emea"), &keys.reader))
        .await
        .unwrap_err();
    assert_eq!(status.code(), Code::PermissionDenied);
}

#[tokio::test]
async fn every_stream_item_is_checked_against_the_key() {
    let keys = standard_keys();
    let mut app = spawn_with_keys(&keys).await;
    let c = &mut app.client;
    for id in ["acme/emea", ACCOUNT] {
        c.upsert_account(with_key(
            pb::UpsertAccountRequest {
                account: Some(acme(id)),
            },
            &keys.admin,
        ))
        .await
        .unwrap();
    }
    let item = |account: &str, id: &str| pb::ClassifyFollowersRequest {
        account_id: account.into(),
        profile: Some(prospect(id)),
        correlation_id: id.into(),
    };
    let requests = vec![
        item("acme/emea", "a1"),
        item(ACCOUNT, "smuggled"),
        item("", "a2"),
    ];
    let mut answers = c
        .classify_followers(with_key(tokio_stream::iter(requests), &keys.tenant))
        .await
        .unwrap()
        .into_inner();
    let mut outcomes = Vec::new();
    while let Some(answer) = answers.next().await {
        outcomes.push(answer.unwrap());
    }
    assert_eq!(outcomes.len(), 3);
    let error = |i: usize| match &outcomes[i].outcome {
        Some(pb::classify_followers_response::Outcome::Error(e)) => Some(e.code.clone()),
        _ => None,
    };
    assert_eq!(error(0), None);
    assert_eq!(error(1).as_deref(), Some("permission_denied"));
    assert_eq!(error(2), None);
    // Nothing reached the account the key does not cover.
    let found = c
        .get_follower(with_key(
            pb::GetFollowerRequest {
                account_id: ACCOUNT.into(),
                platform: pb::Platform::Linkedin as i32,
                follower_ids: vec!["smuggled".into()],
            },
            &keys.admin,
        ))
        .await
        .unwrap()
        .into_inner();
    assert!(found.results.is_empty());

    // A stream that starts on an uncovered account is refused whole.
    let refused = c
        .classify_followers(with_key(
            tokio_stream::iter(vec![item(ACCOUNT, "x")]),
            &keys.tenant,
        ))
        .await
        .unwrap()
        .into_inner()
        .next()
        .await
        .unwrap()
        .unwrap_err();
    assert_eq!(refused.code(), Code::PermissionDenied);

    // So is an import.
    let start = pb::ImportFollowersRequest {
        part: Some(pb::import_followers_request::Part::Start(pb::ImportStart {
            account_id: ACCOUNT.into(),
            format: pb::ImportFormat::Auto as i32,
        })),
    };
    let status = c
        .import_followers(with_key(tokio_stream::iter(vec![start]), &keys.tenant))
        .await
        .unwrap_err();
    assert_eq!(status.code(), Code::PermissionDenied);
}

#[tokio::test]
async fn health_needs_no_key() {
    let keys = standard_keys();
    let app = spawn_with_keys(&keys).await;
    let channel = tonic::transport::Channel::from_shared(format!("http://{}", app.addr))
        .unwrap()
        .connect()
        .await
        .unwrap();
    let mut health = tonic_health::pb::health_client::HealthClient::new(channel);
    let answer = health
        .check(tonic_health::pb::HealthCheckRequest {
            service: String::new(),
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(
        answer.status,
        tonic_health::pb::health_check_response::ServingStatus::Serving as i32
    );
}

fn keys_cli(file: &Path, args: &[&str]) -> (bool, String, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_followscore"))
        .arg("keys")
        .args(args)
        .arg("--keys-file")
        .arg(file)
        .output()
        .expect("followscore keys runs");
    (
        output.status.success(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[tokio::test]
async fn keys_added_and_revoked_with_the_cli_take_effect_without_a_restart() {
    let keys = standard_keys();
    let mut app = spawn_with_keys(&keys).await;
    app.client
        .upsert_account(with_key(
            pb::UpsertAccountRequest {
                account: Some(account()),
            },
            &keys.admin,
        ))
        .await
        .unwrap();

    let (ok, stdout, stderr) = keys_cli(
        &keys.file,
        &[
            "add",
            "--name",
            "bi-export",
            "--role",
            "read",
            "--accounts",
            "northwind,acme/",
        ],
    );
    assert!(ok, "{stderr}");
    let key = stdout.trim().to_owned();
    assert!(key.starts_with("fsk_") && key.len() == 68, "{stdout}");
    let file = std::fs::read_to_string(&keys.file).unwrap();
    assert!(!file.contains(&key), "the keys file holds hashes only");
    for secret in [&keys.admin, &keys.writer] {
        assert!(!file.contains(secret.as_str()));
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = std::fs::metadata(&keys.file).unwrap().permissions().mode();
        assert_eq!(mode & 0o077, 0, "only its owner reads the keys file");
    }
    let (ok, listing, _) = keys_cli(&keys.file, &["list"]);
    assert!(ok);
    assert!(
        listing.contains("bi-export\tread\tnorthwind,acme/"),
        "{listing}"
    );
    assert!(!listing.contains(&key));
    let (ok, _, stderr) = keys_cli(
        &keys.file,
        &[
            "add",
            "--name",
            "bi-export",
            "--role",
            "read",
            "--accounts",
            "x",
        ],
    );
    assert!(!ok && stderr.contains("already exists"), "{stderr}");

    // The running server picks the new key up by itself.
    let client = app.client.clone();
    eventually("the new key is accepted", || {
        let mut client = client.clone();
        let key = key.clone();
        async move {
            client
                .get_account(with_key(get_account_req(ACCOUNT), &key))
                .await
                .is_ok()
        }
    })
    .await;

    let (ok, _, stderr) = keys_cli(&keys.file, &["revoke", "bi-export"]);
    assert!(ok, "{stderr}");
    eventually("the revoked key is refused", || {
        let mut client = client.clone();
        let key = key.clone();
        async move {
            client
                .get_account(with_key(get_account_req(ACCOUNT), &key))
                .await
                .is_err_and(|s| s.code() == Code::Unauthenticated)
        }
    })
    .await;
    // The others still work.
    app.client
        .get_account(with_key(get_account_req(ACCOUNT), &keys.reader))
        .await
        .unwrap();
}

#[tokio::test]
async fn a_broken_keys_file_keeps_the_keys_in_force() {
    let keys = standard_keys();
    let mut app = spawn_with_keys(&keys).await;
    std::fs::write(&keys.file, "[[key]]\nname = \"x\"\nrolle = \"admin\"\n").unwrap();
    // Give the poller time to see the change (it checks every 100 ms in tests); the old
    // keys must still be in force throughout.
    for _ in 0..10 {
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        let status = app
            .client
            .get_account(with_key(get_account_req(ACCOUNT), &keys.admin))
            .await
            .unwrap_err();
        assert_eq!(status.code(), Code::NotFound, "{status:?}");
    }
}

#[tokio::test]
async fn a_revoked_key_stops_its_open_stream() {
    let keys = standard_keys();
    let mut app = spawn_with_keys(&keys).await;
    app.client
        .upsert_account(with_key(
            pb::UpsertAccountRequest {
                account: Some(account()),
            },
            &keys.admin,
        ))
        .await
        .unwrap();
    let (tx, rx) = tokio::sync::mpsc::channel(4);
    let mut answers = app
        .client
        .classify_followers(with_key(
            tokio_stream::wrappers::ReceiverStream::new(rx),
            &keys.writer,
        ))
        .await
        .unwrap()
        .into_inner();
    let item = |id: &str| pb::ClassifyFollowersRequest {
        account_id: ACCOUNT.into(),
        profile: Some(prospect(id)),
        correlation_id: id.into(),
    };
    tx.send(item("before")).await.unwrap();
    answers.next().await.unwrap().unwrap();

    let (ok, _, stderr) = keys_cli(&keys.file, &["revoke", "crm-sync"]);
    assert!(ok, "{stderr}");
    let probe = app.client.clone();
    let writer = keys.writer.clone();
    eventually("the server reloaded the keys", || {
        let mut client = probe.clone();
        let key = writer.clone();
        async move {
            client
                .get_account(with_key(get_account_req(ACCOUNT), &key))
                .await
                .is_err_and(|s| s.code() == Code::Unauthenticated)
        }
    })
    .await;
    tx.send(item("after")).await.unwrap();
    let status = answers.next().await.unwrap().unwrap_err();
    assert_eq!(status.code(), Code::Unauthenticated, "{status:?}");
}
