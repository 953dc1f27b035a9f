//! `followscore outcomes load`: CRM outcomes from a CSV export into a running server
//! (`RecordOutcomes`, in batches), and `followscore outcomes model`: the lead model in force.
//!
//! The CSV is read as CRMs export deals and opportunities: headers are matched by name, in
//! any case, with the spellings of HubSpot and Salesforce exports accepted beside our own
//! (the README's "Outcomes" section lists them). A row names its subject by follower
//! (`platform` + `follower_id`) or by company (name and/or domain). Without an `outcome_id`
//! column, a row's id is its deal id and its type (`006Ax/won`), so exporting the same
//! deals again is idempotent while a deal's creation and its close stay two outcomes.
//!
//! A bad row is reported with its line and column and never stops the others.

use std::path::PathBuf;

use anyhow::Context as _;

use super::source::Connection;
use crate::engine::learning::OutcomeKind;
use crate::engine::vocabulary::Platform;
use crate::grpc::pb;
use crate::import::linkedin::parse_timestamp;

#[derive(Debug, clap::Args)]
pub struct OutcomesArgs {
    #[command(subcommand)]
    pub command: OutcomesCommand,
}

#[derive(Debug, clap::Subcommand)]
pub enum OutcomesCommand {
    /// Send the outcomes of a CRM export (CSV) to a running server.
    Load(LoadArgs),
    /// Print the account's lead model in force (JSON).
    Model(ModelArgs),
}

#[derive(Debug, clap::Args)]
pub struct LoadArgs {
    /// The account id.
    #[arg(long)]
    pub account: String,
    /// A running server, e.g. http://127.0.0.1:50051 (its API key from FOLLOWSCORE_API_KEY).
    #[arg(long, value_name = "URL")]
    pub addr: String,
    /// Outcomes per RecordOutcomes call (at most the server's limit, 1,000 by default).
    #[arg(long, default_value_t = 500)]
    pub batch: usize,
    /// The CSV file.
    pub file: PathBuf,
}

#[derive(Debug, clap::Args)]
pub struct ModelArgs {
    #[arg(long)]
    pub account: String,
    #[arg(long, value_name = "URL")]
    pub addr: String,
}

pub fn outcomes(args: &OutcomesArgs) -> anyhow::Result<()> {
    match &args.command {
        OutcomesCommand::Load(args) => load(args),
        OutcomesCommand::Model(args) => model(args),
    }
}

/// Header spellings per column, lower-case: ours first, then CRM exports'.
const OUTCOME_ID: &[&str] = &["outcome_id", "outcome id", "event id"];
const DEAL_ID: &[&str] = &[
    "deal_id",
    "deal id",
    "record id",
    "opportunity id",
    "opportunity_id",
    "id",
];
const TYPE: &[&str] = &[
    "type",
    "outcome",
    "stage",
    "deal stage",
    "opportunity stage",
    "status",
];
const DATE: &[&str] = &[
    "occurred_at",
    "date",
    "close date",
    "closed date",
    "last stage change date",
    "stage change date",
    "created date",
    "create date",
];
const AMOUNT: &[&str] = &["amount", "deal amount", "opportunity amount"];
const PLATFORM: &[&str] = &["platform"];
const FOLLOWER_ID: &[&str] = &["follower_id", "follower id"];
const COMPANY: &[&str] = &[
    "company",
    "company name",
    "account name",
    "associated company",
];
const DOMAIN: &[&str] = &["domain", "company domain", "website", "company domain name"];
const CRM_REFERENCE: &[&str] = &["crm_reference", "crm reference"];

/// Open stages of Salesforce and HubSpot pipelines: an opportunity exists, nothing decided.
const OPEN_STAGES: &[&str] = &[
    "prospecting",
    "qualification",
    "needs analysis",
    "value proposition",
    "id. decision makers",
    "perception analysis",
    "proposal/price quote",
    "negotiation/review",
    "appointmentscheduled",
    "appointment scheduled",
    "qualifiedtobuy",
    "qualified to buy",
    "presentationscheduled",
    "presentation scheduled",
    "decisionmakerboughtin",
    "decision maker bought-in",
    "contractsent",
    "contract sent",
];

/// Which column holds what, from the header row.
struct Columns {
    outcome_id: Option<usize>,
    deal_id: Option<usize>,
    kind: usize,
    date: usize,
    amount: Option<usize>,
    platform: Option<usize>,
    follower_id: Option<usize>,
    company: Option<usize>,
    domain: Option<usize>,
    crm_reference: Option<usize>,
}

