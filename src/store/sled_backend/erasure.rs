//! Erasure that reaches the disk: follower records are sealed with a key of their own, and
//! forgetting destroys the key.
//!
//! sled is log-structured: an overwritten or removed value stays in old log segments until
//! sled reclaims the segment, and sled 0.34 has no call that forces it. So a record never
//! reaches sled's log in plaintext: it is sealed (ChaCha20-Poly1305, the follower's key as
//! associated data) with a random 256-bit key of its own. The keys are not in sled: each
//! account has a small keyring file beside sled's files (`keys/{account id in hex}`, 32
//! bytes per follower), written in place. Forgetting a follower overwrites its key with
//! zeros and syncs the keyring once the removal of the record is durable and before the
//! forget is acknowledged; from then on every copy of the record sled still holds, in any
//! segment, is ciphertext under a key that exists nowhere. Deleting an account shreds its
//! keyring file (zeros, sync, unlink) once the account's removal is durable.
//!
//! Crash safety:
//! - A new follower takes a key from a pool that was written and synced before any record
//!   uses it, so a record on disk never names a key that is not. The next free slot is
//!   stored in the account's tree in the same batch as the records that use it; at open
//!   the keys past it are replaced (a record lost in the crash may have used one).
//! - A forget writes a shred marker (`Z` slot) in the same batch that removes the record.
//!   The flusher zeros the marked keys after the flush that makes the removal durable; a
//!   crash in between leaves the marker, and the next open zeros the key. A key is never
//!   zeroed while its record may still come back.
//! - Slots are never reused, so a zeroed key never comes back under another follower.

use std::collections::HashMap;
use std::fs::{File, OpenOptions};
use std::io::Write as _;
use std::os::unix::fs::FileExt as _;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};

use ring::aead::{Aad, CHACHA20_POLY1305, LessSafeKey, Nonce, UnboundKey};

use super::StoreError;

/// The first byte of a sealed value (plaintext values of earlier releases start with 1).
pub const SEALED_FORMAT: u8 = 2;
const NONCE_LEN: usize = 12;
const SLOT_LEN: usize = 4;
/// Bytes a sealed value adds to its plaintext: format, slot, nonce, tag.
pub const SEAL_OVERHEAD: usize = 1 + SLOT_LEN + NONCE_LEN + 16;

const KEYRING_MAGIC: &[u8; 16] = b"followscore-kr01";
const KEY_LEN: usize = 32;
/// Keys written ahead at a time: one sync per this many new followers.
const POOL_STEP: u32 = 4_096;

type RawKey = [u8; KEY_LEN];

/// The directory of keyrings inside a data directory.
pub fn keyring_dir(data_dir: &Path) -> PathBuf {
    data_dir.join("keys")
}

fn keyring_path(data_dir: &Path, account: &str) -> PathBuf {
    let hex: String = account.bytes().map(|b| format!("{b:02x}")).collect();
    keyring_dir(data_dir).join(hex)
}

const RETIRING: &str = ".deleting";

fn retiring_path(path: &Path) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(RETIRING);
    path.with_file_name(name)
}

/// The account id a keyring file belongs to.
pub fn account_of_keyring(name: &str) -> Option<String> {
    if !name.len().is_multiple_of(2) {
        return None;
    }
    let bytes: Option<Vec<u8>> = (0..name.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(name.get(i..i + 2)?, 16).ok())
        .collect();
    String::from_utf8(bytes?).ok()
}

fn io(path: &Path, error: std::io::Error) -> StoreError {
    StoreError::Keyring(path.to_path_buf(), error)
}

