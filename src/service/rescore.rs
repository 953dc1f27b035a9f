//! Background rescoring: after a configuration or model change, stored results are stale;
//! this pass walks each account's followers in key order and rescores the stale ones in
//! chunks, through the same write path as everything else. Reads rescore what they touch
//! on their own, so the pass only bounds how long the rest stays stale.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;

use crate::engine::time::Timestamp;

use super::writes::Op;
use super::{Result, Service};

/// Followers examined per chunk: large enough to amortise the batch, small enough that the
/// account's lock is never held for long (a few milliseconds).
pub const RESCORE_CHUNK: usize = 256;

/// Wakes the rescorer early; it also wakes on its own every few seconds.
#[derive(Debug, Default)]
pub struct Signal {
    pending: Mutex<bool>,
    wake: Condvar,
}

impl Signal {
    pub fn notify(&self) {
        *self.pending.lock().unwrap_or_else(|p| p.into_inner()) = true;
        self.wake.notify_all();
    }

    fn wait(&self, timeout: Duration) {
        let pending = self.pending.lock().unwrap_or_else(|p| p.into_inner());
        let (mut pending, _) = self
            .wake
            .wait_timeout_while(pending, timeout, |p| !*p)
            .unwrap_or_else(|p| p.into_inner());
        *pending = false;
    }
}

impl Service {
    /// Rescores up to one chunk of stale results per account; returns how many were
    /// rescored. The chunk is read and rewritten under the account's lock (so the records
    /// it rescores are current and read once), and not waited for: a crash before the next
    /// flush leaves those results stale, to be rescored again.
    pub fn rescore_step(&self, now: Timestamp) -> Result<usize> {
        let mut rescored = 0;
        for account in self.account_ids() {
            let Ok(handle) = self.handle(&account) else {
                continue;
            };
            let mut state = handle.lock();
            if state.aggregates.stale_results() == 0 {
                continue;
            }
            let stamp = state.stamp();
            let mut cursor = handle
                .rescore_cursor
                .lock()
                .unwrap_or_else(|p| p.into_inner());
            let records = handle.tree.scan_followers(cursor.as_ref(), RESCORE_CHUNK)?;
            *cursor = if records.len() < RESCORE_CHUNK {
                None
            } else {
                records.last().map(|r| r.result.key.clone())
            };
            drop(cursor);
            let stale: Vec<_> = records
                .into_iter()
                .filter(|r| !stamp.matches(&r.result))
                .collect();
            if !stale.is_empty() {
                rescored += stale.len();
                let ops = stale
                    .iter()
                    .map(|r| Op::Rescore(r.result.key.clone()))
                    .collect();
                self.apply_locked(&handle, &mut state, ops, stale, now)?;
            }
        }
        Ok(rescored)
    }
}

/// Runs `rescore_step` on a thread of its own until `stop` is set.
pub fn spawn_rescorer(
    service: Arc<Service>,
    stop: Arc<AtomicBool>,
) -> std::io::Result<std::thread::JoinHandle<()>> {
    std::thread::Builder::new()
        .name("followscore-rescore".into())
        .spawn(move || {
            while !stop.load(Ordering::Relaxed) {
                match service.rescore_step(Timestamp::now()) {
                    Ok(0) => service.rescore_signal.wait(Duration::from_secs(2)),
                    Ok(n) => tracing::debug!(rescored = n, "rescored stale results"),
                    Err(error) => {
                        tracing::error!(
                            error = %super::error::error_chain(&error),
                            "background rescoring failed"
                        );
                        service.rescore_signal.wait(Duration::from_secs(2));
                    }
                }
            }
        })
}

/// Stops the rescorer promptly.
pub fn stop_rescorer(service: &Service, stop: &AtomicBool) {
    stop.store(true, Ordering::Relaxed);
    service.rescore_signal.notify();
}
