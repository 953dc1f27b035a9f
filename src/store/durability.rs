//! Group commit: many writers wait for one flush.
//!
//! sled keeps recent writes in memory buffers and writes them out in the background; a
//! write is only safe from `kill -9` once flushed. Flushing per write would cost a disk sync
//! each; instead every writer that finished its batch waits for a flush that *started*
//! after its batch, and one flush serves everyone waiting.

use std::sync::{Condvar, Mutex};

#[derive(Debug, Default)]
struct State {
    /// Tickets handed out: each is a write that wants to be durable.
    requested: u64,
    /// Every ticket up to this one is durable.
    durable: u64,
    flushing: bool,
}

#[derive(Debug, Default)]
pub struct GroupCommit {
    state: Mutex<State>,
    flushed: Condvar,
}

impl GroupCommit {
    /// Returns once a flush that started after this call has completed.
    pub fn wait<E>(&self, flush: impl Fn() -> Result<(), E>) -> Result<(), E> {
        let mut state = self.state.lock().unwrap_or_else(|p| p.into_inner());
        state.requested += 1;
        let ticket = state.requested;
        loop {
            if state.durable >= ticket {
                return Ok(());
            }
            if !state.flushing {
                state.flushing = true;
                let covers = state.requested;
                drop(state);
                let outcome = flush();
                state = self.state.lock().unwrap_or_else(|p| p.into_inner());
                state.flushing = false;
                if outcome.is_ok() {
                    state.durable = state.durable.max(covers);
                }
                self.flushed.notify_all();
                outcome?;
                continue;
            }
            state = self.flushed.wait(state).unwrap_or_else(|p| p.into_inner());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicU64, Ordering};

    #[test]
    fn concurrent_waiters_share_flushes_and_all_return() {
        let commit = Arc::new(GroupCommit::default());
        let flushes = Arc::new(AtomicU64::new(0));
        let threads: Vec<_> = (0..8)
            .map(|_| {
                let commit = commit.clone();
                let flushes = flushes.clone();
                std::thread::spawn(move || {
                    for _ in 0..50 {
                        commit
                            .wait(|| {
                                flushes.fetch_add(1, Ordering::SeqCst);
                                std::thread::yield_now();
                                Ok::<(), ()>(())
                            })
                            .unwrap();
                    }
                })
            })
            .collect();
        for t in threads {
            t.join().unwrap();
        }
        let n = flushes.load(Ordering::SeqCst);
        assert!((1..=400).contains(&n), "{n}");
    }

    #[test]
    fn a_failed_flush_is_reported_and_not_counted_durable() {
        let commit = GroupCommit::default();
        assert_eq!(commit.wait(|| Err("disk full")), Err("disk full"));
        assert_eq!(commit.wait(|| Ok::<(), &str>(())), Ok(()));
    }
}