/// The nonce for the next seal on this thread: a random 64-bit prefix drawn from the OS
/// when the thread first seals, followed by a 32-bit count of the thread's seals (a new
/// prefix when the count runs out), so sealing a record costs no system call. Every
/// rewrite of a follower's record is sealed under the same key, and ChaCha20-Poly1305
/// needs a nonce never used twice with a key: two seals share a nonce only if two prefixes
/// drawn from the OS are equal, about 2^-64 for any pair of threads, where drawing all
/// 96 bits at random for each seal (what this replaces) repeats within a key with
/// probability n²/2^97 after n rewrites.
fn next_nonce() -> Result<[u8; NONCE_LEN], StoreError> {
    thread_local! {
        static NEXT: std::cell::Cell<Option<(u64, u32)>> = const { std::cell::Cell::new(None) };
    }
    NEXT.with(|next| {
        let (prefix, count) = match next.get() {
            Some(current) => current,
            None => {
                let mut prefix = [0u8; 8];
                getrandom::fill(&mut prefix).map_err(|_| StoreError::Sealing)?;
                (u64::from_le_bytes(prefix), 0)
            }
        };
        next.set(count.checked_add(1).map(|following| (prefix, following)));
        let mut nonce = [0u8; NONCE_LEN];
        nonce[..8].copy_from_slice(&prefix.to_le_bytes());
        nonce[8..].copy_from_slice(&count.to_le_bytes());
        Ok(nonce)
    })
}

/// The ChaCha20-Poly1305 key of one follower. `ring`'s implementation (already built for
/// TLS) seals a ~200-byte record in about 0.25 µs here, where RustCrypto's
/// `chacha20poly1305`, which sealed format 2 before, took 1.6 µs (its AVX2 backends are
/// slow to set up for short messages). Both are RFC 8439, so the bytes are the same.
fn cipher(key: &RawKey) -> Result<LessSafeKey, StoreError> {
    UnboundKey::new(&CHACHA20_POLY1305, key)
        .map(LessSafeKey::new)
        .map_err(|_| StoreError::Sealing)
}

/// One account's keyring: the keys in memory (32 bytes per follower ever stored), the file
/// they are kept in, and the next unused slot.
pub struct Keyring {
    path: PathBuf,
    state: Mutex<KeyringState>,
}

impl std::fmt::Debug for Keyring {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Keyring")
            .field("path", &self.path)
            .finish_non_exhaustive()
    }
}

struct KeyringState {
    file: Option<File>,
    keys: Vec<RawKey>,
    next: u32,
}

impl Keyring {
    /// Opens (or prepares, without creating) the keyring of `account`; `next` is the first
    /// slot no stored record uses. Keys from `next` on are replaced and synced.
    pub fn open(data_dir: &Path, account: &str, next: u32) -> Result<Self, StoreError> {
        let path = keyring_path(data_dir, account);
        let mut state = KeyringState {
            file: None,
            keys: Vec::new(),
            next,
        };
        match OpenOptions::new().read(true).write(true).open(&path) {
            Ok(file) => {
                let bytes = std::fs::read(&path).map_err(|e| io(&path, e))?;
                match bytes.strip_prefix(KEYRING_MAGIC.as_slice()) {
                    Some(body) => {
                        // A pool write cut short by a crash may leave a partial key at the
                        // end: past `next`, it is replaced below.
                        state.keys = body
                            .chunks_exact(KEY_LEN)
                            .map(|k| k.try_into().unwrap_or([0; KEY_LEN]))
                            .collect();
                        if (state.keys.len() as u64) < u64::from(next) {
                            // Records name keys the file does not hold: it was truncated.
                            return Err(StoreError::DamagedKeyring(path));
                        }
                        state.file = Some(file);
                        // A record lost in a crash may have used a key past `next`, and the
                        // file may end in a partial key: replace them all.
                        state.keys.truncate(next as usize);
                        let ahead = (body.len() / KEY_LEN) as u32 - next;
                        refill(&path, &mut state, next, ahead.max(1))?;
                    }
                    // Created, but a crash came before its header and first keys were
                    // written: no record can use it yet.
                    None if next == 0 => {
                        drop(file);
                        std::fs::remove_file(&path).map_err(|e| io(&path, e))?;
                    }
                    None => return Err(StoreError::DamagedKeyring(path)),
                }
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                if next > 0 {
                    return Err(StoreError::DamagedKeyring(path));
                }
            }
            Err(e) => return Err(io(&path, e)),
        }
        Ok(Self {
            path,
            state: Mutex::new(state),
        })
    }

