//! Single-follower writes of one account that arrive together, applied as one batch.
//!
//! sled 0.34 writes its log buffer out twice for every batch it applies (it rolls the buffer
//! before and after reserving the batch's manifest), so a unary write cost two `pwrite` and
//! two `sync_file_range` calls on sled's I/O threads, and the thread hand-offs that go with
//! them, whatever the group commit saved on syncs (BENCHMARKS.md, "Unary writes"). Here a
//! call queues its op on the account, lets the runtime run the other calls that are ready
//! (one yield), and then the first of them to come back applies everything queued as one
//! chunk through the one write path (`writes.rs`), handing each call its own outcome and the
//! chunk's ticket. Ops keep their order, and an id written twice in a chunk sees its own
//! earlier write, as in a stream's chunk.
//!
//! A call dropped before its op was taken (its client gave up) takes the op back out of the
//! queue, so a cancelled write is never applied later. Once taken, an op is applied (as a
//! call whose batch was applied before its client gave up always was).
//!
//! Owns: the per-account queue and the hand-off of outcomes. Must not decide anything about
//! a write: scoring, staging and storing stay in `writes.rs`; it is runtime-agnostic (no
//! tokio), like `Pending`.

use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex, MutexGuard};
use std::task::{Context, Poll, Waker};

use crate::engine::time::Timestamp;
use crate::store::Ticket;

use super::error::InternalError;
use super::writes::{Applied, Op};
use super::{AccountHandle, Result, Service, ServiceError};

/// One op's outcome and the ticket of the chunk it was applied in; the outer error is the
/// whole chunk's failure.
pub(crate) type Answered = Result<(Result<Applied>, Ticket)>;

/// An account's queue of single-follower writes waiting for their batch.
#[derive(Default)]
pub(crate) struct WriteQueue {
    waiting: Mutex<Vec<Queued>>,
}

struct Queued {
    op: Op,
    now: Timestamp,
    answer: Arc<Answer>,
}

impl WriteQueue {
    fn lock(&self) -> MutexGuard<'_, Vec<Queued>> {
        self.waiting.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// Where a queued op's outcome is left for its call.
#[derive(Default)]
struct Answer {
    state: Mutex<AnswerState>,
}

#[derive(Default)]
struct AnswerState {
    answered: Option<Answered>,
    waker: Option<Waker>,
}

impl Answer {
    fn lock(&self) -> MutexGuard<'_, AnswerState> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn give(&self, answered: Answered) {
        let waker = {
            let mut state = self.lock();
            state.answered = Some(answered);
            state.waker.take()
        };
        if let Some(waker) = waker {
            waker.wake();
        }
    }
}

impl Service {
    /// Applies `op` to the account together with the other single-follower writes that are
    /// queued when this call comes back from one yield; see the module's documentation.
    pub(crate) async fn queue_and_apply(
        &self,
        handle: &AccountHandle,
        op: Op,
        now: Timestamp,
    ) -> Answered {
        let answer = Arc::new(Answer::default());
        handle.writes.lock().push(Queued {
            op,
            now,
            answer: answer.clone(),
        });
        let mut queued = StillQueued {
            queue: &handle.writes,
            answer: &answer,
            armed: true,
        };
        YieldOnce(false).await;
        let batch = std::mem::take(&mut *handle.writes.lock());
        if !batch.is_empty() {
            self.apply_batch(handle, batch);
        }
        queued.armed = false;
        Answering(&answer).await
    }

    /// Applies queued ops as one chunk and answers each.
    fn apply_batch(&self, handle: &AccountHandle, batch: Vec<Queued>) {
        let now = batch
            .iter()
            .map(|q| q.now)
            .max()
            .unwrap_or(Timestamp::now());
        let mut ops = Vec::with_capacity(batch.len());
        let mut answers = Unanswered(Vec::with_capacity(batch.len()));
        for queued in batch {
            ops.push(queued.op);
            answers.0.push(queued.answer);
        }
        match self.apply_ops(handle, ops, now) {
            Ok(chunk) => {
                let ticket = chunk.ticket;
                for (answer, outcome) in answers.0.drain(..).zip(chunk.outcomes) {
                    answer.give(Ok((outcome, ticket)));
                }
            }
            Err(error) => {
                let error = SharedFailure::new(error);
                for answer in answers.0.drain(..) {
                    answer.give(Err(error.for_each_call()));
                }
            }
        }
    }
}

