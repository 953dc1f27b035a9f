//! The shared backend: a Redis Cluster that several followscore replicas use at once.
//!
//! Layout in `layout.rs`: an account lives in one hash slot, so each `AccountWrite` is one
//! Lua script (`write.lua`) on one primary, atomic. Replicas agree by optimistic
//! concurrency: the script applies a write only if every follower it rewrites is still at
//! the revision the replica read, and the account's configuration and lead model are still
//! the ones the replica scored with; otherwise it changes nothing and the service reloads
//! and tries again. Counters move by deltas (`HINCRBY`), never by a replica's copy.
//!
//! Durability is the cluster's: a script's reply comes after the primary's append-only
//! file is synced when the primaries run with `appendfsync always`; with `min_replicas`,
//! a write is acknowledged only once `WAIT` reports that many replicas have it. What a
//! failover can still lose is stated in ARCHITECTURE.md ("Storage backends").
//!
//! The service's store methods are blocking; the `redis` client is asynchronous. The store
//! runs the client on a runtime of its own (one thread) and each call waits for its answer
//! on a channel, so callers may be on any thread, inside another runtime or not. Calls from
//! many threads share one multiplexed connection per node.
//!
//! This is the only module that names `redis`.

mod layout;

use std::collections::HashMap;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use redis::cluster_async::ClusterConnection;
use redis::cluster_routing::{
    MultipleNodeRoutingInfo, Route, RoutingInfo, SingleNodeRoutingInfo, SlotAddr,
};
use redis::{RedisError, Script, Value};

use super::codec;
use super::durability::{Durable, Ticket};
use super::write::{AccountWrite, Change};
use super::{
    AccountBackend, Backend, FollowerRecord, OutcomeEntry, Result, Revision, StoreError, StoredDeal,
};
use crate::engine::account::AccountConfig;
use crate::engine::counting::aggregates::{AccountAggregates, VersionStamp};
use crate::engine::deciding::engagement::LedgerEntry;
use crate::engine::ids::{AccountId, FollowerKey};
use crate::engine::learning::{FrozenFeatures, LeadModel};

use layout::{AccountKeys, CounterHash};

/// How to reach the cluster and what to ask of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RedisOptions {
    /// Seed nodes, `host:port`; the client discovers the rest of the cluster from them.
    pub nodes: Vec<String>,
    /// Prefix of every key, so several deployments (or test runs) can share a cluster.
    pub namespace: String,
    /// Replicas that must confirm a write (`WAIT`) before it is acknowledged; 0 trusts the
    /// primary's append-only file alone.
    pub min_replicas: u32,
    /// How long a write waits for those replicas before it fails as not replicated.
    pub replica_timeout: Duration,
    /// How long any one command may take before it fails.
    pub response_timeout: Duration,
}

impl Default for RedisOptions {
    fn default() -> Self {
        Self {
            nodes: Vec::new(),
            namespace: "followscore".into(),
            min_replicas: 0,
            replica_timeout: Duration::from_secs(2),
            response_timeout: Duration::from_secs(10),
        }
    }
}

/// The client's runtime and connection, shared by the store and its accounts.
struct Client {
    /// `None` only while dropping (a runtime may not be dropped inside another).
    runtime: Option<tokio::runtime::Runtime>,
    connection: ClusterConnection,
    options: RedisOptions,
    write: Arc<Script>,
    put_account: Arc<Script>,
    delete_account: Arc<Script>,
    lease: Arc<Script>,
    swept: Arc<Script>,
}

impl Drop for Client {
    fn drop(&mut self) {
        if let Some(runtime) = self.runtime.take() {
            runtime.shutdown_background();
        }
    }
}

/// See `StoreError::is_outage`.
pub(super) fn is_outage(error: &RedisError) -> bool {
    !matches!(
        error.kind(),
        redis::ErrorKind::Parse
            | redis::ErrorKind::UnexpectedReturnType
            | redis::ErrorKind::InvalidClientConfig
    )
}

