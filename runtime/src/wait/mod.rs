//! Waiting for tasks without taking their results: asyncio's `wait`,
//! `as_completed` and `shield`.
//!
//! `children` is what these and `gather` are made of: many tasks awaited
//! at once, each polled with a waker of its own, their results kept in
//! their [`Task`]s; `as_completed` and `shield` have a file each.

mod as_completed;
mod children;
mod shield;

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use crate::coroutine::IntoTask;
use crate::task::Task;
use crate::time::sleep;

pub use as_completed::{AsCompleted, as_completed};
pub(crate) use children::Children;
pub use shield::{Shield, shield};

/// When [`wait`] returns: asyncio's `FIRST_COMPLETED`, `FIRST_EXCEPTION`
/// and `ALL_COMPLETED`.
///
/// ```
/// assert_eq!(cosched::ReturnWhen::default(), cosched::ReturnWhen::AllCompleted);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum ReturnWhen {
    /// When any task has finished, however it ended.
    ///
    /// ```
    /// use std::time::Duration;
    /// use cosched::ReturnWhen;
    /// # cosched::run(async {
    /// let fast = cosched::create_task(async {});
    /// let slow = cosched::create_task(cosched::sleep(Duration::from_secs(3600)));
    /// let slow_ref = slow.task_ref();
    /// let (done, pending) = cosched::wait([fast, slow], ReturnWhen::FirstCompleted).await;
    /// assert_eq!((done.len(), pending.len()), (1, 1));
    /// assert!(!slow_ref.is_cancelled(), "wait cancels nothing");
    /// slow_ref.cancel();
    /// # });
    /// ```
    FirstCompleted,
    /// When any task has finished with an error other than a cancellation
    /// (a panic, say), or else when all have finished. As in asyncio, a
    /// task that ends cancelled is no exception here.
    ///
    /// ```
    /// use std::time::Duration;
    /// use cosched::ReturnWhen;
    /// # cosched::run(async {
    /// let crash = cosched::create_task(async { panic!("boom") });
    /// let slow = cosched::create_task(async {
    ///     cosched::sleep(Duration::from_secs(3600)).await;
    /// });
    /// let slow_ref = slow.task_ref();
    /// let (done, pending) = cosched::wait([crash, slow], ReturnWhen::FirstException).await;
    /// assert_eq!((done.len(), pending.len()), (1, 1));
    /// let crash = done.into_iter().next().unwrap();
    /// assert!(crash.await.unwrap_err().is_panic());
    /// slow_ref.cancel();
    /// # });
    /// ```
    FirstException,
    /// When every task has finished: asyncio's default, and this one's.
    ///
    /// ```
    /// # cosched::run(async {
    /// let tasks = (1..=2).map(|n| async move { n });
    /// let (done, pending) = cosched::wait(tasks, cosched::ReturnWhen::AllCompleted).await;
    /// assert_eq!((done.len(), pending.len()), (2, 0));
    /// # });
    /// ```
    #[default]
    AllCompleted,
}

/// Waits for `aws` until `return_when` says so, like asyncio's
/// `wait(aws, return_when=...)`, and returns them as `(done, pending)`:
/// the tasks that have finished, and those that have not.
///
/// Nothing is awaited for its result: a task in `done` keeps its result
/// inside, and `.await`ing it gives that result at once. [`timeout`]
/// (`Wait::timeout`) sets asyncio's `timeout=`.
///
/// Where cosched differs from asyncio:
///
/// * `done` and `pending` are `Vec`s in the order `aws` came in, not sets:
///   a task is not hashable, and the order tells which is which.
/// * `aws` may hold coroutines: each is made a task at the call, with
///   [`ensure_future`](crate::ensure_future), and handed back as one.
///   (asyncio refuses coroutines, whose tasks the caller could not tell
///   apart in the result; here the position does.)
/// * An empty `aws` returns two empty `Vec`s at once, where asyncio raises
///   `ValueError`: no error, and nothing to wait for.
/// * A task cannot be passed twice, as a Python future can: a [`Task`] is
///   not `Clone`.
///
/// Like asyncio's, `wait` cancels nothing: neither on a timeout, nor when
/// it is cancelled itself. Dropping the [`Wait`] before it returns (the
/// task awaiting it was cancelled) drops the tasks it holds, which
/// detaches them: they run on, and their results are lost. Keep a
/// [`TaskRef`](crate::TaskRef) of a task (its
/// [`task_ref`](Task::task_ref)) to watch or cancel it after that.
///
/// [`timeout`]: Wait::timeout
///
/// ```
/// use cosched::ReturnWhen;
/// # cosched::run(async {
/// let a = cosched::create_task(async { "a" });
/// let (done, pending) = cosched::wait([a], ReturnWhen::AllCompleted).await;
/// assert!(pending.is_empty());
/// for task in done {
///     assert_eq!(task.await, Ok("a")); // ready at once
/// }
/// # });
/// ```
///
/// ```compile_fail
/// # cosched::run(async {
/// let a = cosched::create_task(async { 1 });
/// let twice = cosched::wait([a, a], cosched::ReturnWhen::AllCompleted); // `a` was moved
/// # });
/// ```
#[track_caller]
pub fn wait<I, T>(aws: I, return_when: ReturnWhen) -> Wait<T>
where
    I: IntoIterator,
    I::Item: IntoTask<Output = T>,
{
    Wait {
        children: Children::new(aws),
        return_when,
        timer: None,
        seen_finished: false,
        timed_out: false,
    }
}