/// A whole chunk's failure, given to every call in it: the same kind of error for each (a
/// full disk is RESOURCE_EXHAUSTED for all), internal causes shared so that each call's log
/// line still shows the chain.
struct SharedFailure(Arc<ServiceError>);

impl SharedFailure {
    fn new(error: ServiceError) -> Self {
        Self(Arc::new(error))
    }

    fn for_each_call(&self) -> ServiceError {
        match &*self.0 {
            ServiceError::InvalidArgument { field, message } => ServiceError::InvalidArgument {
                field: field.clone(),
                message: message.clone(),
            },
            ServiceError::NotFound { what } => ServiceError::NotFound { what: what.clone() },
            ServiceError::PermissionDenied(m) => ServiceError::PermissionDenied(m.clone()),
            ServiceError::ResourceExhausted(m) => ServiceError::ResourceExhausted(m.clone()),
            ServiceError::Unavailable(m) => ServiceError::Unavailable(m.clone()),
            ServiceError::Aborted(m) => ServiceError::Aborted(m.clone()),
            ServiceError::Internal(_) => {
                ServiceError::Internal(InternalError::Task(Box::new(SharedError(self.0.clone()))))
            }
        }
    }
}

/// An internal error shared by the calls of one chunk.
#[derive(Debug)]
struct SharedError(Arc<ServiceError>);

impl std::fmt::Display for SharedError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "the batch this write was part of failed")
    }
}

impl std::error::Error for SharedError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&*self.0)
    }
}

/// Answers taken out of the queue but not yet given: should applying them panic, each call
/// still gets an answer instead of waiting for ever.
struct Unanswered(Vec<Arc<Answer>>);

impl Drop for Unanswered {
    fn drop(&mut self) {
        for answer in self.0.drain(..) {
            answer.give(Err(ServiceError::invariant(
                "a queued write's batch ended without answering it",
            )));
        }
    }
}

/// While armed, dropping the call takes its op back out of the queue.
struct StillQueued<'a> {
    queue: &'a WriteQueue,
    answer: &'a Arc<Answer>,
    armed: bool,
}

impl Drop for StillQueued<'_> {
    fn drop(&mut self) {
        if self.armed {
            self.queue
                .lock()
                .retain(|queued| !Arc::ptr_eq(&queued.answer, self.answer));
        }
    }
}

/// Returns to the runtime once, so that the calls ready to run queue their writes first.
struct YieldOnce(bool);

impl Future for YieldOnce {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if self.0 {
            return Poll::Ready(());
        }
        self.0 = true;
        cx.waker().wake_by_ref();
        Poll::Pending
    }
}

/// Completes with the op's answer, given by whichever call applied its batch (it may still
/// be applying it on another thread).
struct Answering<'a>(&'a Answer);

