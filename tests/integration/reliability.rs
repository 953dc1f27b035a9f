//! Reliability beyond a single crash: erasure that reaches the raw files, damaged and full
//! storage, figures that stay true as days pass, and concurrent writers on one account.

use std::path::Path;

use followscore::grpc::pb;
use tokio_stream::StreamExt as _;

use crate::crash::ServerProcess;
use crate::helpers::*;

/// The files of a data directory (sled's log and snapshots, the keyrings) that contain
/// `needle`, read as raw bytes.
fn raw_files_containing(dir: &Path, needle: &[u8]) -> Vec<String> {
    let mut found = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(path) = pending.pop() {
        if path.is_dir() {
            for entry in std::fs::read_dir(&path).unwrap() {
                pending.push(entry.unwrap().path());
            }
        } else if let Ok(bytes) = std::fs::read(&path)
            && bytes.windows(needle.len()).any(|w| w == needle)
        {
            found.push(path.display().to_string());
        }
    }
    found
}

fn personal(id: &str) -> pb::FollowerProfile {
    pb::FollowerProfile {
        display_name: "Zephyrine Quillfeather".into(),
        headline: "Chief Lichenologist at Quillfeather Biotech".into(),
        bio: "Mosses, lichens and the people who count them".into(),
        location: "Aberystwyth, Wales".into(),
        ..follower(id)
    }
}

#[tokio::test]
async fn a_forgotten_follower_cannot_be_read_in_the_raw_files_even_after_a_restart() {
    if sled_only("reading sled's raw files") {
        return;
    }
    let mut app = spawn_app().await;
    upsert(&mut app.client, account()).await;
    // The follower is written several times, so sled holds several old versions of it.
    for round in 0..5 {
        let mut profile = personal("zq-1");
        profile.followers_count = Some(100 + round);
        score(&mut app.client, profile).await;
    }
    score(&mut app.client, prospect("kept-1")).await;
    let forgotten = app
        .client
        .forget_follower(pb::ForgetFollowerRequest {
            account_id: ACCOUNT.into(),
            platform: pb::Platform::Linkedin as i32,
            follower_id: "zq-1".into(),
        })
        .await
        .unwrap()
        .into_inner();
    assert!(forgotten.erased);
    let needles: [&[u8]; 4] = [
        b"Quillfeather",
        b"Zephyrine",
        b"Lichenologist",
        b"Aberystwyth",
    ];
    for needle in needles {
        let found = raw_files_containing(app.dir.path(), needle);
        assert!(
            found.is_empty(),
            "{} readable in {found:?}",
            String::from_utf8_lossy(needle)
        );
    }
    // Old versions of the record may stay in sled's log, but only as ciphertext under the
    // follower's key, and that key (the keyring's first slot) is now zeros on disk.
    let keyring: String = ACCOUNT.bytes().map(|b| format!("{b:02x}")).collect();
    let keys = std::fs::read(app.dir.path().join("keys").join(keyring)).unwrap();
    assert_eq!(
        &keys[16..48],
        &[0u8; 32],
        "the forgotten follower's key is shredded"
    );
    assert_ne!(&keys[48..80], &[0u8; 32], "the kept follower's key is not");
    // The search reads the real files: the account's own configuration is plain.
    assert!(!raw_files_containing(app.dir.path(), b"Datawise Labs").is_empty());

    let mut app = app.restart().await;
    assert_eq!(
        get(&mut app.client, pb::Platform::Linkedin, "zq-1").await,
        None
    );
    assert!(
        get(&mut app.client, pb::Platform::Linkedin, "kept-1")
            .await
            .is_some(),
        "the other follower is still served"
    );
    for needle in needles {
        assert!(raw_files_containing(app.dir.path(), needle).is_empty());
    }
}

#[tokio::test]
async fn a_deleted_account_leaves_no_keyring_and_no_readable_follower() {
    if sled_only("the keyring files") {
        return;
    }
    let mut app = spawn_app().await;
    upsert(&mut app.client, account()).await;
    score(&mut app.client, personal("zq-2")).await;
    let keys = app.dir.path().join("keys");
    assert_eq!(std::fs::read_dir(&keys).unwrap().count(), 1);
    app.client
        .delete_account(pb::DeleteAccountRequest {
            account_id: ACCOUNT.into(),
        })
        .await
        .unwrap();
    assert_eq!(std::fs::read_dir(&keys).unwrap().count(), 0);
    assert!(raw_files_containing(app.dir.path(), b"Quillfeather").is_empty());
    let app = app.restart().await;
    assert!(raw_files_containing(app.dir.path(), b"Quillfeather").is_empty());
}

