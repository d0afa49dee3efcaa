//! `gather` and `try_gather`: many tasks awaited at once, each result in
//! its place; asyncio's `gather` in its two modes.
//!
//! Both are made of `wait::Children`: every child is polled with a waker
//! of its own, so a child's wake costs O(1) whatever their number.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use crate::coroutine::IntoTask;
use crate::task::{Task, TaskError};
use crate::wait::Children;

/// Awaits every one of `aws` at once and returns their results in the
/// order given, like asyncio's `gather(*aws, return_exceptions=True)`: a
/// child's panic or cancellation is an `Err` in its place and does not
/// disturb the others. [`try_gather`] is asyncio's other mode, where the
/// first failure is the result.
///
/// `aws` are tasks or coroutines, alike: each is made a task at the call
/// (with [`ensure_future`](crate::ensure_future), as asyncio does), so the
/// coroutines start running before the [`Gather`] is awaited, and a task
/// is awaited as it is. Awaiting the `Gather` waits for all of them; it
/// polls a child only when that child has woken it, so a wake costs the
/// same for a gather of 100,000 children as for one of two.
///
/// Cancelling it cancels the children: dropping the [`Gather`] before it
/// is done (the task awaiting it was cancelled, a
/// [`wait_for`](crate::wait_for) ran out) cancels every child that has
/// not finished, as cancelling asyncio's gather does. A drop cannot wait,
/// so the children stop at their next await point, after the drop. A child
/// cancelled on its own is an `Err(TaskError::Cancelled)` in its place,
/// and the others run on.
///
/// An empty `aws` gives an empty `Vec` at once.
///
/// ```
/// #[cosched::task]
/// async fn tenfold(n: u32) -> u32 {
///     if n == 2 {
///         panic!("two")
///     }
///     n * 10
/// }
/// # cosched::run(async {
/// // Coroutines and tasks alike.
/// let task = cosched::create_task(tenfold(3));
/// let results = cosched::gather([tenfold(1).spawn(), tenfold(2).spawn(), task]).await;
/// assert_eq!(results[0], Ok(10));
/// assert!(results[1].as_ref().unwrap_err().is_panic());
/// assert_eq!(results[2], Ok(30));
///
/// let results = cosched::gather((1..=3).map(tenfold)).await;
/// assert_eq!(results.len(), 3);
/// # });
/// ```
#[track_caller]
pub fn gather<I, T>(aws: I) -> Gather<T>
where
    I: IntoIterator,
    I::Item: IntoTask<Output = T>,
{
    Gather {
        children: Children::new(aws),
    }
}

/// Awaits every one of `aws` at once and returns their outputs in the
/// order given, or the first failure: asyncio's `gather(*aws)`, whose
/// first exception reaches the awaiter.
///
/// As with [`gather`], each of `aws` is made a task at the call, and
/// dropping the [`TryGather`] cancels every child not finished.
///
/// Where cosched differs from asyncio: on the first failure (a child
/// panicked, was cancelled, or could not run), asyncio returns it at once
/// and leaves the other children running, unawaited. cosched's rule is that
/// no task outlives the call that made it wait (as in a
/// [`TaskGroup`](crate::TaskGroup)): `try_gather` cancels the other
/// children and returns the failure only once every one of them has
/// stopped. A child that finished anyway meanwhile has its output dropped;
/// a failure after the first (a child panicking as it is cancelled) is not
/// returned.
///
/// # Errors
///
/// The [`TaskError`] of the first child seen to fail. A child cancelled on
/// its own fails the gather with [`TaskError::Cancelled`], as asyncio's
/// gather ends with the child's `CancelledError`.
///
/// ```
/// use std::time::Duration;
/// # cosched::run(async {
/// let ok = cosched::try_gather((1..=2).map(|n| async move { n })).await;
/// assert_eq!(ok, Ok(vec![1, 2]));
///
/// let slow = cosched::create_task(async {
///     cosched::sleep(Duration::from_secs(3600)).await;
///     "never"
/// });
/// let slow_ref = slow.task_ref();
/// let failing = cosched::create_task(async { panic!("boom") });
/// let error = cosched::try_gather([slow, failing]).await.unwrap_err();
/// assert_eq!(error, cosched::TaskError::Panicked("boom".into()));
/// assert!(slow_ref.is_cancelled(), "stopped before try_gather returned");
/// # });
/// ```
#[track_caller]
pub fn try_gather<I, T>(aws: I) -> TryGather<T>
where
    I: IntoIterator,
    I::Item: IntoTask<Output = T>,
{
    TryGather {
        children: Children::new(aws),
        failure: None,
    }
}