impl Future for Answering<'_> {
    type Output = Answered;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Answered> {
        let mut state = self.0.lock();
        if let Some(answered) = state.answered.take() {
            return Poll::Ready(answered);
        }
        state.waker = Some(cx.waker().clone());
        Poll::Pending
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use futures_util::future::join_all;

    use super::*;
    use crate::engine::account::AccountConfig;
    use crate::engine::ids::{AccountId, FollowerId, FollowerKey};
    use crate::engine::result::CategoryOverride;
    use crate::engine::vocabulary::{Category, Platform};
    use crate::service::testing::{example_followers, open_service};
    use crate::service::{FollowerWrite, ScoreItem};

    fn service(dir: &Path) -> (Service, AccountId) {
        let service = open_service(dir);
        let account = AccountId::parse("northwind").unwrap();
        service
            .upsert_account(AccountConfig::new(account.clone()), Timestamp::now())
            .unwrap();
        (service, account)
    }

    fn profiles(n: usize) -> Vec<crate::engine::profile::FollowerProfile> {
        let mut profiles = example_followers("followers_linkedin.csv");
        profiles.truncate(n);
        profiles
    }

    fn key(id: &str) -> FollowerKey {
        FollowerKey {
            platform: Platform::LinkedIn,
            id: FollowerId::parse(id).unwrap(),
        }
    }

    fn pin(category: Category) -> CategoryOverride {
        CategoryOverride {
            category,
            set_by: "test".into(),
            reason: "combining".into(),
            set_at: Timestamp::now(),
            expires_at: None,
        }
    }

    #[tokio::test(flavor = "current_thread")]
    async fn writes_that_arrive_together_are_one_chunk_each_answered_with_its_own_outcome() {
        let dir = tempfile::tempdir().unwrap();
        let (service, account) = service(dir.path());
        let handle = service.handle(&account).unwrap();
        let now = Timestamp::now();
        let profiles = profiles(20);
        let expected: Vec<FollowerKey> = profiles.iter().map(|p| p.key.clone()).collect();

        let answers = join_all(profiles.into_iter().map(|profile| {
            service.queue_and_apply(
                &handle,
                Op::Score(Box::new(ScoreItem {
                    profile,
                    events: Vec::new(),
                })),
                now,
            )
        }))
        .await;
        let mut tickets = Vec::new();
        for (answer, key) in answers.into_iter().zip(&expected) {
            let (outcome, ticket) = answer.unwrap();
            assert_eq!(&outcome.unwrap().result.unwrap().key, key);
            tickets.push(ticket);
        }
        tickets.dedup();
        assert_eq!(tickets.len(), 1, "twenty writes of one moment, one chunk");
        assert!(handle.writes.lock().is_empty());
        assert_eq!(
            service
                .network_quality(&account, None, Some(0), now)
                .unwrap()
                .report
                .total_followers,
            20
        );
    }

    #[tokio::test(flavor = "current_thread")]
    async fn a_follower_written_twice_in_a_chunk_sees_its_own_earlier_write_and_a_missing_one_fails_alone()
     {
        let dir = tempfile::tempdir().unwrap();
        let (service, account) = service(dir.path());
        let first = profiles(1).remove(0);
        let known = first.key.clone();
        service
            .apply_together(
                &account,
                FollowerWrite::score(ScoreItem {
                    profile: first,
                    events: Vec::new(),
                }),
                Timestamp::now(),
            )
            .await
            .unwrap();

        let now = Timestamp::now();
        let (pinned, unknown, cleared) = tokio::join!(
            service.apply_together(
                &account,
                FollowerWrite::set_override(known.clone(), pin(Category::Customer)),
                now
            ),
            service.apply_together(
                &account,
                FollowerWrite::set_override(key("nobody-here"), pin(Category::Customer)),
                now
            ),
            service.apply_together(&account, FollowerWrite::clear_override(known.clone()), now),
        );
        assert_eq!(pinned.unwrap().category, Category::Customer);
        assert!(matches!(unknown, Err(ServiceError::NotFound { .. })));
        let cleared = cleared.unwrap();
        assert!(cleared.category_override.is_none());
        let (stored, _) = service
            .get_followers(&account, known.platform, vec![known.id.clone()], now)
            .unwrap();
        assert!(stored[0].category_override.is_none(), "applied in order");
    }

    #[tokio::test(flavor = "current_thread")]
    async fn a_call_dropped_before_its_batch_takes_its_write_back() {
        let dir = tempfile::tempdir().unwrap();
        let (service, account) = service(dir.path());
        let handle = service.handle(&account).unwrap();
        let profile = profiles(1).remove(0);
        let key = profile.key.clone();
        let mut call = Box::pin(service.queue_and_apply(
            &handle,
            Op::Score(Box::new(ScoreItem {
                profile,
                events: Vec::new(),
            })),
            Timestamp::now(),
        ));
        // First poll: queued, then it yields.
        let mut cx = Context::from_waker(Waker::noop());
        assert!(call.as_mut().poll(&mut cx).is_pending());
        assert_eq!(handle.writes.lock().len(), 1);
        drop(call);
        assert!(
            handle.writes.lock().is_empty(),
            "the dropped call took its write back"
        );
        let (found, missing) = service
            .get_followers(
                &account,
                key.platform,
                vec![key.id.clone()],
                Timestamp::now(),
            )
            .unwrap();
        assert!(found.is_empty() && missing.len() == 1, "never applied");
    }
}