fn stopped() -> StoreError {
    StoreError::Redis(RedisError::from(std::io::Error::new(
        std::io::ErrorKind::BrokenPipe,
        "the redis client has stopped",
    )))
}

impl Client {
    /// Runs `future` on the client's runtime and waits for its answer.
    fn run<T, F>(&self, future: F) -> Result<T>
    where
        T: Send + 'static,
        F: Future<Output = redis::RedisResult<T>> + Send + 'static,
    {
        let runtime = self.runtime.as_ref().ok_or_else(stopped)?;
        let (answer, answered) = std::sync::mpsc::sync_channel(1);
        runtime.spawn(async move {
            let _ = answer.send(future.await);
        });
        answered
            .recv()
            .map_err(|_| stopped())?
            .map_err(StoreError::Redis)
    }

    fn connection(&self) -> ClusterConnection {
        self.connection.clone()
    }

    /// One command, routed by its key.
    fn query<T: redis::FromRedisValue + Send + 'static>(&self, cmd: redis::Cmd) -> Result<T> {
        let mut connection = self.connection();
        self.run(async move { cmd.query_async(&mut connection).await })
    }

    /// Runs a script on the slot of its first key.
    fn script(&self, script: &Arc<Script>, keys: &[&str], args: Vec<Vec<u8>>) -> Result<Value> {
        let script = script.clone();
        let keys: Vec<String> = keys.iter().map(|k| (*k).to_owned()).collect();
        let mut connection = self.connection();
        self.run(async move {
            let mut invocation = script.prepare_invoke();
            for key in &keys {
                invocation.key(key);
            }
            for arg in &args {
                invocation.arg(arg.as_slice());
            }
            invocation.invoke_async(&mut connection).await
        })
    }

    /// Waits until `min_replicas` replicas of the primary of `key`'s slot have every write
    /// made on the connection so far.
    fn replicate(&self, key: &str) -> Result<()> {
        let required = self.options.min_replicas;
        if required == 0 {
            return Ok(());
        }
        let mut cmd = redis::cmd("WAIT");
        cmd.arg(required)
            .arg(self.options.replica_timeout.as_millis() as u64);
        let route = RoutingInfo::SingleNode(SingleNodeRoutingInfo::SpecificNode(Route::with_key(
            key.as_bytes(),
            SlotAddr::Master,
        )));
        let mut connection = self.connection();
        let acknowledged: i64 = self.run(async move {
            let value = connection.route_command(cmd, route).await?;
            redis::from_redis_value(value).map_err(RedisError::from)
        })?;
        let acknowledged = u32::try_from(acknowledged).unwrap_or(0);
        if acknowledged < required {
            return Err(StoreError::NotReplicated {
                required,
                acknowledged,
            });
        }
        Ok(())
    }
}

/// A script's answer: a status word, then its details.
fn reply_words(value: Value) -> Result<Vec<Vec<u8>>> {
    redis::from_redis_value(value).map_err(|e| StoreError::Redis(RedisError::from(e)))
}

fn parse_u64(bytes: &[u8]) -> Result<u64> {
    std::str::from_utf8(bytes)
        .ok()
        .and_then(|s| s.parse().ok())
        .ok_or(StoreError::UnknownFormat(0))
}

/// The store over a Redis Cluster.
#[derive(Clone)]
pub(crate) struct RedisStore {
    client: Arc<Client>,
}

impl std::fmt::Debug for RedisStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RedisStore")
            .field("nodes", &self.client.options.nodes)
            .field("namespace", &self.client.options.namespace)
            .finish_non_exhaustive()
    }
}

