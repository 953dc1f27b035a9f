//! API keys: who may call, on which accounts, with which role.
//!
//! A key is `fsk_` followed by 64 hex digits (256 random bits). The keys file stores only
//! the SHA-256 of each key with its name, role and account patterns; a key is shown once,
//! when `followscore keys add` makes it. A presented key is hashed and compared with every
//! stored hash in constant time, without stopping at a match, so timing tells nothing about
//! which hashes exist. A fast hash is enough because the keys are random: there is no
//! password to guess, and a slow hash would cost every call.
//!
//! The live `Keyring` is swapped whole when the file changes (SIGHUP or a change seen by
//! polling): a call sees either the old keys or the new ones, never a mix. A file that no
//! longer parses is reported and the keys in force stay.
//!
//! Owns no transport and no storage: the gRPC gate asks it who a caller is and whether a
//! role and an account are covered; nothing here is logged but key names.

mod file;

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, RwLock};
use std::time::SystemTime;

use sha2::{Digest as _, Sha256};
use subtle::ConstantTimeEq as _;

pub use file::{KeyEntry, KeysFile, KeysFileError};

/// Every key starts with this, so a leaked key is recognisable in a secret scanner.
pub const KEY_PREFIX: &str = "fsk_";

/// What a key may do. Each role includes the ones below it.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// GetAccount, GetFollower, ListFollowers, GetNetworkQuality.
    Read,
    /// Read, plus scoring, classifying, importing, engagement, overrides and unfollows.
    Write,
    /// Write, plus creating, changing and deleting accounts and forgetting followers.
    Admin,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Read => "read",
            Role::Write => "write",
            Role::Admin => "admin",
        }
    }

    pub fn parse(raw: &str) -> Option<Role> {
        match raw {
            "read" => Some(Role::Read),
            "write" => Some(Role::Write),
            "admin" => Some(Role::Admin),
            _ => None,
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The accounts a key covers: one exact id, every id under a tenant prefix ending in `/`
/// (`acme/` covers `acme/emea` and `acme/us`, not `acme` or `acmecorp/x`), or `*` for all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AccountPattern {
    All,
    Prefix(String),
    Exact(String),
}

impl AccountPattern {
    pub fn parse(raw: &str) -> Result<Self, String> {
        let raw = raw.trim();
        if raw.is_empty() {
            return Err("an account pattern must not be empty".into());
        }
        if raw.chars().any(char::is_control) {
            return Err("an account pattern must not contain control characters".into());
        }
        if raw == "*" {
            return Ok(AccountPattern::All);
        }
        if raw.contains('*') {
            return Err(format!(
                "{raw:?}: `*` stands alone (every account); a tenant prefix ends in `/`, as `acme/`"
            ));
        }
        if raw.ends_with('/') {
            return Ok(AccountPattern::Prefix(raw.to_owned()));
        }
        Ok(AccountPattern::Exact(raw.to_owned()))
    }

    pub fn covers(&self, account: &str) -> bool {
        match self {
            AccountPattern::All => true,
            AccountPattern::Prefix(prefix) => account.starts_with(prefix.as_str()),
            AccountPattern::Exact(id) => account == id,
        }
    }
}

impl fmt::Display for AccountPattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AccountPattern::All => f.write_str("*"),
            AccountPattern::Prefix(p) | AccountPattern::Exact(p) => f.write_str(p),
        }
    }
}

/// SHA-256 of a key as presented.
pub fn hash_key(key: &str) -> [u8; 32] {
    Sha256::digest(key.as_bytes()).into()
}

/// A new random key: `fsk_` and 64 hex digits from the operating system's generator.
pub fn generate_key() -> Result<String, getrandom::Error> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes)?;
    Ok(format!("{KEY_PREFIX}{}", hex::encode(bytes)))
}

/// A caller identified by its key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Principal {
    /// The key's name (not secret; used for per-key limits and logs).
    pub name: String,
    pub role: Role,
    pub accounts: Vec<AccountPattern>,
    hash: [u8; 32],
}

impl Principal {
    pub fn covers(&self, account: &str) -> bool {
        self.accounts.iter().any(|p| p.covers(account))
    }
}

/// One version of the keys file, parsed and checked.
#[derive(Debug, Default)]
pub struct KeySet {
    keys: Vec<Arc<Principal>>,
}

impl KeySet {
    pub fn from_file(file: &KeysFile) -> Result<Self, KeysFileError> {
        let keys = file
            .keys
            .iter()
            .map(|entry| {
                Ok(Arc::new(Principal {
                    name: entry.name.clone(),
                    role: entry.role,
                    accounts: entry.patterns()?,
                    hash: entry.hash()?,
                }))
            })
            .collect::<Result<_, KeysFileError>>()?;
        Ok(Self { keys })
    }

