//! `as_completed`: tasks handed back one by one as they finish.

use std::fmt;
use std::future::{Future, poll_fn};
use std::pin::pin;
use std::task::{Context, Poll};
use std::time::Instant;

use super::Children;
use crate::coroutine::IntoTask;
use crate::task::Task;
use crate::time::sleep_until;
use crate::wait_for::TimeoutError;

/// Hands `aws` back one by one as they finish, like asyncio's
/// `async for task in as_completed(aws)` (Python 3.13): each of
/// [`next`](AsCompleted::next)'s tasks has finished, and `.await`ing it
/// gives its result at once.
///
/// Each of `aws` is made a task at the call, with
/// [`ensure_future`](crate::ensure_future), so the coroutines start at
/// once, and a coroutine comes back as its task. (asyncio's async iterator
/// hands back the tasks it was given, and, for a coroutine, a future of its
/// result; here a coroutine's task is that future.) A task cannot be passed
/// twice, as a Python future can: a [`Task`] is not `Clone`.
///
/// For asyncio's `timeout=`, use [`next_until`](AsCompleted::next_until)
/// with one deadline for the whole loop. Nothing is cancelled: not on a
/// timeout, nor when the [`AsCompleted`] is dropped, which drops the tasks
/// not handed out yet, and so detaches them (their results are lost; see
/// [`into_remaining`](AsCompleted::into_remaining) to keep them).
///
/// ```
/// use std::time::Duration;
/// # cosched::run(async {
/// let slow = cosched::create_task(cosched::sleep(Duration::from_secs(3600)));
/// let fast = cosched::create_task(async {});
/// let (slow_ref, fast_id) = (slow.task_ref(), fast.id());
/// let mut completed = cosched::as_completed([slow, fast]);
/// assert_eq!(completed.len(), 2);
/// let first = completed.next().await.unwrap();
/// assert_eq!(first.id(), fast_id);
/// slow_ref.cancel();
/// while let Some(task) = completed.next().await {
///     assert!(task.await.unwrap_err().is_cancelled());
/// }
/// # });
/// ```
#[track_caller]
pub fn as_completed<I, T>(aws: I) -> AsCompleted<T>
where
    I: IntoIterator,
    I::Item: IntoTask<Output = T>,
{
    let children = Children::new(aws);
    AsCompleted {
        remaining: children.len(),
        children,
    }
}

/// The tasks of [`as_completed`] not handed out yet.
///
/// ```
/// # cosched::run(async {
/// let mut completed: cosched::AsCompleted<u8> = cosched::as_completed([async { 1 }]);
/// let task = completed.next().await.expect("one task");
/// assert_eq!(task.await, Ok(1));
/// assert!(completed.next().await.is_none());
/// # });
/// ```
pub struct AsCompleted<T> {
    children: Children<T>,
    /// How many have not been handed out.
    remaining: usize,
}

impl<T> AsCompleted<T> {
    /// The next task to finish, once it has; `None` when every task has
    /// been handed out.
    ///
    /// ```
    /// # cosched::run(async {
    /// let mut completed = cosched::as_completed(['a', 'b'].map(|c| async move { c }));
    /// let mut seen = Vec::new();
    /// while let Some(task) = completed.next().await {
    ///     assert!(task.is_done());
    ///     seen.push(task.await.unwrap());
    /// }
    /// seen.sort_unstable();
    /// assert_eq!(seen, ['a', 'b']);
    /// # });
    /// ```
    pub async fn next(&mut self) -> Option<Task<T>> {
        poll_fn(|cx| self.poll_next(cx)).await
    }

