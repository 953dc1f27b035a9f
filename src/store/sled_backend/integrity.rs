//! Refusing damaged storage rather than starting empty or dropping data.
//!
//! sled recovers whatever prefix of its log it can read: a truncated log opens as an older
//! (or empty) database without a word, and some damage makes its recovery panic. So the
//! store checks three things before it serves:
//!
//! - **Whose directory it is.** A data directory holds a manifest (`FOLLOWSCORE`) written
//!   when the store is created. A non-empty directory without one is refused (unless it is
//!   a store of an earlier release, recognised by its accounts tree, which gets one), so a
//!   wrong `--data-dir` never has a database created inside it.
//! - **That nothing flushed was lost.** Every flush writes a counter into sled and, once
//!   sled's flush has returned, the same counter into the manifest. A database whose counter
//!   is behind its manifest's lost writes it had made durable (a truncated or rolled-back
//!   log): refused. The manifest is written after the flush and not synced itself, so it is
//!   never ahead of what sled made durable; after a power loss it may lag, which only makes
//!   the check weaker, never wrong.
//! - **That sled could read it at all.** A panic inside sled's recovery is caught and
//!   reported as damage, naming the directory.
//! - **That no record fell through a hole.** sled skips a damaged stretch in the middle of
//!   its log without a word when the segments after it are intact: records whose newest
//!   version lived there are gone or come back as garbage, while the flush counter, written
//!   later, survives. So every account's follower records are read once at open: each
//!   sealed one must open with its key (its authentication tag covers every byte), and
//!   there must be as many as the account's aggregates count, which every write updates in
//!   the same atomic batch as the records (`check_account`). One read of every record, no
//!   decoding: a few seconds per million followers (RELIABILITY.md).
//!
//! Each refusal is a `StoreError` that names the directory; the server exits with it.

use std::fs::{File, OpenOptions};
use std::os::unix::fs::FileExt as _;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use super::erasure::{self, Keyring};
use super::{StoreError, codec, keys};

const MANIFEST: &str = "FOLLOWSCORE";
const MAGIC: &[u8; 32] = b"followscore data directory v1\n\0\0";
/// Where sled keeps the flush counter (its default tree).
pub const EPOCH_KEY: &[u8] = b"followscore/flush-epoch";

/// The data directory's manifest and the flush counter it mirrors.
#[derive(Debug)]
pub struct Manifest {
    path: PathBuf,
    file: File,
    epoch: AtomicU64,
}

/// What a data directory looks like before sled opens it.
pub enum Found {
    /// Empty or absent: a new store.
    New,
    /// Has a manifest.
    Ours,
    /// Has sled's files but no manifest: an earlier release's store, or someone else's
    /// sled database (told apart once sled has opened it).
    Unmarked,
}

/// Refuses a directory that holds something other than a store before sled writes into it.
pub fn inspect(dir: &Path) -> Result<Found, StoreError> {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Found::New),
        Err(e) => return Err(StoreError::Directory(dir.to_path_buf(), e)),
    };
    let names: Vec<String> = entries
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    if names.is_empty() {
        return Ok(Found::New);
    }
    if names.iter().any(|n| n == MANIFEST) {
        return Ok(Found::Ours);
    }
    if names.iter().any(|n| n == "conf") && names.iter().any(|n| n == "db") {
        return Ok(Found::Unmarked);
    }
    Err(StoreError::Foreign(dir.to_path_buf()))
}

impl Manifest {
    /// Opens the manifest, creating it for a new store.
    pub fn open(dir: &Path, create: bool) -> Result<Self, StoreError> {
        let path = dir.join(MANIFEST);
        let io = |e| StoreError::Directory(dir.to_path_buf(), e);
        let file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(create)
            .truncate(false)
            .open(&path)
            .map_err(io)?;
        let mut head = [0u8; 40];
        let read = file.read_at(&mut head, 0).map_err(io)?;
        let epoch = if read == 0 && create {
            file.write_all_at(MAGIC, 0).map_err(io)?;
            file.write_all_at(&0u64.to_le_bytes(), MAGIC.len() as u64)
                .map_err(io)?;
            file.sync_all().map_err(io)?;
            File::open(dir).and_then(|d| d.sync_all()).map_err(io)?;
            0
        } else if read == head.len() && head[..32] == MAGIC[..] {
            let mut epoch = [0; 8];
            epoch.copy_from_slice(&head[32..]);
            u64::from_le_bytes(epoch)
        } else {
            return Err(StoreError::DamagedManifest(path));
        };
        Ok(Self {
            path,
            file,
            epoch: AtomicU64::new(epoch),
        })
    }