    fn lock(&self) -> MutexGuard<'_, KeyringState> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// A slot with a key that is already durable; returns it and the next free slot (to be
    /// stored with the records that use it).
    pub fn allocate(&self) -> Result<(u32, u32), StoreError> {
        let mut state = self.lock();
        if state.next as usize >= state.keys.len() {
            let from = state.keys.len() as u32;
            let step = POOL_STEP.max(from / 8);
            refill(&self.path, &mut state, from, step)?;
        }
        let slot = state.next;
        state.next += 1;
        Ok((slot, state.next))
    }

    /// The live key of `slot`; `None` once it is shredded.
    fn key(&self, slot: u32) -> Option<RawKey> {
        self.lock()
            .keys
            .get(slot as usize)
            .copied()
            .filter(|k| *k != [0; KEY_LEN])
    }

    /// Overwrites the keys of `slots` with zeros and syncs the file.
    pub fn shred_slots(&self, slots: &[u32]) -> Result<(), StoreError> {
        let mut state = self.lock();
        let state = &mut *state;
        let Some(file) = &state.file else {
            return Ok(());
        };
        for &slot in slots {
            if let Some(key) = state.keys.get_mut(slot as usize) {
                *key = [0; KEY_LEN];
                file.write_all_at(&[0; KEY_LEN], offset(slot))
                    .map_err(|e| io(&self.path, e))?;
            }
        }
        file.sync_data().map_err(|e| io(&self.path, e))
    }

    /// Renames the file to `….deleting` (synced) before its account's removal starts, so
    /// an interrupted deletion is told apart from an account the database lost. Returns the
    /// new path, if there was a file.
    pub fn retire(&self) -> Result<Option<PathBuf>, StoreError> {
        let state = self.lock();
        if state.file.is_none() {
            return Ok(None);
        }
        let retired = retiring_path(&self.path);
        std::fs::rename(&self.path, &retired).map_err(|e| io(&self.path, e))?;
        sync_dir(self.path.parent())?;
        Ok(Some(retired))
    }

    /// Overwrites the whole file (now at `path`) with zeros, syncs it and removes it.
    pub fn shred_all(&self, path: &Path) -> Result<(), StoreError> {
        let mut state = self.lock();
        state.keys.iter_mut().for_each(|k| *k = [0; KEY_LEN]);
        if let Some(file) = state.file.take() {
            let len = file.metadata().map_err(|e| io(path, e))?.len();
            shred_file(path, &file, len)?;
            std::fs::remove_file(path).map_err(|e| io(path, e))?;
            sync_dir(path.parent())?;
        }
        Ok(())
    }

    /// Seals a record's encoded bytes for `slot`; `aad` is the record's sled key.
    pub fn seal(&self, slot: u32, aad: &[u8], plaintext: &[u8]) -> Result<Vec<u8>, StoreError> {
        let key = self.key(slot).ok_or(StoreError::KeyShredded(slot))?;
        let nonce = next_nonce()?;
        let mut out = Vec::with_capacity(SEAL_OVERHEAD + plaintext.len());
        out.push(SEALED_FORMAT);
        out.extend_from_slice(&slot.to_le_bytes());
        out.extend_from_slice(&nonce);
        let start = out.len();
        out.extend_from_slice(plaintext);
        let tag = cipher(&key)?
            .seal_in_place_separate_tag(
                Nonce::assume_unique_for_key(nonce),
                Aad::from(aad),
                &mut out[start..],
            )
            .map_err(|_| StoreError::Sealing)?;
        out.extend_from_slice(tag.as_ref());
        Ok(out)
    }

    /// The plaintext of a sealed value; an error if its key is shredded or the bytes are
    /// not what was sealed under that key (damaged storage).
    pub fn unseal(&self, aad: &[u8], value: &[u8]) -> Result<Vec<u8>, StoreError> {
        let mut opened = Vec::new();
        self.unseal_into(aad, value, &mut opened)?;
        Ok(opened)
    }

