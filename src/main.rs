//! The `followscore` binary: parse the command line, load the configuration, set up
//! logging, run the command.

use clap::Parser as _;
use followscore::app::App;
use followscore::cli::{self, Cli, Command};
use followscore::config::{DEFAULT_LOG_FILTER, LogFormat, LogSettings};

/// glibc's malloc arenas. By default glibc gives threads up to eight arenas per core, and
/// memory freed into one arena is not reused by threads allocating from another: at a
/// million followers a third of the server's resident memory was such free, unreturned
/// pages (355 MiB against 239 MiB with one arena; BENCHMARKS.md, "Memory"). Two arenas
/// keep most of that saving without every thread contending for one lock.
const MALLOC_ARENAS: i32 = 2;

/// Caps glibc's malloc arenas at [`MALLOC_ARENAS`] before any thread starts, unless
/// `MALLOC_ARENA_MAX` is set (glibc reads it itself, and an operator's choice wins).
fn limit_malloc_arenas() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    if std::env::var_os("MALLOC_ARENA_MAX").is_none() {
        // SAFETY: mallopt only sets an allocator parameter; it is called before any other
        // thread exists.
        #[allow(unsafe_code)]
        unsafe {
            libc::mallopt(libc::M_ARENA_MAX, MALLOC_ARENAS);
        }
    }
}

/// How often the server hands glibc's free heap pages back to the kernel.
const MALLOC_TRIM_EVERY: std::time::Duration = std::time::Duration::from_secs(1);

/// Calls `malloc_trim` every [`MALLOC_TRIM_EVERY`] on a thread of its own, until the
/// returned sender is dropped. glibc returns freed memory to the kernel only from the top
/// of a heap; pages freed inside it stay resident. Streaming and rescoring free a great
/// many blocks between long-lived ones (sled's cached pages, the listing index), so most
/// of the heap was free yet resident: at 300,000 followers after a rescoring pass, 158 MB
/// in use of 455 MB held. `malloc_trim` releases every whole free page of every arena;
/// in the benchmark suite at a million followers the peak fell from 428 / 522 MiB (after
/// the fill / after rescoring) to 390 / 416 MiB (BENCHMARKS.md, "Memory: the heap
/// trimmed every second").
fn spawn_malloc_trimmer() -> std::io::Result<std::sync::mpsc::Sender<()>> {
    let (stop, stopped) = std::sync::mpsc::channel::<()>();
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    std::thread::Builder::new()
        .name("followscore-trim".into())
        .spawn(move || {
            while let Err(std::sync::mpsc::RecvTimeoutError::Timeout) =
                stopped.recv_timeout(MALLOC_TRIM_EVERY)
            {
                let started = std::time::Instant::now();
                // SAFETY: malloc_trim only releases free pages; glibc takes each arena's
                // lock while it walks it, so it is safe beside any allocation. A walk took
                // 6 ms at the median and 20 ms at most while 300,000 followers were
                // streamed and rescored; a thread allocating from that arena meanwhile
                // waits for it.
                #[allow(unsafe_code)]
                let released = unsafe { libc::malloc_trim(0) } == 1;
                tracing::debug!(
                    released,
                    elapsed_us = started.elapsed().as_micros() as u64,
                    "returned free heap pages"
                );
            }
        })?;
    #[cfg(not(all(target_os = "linux", target_env = "gnu")))]
    drop(stopped);
    Ok(stop)
}

/// Threads of tokio's blocking pool (its default is 512).
const MAX_BLOCKING_THREADS: usize = 32;

fn main() -> anyhow::Result<()> {
    limit_malloc_arenas();
    let cli = Cli::parse();
    match cli.command {
        Command::Serve(args) => {
            let config = args.load()?;
            init_tracing(&config.log);
            let mut runtime = tokio::runtime::Builder::new_multi_thread();
            if let Some(threads) = config.worker_threads {
                runtime.worker_threads(threads);
            }
            // The blocking pool runs stream chunks, listings, imports and account changes;
            // no call parks a thread while it waits for its flush, so a small bound suffices
            // and keeps the thread count flat under load (calls queue beyond it).
            runtime.max_blocking_threads(MAX_BLOCKING_THREADS);
            let _trimming = spawn_malloc_trimmer()?;
            runtime.enable_all().build()?.block_on(async {
                let shutdown = shutdown_signal()?;
                let app = App::build(config).await?;
                app.run_until(shutdown).await
            })
        }
        command => {
            init_tracing(&LogSettings {
                filter: std::env::var("FOLLOWSCORE_LOG")
                    .or_else(|_| std::env::var("RUST_LOG"))
                    .unwrap_or_else(|_| DEFAULT_LOG_FILTER.to_owned()),
                format: LogFormat::Text,
            });
            run_offline(command)
        }
    }
}

/// Every command but `serve`.
fn run_offline(command: Command) -> anyhow::Result<()> {
    match command {
        Command::Serve(_) => unreachable!("serve is handled by main"),
        Command::Classify(args) => cli::classify(&args),
        Command::EvalCategories(args) => cli::eval_categories(&args),
        Command::EvalOutcomes(args) => cli::eval_outcomes(&args),
        Command::TrainBotModel(args) => cli::bot_model::train_bot_model(&args),
        Command::EvalBots(args) => cli::bot_model::eval_bots(&args),
        Command::Export(args) => cli::export(&args),
        Command::Report(args) => cli::report(&args),
        Command::Keys(args) => cli::keys(&args),
        Command::Health(args) => cli::health(&args),
        Command::Outcomes(args) => cli::outcomes(&args),
    }
}

/// Logs to standard error, as text or one JSON object per line.
fn init_tracing(log: &LogSettings) {
    let builder = tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::new(&log.filter))
        .with_writer(std::io::stderr);
    match log.format {
        // Colours only for people: log collectors and tests read plain `key=value` fields.
        LogFormat::Text => builder
            .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
            .init(),
        LogFormat::Json => builder
            .json()
            .with_current_span(true)
            .with_span_list(false)
            .init(),
    }
}

/// Completes on SIGINT (Ctrl-C) or SIGTERM. The handlers are installed now, before the
/// server starts and logs that it serves: a signal that came between the two would
/// otherwise take the default action and kill the process without draining.
#[cfg(unix)]
fn shutdown_signal() -> anyhow::Result<impl std::future::Future<Output = ()>> {
    use tokio::signal::unix::{SignalKind, signal};
    let mut interrupt = signal(SignalKind::interrupt())?;
    let mut terminate = signal(SignalKind::terminate())?;
    Ok(async move {
        tokio::select! {
            _ = interrupt.recv() => {},
            _ = terminate.recv() => {},
        }
    })
}

#[cfg(not(unix))]
fn shutdown_signal() -> anyhow::Result<impl std::future::Future<Output = ()>> {
    Ok(async {
        if let Err(error) = tokio::signal::ctrl_c().await {
            tracing::error!(%error, "cannot listen for Ctrl-C");
            std::future::pending::<()>().await;
        }
    })
}