    /// The counter of the last flush the manifest saw complete.
    pub fn epoch(&self) -> u64 {
        self.epoch.load(Ordering::SeqCst)
    }

    /// Records that the flush numbered `epoch` completed (not synced: see the module
    /// comment).
    pub fn completed(&self, epoch: u64) -> Result<(), StoreError> {
        self.file
            .write_all_at(&epoch.to_le_bytes(), MAGIC.len() as u64)
            .map_err(|e| StoreError::Directory(self.path.clone(), e))?;
        self.epoch.store(epoch, Ordering::SeqCst);
        Ok(())
    }
}

/// The flush counter sled holds.
pub fn sled_epoch(db: &sled::Db) -> Result<u64, StoreError> {
    Ok(match db.get(EPOCH_KEY)? {
        Some(bytes) => u64::from_le_bytes(
            bytes
                .as_ref()
                .try_into()
                .map_err(|_| StoreError::UnknownFormat(0))?,
        ),
        None => 0,
    })
}

/// How many records the open-time check reads between two progress lines.
const PROGRESS_EVERY: u64 = 1_000_000;

/// Reads every follower record of one account's tree: each sealed record must open with its
/// key, and there must be as many as the aggregates count (see the module comment). Returns
/// how many were read.
pub fn check_account(
    dir: &Path,
    account: &str,
    tree: &sled::Tree,
    keyring: &Keyring,
) -> Result<u64, StoreError> {
    let damaged = |finding: String| StoreError::DamagedAccount {
        dir: dir.to_path_buf(),
        account: account.to_owned(),
        finding,
    };
    // sled panics on some pages it cannot read, as in its recovery.
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        read_account(tree, keyring, account, &damaged)
    }))
    .unwrap_or_else(|_| {
        Err(damaged(
            "has data whose reading made the storage engine panic".into(),
        ))
    })
}

/// `check_account` without the panic guard.
fn read_account(
    tree: &sled::Tree,
    keyring: &Keyring,
    account: &str,
    damaged: &dyn Fn(String) -> StoreError,
) -> Result<u64, StoreError> {
    // sled reports some pages it cannot read as an error rather than a panic.
    let unreadable =
        |error: sled::Error| damaged(format!("has data the storage engine cannot read ({error})"));
    let counted = match tree.get(keys::AGGREGATES_KEY).map_err(unreadable)? {
        Some(bytes) => match codec::decode_aggregates(&bytes) {
            Ok(aggregates) => aggregates.stored_followers,
            // A newer release's format is not damage: that error says what it is.
            Err(error @ StoreError::UnknownFormat(_)) => return Err(error),
            Err(_) => return Err(damaged("has aggregates that do not decode".into())),
        },
        None => 0,
    };
    let mut found = 0u64;
    let mut opened = Vec::new();
    for entry in tree.scan_prefix([keys::FOLLOWER_TAG]) {
        let (key, value) = entry.map_err(unreadable)?;
        // Records of releases before sealing are plain; they are counted.
        if erasure::sealed_slot(&value).is_some() {
            match keyring.unseal_into(&key, &value, &mut opened) {
                Ok(_) => {}
                Err(StoreError::Damaged | StoreError::KeyShredded(_)) => {
                    return Err(damaged(
                        "holds a follower record that does not open with its key".into(),
                    ));
                }
                Err(other) => return Err(other),
            }
        }
        found += 1;
        // A start over many millions takes minutes: say that it is moving.
        if found.is_multiple_of(PROGRESS_EVERY) {
            tracing::info!(
                account,
                read = found,
                of = counted,
                "reading the account's records"
            );
        }
    }
    if found != counted {
        return Err(damaged(format!(
            "holds {found} follower records where its aggregates count {counted}"
        )));
    }
    Ok(found)
}
