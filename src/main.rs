//! The `followscore` binary: parse the command line, set up logging, run the command.

use clap::Parser as _;
use followscore::app::App;
use followscore::cli::{self, Cli, Command};

/// Threads of tokio's blocking pool (its default is 512).
const MAX_BLOCKING_THREADS: usize = 32;

fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    init_tracing();
    match cli.command {
        Command::Serve(args) => {
            let config = args.validate()?;
            let mut runtime = tokio::runtime::Builder::new_multi_thread();
            if let Some(threads) = args.worker_threads {
                runtime.worker_threads(threads);
            }
            // The blocking pool runs stream chunks, listings, imports and account changes;
            // no call parks a thread while it waits for its flush, so a small bound suffices
            // and keeps the thread count flat under load (calls queue beyond it).
            runtime.max_blocking_threads(MAX_BLOCKING_THREADS);
            runtime.enable_all().build()?.block_on(async {
                let app = App::build(config).await?;
                app.run_until(shutdown_signal()).await
            })
        }
        Command::Classify(args) => cli::classify(&args),
        Command::EvalCategories(args) => cli::eval_categories(&args),
        Command::TrainBotModel(args) => cli::bot_model::train_bot_model(&args),
        Command::EvalBots(args) => cli::bot_model::eval_bots(&args),
        Command::Export(args) => cli::export(&args),
        Command::Report(args) => cli::report(&args),
    }
}

/// Logs to standard error; `FOLLOWSCORE_LOG` (or `RUST_LOG`) sets the filter, default info.
fn init_tracing() {
    let filter = std::env::var("FOLLOWSCORE_LOG")
        .or_else(|_| std::env::var("RUST_LOG"))
        .unwrap_or_else(|_| "info".to_owned());
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::new(filter))
        .with_writer(std::io::stderr)
        // Colours only for people: log collectors and tests read plain `key=value` fields.
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .init();
}

/// Completes on Ctrl-C or SIGTERM.
async fn shutdown_signal() {
    let ctrl_c = async {
        if let Err(error) = tokio::signal::ctrl_c().await {
            tracing::error!(%error, "cannot listen for Ctrl-C");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(error) => {
                tracing::error!(%error, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
}