/// A data directory with an account and 10,000 followers written by the real server, which
/// is then killed.
async fn filled_directory() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let server = ServerProcess::start(dir.path());
    let mut client = connect(server.addr).await;
    upsert(&mut client, account()).await;
    for chunk in 0..20 {
        let requests: Vec<_> = (0..500)
            .map(|i| pb::ClassifyFollowersRequest {
                account_id: ACCOUNT.into(),
                profile: Some(prospect(&format!("p{chunk}-{i}"))),
                correlation_id: String::new(),
            })
            .collect();
        let mut answers = client
            .classify_followers(tokio_stream::iter(requests))
            .await
            .unwrap()
            .into_inner();
        while let Some(answer) = answers.next().await {
            answer.unwrap();
        }
    }
    server.kill_9();
    dir
}

fn damage(dir: &Path, how: &str) {
    let db = dir.join("db");
    let len = std::fs::metadata(&db).unwrap().len() as usize;
    match how {
        "bytes flipped in the log" => {
            let mut bytes = std::fs::read(&db).unwrap();
            for i in (len / 3..len / 3 + 64).step_by(7) {
                bytes[i] ^= 0x5a;
            }
            std::fs::write(&db, bytes).unwrap();
        }
        "log truncated to half" => {
            let file = std::fs::OpenOptions::new().write(true).open(&db).unwrap();
            file.set_len(len as u64 / 2).unwrap();
        }
        "a block of the log zeroed" => {
            // The first block past the middle that holds data rather than a segment's
            // zero padding: zeroing padding would damage nothing.
            let mut bytes = std::fs::read(&db).unwrap();
            let start = (len / 2 / 4096..len / 4096)
                .map(|block| block * 4096)
                .find(|&at| bytes[at..at + 4096].iter().filter(|&&b| b != 0).count() > 3_500)
                .expect("a block of data past the middle of the log");
            bytes[start..start + 4096].fill(0);
            std::fs::write(&db, bytes).unwrap();
        }
        "log removed" => std::fs::remove_file(&db).unwrap(),
        "keyring removed" => std::fs::remove_dir_all(dir.join("keys")).unwrap(),
        "keyring truncated" => {
            for entry in std::fs::read_dir(dir.join("keys")).unwrap() {
                let file = std::fs::OpenOptions::new()
                    .write(true)
                    .open(entry.unwrap().path())
                    .unwrap();
                file.set_len(100).unwrap();
            }
        }
        other => panic!("unknown damage {other}"),
    }
}

/// Damage to the store's files is refused at start with a message naming the directory, or,
/// where the bytes hit were dead (an old version of a record, a segment sled had already
/// freed), harmless: every follower is served and the report counts them all. Silently
/// serving fewer is the failure. The damages that remove or cut what the store needs
/// outright must always be refused.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn damaged_storage_is_refused_with_a_message_naming_the_directory() {
    for (how, may_be_harmless) in [
        ("bytes flipped in the log", true),
        ("log truncated to half", true),
        ("a block of the log zeroed", true),
        ("log removed", false),
        ("keyring removed", false),
        ("keyring truncated", false),
    ] {
        let dir = filled_directory().await;
        damage(dir.path(), how);
        match ServerProcess::try_start(dir.path()) {
            Ok(server) => {
                let mut client = connect(server.addr).await;
                let (total, _, _) = crate::crash_rounds::recount(&mut client, ACCOUNT).await;
                let reported = report(&mut client).await.total_followers;
                assert!(
                    may_be_harmless && total == 10_000 && reported == 10_000,
                    "{how}: the server started, serving {total} of 10000 followers \
                     (the report counts {reported})"
                );
                eprintln!("{how}: the bytes hit were dead; all 10000 followers served");
            }
            Err(log) => {
                let named = dir.path().display().to_string();
                assert!(
                    log.contains(&named),
                    "{how}: the refusal does not name {named}:\n{log}"
                );
                // The message and its causes, which say what was found.
                let reason: Vec<_> = log.lines().filter(|line| line.contains(&named)).collect();
                eprintln!("{how}: refused: {}", reason.join(" / "));
            }
        }
    }
}

#[tokio::test]
async fn a_directory_that_holds_something_else_is_refused_and_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("notes.txt"), "not a database").unwrap();
    let log = match ServerProcess::try_start(dir.path()) {
        Ok(_) => panic!("the server started in a foreign directory"),
        Err(log) => log,
    };
    assert!(log.contains("is not a followscore data directory"), "{log}");
    assert!(log.contains(&dir.path().display().to_string()), "{log}");
    let names: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names, ["notes.txt"], "nothing was created in it");
}

