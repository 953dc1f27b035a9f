//! Where offline commands (`followscore export`, `followscore report`) read stored results:
//! a running server (`--addr http://HOST:PORT`, through the public API) or the data
//! directory of a stopped one (`--data-dir DIR`, through the `service` layer, exactly the
//! code the server would run).
//!
//! [`ResultSource`] is the one API both commands use: [`ResultSource::followers`] streams
//! the current followers matching a [`FollowerQuery`], highest lead score first, each with
//! its stored profile (the name, company, title and profile URL a CRM matches records on);
//! [`ResultSource::report`] returns the network quality report with its top leads.
//!
//! The data directory is opened "read-only-ish": nothing is written but what the server
//! itself writes on a read, that is, stale results rescored before they are returned (see
//! ARCHITECTURE.md, "Freshness"). A directory a running server holds is refused with a clear
//! error instead of waiting or competing for it.
//!
//! This module owns no figures and no formats: it never scores, and it neither renders nor
//! writes files (that is the commands' business).

use std::path::{Path, PathBuf};

use anyhow::Context as _;

use crate::engine::bot;
use crate::engine::counting::report::NetworkReport;
use crate::engine::ids::AccountId;
use crate::engine::profile::FollowerProfile;
use crate::engine::result::FollowerResult;
use crate::engine::time::Timestamp;
use crate::engine::vocabulary::Platform;
use crate::grpc::client as wire;
use crate::grpc::pb;
use crate::grpc::pb::follow_score_client::FollowScoreClient;
use crate::service::{FollowerFilter, Limits, Service};
use crate::store::{self, StoreError};
use tonic::service::interceptor::InterceptedService;

/// Results per page read from either source. Small enough that a page of results with
/// their profiles stays far below the server's message size limit.
const PAGE_SIZE: u32 = 100;

/// The largest answer accepted from a server (a report with 100 top leads is far smaller).
const MAX_ANSWER_BYTES: usize = 64 * 1024 * 1024;

/// `--addr` or `--data-dir`: exactly one.
#[derive(Debug, Clone, clap::Args)]
#[group(required = true, multiple = false)]
pub struct SourceArgs {
    /// A running server, e.g. http://127.0.0.1:50051 (or 127.0.0.1:50051).
    #[arg(long, value_name = "URL")]
    pub addr: Option<String>,
    /// The data directory of a stopped server (refused while a server holds it).
    #[arg(long, value_name = "DIR")]
    pub data_dir: Option<PathBuf>,
}

/// Which followers to read: the ListFollowers filters, plus leads only (PROSPECT, CUSTOMER
/// and PARTNER, the categories that get a lead tier).
#[derive(Debug, Clone, Default)]
pub struct FollowerQuery {
    pub filter: FollowerFilter,
    pub leads_only: bool,
}

impl FollowerQuery {
    fn accepts(&self, result: &FollowerResult) -> bool {
        !self.leads_only || result.category.is_lead()
    }
}

/// One current follower: the stored result and the stored profile it was scored from.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredFollower {
    pub result: FollowerResult,
    pub profile: FollowerProfile,
}

/// The network quality report of an account as stored, with what a page about it needs.
#[derive(Debug, Clone)]
pub struct StoredReport {
    pub account_id: AccountId,
    /// The account's display name (its id when it has none).
    pub account_name: String,
    /// The figures and the top leads (`report.top_leads`, highest lead score first).
    pub report: NetworkReport,
    pub config_version: u64,
    pub model_version: String,
}

/// Stored results, from a running server or from a stopped server's data directory.
pub struct ResultSource(Inner);

enum Inner {
    /// A running server, through the public API.
    Server(Box<Connection>),
    /// A stopped server's data directory, through the service layer.
    DataDir(Box<Service>),
}

/// A client of a running server, with the runtime its calls run on.
pub(crate) struct Connection {
    pub(crate) runtime: tokio::runtime::Runtime,
    pub(crate) client: FollowScoreClient<InterceptedService<tonic::transport::Channel, ApiKey>>,
}

impl Connection {
    /// Connects to a running server at `addr` (`http://HOST:PORT`; a bare `HOST:PORT`,
    /// as grpcurl takes it, means plaintext HTTP/2 too), with the API key of
    /// `FOLLOWSCORE_API_KEY` if set.
    pub(crate) fn open(addr: &str) -> anyhow::Result<Self> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?;
        let endpoint = if addr.contains("://") {
            addr.to_owned()
        } else {
            format!("http://{addr}")
        };
        let key = ApiKey::from_env()?;
        let channel = runtime
            .block_on(tonic::transport::Endpoint::from_shared(endpoint)?.connect())
            .with_context(|| format!("cannot connect to the server at {addr}"))?;
        let client = FollowScoreClient::with_interceptor(channel, key)
            .max_decoding_message_size(MAX_ANSWER_BYTES);
        Ok(Self { runtime, client })
    }
}

