//! Reliability beyond a single crash: erasure that reaches the raw files, damaged and full
//! storage, figures that stay true as days pass, and concurrent writers on one account.

use std::path::Path;

use followscore::grpc::pb;

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