/// A small tmpfs mounted for one test, unmounted when dropped.
struct SmallDisk {
    dir: tempfile::TempDir,
}

impl SmallDisk {
    /// `None` where this machine does not let the test mount one.
    fn mount(megabytes: u64) -> Option<Self> {
        let dir = tempfile::tempdir().unwrap();
        let mounted = std::process::Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={megabytes}m"), "tmpfs"])
            .arg(dir.path())
            .stderr(std::process::Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        mounted.then_some(Self { dir })
    }

    fn free(&self) -> u64 {
        let out = std::process::Command::new("df")
            .args(["--output=avail", "-B1"])
            .arg(self.dir.path())
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .nth(1)
            .unwrap()
            .trim()
            .parse()
            .unwrap()
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = std::process::Command::new("umount")
            .arg("-l")
            .arg(self.dir.path())
            .status();
    }
}

/// Streams `n` followers; the ids acknowledged and the item error codes.
async fn stream_followers(
    client: &mut Client,
    prefix: &str,
    n: usize,
) -> (Vec<String>, Vec<String>) {
    let requests: Vec<_> = (0..n)
        .map(|i| pb::ClassifyFollowersRequest {
            account_id: ACCOUNT.into(),
            profile: Some(personal(&format!("{prefix}-{i}"))),
            correlation_id: String::new(),
        })
        .collect();
    let mut answers = client
        .classify_followers(tokio_stream::iter(requests))
        .await
        .unwrap()
        .into_inner();
    let (mut acked, mut errors) = (Vec::new(), Vec::new());
    while let Some(answer) = answers.next().await {
        match answer.unwrap().outcome.unwrap() {
            pb::classify_followers_response::Outcome::Result(r) => acked.push(r.follower_id),
            pb::classify_followers_response::Outcome::Error(e) => errors.push(e.code),
        }
    }
    (acked, errors)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_disk_refuses_writes_keeps_reads_and_recovers_by_itself() {
    if sled_only("the data directory's disk") {
        return;
    }
    let Some(disk) = SmallDisk::mount(160) else {
        eprintln!("skipped: this machine does not allow mounting a tmpfs");
        return;
    };
    let data = disk.dir.path().join("data");
    let mut app = spawn_app_with(|c| c.data_dir = data.clone()).await;
    upsert(&mut app.client, account()).await;
    // Leave a few MiB above the store's reserve.
    let filler = disk.dir.path().join("filler");
    let keep = followscore::store::MIN_FREE_BYTES + 6 * 1024 * 1024;
    let fill = disk.free().saturating_sub(keep);
    std::fs::write(&filler, vec![1u8; fill as usize]).unwrap();

    let mut acked = Vec::new();
    let mut refused = Vec::new();
    for round in 0..400 {
        let (ok, errors) = stream_followers(&mut app.client, &format!("r{round}"), 500).await;
        acked.extend(ok);
        if !errors.is_empty() {
            refused = errors;
            break;
        }
    }
    assert!(!refused.is_empty(), "the disk never filled");
    assert!(
        refused.iter().all(|code| code == "resource_exhausted"),
        "{refused:?}"
    );
    let unary = app
        .client
        .score_follower(pb::ScoreFollowerRequest {
            account_id: ACCOUNT.into(),
            profile: Some(prospect("while-full")),
            events: vec![],
        })
        .await
        .unwrap_err();
    assert_eq!(unary.code(), tonic::Code::ResourceExhausted, "{unary:?}");
    // Reads go on.
    assert!(
        get(&mut app.client, pb::Platform::Linkedin, &acked[0])
            .await
            .is_some()
    );
    assert_eq!(
        report(&mut app.client).await.total_followers,
        acked.len() as u64
    );

    // Space returns: writes resume without a restart.
    std::fs::remove_file(&filler).unwrap();
    let (ok, errors) = stream_followers(&mut app.client, "after", 500).await;
    assert!(errors.is_empty(), "{errors:?}");
    acked.extend(ok);
    score(&mut app.client, prospect("after-unary")).await;

    // Nothing acknowledged was lost, after a restart too.
    app.stop().await;
    let mut app = spawn_app_with(|c| c.data_dir = data.clone()).await;
    for chunk in acked.chunks(1_000) {
        let response = app
            .client
            .get_follower(pb::GetFollowerRequest {
                account_id: ACCOUNT.into(),
                platform: pb::Platform::Linkedin as i32,
                follower_ids: chunk.to_vec(),
            })
            .await
            .unwrap()
            .into_inner();
        assert!(
            response.not_found_ids.is_empty(),
            "lost: {:?}",
            response.not_found_ids
        );
    }
    assert_eq!(
        report(&mut app.client).await.total_followers,
        acked.len() as u64 + 1
    );
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_streams_writers_and_upserts_on_one_account_keep_aggregates_exact() {
    let mut app = spawn_app().await;
    upsert(&mut app.client, account()).await;
    let mut tasks = tokio::task::JoinSet::new();
    // Three streams over overlapping followers.
    for stream in 0..3usize {
        let mut client = app.client.clone();
        tasks.spawn(async move {
            for round in 0..4usize {
                let requests: Vec<_> = (0..600usize)
                    .map(|i| {
                        let n = (i + stream * 200 + round * 50) % 1_000;
                        let mut p = match n % 3 {
                            0 => prospect(&format!("c{n}")),
                            1 => competitor(&format!("c{n}")),
                            _ => follower(&format!("c{n}")),
                        };
                        p.followed_at = Some(days_ago((n % 90) as i64));
                        pb::ClassifyFollowersRequest {
                            account_id: ACCOUNT.into(),
                            profile: Some(p),
                            correlation_id: String::new(),
                        }
                    })
                    .collect();
                let mut answers = client
                    .classify_followers(tokio_stream::iter(requests))
                    .await
                    .unwrap()
                    .into_inner();
                while let Some(answer) = answers.next().await {
                    answer.unwrap();
                }
            }
        });
    }
    // Unary writers on the same followers: engagement, overrides, unfollows, forgets.
    for writer in 0..2usize {
        let mut client = app.client.clone();
        tasks.spawn(async move {
            for i in 0..300usize {
                let id = format!("c{}", (i * 7 + writer * 3) % 1_000);
                let platform = pb::Platform::Linkedin as i32;
                let outcome = match i % 4 {
                    0 => client
                        .record_engagement(pb::RecordEngagementRequest {
                            account_id: ACCOUNT.into(),
                            platform,
                            follower_id: id.clone(),
                            events: vec![pb::EngagementEvent {
                                event_id: format!("w{writer}-{i}"),
                                r#type: pb::EngagementType::Comment as i32,
                                occurred_at: Some(days_ago((i % 20) as i64)),
                            }],
                        })
                        .await
                        .map(|_| ()),
                    1 => client
                        .set_override(pb::SetOverrideRequest {
                            account_id: ACCOUNT.into(),
                            platform,
                            follower_id: id.clone(),
                            category: pb::Category::Customer as i32,
                            set_by: "ae@northwind-analytics.com".into(),
                            reason: "signed".into(),
                            expires_at: None,
                        })
                        .await
                        .map(|_| ()),
                    2 => client
                        .remove_follower(pb::RemoveFollowerRequest {
                            account_id: ACCOUNT.into(),
                            platform,
                            follower_id: id.clone(),
                            // Now: some followed today, and an unfollow dated before the
                            // follow is refused.
                            unfollowed_at: None,
                        })
                        .await
                        .map(|_| ()),
                    _ => client
                        .forget_follower(pb::ForgetFollowerRequest {
                            account_id: ACCOUNT.into(),
                            platform,
                            follower_id: id.clone(),
                        })
                        .await
                        .map(|_| ()),
                };
                // A follower not stored yet (or forgotten meanwhile) is NOT_FOUND; nothing
                // else is acceptable.
                if let Err(status) = outcome {
                    assert_eq!(status.code(), tonic::Code::NotFound, "{status:?}");
                }
            }
        });
    }
    // Account upserts during the streams: results go stale and are rescored.
    {
        let mut client = app.client.clone();
        tasks.spawn(async move {
            for variant in 0..6 {
                let mut a = account();
                if variant % 2 == 1 {
                    a.target_accounts = None;
                }
                upsert(&mut client, a).await;
                tokio::task::yield_now().await;
            }
        });
    }
    while let Some(done) = tasks.join_next().await {
        done.unwrap();
    }
    crate::crash_rounds::check_aggregates(&mut app.client, ACCOUNT, 0).await;
    // And after a restart, from what was stored.
    let mut app = app.restart().await;
    crate::crash_rounds::check_aggregates(&mut app.client, ACCOUNT, 1).await;
}