/// The API key a server that requires one gets, from `FOLLOWSCORE_API_KEY` (an environment
/// variable, not a flag, so the key does not show in process listings).
#[derive(Debug, Clone)]
pub(crate) struct ApiKey(Option<tonic::metadata::MetadataValue<tonic::metadata::Ascii>>);

impl ApiKey {
    fn from_env() -> anyhow::Result<Self> {
        match std::env::var("FOLLOWSCORE_API_KEY") {
            Ok(key) if !key.trim().is_empty() => {
                let value = format!("Bearer {}", key.trim())
                    .parse()
                    .map_err(|_| anyhow::anyhow!("FOLLOWSCORE_API_KEY is not a valid key"))?;
                Ok(Self(Some(value)))
            }
            _ => Ok(Self(None)),
        }
    }
}

impl tonic::service::Interceptor for ApiKey {
    fn call(
        &mut self,
        mut request: tonic::Request<()>,
    ) -> Result<tonic::Request<()>, tonic::Status> {
        if let Some(value) = &self.0 {
            request
                .metadata_mut()
                .insert("authorization", value.clone());
        }
        Ok(request)
    }
}

impl std::fmt::Debug for ResultSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self.0 {
            Inner::Server(_) => "ResultSource::Server",
            Inner::DataDir(_) => "ResultSource::DataDir",
        })
    }
}

impl ResultSource {
    /// The source the command line names.
    pub fn open(args: &SourceArgs) -> anyhow::Result<Self> {
        match (&args.addr, &args.data_dir) {
            (Some(addr), None) => Self::connect(addr),
            (None, Some(dir)) => Self::open_data_dir(dir),
            _ => anyhow::bail!("give exactly one of --addr and --data-dir"),
        }
    }

    /// Connects to a running server at `addr` (`http://HOST:PORT`, or a bare `HOST:PORT`),
    /// with the API key of `FOLLOWSCORE_API_KEY` if set.
    pub fn connect(addr: &str) -> anyhow::Result<Self> {
        Ok(ResultSource(Inner::Server(Box::new(Connection::open(
            addr,
        )?))))
    }

    /// Opens the data directory of a stopped server. Refuses a directory that holds no
    /// followscore data (rather than creating an empty store there) and one that a running
    /// server holds.
    pub fn open_data_dir(dir: &Path) -> anyhow::Result<Self> {
        // sled keeps its pages in a file named `db`; without it this is not a data directory.
        anyhow::ensure!(
            dir.join("db").is_file(),
            "{} is not a followscore data directory (no database in it)",
            dir.display()
        );
        let store = match store::open_at(dir) {
            Ok(store) => store,
            Err(StoreError::Locked(..)) => anyhow::bail!(
                "the data directory {} is in use by a running server: stop it, or read \
                 through it with --addr http://HOST:PORT",
                dir.display()
            ),
            Err(error) => {
                return Err(error)
                    .with_context(|| format!("cannot open the data directory {}", dir.display()));
            }
        };
        let service = Service::open(store, bot::shipped_model(), Limits::default())
            .with_context(|| format!("cannot load the accounts in {}", dir.display()))?;
        Ok(ResultSource(Inner::DataDir(Box::new(service))))
    }

