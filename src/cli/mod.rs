//! The `followscore` command line: `serve` runs the server; `classify` scores follower files
//! offline with the same engine; `report` writes the network quality report as an HTML page;
//! `train-bot-model` and `eval-bots` build and measure the bot model. Commands are edges:
//! they may use `anyhow` and print; the modules they call may not.

pub mod bot_model;
mod classify;
mod eval_categories;
mod eval_outcomes;
mod export;
mod health;
pub mod json;
mod keys;
mod outcomes;
mod report;
pub mod report_html;
pub mod source;

use clap::{Parser, Subcommand};

pub use classify::{ClassifyArgs, account_from_json, classify};
pub use eval_categories::{EvalCategoriesArgs, eval_categories};
pub use eval_outcomes::{EvalOutcomesArgs, eval_outcomes};
pub use export::{ExportArgs, export};
pub use health::{HealthArgs, health};
pub use keys::{KeysArgs, keys};
pub use outcomes::{OutcomesArgs, outcomes};
pub use report::{ReportArgs, report};

#[derive(Debug, Parser)]
#[command(
    name = "followscore",
    version,
    about = "Scores the quality of a B2B account's social followers"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the gRPC server.
    Serve(crate::config::ServeArgs),
    /// Score follower files offline: one JSON result per follower, then the network report.
    Classify(ClassifyArgs),
    /// Measure the category classifier against hand-labelled followers.
    EvalCategories(EvalCategoriesArgs),
    /// Measure the lead model against the rules on the synthetic outcome benchmark.
    EvalOutcomes(EvalOutcomesArgs),
    /// Train the bot model on labelled CSV files (reproducible: fixed seed).
    TrainBotModel(bot_model::TrainBotModelArgs),
    /// Evaluate the shipped bot model, or cross-validate the training pipeline.
    EvalBots(bot_model::EvalBotsArgs),
    /// Write an account's stored followers as CSV for a CRM import (HubSpot, Salesforce).
    Export(ExportArgs),
    /// Write the network quality report as one self-contained HTML page.
    Report(ReportArgs),
    /// Manage the API keys file: add a key (printed once), list keys, revoke a key.
    Keys(KeysArgs),
    /// Ask a running server's gRPC health service whether it is serving (exit 0 if so).
    Health(HealthArgs),
    /// CRM outcomes: load a deals/opportunities CSV into a running server, or print the
    /// account's lead model.
    Outcomes(OutcomesArgs),
}