impl Columns {
    fn of(headers: &csv::StringRecord) -> anyhow::Result<Self> {
        let names: Vec<String> = headers
            .iter()
            .map(|h| h.trim().trim_start_matches('\u{feff}').to_lowercase())
            .collect();
        let find = |spellings: &[&str]| {
            spellings
                .iter()
                .find_map(|s| names.iter().position(|n| n == s))
        };
        let required = |spellings: &[&str], what: &str| {
            find(spellings).with_context(|| {
                format!(
                    "the CSV has no {what} column (one of: {})",
                    spellings.join(", ")
                )
            })
        };
        let columns = Self {
            outcome_id: find(OUTCOME_ID),
            deal_id: find(DEAL_ID),
            kind: required(TYPE, "outcome type")?,
            date: required(DATE, "date")?,
            amount: find(AMOUNT),
            platform: find(PLATFORM),
            follower_id: find(FOLLOWER_ID),
            company: find(COMPANY),
            domain: find(DOMAIN),
            crm_reference: find(CRM_REFERENCE),
        };
        anyhow::ensure!(
            columns.outcome_id.is_some() || columns.deal_id.is_some(),
            "the CSV has no outcome_id or deal id column (one of: {}, {})",
            OUTCOME_ID.join(", "),
            DEAL_ID.join(", ")
        );
        anyhow::ensure!(
            columns.follower_id.is_some() || columns.company.is_some() || columns.domain.is_some(),
            "the CSV names no subject: give follower_id (with platform), or a company name or \
             domain column"
        );
        Ok(columns)
    }
}

/// One row's outcome, or what is wrong with it and where.
fn row_outcome(columns: &Columns, row: &csv::StringRecord) -> Result<pb::Outcome, String> {
    let cell = |at: Option<usize>| at.and_then(|i| row.get(i)).map(str::trim).unwrap_or("");
    let raw_kind = cell(Some(columns.kind));
    let kind = OutcomeKind::parse(raw_kind)
        .or_else(|| {
            OPEN_STAGES
                .contains(&raw_kind.to_lowercase().as_str())
                .then_some(OutcomeKind::OpportunityCreated)
        })
        .ok_or_else(|| {
            format!(
                "type: `{raw_kind}` is not an outcome (opportunity_created, won, lost, \
                 disqualified, reopened, or a CRM stage such as \"Closed Won\")"
            )
        })?;
    let occurred_at =
        parse_timestamp(cell(Some(columns.date))).map_err(|e| format!("date: {e}"))?;
    let outcome_id = match (cell(columns.outcome_id), cell(columns.deal_id)) {
        (id, _) if !id.is_empty() => id.to_owned(),
        (_, deal) if !deal.is_empty() => format!("{deal}/{}", kind.as_str()),
        _ => return Err("outcome_id: empty (and no deal id to derive it from)".into()),
    };
    let amount = match cell(columns.amount) {
        "" => None,
        raw => Some(
            raw.replace([',', '$', '€', '£', ' '], "")
                .parse::<f64>()
                .map_err(|_| format!("amount: `{raw}` is not a number"))?,
        ),
    };
    let follower_id = cell(columns.follower_id);
    let subject = if !follower_id.is_empty() {
        let raw_platform = cell(columns.platform);
        let platform = Platform::ALL
            .iter()
            .find(|p| p.as_str().eq_ignore_ascii_case(raw_platform))
            .ok_or_else(|| {
                format!("platform: `{raw_platform}` is not a platform (LINKEDIN, TWITTER, …)")
            })?;
        pb::outcome::Subject::Follower(pb::OutcomeFollower {
            platform: platform.index() as i32 + 1,
            follower_id: follower_id.to_owned(),
        })
    } else {
        let (name, domain) = (cell(columns.company), cell(columns.domain));
        if name.is_empty() && domain.is_empty() {
            return Err("no subject: the row has no follower_id, company or domain".into());
        }
        pb::outcome::Subject::Company(pb::OutcomeCompany {
            name: name.to_owned(),
            domain: domain.to_owned(),
        })
    };
    let crm_reference = match cell(columns.crm_reference) {
        "" => cell(columns.deal_id).to_owned(),
        reference => reference.to_owned(),
    };
    Ok(pb::Outcome {
        outcome_id,
        subject: Some(subject),
        r#type: wire_outcome_type(kind),
        occurred_at: Some(prost_types::Timestamp {
            seconds: occurred_at.unix_seconds(),
            nanos: 0,
        }),
        amount,
        crm_reference,
    })
}

