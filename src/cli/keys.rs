//! `followscore keys add|list|revoke`: manage the API keys file. `add` prints the new key
//! once, on standard output, and stores only its hash; nothing here ever reads a key back.
//! A running server picks the change up by itself (it watches the file) or on SIGHUP.

use std::path::PathBuf;

use anyhow::Context as _;

use crate::auth::{self, KeyEntry, KeysFile, Role};

#[derive(Debug, clap::Args)]
pub struct KeysArgs {
    #[command(subcommand)]
    pub command: KeysCommand,
}

#[derive(Debug, clap::Subcommand)]
pub enum KeysCommand {
    /// Make a new key, store its hash and print the key once.
    Add {
        /// A name for the key, unique in the file (letters, digits, `-`, `_`, `.`).
        #[arg(long)]
        name: String,
        /// read, write or admin.
        #[arg(long, value_parser = parse_role)]
        role: Role,
        /// Accounts the key may use: exact ids, tenant prefixes ending in `/` (`acme/`), or
        /// `*`; comma-separated or repeated.
        #[arg(long, value_delimiter = ',', required = true)]
        accounts: Vec<String>,
        #[command(flatten)]
        file: KeysFileArg,
    },
    /// List the keys' names, roles and account patterns.
    List {
        #[command(flatten)]
        file: KeysFileArg,
    },
    /// Remove a key; calls with it fail from the server's next reload on.
    Revoke {
        /// The key's name.
        name: String,
        #[command(flatten)]
        file: KeysFileArg,
    },
}

#[derive(Debug, clap::Args)]
pub struct KeysFileArg {
    /// The keys file the server reads.
    #[arg(long, env = "FOLLOWSCORE_KEYS_FILE")]
    pub keys_file: PathBuf,
}

fn parse_role(raw: &str) -> Result<Role, String> {
    Role::parse(&raw.to_ascii_lowercase())
        .ok_or_else(|| format!("{raw:?} is not a role: read, write or admin"))
}

pub fn keys(args: &KeysArgs) -> anyhow::Result<()> {
    match &args.command {
        KeysCommand::Add {
            name,
            role,
            accounts,
            file,
        } => {
            let mut keys = KeysFile::read_or_empty(&file.keys_file)?;
            if keys.keys.iter().any(|k| &k.name == name) {
                anyhow::bail!(
                    "a key named {name:?} already exists in {}; revoke it first or choose another name",
                    file.keys_file.display()
                );
            }
            let key = auth::generate_key().context("cannot get random bytes for a key")?;
            keys.keys.push(KeyEntry::new(name, *role, accounts, &key)?);
            keys.write(&file.keys_file)?;
            println!("{key}");
            eprintln!(
                "key {name:?} ({role}, accounts {}) added to {}; the key above is shown only now",
                accounts.join(","),
                file.keys_file.display()
            );
            Ok(())
        }
        KeysCommand::List { file } => {
            let keys = KeysFile::read(&file.keys_file)?;
            println!("name\trole\taccounts");
            for key in &keys.keys {
                println!("{}\t{}\t{}", key.name, key.role, key.accounts.join(","));
            }
            Ok(())
        }
        KeysCommand::Revoke { name, file } => {
            let mut keys = KeysFile::read(&file.keys_file)?;
            let before = keys.keys.len();
            keys.keys.retain(|k| &k.name != name);
            if keys.keys.len() == before {
                anyhow::bail!("no key named {name:?} in {}", file.keys_file.display());
            }
            keys.write(&file.keys_file)?;
            eprintln!("key {name:?} revoked in {}", file.keys_file.display());
            Ok(())
        }
    }
}