    /// `unseal` into a buffer the caller keeps (its contents are replaced), for a reader of
    /// many records.
    pub fn unseal_into(
        &self,
        aad: &[u8],
        value: &[u8],
        opened: &mut Vec<u8>,
    ) -> Result<(), StoreError> {
        let slot = sealed_slot(value).ok_or(StoreError::Damaged)?;
        let key = self.key(slot).ok_or(StoreError::KeyShredded(slot))?;
        let start = 1 + SLOT_LEN;
        let mut nonce = [0u8; NONCE_LEN];
        nonce.copy_from_slice(&value[start..start + NONCE_LEN]);
        opened.clear();
        opened.extend_from_slice(&value[start + NONCE_LEN..]);
        let plain = cipher(&key)?
            .open_in_place(Nonce::assume_unique_for_key(nonce), Aad::from(aad), opened)
            .map_err(|_| StoreError::Damaged)?
            .len();
        opened.truncate(plain);
        Ok(())
    }
}

/// The key slot a sealed value names.
pub fn sealed_slot(value: &[u8]) -> Option<u32> {
    if value.len() < SEAL_OVERHEAD || value[0] != SEALED_FORMAT {
        return None;
    }
    let mut slot = [0; SLOT_LEN];
    slot.copy_from_slice(&value[1..1 + SLOT_LEN]);
    Some(u32::from_le_bytes(slot))
}

fn offset(slot: u32) -> u64 {
    KEYRING_MAGIC.len() as u64 + u64::from(slot) * KEY_LEN as u64
}

/// Writes fresh keys into slots `from..from + count` (creating the file if needed) and
/// syncs them before any record can use them.
fn refill(path: &Path, state: &mut KeyringState, from: u32, count: u32) -> Result<(), StoreError> {
    let created = state.file.is_none();
    if created {
        let dir = path.parent().unwrap_or(Path::new("."));
        std::fs::create_dir_all(dir).map_err(|e| io(dir, e))?;
        let mut file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(true)
            .open(path)
            .map_err(|e| io(path, e))?;
        file.write_all(KEYRING_MAGIC).map_err(|e| io(path, e))?;
        state.file = Some(file);
    }
    let Some(file) = &state.file else {
        return Ok(());
    };
    // Fresh random keys, drawn from the OS in one call.
    let mut bytes = vec![0u8; count as usize * KEY_LEN];
    getrandom::fill(&mut bytes).map_err(|e| io(path, std::io::Error::other(e)))?;
    file.write_all_at(&bytes, offset(from))
        .map_err(|e| io(path, e))?;
    file.sync_data().map_err(|e| io(path, e))?;
    if created {
        sync_dir(path.parent())?;
    }
    let end = (from + count) as usize;
    if state.keys.len() < end {
        state.keys.resize(end, [0; KEY_LEN]);
    }
    for (slot, key) in state.keys[from as usize..end]
        .iter_mut()
        .zip(bytes.chunks_exact(KEY_LEN))
    {
        slot.copy_from_slice(key);
    }
    Ok(())
}

fn shred_file(path: &Path, file: &File, len: u64) -> Result<(), StoreError> {
    let zeros = vec![0u8; 64 * 1024];
    let mut at = 0;
    while at < len {
        let n = zeros.len().min((len - at) as usize);
        file.write_all_at(&zeros[..n], at)
            .map_err(|e| io(path, e))?;
        at += n as u64;
    }
    file.sync_data().map_err(|e| io(path, e))
}

fn sync_dir(dir: Option<&Path>) -> Result<(), StoreError> {
    if let Some(dir) = dir {
        File::open(dir)
            .and_then(|d| d.sync_all())
            .map_err(|e| io(dir, e))?;
    }
    Ok(())
}