    /// The account's current followers matching `query`, highest lead score first (the
    /// order of ListFollowers), each with its stored profile. Pages are read as the iterator
    /// is advanced; an error ends the iteration.
    pub fn followers(&mut self, account: &AccountId, query: FollowerQuery) -> Followers<'_> {
        Followers {
            source: self,
            account: account.clone(),
            query,
            buffer: Vec::new().into_iter(),
            next_token: None,
            done: false,
        }
    }

    /// The account's network quality report (all platforms when `platform` is `None`) with
    /// its `top_n` leads (at most 100).
    pub fn report(
        &mut self,
        account: &AccountId,
        platform: Option<Platform>,
        top_n: usize,
    ) -> anyhow::Result<StoredReport> {
        match &mut self.0 {
            Inner::Server(connection) => {
                let Connection { runtime, client } = connection.as_mut();
                let (config, raw) = runtime
                    .block_on(async {
                        let config = client
                            .get_account(pb::GetAccountRequest {
                                account_id: account.as_str().to_owned(),
                            })
                            .await?
                            .into_inner();
                        let raw = client
                            .get_network_quality(pb::GetNetworkQualityRequest {
                                account_id: account.as_str().to_owned(),
                                platform: platform.map_or(0, |p| p.index() as i32 + 1),
                                top_n: u32::try_from(top_n).unwrap_or(u32::MAX),
                            })
                            .await?
                            .into_inner();
                        Ok::<_, tonic::Status>((config, raw))
                    })
                    .map_err(status_error)?;
                let (report, config_version, model_version) = wire::report(&raw)?;
                Ok(StoredReport {
                    account_id: account.clone(),
                    account_name: name_or_id(config.display_name, account),
                    report,
                    config_version,
                    model_version,
                })
            }
            Inner::DataDir(service) => {
                let config = service.get_account(account)?;
                let quality =
                    service.network_quality(account, platform, Some(top_n), Timestamp::now())?;
                Ok(StoredReport {
                    account_id: account.clone(),
                    account_name: name_or_id(config.display_name.clone(), account),
                    report: quality.report,
                    config_version: quality.config_version,
                    model_version: quality.model_version,
                })
            }
        }
    }

    /// One page of followers and the token of the next (`None` at the end).
    fn page(
        &mut self,
        account: &AccountId,
        filter: &FollowerFilter,
        token: Option<String>,
    ) -> anyhow::Result<(Vec<StoredFollower>, Option<String>)> {
        match &mut self.0 {
            Inner::Server(connection) => {
                let Connection { runtime, client } = connection.as_mut();
                let request = wire::list_request(account, filter, PAGE_SIZE, token);
                let page = runtime
                    .block_on(client.list_followers(request))
                    .map_err(status_error)?
                    .into_inner();
                anyhow::ensure!(
                    page.profiles.len() == page.results.len(),
                    "the server sent {} profiles for {} results: it predates ListFollowers' \
                     include_profiles; upgrade it or export from its data directory",
                    page.profiles.len(),
                    page.results.len()
                );
                let now = Timestamp::now();
                let followers = page
                    .results
                    .iter()
                    .zip(page.profiles)
                    .map(|(result, profile)| {
                        Ok(StoredFollower {
                            result: wire::result(result)?,
                            profile: wire::profile(profile, now)?,
                        })
                    })
                    .collect::<anyhow::Result<Vec<_>>>()?;
                let next = (!page.next_page_token.is_empty()).then_some(page.next_page_token);
                Ok((followers, next))
            }
            Inner::DataDir(service) => {
                let page = service.list_followers(
                    account,
                    filter,
                    Some(PAGE_SIZE as usize),
                    token.as_deref(),
                    Timestamp::now(),
                )?;
                let followers = page
                    .results
                    .into_iter()
                    .zip(page.profiles)
                    .map(|(result, profile)| StoredFollower { result, profile })
                    .collect();
                Ok((followers, page.next_page_token))
            }
        }
    }
}

fn name_or_id(display_name: String, account: &AccountId) -> String {
    if display_name.trim().is_empty() {
        account.as_str().to_owned()
    } else {
        display_name
    }
}

/// A server's refusal as a sentence ("not found: account x not found").
fn status_error(status: tonic::Status) -> anyhow::Error {
    anyhow::anyhow!(
        "the server answered {:?}: {}",
        status.code(),
        status.message()
    )
}

/// The followers of [`ResultSource::followers`], read a page at a time.
pub struct Followers<'a> {
    source: &'a mut ResultSource,
    account: AccountId,
    query: FollowerQuery,
    buffer: std::vec::IntoIter<StoredFollower>,
    next_token: Option<String>,
    done: bool,
}

impl Iterator for Followers<'_> {
    type Item = anyhow::Result<StoredFollower>;

    fn next(&mut self) -> Option<Self::Item> {
        // Each turn either yields from the buffer or reads the next page; pages end.
        loop {
            for follower in self.buffer.by_ref() {
                if self.query.accepts(&follower.result) {
                    return Some(Ok(follower));
                }
            }
            if self.done {
                return None;
            }
            let token = self.next_token.take();
            match self.source.page(&self.account, &self.query.filter, token) {
                Ok((page, next)) => {
                    self.done = next.is_none();
                    self.next_token = next;
                    self.buffer = page.into_iter();
                }
                Err(error) => {
                    self.done = true;
                    return Some(Err(error));
                }
            }
        }
    }
}