/// The future of [`gather`]: every child's result, in the order given.
/// Dropping it cancels every child that has not finished.
///
/// ```
/// # cosched::run(async {
/// let gathering: cosched::Gather<u8> = cosched::gather((1..=2).map(|n| async move { n }));
/// assert_eq!(gathering.len(), 2);
/// assert_eq!(gathering.await, [Ok(1), Ok(2)]);
/// # });
/// ```
#[must_use = "dropping a `Gather` cancels its children; `.await` it"]
pub struct Gather<T> {
    children: Children<T>,
}

impl<T> Gather<T> {
    /// How many children it gathers.
    ///
    /// ```
    /// # cosched::run(async {
    /// let gathering = cosched::gather((1..=3).map(|n| async move { n }));
    /// assert_eq!(gathering.len(), 3);
    /// # drop(gathering);
    /// # });
    /// ```
    pub fn len(&self) -> usize {
        self.children.len()
    }

    /// Whether it gathers no child, and so is done at once.
    ///
    /// ```
    /// # cosched::run(async {
    /// let gathering = cosched::gather(Vec::<cosched::Task<()>>::new());
    /// assert!(gathering.is_empty());
    /// assert_eq!(gathering.await, []);
    /// # });
    /// ```
    pub fn is_empty(&self) -> bool {
        self.children.len() == 0
    }
}

impl<T> Future for Gather<T> {
    type Output = Vec<Result<T, TaskError>>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let children = &mut self.get_mut().children;
        children.poll_children(cx);
        while children.next_finished().is_some() {}
        if children.unfinished() > 0 {
            return Poll::Pending;
        }
        Poll::Ready(children.drain().map(finished_result).collect())
    }
}

impl<T> Drop for Gather<T> {
    fn drop(&mut self) {
        self.children.cancel_owned_unfinished();
    }
}

impl<T> fmt::Debug for Gather<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Gather")
            .field("len", &self.children.len())
            .field("unfinished", &self.children.unfinished())
            .finish()
    }
}

/// The future of [`try_gather`]: every child's output in the order given,
/// or the first failure once every child has stopped. Dropping it cancels
/// every child that has not finished.
///
/// ```
/// # cosched::run(async {
/// let gathering: cosched::TryGather<u8> = cosched::try_gather([async { 1 }]);
/// assert_eq!(gathering.await, Ok(vec![1]));
/// # });
/// ```
#[must_use = "dropping a `TryGather` cancels its children; `.await` it"]
pub struct TryGather<T> {
    children: Children<T>,
    /// The first failure seen; the others have been cancelled since.
    failure: Option<TaskError>,
}

impl<T> TryGather<T> {
    /// How many children it gathers.
    ///
    /// ```
    /// # cosched::run(async {
    /// let gathering = cosched::try_gather((1..=2).map(|n| async move { n }));
    /// assert_eq!(gathering.len(), 2);
    /// # drop(gathering);
    /// # });
    /// ```
    pub fn len(&self) -> usize {
        self.children.len()
    }

    /// Whether it gathers no child, and so is done at once.
    ///
    /// ```
    /// # cosched::run(async {
    /// let gathering = cosched::try_gather(Vec::<cosched::Task<()>>::new());
    /// assert!(gathering.is_empty());
    /// assert_eq!(gathering.await, Ok(vec![]));
    /// # });
    /// ```
    pub fn is_empty(&self) -> bool {
        self.children.len() == 0
    }
}

impl<T> Future for TryGather<T> {
    type Output = Result<Vec<T>, TaskError>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.get_mut();
        let children = &mut this.children;
        children.poll_children(cx);
        while let Some(index) = children.next_finished() {
            if this.failure.is_some() {
                continue;
            }
            let failed = children
                .get(index)
                .and_then(Task::kept_result)
                .is_some_and(|result| result.is_err());
            if failed {
                this.failure = children
                    .take(index)
                    .and_then(Task::into_result)
                    .and_then(Result::err);
                children.cancel_unfinished();
            }
        }
        if children.unfinished() > 0 {
            return Poll::Pending;
        }
        if let Some(failure) = this.failure.take() {
            children.drain().for_each(drop);
            return Poll::Ready(Err(failure));
        }
        // No failure: every result is an output.
        Poll::Ready(children.drain().map(finished_result).collect())
    }
}

impl<T> Drop for TryGather<T> {
    fn drop(&mut self) {
        self.children.cancel_owned_unfinished();
    }
}

impl<T> fmt::Debug for TryGather<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TryGather")
            .field("len", &self.children.len())
            .field("unfinished", &self.children.unfinished())
            .field("failure", &self.failure)
            .finish()
    }
}

/// The result kept in a child the set has seen finish.
fn finished_result<T>(task: Task<T>) -> Result<T, TaskError> {
    task.into_result()
        .unwrap_or_else(|| unreachable!("a gather returns once every child has finished"))
}