impl RedisStore {
    /// Connects to the cluster (failing if no seed node answers) and checks it serves.
    pub(crate) fn open(options: &RedisOptions) -> Result<Self> {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .thread_name("redis-client")
            .enable_all()
            .build()
            .map_err(StoreError::Thread)?;
        let urls = options.nodes.iter().map(|node| match node.contains("://") {
            true => node.clone(),
            false => format!("redis://{node}"),
        });
        let client = redis::cluster::ClusterClientBuilder::new(urls)
            .connection_timeout(Duration::from_secs(5))
            .response_timeout(options.response_timeout)
            .retries(6)
            .build()
            .map_err(StoreError::Redis)?;
        let connection = runtime
            .block_on(client.get_async_connection())
            .map_err(StoreError::Redis)?;
        let store = Self {
            client: Arc::new(Client {
                runtime: Some(runtime),
                connection,
                options: options.clone(),
                write: Arc::new(Script::new(include_str!("write.lua"))),
                put_account: Arc::new(Script::new(include_str!("put_account.lua"))),
                delete_account: Arc::new(Script::new(include_str!("delete_account.lua"))),
                lease: Arc::new(Script::new(include_str!("lease.lua"))),
                swept: Arc::new(Script::new(include_str!("swept.lua"))),
            }),
        };
        // A first command proves the cluster answers and covers the registry's slot.
        store.client.query::<Value>(
            redis::cmd("EXISTS")
                .arg(layout::registry_key(&options.namespace))
                .to_owned(),
        )?;
        Ok(store)
    }

    fn keys(&self, id: &AccountId) -> AccountKeys {
        AccountKeys::new(&self.client.options.namespace, id)
    }

    fn registry(&self) -> String {
        layout::registry_key(&self.client.options.namespace)
    }
}

impl Backend for RedisStore {
    fn put_account(&self, config: &AccountConfig) -> Result<()> {
        let keys = self.keys(&config.account_id);
        // Registered first: a registry entry without a configuration is skipped by
        // `list_accounts`; a configuration without an entry would be invisible.
        self.client.query::<Value>(
            redis::cmd("SADD")
                .arg(self.registry())
                .arg(config.account_id.as_str())
                .to_owned(),
        )?;
        let reply = self.client.script(
            &self.client.put_account,
            &[&keys.versions, &keys.config],
            vec![
                config
                    .config_version
                    .saturating_sub(1)
                    .to_string()
                    .into_bytes(),
                config.config_version.to_string().into_bytes(),
                codec::encode_account(config)?,
            ],
        )?;
        match reply_words(reply)?.first().map(Vec::as_slice) {
            Some(b"ok") => self.client.replicate(&keys.versions),
            _ => Err(StoreError::Conflict("the account's configuration")),
        }
    }

    fn get_account(&self, id: &AccountId) -> Result<Option<AccountConfig>> {
        let bytes: Option<Vec<u8>> = self
            .client
            .query(redis::cmd("GET").arg(self.keys(id).config).to_owned())?;
        bytes.map(|b| codec::decode_account(&b)).transpose()
    }

    fn list_accounts(&self) -> Result<Vec<AccountConfig>> {
        let mut ids: Vec<String> = self
            .client
            .query(redis::cmd("SMEMBERS").arg(self.registry()).to_owned())?;
        ids.sort();
        let mut accounts = Vec::with_capacity(ids.len());
        for id in ids {
            let Ok(id) = AccountId::parse(&id) else {
                continue;
            };
            if let Some(config) = self.get_account(&id)? {
                accounts.push(config);
            }
        }
        Ok(accounts)
    }

    fn delete_account(&self, id: &AccountId) -> Result<u64> {
        let keys = self.keys(id);
        let reply = reply_words(self.client.script(
            &self.client.delete_account,
            &keys.all(),
            Vec::new(),
        )?)?;
        self.client.replicate(&keys.versions)?;
        self.client.query::<Value>(
            redis::cmd("SREM")
                .arg(self.registry())
                .arg(id.as_str())
                .to_owned(),
        )?;
        match reply.as_slice() {
            [_, stored] => parse_u64(stored),
            _ => Err(StoreError::UnknownFormat(0)),
        }
    }

    fn account(&self, id: &AccountId) -> Result<Arc<dyn AccountBackend>> {
        Ok(Arc::new(RedisAccount {
            client: self.client.clone(),
            keys: self.keys(id),
        }))
    }

    /// A script's reply comes after the primary synced it (and `WAIT`ed for replicas when
    /// asked): a write is durable when `apply` returns, so there is nothing to wait for.
    fn ticket(&self) -> Ticket {
        Ticket::NONE
    }