    /// [`next`](Self::next) with a deadline: `Err(TimeoutError)` if no task
    /// finished before `deadline`. This is asyncio's
    /// `as_completed(aws, timeout=...)` when one deadline serves the whole
    /// loop, as asyncio's timeout does. The tasks not handed out stay here,
    /// uncancelled: `next` can still wait for them, or
    /// [`into_remaining`](Self::into_remaining) take them.
    ///
    /// A task that has already finished is handed out even after the
    /// deadline.
    ///
    /// # Errors
    ///
    /// [`TimeoutError`] when `deadline` passed first.
    ///
    /// ```
    /// use std::time::{Duration, Instant};
    /// # cosched::run(async {
    /// let fast = cosched::create_task(async { "fast" });
    /// let slow = cosched::create_task(async {
    ///     cosched::sleep(Duration::from_secs(3600)).await;
    ///     "slow"
    /// });
    /// let mut completed = cosched::as_completed([fast, slow]);
    /// let first = completed.next().await.unwrap();
    /// assert_eq!(first.await, Ok("fast"));
    /// let deadline = Instant::now() + Duration::from_millis(10);
    /// assert_eq!(completed.next_until(deadline).await.unwrap_err(), cosched::TimeoutError);
    /// assert_eq!(completed.len(), 1);
    /// for task in completed.into_remaining() {
    ///     task.cancel();
    /// }
    /// # });
    /// ```
    pub async fn next_until(&mut self, deadline: Instant) -> Result<Option<Task<T>>, TimeoutError> {
        let mut timer = pin!(sleep_until(deadline));
        let mut timed_out = false;
        poll_fn(|cx| {
            if let Poll::Ready(next) = self.poll_next(cx) {
                return Poll::Ready(Ok(next));
            }
            timed_out = timed_out || timer.as_mut().poll(cx).is_ready();
            if !timed_out {
                return Poll::Pending;
            }
            // A task that has ended by the deadline has finished, though
            // the backend publishes its result just after its last poll:
            // it is handed out once that arrives (its handle's wake).
            self.children.sweep();
            if let Some(task) = self.take_finished() {
                return Poll::Ready(Ok(Some(task)));
            }
            if self.children.any_ending() {
                return Poll::Pending;
            }
            Poll::Ready(Err(TimeoutError))
        })
        .await
    }

    /// [`next`](Self::next) as a poll, for a `Stream` adapter or a
    /// hand-written future: `Ready(Some(task))` once a task has finished,
    /// `Ready(None)` when every one has been handed out, else `Pending`,
    /// with `cx`'s waker woken when a task finishes.
    ///
    /// ```
    /// # cosched::run(async {
    /// let mut completed = cosched::as_completed([async { 1 }]);
    /// let task = std::future::poll_fn(|cx| completed.poll_next(cx)).await;
    /// assert_eq!(task.unwrap().await, Ok(1));
    /// # });
    /// ```
    pub fn poll_next(&mut self, cx: &mut Context<'_>) -> Poll<Option<Task<T>>> {
        if self.remaining == 0 {
            return Poll::Ready(None);
        }
        if let Some(task) = self.take_finished() {
            return Poll::Ready(Some(task));
        }
        self.children.poll_children(cx);
        match self.take_finished() {
            Some(task) => Poll::Ready(Some(task)),
            None => Poll::Pending,
        }
    }

    fn take_finished(&mut self) -> Option<Task<T>> {
        while let Some(index) = self.children.next_finished() {
            if let Some(task) = self.children.take(index) {
                self.remaining -= 1;
                return Some(task);
            }
        }
        None
    }

    /// How many tasks have not been handed out.
    ///
    /// ```
    /// # cosched::run(async {
    /// let mut completed = cosched::as_completed((1..=2).map(|n| async move { n }));
    /// assert_eq!(completed.len(), 2);
    /// let _ = completed.next().await;
    /// assert_eq!(completed.len(), 1);
    /// # });
    /// ```
    pub fn len(&self) -> usize {
        self.remaining
    }

    /// Whether every task has been handed out.
    ///
    /// ```
    /// # cosched::run(async {
    /// let mut completed = cosched::as_completed([async { 1 }]);
    /// assert!(!completed.is_empty());
    /// let _ = completed.next().await;
    /// assert!(completed.is_empty());
    /// # });
    /// ```
    pub fn is_empty(&self) -> bool {
        self.remaining == 0
    }

    /// The tasks not handed out yet, in the order they were given, whether
    /// they have finished or not: to cancel them, or await them otherwise.
    ///
    /// ```
    /// use std::time::Duration;
    /// # cosched::run(async {
    /// let slow = cosched::create_task(cosched::sleep(Duration::from_secs(3600)));
    /// let completed = cosched::as_completed([slow]);
    /// for task in completed.into_remaining() {
    ///     task.cancel();
    ///     assert!(task.await.unwrap_err().is_cancelled());
    /// }
    /// # });
    /// ```
    pub fn into_remaining(mut self) -> Vec<Task<T>> {
        self.children.drain().collect()
    }
}

impl<T> fmt::Debug for AsCompleted<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AsCompleted")
            .field("remaining", &self.remaining)
            .field("unfinished", &self.children.unfinished())
            .finish()
    }
}