/// The future of [`wait`]: `(done, pending)`. Dropping it cancels nothing;
/// the tasks it holds are detached.
///
/// ```
/// # cosched::run(async {
/// let waiting: cosched::Wait<u8> = cosched::wait([async { 1 }], cosched::ReturnWhen::AllCompleted);
/// let (done, _pending) = waiting.await;
/// assert_eq!(done.len(), 1);
/// # });
/// ```
#[must_use = "futures do nothing unless you `.await` or poll them"]
pub struct Wait<T> {
    children: Children<T>,
    return_when: ReturnWhen,
    /// The timeout, started on the first poll.
    timer: Option<Pin<Box<dyn Future<Output = ()> + Send>>>,
    /// Whether any task has been seen to finish.
    seen_finished: bool,
    /// Whether the timeout has passed (its timer is not polled again).
    timed_out: bool,
}

impl<T> Wait<T> {
    /// Returns after at most `timeout`, whether or not `return_when` has
    /// come, like asyncio's `wait(..., timeout=...)`: on a timeout, the
    /// tasks are returned as they are, with no error, and none is
    /// cancelled. The time counts from the first poll, as asyncio's
    /// counts from when `wait` starts running. A zero timeout returns the
    /// tasks that have already finished as `done`.
    ///
    /// ```
    /// use std::time::Duration;
    /// use cosched::ReturnWhen;
    /// # cosched::run(async {
    /// let slow = cosched::create_task(cosched::sleep(Duration::from_secs(3600)));
    /// let (done, pending) = cosched::wait([slow], ReturnWhen::AllCompleted)
    ///     .timeout(Duration::from_millis(10))
    ///     .await;
    /// assert!(done.is_empty());
    /// assert!(!pending[0].is_done(), "the timeout cancels nothing");
    /// pending[0].cancel();
    /// # });
    /// ```
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timer = Some(Box::pin(sleep(timeout)));
        self
    }

    /// Whether `return_when` has come, looking at the tasks seen to finish
    /// since the last call.
    fn has_come(&mut self) -> bool {
        while let Some(index) = self.children.next_finished() {
            self.seen_finished = true;
            let failed = self
                .children
                .get(index)
                .and_then(Task::kept_result)
                .is_some_and(|result| result.is_err_and(|error| !error.is_cancelled()));
            if failed && self.return_when == ReturnWhen::FirstException {
                return true;
            }
        }
        self.children.unfinished() == 0
            || (self.seen_finished && self.return_when == ReturnWhen::FirstCompleted)
    }
}

impl<T> Future for Wait<T> {
    type Output = (Vec<Task<T>>, Vec<Task<T>>);

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.get_mut();
        this.children.poll_children(cx);
        if this.has_come() {
            if this.children.any_ending() {
                // A task that has ended is done, as in asyncio
                // (`test_wait_really_done`): wait for its result, which
                // its handle's wake brings.
                return Poll::Pending;
            }
        } else {
            this.timed_out = this.timed_out
                || this
                    .timer
                    .as_mut()
                    .is_some_and(|timer| timer.as_mut().poll(cx).is_ready());
            if !this.timed_out {
                return Poll::Pending;
            }
        }
        this.children.sweep();
        if this.children.any_ending() {
            // Timed out as a task ended (`test_wait_concurrent_complete`):
            // it is done, and its result, which the backend publishes
            // just after the poll in which it ended, comes with its
            // handle's wake.
            return Poll::Pending;
        }
        let (done, pending) = this.children.drain().partition(Task::is_finished);
        Poll::Ready((done, pending))
    }
}

impl<T> fmt::Debug for Wait<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Wait")
            .field("len", &self.children.len())
            .field("unfinished", &self.children.unfinished())
            .field("return_when", &self.return_when)
            .field("timeout", &self.timer.is_some())
            .finish_non_exhaustive()
    }
}