    fn wait(&self, _ticket: Ticket) -> Result<()> {
        Ok(())
    }

    fn durable(&self, _ticket: Ticket) -> Durable {
        Durable::already()
    }

    fn audit_bytes(&self, needle: &[u8]) -> Result<Vec<String>> {
        let contains =
            |hay: &[u8]| !needle.is_empty() && hay.windows(needle.len()).any(|w| w == needle);
        let mut ids: Vec<String> = self
            .client
            .query(redis::cmd("SMEMBERS").arg(self.registry()).to_owned())?;
        ids.sort();
        let mut found = Vec::new();
        for id in ids {
            let Ok(account) = AccountId::parse(&id) else {
                continue;
            };
            let keys = self.keys(&account);
            for key in keys.all() {
                let kind: String = self.client.query(redis::cmd("TYPE").arg(key).to_owned())?;
                let parts: Vec<Vec<u8>> = match kind.as_str() {
                    "hash" => self
                        .client
                        .query(redis::cmd("HGETALL").arg(key).to_owned())?,
                    "zset" => self
                        .client
                        .query(redis::cmd("ZRANGE").arg(key).arg(0).arg(-1).to_owned())?,
                    "string" => {
                        let value: Vec<u8> =
                            self.client.query(redis::cmd("GET").arg(key).to_owned())?;
                        vec![value]
                    }
                    _ => Vec::new(),
                };
                // A record is stored after its revision, and compressed: searched as what
                // it holds, besides its raw bytes.
                let is_records = key == keys.records;
                let holds = |part: &Vec<u8>| {
                    contains(part)
                        || (is_records
                            && layout::split_revision(part)
                                .is_some_and(|(_, record)| contains(&codec::audit_view(record))))
                };
                if parts.iter().any(holds) {
                    found.push(key.to_owned());
                }
            }
        }
        Ok(found)
    }

    /// The primaries' append-only files, summed (`INFO persistence`).
    fn size_on_disk(&self) -> Result<u64> {
        let mut cmd = redis::cmd("INFO");
        cmd.arg("persistence");
        let route = RoutingInfo::MultiNode((MultipleNodeRoutingInfo::AllMasters, None));
        let mut connection = self.client.connection();
        let value = self
            .client
            .run(async move { connection.route_command(cmd, route).await })?;
        let mut total = 0;
        sum_field(&value, "aof_current_size:", &mut total);
        Ok(total)
    }

    fn is_shared(&self) -> bool {
        true
    }
}

/// Adds up `name` lines of every text in a (possibly per-node) reply.
fn sum_field(value: &Value, name: &str, total: &mut u64) {
    match value {
        Value::BulkString(bytes) => {
            for line in String::from_utf8_lossy(bytes).lines() {
                if let Some(n) = line
                    .strip_prefix(name)
                    .and_then(|n| n.trim().parse::<u64>().ok())
                {
                    *total += n;
                }
            }
        }
        Value::VerbatimString { text, .. } => {
            sum_field(&Value::BulkString(text.clone().into_bytes()), name, total)
        }
        Value::Array(values) | Value::Set(values) => {
            values.iter().for_each(|v| sum_field(v, name, total))
        }
        Value::Map(pairs) => pairs.iter().for_each(|(_, v)| sum_field(v, name, total)),
        _ => {}
    }
}

/// One account in the cluster.
struct RedisAccount {
    client: Arc<Client>,
    keys: AccountKeys,
}

impl std::fmt::Debug for RedisAccount {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RedisAccount")
            .field("keys", &self.keys.versions)
            .finish_non_exhaustive()
    }
}

impl RedisAccount {
    fn hget(&self, key: &str, field: &[u8]) -> Result<Option<Vec<u8>>> {
        self.client
            .query(redis::cmd("HGET").arg(key).arg(field).to_owned())
    }

    fn hgetall(&self, key: &str) -> Result<HashMap<Vec<u8>, Vec<u8>>> {
        self.client.query(redis::cmd("HGETALL").arg(key).to_owned())
    }