fn wire_outcome_type(kind: OutcomeKind) -> i32 {
    (match kind {
        OutcomeKind::OpportunityCreated => pb::OutcomeType::OpportunityCreated,
        OutcomeKind::Won => pb::OutcomeType::Won,
        OutcomeKind::Lost => pb::OutcomeType::Lost,
        OutcomeKind::Disqualified => pb::OutcomeType::Disqualified,
        OutcomeKind::Reopened => pb::OutcomeType::Reopened,
    }) as i32
}

/// Totals over every batch of a load.
#[derive(Debug, Default)]
struct Totals {
    rows: usize,
    accepted: u32,
    duplicates: u32,
    unmatched: u32,
    invalid: u32,
}

fn load(args: &LoadArgs) -> anyhow::Result<()> {
    anyhow::ensure!(
        (1..=100_000).contains(&args.batch),
        "--batch must be between 1 and 100000"
    );
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_path(&args.file)
        .with_context(|| format!("cannot read {}", args.file.display()))?;
    let columns = Columns::of(reader.headers()?)
        .with_context(|| format!("{} is not an outcomes export", args.file.display()))?;
    let mut connection = Connection::open(&args.addr)?;
    let mut totals = Totals::default();
    let mut batch: Vec<(u64, pb::Outcome)> = Vec::new();
    let mut last_model = None;
    for record in reader.records() {
        let record = record.with_context(|| format!("cannot read {}", args.file.display()))?;
        let line = record.position().map_or(0, |p| p.line());
        totals.rows += 1;
        match row_outcome(&columns, &record) {
            Ok(outcome) => batch.push((line, outcome)),
            Err(problem) => {
                totals.invalid += 1;
                eprintln!("line {line}: {problem}");
            }
        }
        if batch.len() == args.batch {
            last_model = Some(send(
                &mut connection,
                &args.account,
                &mut batch,
                &mut totals,
            )?);
        }
    }
    if !batch.is_empty() {
        last_model = Some(send(
            &mut connection,
            &args.account,
            &mut batch,
            &mut totals,
        )?);
    }
    println!(
        "{} rows: {} accepted, {} duplicates, {} unmatched (no stored follower), {} invalid",
        totals.rows, totals.accepted, totals.duplicates, totals.unmatched, totals.invalid
    );
    if let Some(model) = last_model {
        println!(
            "lead model in force: version {}, fit from {} ({})",
            model.version,
            fit_source_word(model.source),
            model.decision
        );
    }
    Ok(())
}

/// Sends one batch; per-item problems are printed with the row's line.
fn send(
    connection: &mut Connection,
    account: &str,
    batch: &mut Vec<(u64, pb::Outcome)>,
    totals: &mut Totals,
) -> anyhow::Result<pb::LeadModel> {
    let (lines, outcomes): (Vec<u64>, Vec<pb::Outcome>) = std::mem::take(batch).into_iter().unzip();
    let request = pb::RecordOutcomesRequest {
        account_id: account.to_owned(),
        outcomes,
    };
    let answer = connection
        .runtime
        .block_on(connection.client.record_outcomes(request))
        .map_err(|status| anyhow::anyhow!("the server refused the outcomes: {}", status.message()))?
        .into_inner();
    totals.accepted += answer.accepted;
    totals.duplicates += answer.duplicates;
    totals.unmatched += answer.unmatched;
    totals.invalid += answer.invalid;
    for item in &answer.items {
        let line = lines.get(item.index as usize).copied().unwrap_or_default();
        match item.status.as_str() {
            "invalid" => {
                let message = item.error.as_ref().map_or("", |e| e.message.as_str());
                eprintln!("line {line}: {}: {message}", item.outcome_id);
            }
            "unmatched" => eprintln!(
                "line {line}: {}: no stored follower is its subject (send it again once scored)",
                item.outcome_id
            ),
            _ => {}
        }
    }
    answer
        .model
        .context("the server's answer carries no lead model")
}

fn model(args: &ModelArgs) -> anyhow::Result<()> {
    let mut connection = Connection::open(&args.addr)?;
    let model = connection
        .runtime
        .block_on(connection.client.get_lead_model(pb::GetLeadModelRequest {
            account_id: args.account.clone(),
        }))
        .map_err(|status| anyhow::anyhow!("{}", status.message()))?
        .into_inner();
    let json = super::json::JsonCodec::new()?.to_line("followscore.v1.LeadModel", &model)?;
    println!("{json}");
    Ok(())
}

fn fit_source_word(raw: i32) -> &'static str {
    match pb::FitSource::try_from(raw) {
        Ok(pb::FitSource::Blend) => "a blend of the rules and the learned model",
        Ok(pb::FitSource::Learned) => "the learned model",
        _ => "the rules",
    }
}