    /// The key's owner, if the key is known. Every stored hash is compared, in constant
    /// time each, whatever matched before.
    pub fn authenticate(&self, presented: &str) -> Option<Arc<Principal>> {
        let hash = hash_key(presented);
        let mut found = None;
        for key in &self.keys {
            if bool::from(key.hash.ct_eq(&hash)) {
                found = Some(key.clone());
            }
        }
        found
    }

    /// Whether this principal's key is still in force (not revoked, role and accounts
    /// unchanged): long streams check it as they go.
    pub fn still_valid(&self, principal: &Principal) -> bool {
        self.keys.iter().any(|key| **key == *principal)
    }

    pub fn len(&self) -> usize {
        self.keys.len()
    }

    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }
}

/// The keys in force, reloaded from their file on request.
#[derive(Debug)]
pub struct Keyring {
    path: PathBuf,
    current: RwLock<Arc<KeySet>>,
    /// Modification time and length when last loaded, to notice changes by polling.
    seen: Mutex<Option<(SystemTime, u64)>>,
}

impl Keyring {
    /// Loads the keys file; a missing or invalid file is an error (the server must not
    /// start open by accident).
    pub fn load(path: &Path) -> Result<Self, KeysFileError> {
        let seen = file_stamp(path);
        let set = KeySet::from_file(&KeysFile::read(path)?)?;
        Ok(Self {
            path: path.to_owned(),
            current: RwLock::new(Arc::new(set)),
            seen: Mutex::new(seen),
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn current(&self) -> Arc<KeySet> {
        self.current
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// Reads the file again and swaps the keys in; on error the old keys stay in force.
    /// Returns the number of keys now in force.
    pub fn reload(&self) -> Result<usize, KeysFileError> {
        let seen = file_stamp(&self.path);
        let set = KeySet::from_file(&KeysFile::read(&self.path)?)?;
        let count = set.len();
        *self.current.write().unwrap_or_else(|p| p.into_inner()) = Arc::new(set);
        *self.seen.lock().unwrap_or_else(|p| p.into_inner()) = seen;
        Ok(count)
    }

    /// Reloads if the file's modification time or length changed since the last load.
    /// `None` when nothing changed.
    pub fn reload_if_changed(&self) -> Option<Result<usize, KeysFileError>> {
        let now = file_stamp(&self.path);
        let changed = *self.seen.lock().unwrap_or_else(|p| p.into_inner()) != now;
        changed.then(|| {
            let result = self.reload();
            if result.is_err() {
                // Remember the broken version too, so it is reported once, not every poll.
                *self.seen.lock().unwrap_or_else(|p| p.into_inner()) = now;
            }
            result
        })
    }
}

fn file_stamp(path: &Path) -> Option<(SystemTime, u64)> {
    let meta = std::fs::metadata(path).ok()?;
    Some((meta.modified().ok()?, meta.len()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(pattern: &str, account: &str, expected: bool) {
        let parsed = AccountPattern::parse(pattern).unwrap();
        assert_eq!(parsed.covers(account), expected, "{pattern} on {account}");
    }

    #[test]
    fn patterns_cover_exact_ids_tenants_or_all() {
        check("northwind", "northwind", true);
        check("northwind", "northwind2", false);
        check("acme/", "acme/emea", true);
        check("acme/", "acme", false);
        check("acme/", "acmecorp/x", false);
        check("*", "anything", true);
        assert!(AccountPattern::parse("acme*").is_err());
        assert!(AccountPattern::parse(" ").is_err());
    }

    #[test]
    fn roles_are_ordered() {
        assert!(Role::Read < Role::Write && Role::Write < Role::Admin);
    }

    #[test]
    fn a_generated_key_authenticates_by_its_hash_only() {
        let key = generate_key().unwrap();
        assert!(key.starts_with(KEY_PREFIX) && key.len() == KEY_PREFIX.len() + 64);
        let file = KeysFile {
            keys: vec![KeyEntry::new("crm", Role::Write, &["acme/".into()], &key).unwrap()],
        };
        let text = file.to_toml().unwrap();
        assert!(!text.contains(&key), "the file holds the hash only");
        let set = KeySet::from_file(&file).unwrap();
        let who = set.authenticate(&key).unwrap();
        assert_eq!((who.name.as_str(), who.role), ("crm", Role::Write));
        assert!(set.authenticate(&generate_key().unwrap()).is_none());
        assert!(set.authenticate("").is_none());
    }
}
