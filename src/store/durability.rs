//! Group commit: many writers, one flush, no thread parked per writer.
//!
//! sled keeps recent writes in memory buffers and writes them out in the background; a
//! write is only safe from `kill -9` once flushed. Flushing per write would cost a disk sync
//! each. Instead every write takes a ticket after its batch is applied, and one flusher
//! thread syncs whenever tickets are waiting: each flush covers every ticket handed out
//! before it started, so under load one sync acknowledges hundreds of writes.
//!
//! Waiting is either blocking (`wait`, for the CLI and tools) or a future (`Durable`, for
//! the gRPC layer), so an unacknowledged call holds no thread: the transport's task simply
//! sleeps until its ticket is covered. The future is runtime-agnostic (a plain `Waker`
//! list), which keeps tokio out of the store.

use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::task::{Context, Poll, Waker};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// A write that wants to be durable; covered once a flush that started after it completes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Ticket(u64);

impl Ticket {
    /// A ticket that is already durable: for answers that wrote nothing.
    pub const NONE: Ticket = Ticket(0);
}

/// Why a flush failed, kept whole so the log shows its chain.
pub type FlushError = Box<dyn std::error::Error + Send + Sync>;

/// Why a ticket could not be made durable: the flush that covered it failed (its error is
/// the source, shared by every ticket it covered).
#[derive(Debug, Clone, thiserror::Error)]
#[error("could not make the write durable")]
pub struct FlushFailed(#[source] pub Arc<dyn std::error::Error + Send + Sync>);

#[derive(Debug, Default)]
struct State {
    /// Tickets handed out: each is a write that wants to be durable.
    issued: u64,
    /// Every ticket up to this one is durable.
    durable: u64,
    /// The last failed flush: tickets up to `.0` that were not durable by then failed.
    failed: Option<(u64, FlushFailed)>,
    /// Futures waiting for their ticket.
    wakers: Vec<(u64, Waker)>,
    stopping: bool,
}

impl State {
    fn outcome(&self, ticket: u64) -> Option<Result<(), FlushFailed>> {
        if ticket <= self.durable {
            return Some(Ok(()));
        }
        match &self.failed {
            Some((covered, error)) if ticket <= *covered => Some(Err(error.clone())),
            _ => None,
        }
    }
}

#[derive(Debug, Default)]
struct Shared {
    state: Mutex<State>,
    /// Wakes the flusher when a ticket is issued.
    work: Condvar,
    /// Wakes blocking waiters after each flush.
    flushed: Condvar,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// The group-commit coordinator and its flusher thread. Dropping it stops the thread after
/// a last flush of whatever is pending.
#[derive(Debug)]
pub struct GroupCommit {
    shared: Arc<Shared>,
    flusher: Option<JoinHandle<()>>,
}

impl GroupCommit {
    /// Starts the flusher thread; `flush` syncs everything written before it was called.
    pub fn start(
        flush: impl Fn() -> Result<(), FlushError> + Send + 'static,
    ) -> std::io::Result<Self> {
        let shared = Arc::new(Shared::default());
        let worker = shared.clone();
        let flusher = std::thread::Builder::new()
            .name("followscore-flush".into())
            .spawn(move || run_flusher(&worker, flush))?;
        Ok(Self {
            shared,
            flusher: Some(flusher),
        })
    }

    /// A ticket for everything written so far.
    pub fn ticket(&self) -> Ticket {
        let mut state = self.shared.lock();
        state.issued += 1;
        let ticket = Ticket(state.issued);
        drop(state);
        self.shared.work.notify_one();
        ticket
    }

    /// Blocks until `ticket` is durable.
    pub fn wait(&self, ticket: Ticket) -> Result<(), FlushFailed> {
        self.durable(ticket).wait()
    }

    /// A future that completes when `ticket` is durable.
    pub fn durable(&self, ticket: Ticket) -> Durable {
        Durable {
            shared: self.shared.clone(),
            ticket: ticket.0,
        }
    }
}

impl Drop for GroupCommit {
    fn drop(&mut self) {
        self.shared.lock().stopping = true;
        self.shared.work.notify_one();
        if let Some(flusher) = self.flusher.take() {
            let _ = flusher.join();
        }
    }
}

/// The least time between the end of one flush and the start of the next while writes
/// keep coming: at most ~2,000 syncs a second, each covering what arrived meanwhile.
const GATHER: Duration = Duration::from_micros(500);
/// Tickets that are worth a flush without waiting out `GATHER`.
const GATHER_ENOUGH: u64 = 256;

fn run_flusher(shared: &Shared, flush: impl Fn() -> Result<(), FlushError>) {
    let mut state = shared.lock();
    let mut last_flush: Option<Instant> = None;
    loop {
        if state.issued > state.durable
            && state
                .failed
                .as_ref()
                .is_none_or(|(covered, _)| state.issued > *covered)
        {
            // Under load, gather: a flush right after the previous one would cover the one
            // or two writes that arrived meanwhile, and its system calls would take the
            // core from the writers (a server on one core flushed once per call). Waiting
            // out the rest of `GATHER` after the previous flush lets one sync cover many;
            // an idle store flushes at once.
            if let Some(previous) = last_flush {
                let due = previous + GATHER;
                while state.issued - state.durable < GATHER_ENOUGH && !state.stopping {
                    let now = Instant::now();
                    if now >= due {
                        break;
                    }
                    state = shared
                        .work
                        .wait_timeout(state, due - now)
                        .unwrap_or_else(|p| p.into_inner())
                        .0;
                }
            }
            let covers = state.issued;
            drop(state);
            let outcome = flush();
            last_flush = Some(Instant::now());
            state = shared.lock();
            match outcome {
                Ok(()) => state.durable = state.durable.max(covers),
                Err(error) => {
                    let failed = FlushFailed(Arc::from(error));
                    let mut chain = failed.0.to_string();
                    let mut source = failed.0.source();
                    while let Some(cause) = source {
                        chain = format!("{chain}: {cause}");
                        source = cause.source();
                    }
                    tracing::error!(error = %chain, "flushing the store failed");
                    state.failed = Some((covers, failed));
                }
            }
            let mut ready = Vec::new();
            state.wakers.retain(|(ticket, waker)| {
                let done = *ticket <= covers;
                if done {
                    ready.push(waker.clone());
                }
                !done
            });
            shared.flushed.notify_all();
            drop(state);
            ready.into_iter().for_each(Waker::wake);
            state = shared.lock();
            continue;
        }
        if state.stopping {
            return;
        }
        state = shared.work.wait(state).unwrap_or_else(|p| p.into_inner());
    }
}

/// Completes when its ticket is durable (or its flush failed).
#[derive(Debug)]
pub struct Durable {
    shared: Arc<Shared>,
    ticket: u64,
}

impl Durable {
    /// A future that is complete from the start.
    pub fn already() -> Self {
        Self {
            shared: Arc::new(Shared::default()),
            ticket: Ticket::NONE.0,
        }
    }

    /// Blocks the calling thread until the ticket is durable.
    pub fn wait(self) -> Result<(), FlushFailed> {
        let mut state = self.shared.lock();
        loop {
            if let Some(outcome) = state.outcome(self.ticket) {
                return outcome;
            }
            state = self
                .shared
                .flushed
                .wait(state)
                .unwrap_or_else(|p| p.into_inner());
        }
    }
}

impl Future for Durable {
    type Output = Result<(), FlushFailed>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let mut state = self.shared.lock();
        match state.outcome(self.ticket) {
            Some(outcome) => Poll::Ready(outcome),
            None => {
                state.wakers.push((self.ticket, cx.waker().clone()));
                Poll::Pending
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

    #[test]
    fn concurrent_waiters_share_flushes_and_all_return() {
        let flushes = Arc::new(AtomicU64::new(0));
        let counter = flushes.clone();
        let commit = Arc::new(
            GroupCommit::start(move || {
                counter.fetch_add(1, Ordering::SeqCst);
                // A flush takes a while, as a disk sync does.
                let until = std::time::Instant::now() + std::time::Duration::from_millis(1);
                while std::time::Instant::now() < until {
                    std::thread::yield_now();
                }
                Ok(())
            })
            .unwrap(),
        );
        let threads: Vec<_> = (0..8)
            .map(|_| {
                let commit = commit.clone();
                std::thread::spawn(move || {
                    for _ in 0..50 {
                        commit.wait(commit.ticket()).unwrap();
                    }
                })
            })
            .collect();
        for t in threads {
            t.join().unwrap();
        }
        let n = flushes.load(Ordering::SeqCst);
        // 400 waits; with eight writers sharing, far fewer flushes than waits.
        assert!((1..400).contains(&n), "{n}");
    }

    #[test]
    fn a_ticket_is_durable_only_after_a_flush_that_started_after_it() {
        let allow = Arc::new(AtomicBool::new(false));
        let gate = allow.clone();
        let commit = GroupCommit::start(move || {
            while !gate.load(Ordering::SeqCst) {
                std::thread::yield_now();
            }
            Ok(())
        })
        .unwrap();
        let ticket = commit.ticket();
        // The gate holds the flush: the ticket cannot be durable yet.
        assert!(commit.shared.lock().outcome(ticket.0).is_none());
        allow.store(true, Ordering::SeqCst);
        commit.wait(ticket).unwrap();
        assert!(commit.wait(Ticket::NONE).is_ok());
    }

    #[test]
    fn a_failed_flush_fails_its_tickets_and_later_ones_can_succeed() {
        let fail = Arc::new(AtomicBool::new(true));
        let failing = fail.clone();
        let commit = GroupCommit::start(move || {
            if failing.load(Ordering::SeqCst) {
                Err("disk full".into())
            } else {
                Ok(())
            }
        })
        .unwrap();
        let first = commit.ticket();
        assert_eq!(commit.wait(first).unwrap_err().0.to_string(), "disk full");
        fail.store(false, Ordering::SeqCst);
        let second = commit.ticket();
        commit.wait(second).unwrap();
    }

    #[test]
    fn the_future_completes_once_the_flush_covers_it() {
        let commit = GroupCommit::start(|| Ok(())).unwrap();
        let ticket = commit.ticket();
        let future = commit.durable(ticket);
        // A minimal executor: park the thread until the waker fires.
        let thread = std::thread::current();
        let waker = Waker::from(Arc::new(ThreadWaker(thread)));
        let mut cx = Context::from_waker(&waker);
        let mut future = std::pin::pin!(future);
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        loop {
            if let Poll::Ready(outcome) = future.as_mut().poll(&mut cx) {
                outcome.unwrap();
                break;
            }
            assert!(std::time::Instant::now() < deadline, "never completed");
            std::thread::park_timeout(std::time::Duration::from_millis(100));
        }
    }

    struct ThreadWaker(std::thread::Thread);

    impl std::task::Wake for ThreadWaker {
        fn wake(self: Arc<Self>) {
            self.0.unpark();
        }
    }
}