/// The keyrings in a data directory: (account id, path, whether its account was being
/// deleted).
pub fn keyring_files(data_dir: &Path) -> Result<Vec<(String, PathBuf, bool)>, StoreError> {
    let dir = keyring_dir(data_dir);
    let entries = match std::fs::read_dir(&dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(io(&dir, e)),
    };
    let mut found = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|e| io(&dir, e))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        let (hex, retiring) = match name.strip_suffix(RETIRING) {
            Some(hex) => (hex.to_owned(), true),
            None => (name.clone(), false),
        };
        match account_of_keyring(&hex) {
            Some(account) => found.push((account, entry.path(), retiring)),
            None => return Err(StoreError::DamagedKeyring(entry.path())),
        }
    }
    Ok(found)
}

/// Overwrites a keyring file with zeros, syncs it and removes it.
pub fn shred_keyring_file(path: &Path) -> Result<(), StoreError> {
    let file = OpenOptions::new()
        .write(true)
        .open(path)
        .map_err(|e| io(path, e))?;
    let len = file.metadata().map_err(|e| io(path, e))?.len();
    shred_file(path, &file, len)?;
    std::fs::remove_file(path).map_err(|e| io(path, e))?;
    sync_dir(path.parent())
}

/// Keys to shred once the flush that covers their records' removal is done.
#[derive(Debug, Default)]
pub struct Shredder {
    due: Mutex<Vec<Due>>,
    /// Markers of shredded keys, removed in the next flush (so the removal is made durable
    /// with that flush's writes instead of trailing behind an acknowledgement).
    shredded: Mutex<Vec<(sled::Tree, Vec<u32>)>>,
}

#[derive(Debug)]
struct Due {
    keyring: Arc<Keyring>,
    tree: sled::Tree,
    slots: Vec<u32>,
}

impl Shredder {
    fn lock(&self) -> MutexGuard<'_, Vec<Due>> {
        self.due.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Called after the batch that removes the records (and writes their markers) is
    /// applied, before its ticket is taken.
    pub fn schedule(&self, keyring: Arc<Keyring>, tree: sled::Tree, slots: Vec<u32>) {
        if !slots.is_empty() {
            self.lock().push(Due {
                keyring,
                tree,
                slots,
            });
        }
    }

    /// Runs `flush`, then shreds every key scheduled before it started and clears their
    /// markers. Keys whose shredding failed stay scheduled.
    pub fn flush_then_shred(
        &self,
        flush: impl FnOnce() -> Result<(), StoreError>,
    ) -> Result<(), StoreError> {
        let due = std::mem::take(&mut *self.lock());
        let shredded =
            std::mem::take(&mut *self.shredded.lock().unwrap_or_else(|p| p.into_inner()));
        for (tree, slots) in shredded {
            clear_markers(&tree, &slots);
        }
        if let Err(error) = flush() {
            self.lock().extend(due);
            return Err(error);
        }
        let mut failed = None;
        let mut by_keyring: HashMap<*const Keyring, Due> = HashMap::new();
        for item in due {
            let id = Arc::as_ptr(&item.keyring);
            match by_keyring.get_mut(&id) {
                Some(all) => all.slots.extend(item.slots),
                None => {
                    by_keyring.insert(id, item);
                }
            }
        }
        for (_, item) in by_keyring {
            match item.keyring.shred_slots(&item.slots) {
                Ok(()) => self
                    .shredded
                    .lock()
                    .unwrap_or_else(|p| p.into_inner())
                    .push((item.tree, item.slots)),
                Err(error) => {
                    failed.get_or_insert(error);
                    self.lock().push(item);
                }
            }
        }
        failed.map_or(Ok(()), Err)
    }
}

/// The marker of a key to shred, kept in the account's tree until it is shredded.
pub fn marker_key(slot: u32) -> Vec<u8> {
    let mut key = vec![super::keys::SHRED_TAG];
    key.extend_from_slice(&slot.to_be_bytes());
    key
}