    fn record(key: &FollowerKey, value: &[u8]) -> Result<FollowerRecord> {
        let (revision, bytes) = layout::split_revision(value).ok_or(StoreError::Damaged)?;
        let mut record = codec::decode_stored_record(bytes.to_vec())?;
        if record.result.key != *key {
            return Err(StoreError::Damaged);
        }
        record.revision = Revision(revision);
        Ok(record)
    }

    fn framed<T: serde::de::DeserializeOwned>(bytes: &[u8]) -> Result<Vec<(String, T)>> {
        layout::frames(bytes)
            .ok_or(StoreError::Damaged)?
            .into_iter()
            .map(|(id, value)| Ok((id, codec::decode(value)?)))
            .collect()
    }
}

impl AccountBackend for RedisAccount {
    fn load_aggregates(&self) -> Result<AccountAggregates> {
        let counters = self.hgetall(&self.keys.counters)?;
        let days = self.hgetall(&self.keys.days)?;
        let mut aggregates = AccountAggregates::default();
        for (hash, fields) in [
            (CounterHash::Counters, &counters),
            (CounterHash::Days, &days),
        ] {
            for (field, value) in fields {
                let field = String::from_utf8_lossy(field);
                if let Some(counter) = layout::counter_of_field(hash, &field) {
                    // A counter below zero would be a bug; read as the sled store's
                    // saturating counters read it.
                    let value = std::str::from_utf8(value)
                        .ok()
                        .and_then(|v| v.parse::<i64>().ok())
                        .ok_or(StoreError::UnknownFormat(0))?;
                    aggregates.change(counter, value.max(0) as u64, true);
                }
            }
        }
        // `config_version|model_version`, as `apply` writes it.
        aggregates.fresh_stamp = counters
            .get(b"fresh_stamp".as_slice())
            .and_then(|stamp| {
                let stamp = String::from_utf8_lossy(stamp);
                let (config, model) = stamp.split_once('|')?;
                Some(VersionStamp {
                    config_version: config.parse().ok()?,
                    model_version: model.to_owned(),
                })
            })
            .unwrap_or_default();
        Ok(aggregates)
    }

    fn get_follower(&self, key: &FollowerKey) -> Result<Option<FollowerRecord>> {
        self.hget(&self.keys.records, &layout::follower_field(key))?
            .map(|value| Self::record(key, &value))
            .transpose()
    }

    fn get_followers(&self, keys: &[FollowerKey]) -> Result<Vec<Option<FollowerRecord>>> {
        if keys.is_empty() {
            return Ok(Vec::new());
        }
        let mut cmd = redis::cmd("HMGET");
        cmd.arg(&self.keys.records);
        for key in keys {
            cmd.arg(layout::follower_field(key));
        }
        let values: Vec<Option<Vec<u8>>> = self.client.query(cmd)?;
        keys.iter()
            .zip(values)
            .map(|(key, value)| value.map(|v| Self::record(key, &v)).transpose())
            .collect()
    }

    fn ledger(&self, key: &FollowerKey) -> Result<Vec<(String, LedgerEntry)>> {
        match self.hget(&self.keys.ledgers, &layout::follower_field(key))? {
            Some(bytes) => Self::framed(&bytes),
            None => Ok(Vec::new()),
        }
    }

    fn has_outcome(&self, outcome_id: &str) -> Result<bool> {
        self.client.query(
            redis::cmd("HEXISTS")
                .arg(&self.keys.seen)
                .arg(outcome_id)
                .to_owned(),
        )
    }

    fn frozen(&self, key: &FollowerKey) -> Result<Option<FrozenFeatures>> {
        self.hget(&self.keys.frozen, &layout::follower_field(key))?
            .map(|bytes| codec::decode(&bytes))
            .transpose()
    }

    fn outcome_ids(&self, key: &FollowerKey) -> Result<Vec<String>> {
        Ok(
            match self.hget(&self.keys.outcomes, &layout::follower_field(key))? {
                Some(bytes) => layout::frames(&bytes)
                    .ok_or(StoreError::Damaged)?
                    .into_iter()
                    .map(|(id, _)| id)
                    .collect(),
                None => Vec::new(),
            },
        )
    }

