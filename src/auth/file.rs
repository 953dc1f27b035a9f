//! The keys file: TOML, one `[[key]]` table per key with its name, role, account patterns
//! and the SHA-256 of the key in hex. Written by `followscore keys`, read by the server.
//!
//! ```toml
//! [[key]]
//! name = "crm-sync"
//! role = "write"
//! accounts = ["acme/", "northwind"]
//! sha256 = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
//! ```

use std::io::Write as _;
use std::path::{Path, PathBuf};

use super::{AccountPattern, Role, hash_key};

#[derive(Debug, thiserror::Error)]
pub enum KeysFileError {
    #[error("cannot read the keys file {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("the keys file {path} is not valid: {message}")]
    Parse { path: PathBuf, message: String },
    #[error("key {name:?}: {message}")]
    Invalid { name: String, message: String },
    #[error("cannot write the keys file {path}: {source}")]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
}

#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KeysFile {
    #[serde(default, rename = "key")]
    pub keys: Vec<KeyEntry>,
}

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KeyEntry {
    pub name: String,
    pub role: Role,
    pub accounts: Vec<String>,
    /// SHA-256 of the key, lower-case hex.
    pub sha256: String,
}

impl KeyEntry {
    /// An entry for a freshly made key; only its hash is kept.
    pub fn new(
        name: &str,
        role: Role,
        accounts: &[String],
        key: &str,
    ) -> Result<Self, KeysFileError> {
        let entry = Self {
            name: name.to_owned(),
            role,
            accounts: accounts.to_vec(),
            sha256: hex::encode(hash_key(key)),
        };
        entry.patterns()?;
        entry.check_name()?;
        Ok(entry)
    }

    fn invalid(&self, message: impl Into<String>) -> KeysFileError {
        KeysFileError::Invalid {
            name: self.name.clone(),
            message: message.into(),
        }
    }

    fn check_name(&self) -> Result<(), KeysFileError> {
        let ok = !self.name.is_empty()
            && self.name.len() <= 64
            && self
                .name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
        if ok {
            Ok(())
        } else {
            Err(self.invalid("name: 1 to 64 letters, digits, `-`, `_` or `.`"))
        }
    }

    pub fn patterns(&self) -> Result<Vec<AccountPattern>, KeysFileError> {
        if self.accounts.is_empty() {
            return Err(self.invalid("accounts: at least one pattern is required"));
        }
        self.accounts
            .iter()
            .map(|p| AccountPattern::parse(p).map_err(|m| self.invalid(format!("accounts: {m}"))))
            .collect()
    }

    pub fn hash(&self) -> Result<[u8; 32], KeysFileError> {
        let mut out = [0u8; 32];
        hex::decode_to_slice(&self.sha256, &mut out)
            .map_err(|_| self.invalid("sha256: must be 64 hex digits (the key's SHA-256)"))?;
        Ok(out)
    }
}

impl KeysFile {
    /// Reads and checks the file: every entry valid, names unique.
    pub fn read(path: &Path) -> Result<Self, KeysFileError> {
        let text = std::fs::read_to_string(path).map_err(|source| KeysFileError::Read {
            path: path.to_owned(),
            source,
        })?;
        let file: KeysFile = toml::from_str(&text).map_err(|e| KeysFileError::Parse {
            path: path.to_owned(),
            message: e.to_string(),
        })?;
        file.check()?;
        Ok(file)
    }

    /// Reads the file, or an empty one when it does not exist yet (`keys add`).
    pub fn read_or_empty(path: &Path) -> Result<Self, KeysFileError> {
        if path.exists() {
            Self::read(path)
        } else {
            Ok(Self::default())
        }
    }

    fn check(&self) -> Result<(), KeysFileError> {
        let mut names = std::collections::HashSet::new();
        for entry in &self.keys {
            entry.check_name()?;
            entry.patterns()?;
            entry.hash()?;
            if !names.insert(entry.name.as_str()) {
                return Err(entry.invalid("name: used by another key"));
            }
        }
        Ok(())
    }

    pub fn to_toml(&self) -> Result<String, toml::ser::Error> {
        let body = toml::to_string(self)?;
        Ok(format!(
            "# followscore API keys: hashes only. Managed with `followscore keys add|list|revoke`.\n\n{body}"
        ))
    }

    /// Writes the file whole through a temporary file and a rename, readable by its owner
    /// only, so the server never reads half a file.
    pub fn write(&self, path: &Path) -> Result<(), KeysFileError> {
        let fail = |source| KeysFileError::Write {
            path: path.to_owned(),
            source,
        };
        self.check()?;
        let text = self.to_toml().map_err(|e| fail(std::io::Error::other(e)))?;
        let dir = match path.parent() {
            Some(d) if !d.as_os_str().is_empty() => d,
            _ => Path::new("."),
        };
        let mut tmp = tempfile_in(dir).map_err(fail)?;
        tmp.1.write_all(text.as_bytes()).map_err(fail)?;
        tmp.1.sync_all().map_err(fail)?;
        std::fs::rename(&tmp.0, path).map_err(fail)?;
        Ok(())
    }
}

/// A new file beside the target, mode 0600 on Unix.
fn tempfile_in(dir: &Path) -> std::io::Result<(PathBuf, std::fs::File)> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut suffix = [0u8; 8];
    getrandom::fill(&mut suffix).map_err(std::io::Error::other)?;
    let path = dir.join(format!(".followscore-keys-{}.tmp", hex::encode(suffix)));
    let file = options.open(&path)?;
    Ok((path, file))
}