/// Removes the markers of shredded keys. Not waited for: a marker that survives a crash
/// only shreds its (already zero) key again at the next open.
fn clear_markers(tree: &sled::Tree, slots: &[u32]) {
    let mut batch = sled::Batch::default();
    for slot in slots {
        batch.remove(marker_key(*slot));
    }
    if let Err(error) = tree.apply_batch(batch) {
        tracing::debug!(error = %error, "shred markers stay until the next open");
    }
}

/// Shreds the keys whose markers a crash left behind, and clears the markers.
pub fn shred_marked(tree: &sled::Tree, keyring: &Keyring) -> Result<(), StoreError> {
    let mut slots = Vec::new();
    for entry in tree.scan_prefix([super::keys::SHRED_TAG]).keys() {
        let key = entry?;
        if let Ok(bytes) = <[u8; 4]>::try_from(&key[1..]) {
            slots.push(u32::from_be_bytes(bytes));
        }
    }
    if !slots.is_empty() {
        keyring.shred_slots(&slots)?;
        clear_markers(tree, &slots);
        tracing::info!(
            keys = slots.len(),
            "shredded keys of followers forgotten before a crash"
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Records sealed before this release (RustCrypto's `chacha20poly1305`) open with
    /// today's code, and today's seal of the same bytes under the same nonce is identical:
    /// the algorithm is RFC 8439 ChaCha20-Poly1305 either way.
    #[test]
    fn values_sealed_by_earlier_releases_still_open() {
        const EARLIER: &str = "e8fb283240c07d8e3e3c44b270bcdf8fefaba8e1008b910e3a1652f9ff5b7b66\
                               b3ccaaa2d94f68040e26e0ad0749ce2623153a29f152385a891f27355c3c71d8";
        let ciphertext: Vec<u8> = (0..EARLIER.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&EARLIER[i..i + 2], 16).unwrap())
            .collect();
        let aad = b"\x01acme\x00follower-7";
        let plaintext = b"Ottoline Keepsake, Head of Procurement at Globex";
        let nonce: [u8; NONCE_LEN] = *b"followscore!";

        let dir = tempfile::tempdir().unwrap();
        let keyring = Keyring::open(dir.path(), "acme", 0).unwrap();
        let (slot, _) = keyring.allocate().unwrap();
        keyring.lock().keys[slot as usize] = [0x42; KEY_LEN];
        let mut value = vec![SEALED_FORMAT];
        value.extend_from_slice(&slot.to_le_bytes());
        value.extend_from_slice(&nonce);
        value.extend_from_slice(&ciphertext);
        assert_eq!(keyring.unseal(aad, &value).unwrap(), plaintext);

        let mut resealed = plaintext.to_vec();
        let tag = cipher(&[0x42; KEY_LEN])
            .unwrap()
            .seal_in_place_separate_tag(
                Nonce::assume_unique_for_key(nonce),
                Aad::from(aad),
                &mut resealed,
            )
            .unwrap();
        resealed.extend_from_slice(tag.as_ref());
        assert_eq!(resealed, ciphertext);
    }

    #[test]
    fn nonces_never_repeat_within_a_thread_nor_across_threads() {
        let mine: Vec<[u8; NONCE_LEN]> = (0..1_000).map(|_| next_nonce().unwrap()).collect();
        let theirs = std::thread::spawn(|| next_nonce().unwrap()).join().unwrap();
        let mut seen: std::collections::HashSet<Vec<u8>> =
            mine.iter().map(|n| n.to_vec()).collect();
        assert_eq!(seen.len(), mine.len());
        // Consecutive seals on a thread share the prefix and count up.
        assert_eq!(mine[0][..8], mine[999][..8]);
        let count = |n: &[u8; NONCE_LEN]| u32::from_le_bytes(n[8..].try_into().unwrap());
        assert_eq!(count(&mine[999]), count(&mine[0]) + 999);
        // Another thread draws its own prefix.
        assert_ne!(theirs[..8], mine[0][..8]);
        assert!(seen.insert(theirs.to_vec()));
    }

    #[test]
    fn a_sealed_value_opens_only_with_its_key_and_its_record_key() {
        let dir = tempfile::tempdir().unwrap();
        let keyring = Keyring::open(dir.path(), "acme", 0).unwrap();
        let (slot, next) = keyring.allocate().unwrap();
        assert_eq!((slot, next), (0, 1));
        let sealed = keyring.seal(slot, b"F\x01alice", b"Alice Example").unwrap();
        assert!(!sealed.windows(5).any(|w| w == b"Alice"));
        assert_eq!(sealed.len(), SEAL_OVERHEAD + 13);
        assert_eq!(
            keyring.unseal(b"F\x01alice", &sealed).unwrap(),
            b"Alice Example"
        );
        // Moved under another follower's key: refused.
        assert!(matches!(
            keyring.unseal(b"F\x01bob", &sealed),
            Err(StoreError::Damaged)
        ));
        let mut flipped = sealed.clone();
        *flipped.last_mut().unwrap() ^= 1;
        assert!(matches!(
            keyring.unseal(b"F\x01alice", &flipped),
            Err(StoreError::Damaged)
        ));
        keyring.shred_slots(&[slot]).unwrap();
        assert!(matches!(
            keyring.unseal(b"F\x01alice", &sealed),
            Err(StoreError::KeyShredded(0))
        ));
        // The file holds zeros where the key was, after a reopen too.
        drop(keyring);
        let keyring = Keyring::open(dir.path(), "acme", 1).unwrap();
        assert!(keyring.key(0).is_none());
        assert!(keyring.key(1).is_some());
    }

    #[test]
    fn keys_past_the_next_slot_are_replaced_at_open_and_slots_are_never_reused() {
        let dir = tempfile::tempdir().unwrap();
        let keyring = Keyring::open(dir.path(), "acme", 0).unwrap();
        let (a, _) = keyring.allocate().unwrap();
        let (b, next) = keyring.allocate().unwrap();
        let key_b = keyring.key(b).unwrap();
        drop(keyring);
        // The crash lost the record that used `b`: only `a` is stored.
        let keyring = Keyring::open(dir.path(), "acme", next - 1).unwrap();
        assert!(keyring.key(a).is_some());
        assert_ne!(keyring.key(b).unwrap(), key_b);
    }

    #[test]
    fn a_keyring_cut_short_while_it_was_created_or_refilled_is_repaired() {
        let dir = tempfile::tempdir().unwrap();
        let path = keyring_path(dir.path(), "acme");
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        // Created, then killed before its header was written.
        std::fs::write(&path, b"").unwrap();
        let keyring = Keyring::open(dir.path(), "acme", 0).unwrap();
        let (slot, next) = keyring.allocate().unwrap();
        drop(keyring);
        // A pool refill cut short: a partial key at the end.
        let file = OpenOptions::new().write(true).open(&path).unwrap();
        let len = file.metadata().unwrap().len();
        file.set_len(len - 5).unwrap();
        let keyring = Keyring::open(dir.path(), "acme", next).unwrap();
        assert!(keyring.key(slot).is_some());
        assert!(keyring.allocate().is_ok());
    }

    #[test]
    fn a_truncated_keyring_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let keyring = Keyring::open(dir.path(), "acme", 0).unwrap();
        keyring.allocate().unwrap();
        drop(keyring);
        let path = keyring_path(dir.path(), "acme");
        let file = OpenOptions::new().write(true).open(&path).unwrap();
        file.set_len(KEYRING_MAGIC.len() as u64 + 7).unwrap();
        assert!(matches!(
            Keyring::open(dir.path(), "acme", 1),
            Err(StoreError::DamagedKeyring(_))
        ));
    }

    #[test]
    fn keyring_names_round_trip() {
        let path = keyring_path(Path::new("/d"), "north-wind_1");
        let name = path.file_name().unwrap().to_str().unwrap();
        assert_eq!(account_of_keyring(name).as_deref(), Some("north-wind_1"));
        assert_eq!(account_of_keyring("zz"), None);
    }
}