    fn deals(&self) -> Result<Vec<StoredDeal>> {
        let frozen = self.hgetall(&self.keys.frozen)?;
        let mut outcomes = self.hgetall(&self.keys.outcomes)?;
        let mut deals = Vec::with_capacity(frozen.len());
        for (field, value) in frozen {
            let key = layout::follower_of_field(&field).ok_or(StoreError::Damaged)?;
            let outcomes: Vec<(String, OutcomeEntry)> = match outcomes.remove(&field) {
                Some(bytes) => Self::framed(&bytes)?,
                None => Vec::new(),
            };
            deals.push(StoredDeal {
                key,
                frozen: codec::decode(&value)?,
                outcomes,
            });
        }
        deals.sort_by(|a, b| a.key.cmp(&b.key));
        Ok(deals)
    }

    fn lead_model(&self) -> Result<Option<LeadModel>> {
        self.hget(&self.keys.models, b"current")?
            .map(|bytes| codec::decode(&bytes))
            .transpose()
    }

    fn lead_model_version(&self, version: u64) -> Result<Option<LeadModel>> {
        self.hget(&self.keys.models, version.to_string().as_bytes())?
            .map(|bytes| codec::decode(&bytes))
            .transpose()
    }

    fn has_event(&self, key: &FollowerKey, event_id: &str) -> Result<bool> {
        Ok(self.ledger(key)?.iter().any(|(id, _)| id == event_id))
    }

    fn scan_followers(
        &self,
        after: Option<&FollowerKey>,
        limit: usize,
    ) -> Result<Vec<FollowerRecord>> {
        let after = after.map(layout::follower_field);
        let fields: Vec<Vec<u8>> = self.client.query(
            redis::cmd("ZRANGEBYLEX")
                .arg(&self.keys.order)
                .arg(layout::lex_after(after.as_deref()))
                .arg("+")
                .arg("LIMIT")
                .arg(0)
                .arg(limit)
                .to_owned(),
        )?;
        let keys = fields
            .iter()
            .map(|field| layout::follower_of_field(field).ok_or(StoreError::Damaged))
            .collect::<Result<Vec<_>>>()?;
        // A follower forgotten between the two reads is simply not there.
        Ok(self.get_followers(&keys)?.into_iter().flatten().collect())
    }

    fn apply(&self, write: AccountWrite) -> Result<u64> {
        let mut args: Vec<Vec<u8>> = Vec::new();
        match &write.stamp {
            Some(stamp) => {
                args.push(stamp.config_version.to_string().into_bytes());
                args.push(stamp.lead_model_version.to_string().into_bytes());
                // What a fresh result carries: both versions.
                args.push(format!("{}|{}", stamp.config_version, stamp.model_version).into_bytes());
            }
            None => args.extend([Vec::new(), Vec::new(), Vec::new()]),
        }
        args.push(write.unseen_outcomes.len().to_string().into_bytes());
        args.extend(
            write
                .unseen_outcomes
                .iter()
                .map(|id| id.as_bytes().to_vec()),
        );
        args.push(write.expected.len().to_string().into_bytes());
        for (key, revision) in &write.expected {
            args.push(layout::follower_field(key));
            args.push(layout::revision_bytes(revision.0));
        }
        let op = |args: &mut Vec<Vec<u8>>, code: &[u8], fields: [Vec<u8>; 2]| {
            args.push(code.to_vec());
            args.extend(fields);
        };
        for change in write.changes {
            match change {
                Change::PutFollower { key, record, .. } => {
                    op(&mut args, b"P", [layout::follower_field(&key), record])
                }
                Change::Forget { key, .. } => {
                    args.push(b"F".to_vec());
                    args.push(layout::follower_field(&key));
                }
                Change::PutEvent {
                    key,
                    event_id,
                    entry,
                } => op(
                    &mut args,
                    b"E",
                    [
                        layout::follower_field(&key),
                        layout::frame(&event_id, &entry),
                    ],
                ),
                Change::PutOutcome {
                    key,
                    outcome_id,
                    entry,
                } => op(
                    &mut args,
                    b"O",
                    [
                        layout::follower_field(&key),
                        layout::frame(&outcome_id, &entry),
                    ],
                ),
                Change::PutOutcomeSeen { outcome_id, seen } => {
                    op(&mut args, b"U", [outcome_id.into_bytes(), seen])
                }
                Change::PutFrozen { key, frozen } => {
                    op(&mut args, b"Q", [layout::follower_field(&key), frozen])
                }
                Change::PutLeadModel { version, model } => {
                    op(&mut args, b"M", [version.to_string().into_bytes(), model])
                }
                Change::List { remove, add } => op(
                    &mut args,
                    b"L",
                    [remove.unwrap_or_default(), add.unwrap_or_default()],
                ),
            }
        }
        for (counter, delta) in write.deltas.iter().flat_map(|d| d.iter()) {
            let (hash, field) = layout::counter_field(counter);
            let code: &[u8] = match hash {
                CounterHash::Counters => b"A",
                CounterHash::Days => b"D",
            };
            op(
                &mut args,
                code,
                [field.into_bytes(), delta.to_string().into_bytes()],
            );
        }
        let reply = reply_words(
            self.client
                .script(&self.client.write, &self.keys.all(), args)?,
        )?;
        match reply.first().map(Vec::as_slice) {
            Some(b"ok") => {
                let generation = reply.get(1).map_or(Ok(0), |g| parse_u64(g))?;
                self.client.replicate(&self.keys.versions)?;
                Ok(generation)
            }
            Some(b"gone") => Err(StoreError::AccountGone),
            Some(b"config") => Err(StoreError::Conflict("the account's configuration")),
            Some(b"lead") => Err(StoreError::Conflict("the account's lead model")),
            Some(b"follower") => Err(StoreError::Conflict("a follower")),
            Some(b"outcome") => Err(StoreError::Conflict("an outcome")),
            _ => Err(StoreError::UnknownFormat(0)),
        }
    }

    fn listing(&self, from: Option<&[u8]>, count: usize) -> Result<Option<Vec<Vec<u8>>>> {
        let from = match from {
            Some(bytes) => [b"[".as_slice(), bytes].concat(),
            None => b"-".to_vec(),
        };
        let entries: Vec<Vec<u8>> = self.client.query(
            redis::cmd("ZRANGEBYLEX")
                .arg(&self.keys.listing)
                .arg(from)
                .arg("+")
                .arg("LIMIT")
                .arg(0)
                .arg(count)
                .to_owned(),
        )?;
        Ok(Some(entries))
    }

    fn generation(&self) -> Result<Option<u64>> {
        Ok(Some(match self.hget(&self.keys.versions, b"gen")? {
            Some(generation) => parse_u64(&generation)?,
            None => 0,
        }))
    }

    fn shared_by_replicas(&self) -> bool {
        true
    }

    /// Takes or renews the account's lease for `holder` for `ttl`; false if another holds
    /// it.
    fn lease(&self, holder: &str, ttl: Duration) -> Result<bool> {
        let reply = self.client.script(
            &self.client.lease,
            &[&self.keys.lease],
            vec![
                holder.as_bytes().to_vec(),
                (ttl.as_millis() as u64).to_string().into_bytes(),
            ],
        )?;
        Ok(matches!(reply, Value::Int(1)))
    }

    fn swept_day(&self) -> Result<Option<i64>> {
        self.hget(&self.keys.versions, b"swept")?
            .map(|day| {
                std::str::from_utf8(&day)
                    .ok()
                    .and_then(|day| day.parse().ok())
                    .ok_or(StoreError::UnknownFormat(0))
            })
            .transpose()
    }

    fn set_swept_day(&self, day: i64) -> Result<()> {
        self.client.script(
            &self.client.swept,
            &[&self.keys.versions],
            vec![day.to_string().into_bytes()],
        )?;
        Ok(())
    }
}
