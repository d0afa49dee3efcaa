//! `shield`: awaiting a task without passing a cancellation on to it.

use std::fmt;
use std::future::{Future, IntoFuture};
use std::pin::Pin;
use std::task::{Context, Poll};

use crate::coroutine::IntoTask;
use crate::task::{Join, TaskError};

/// Awaits `aw` without passing a cancellation on to it, like asyncio's
/// `shield(aw)`: the [`Shield`] gives the task's result, and dropping it
/// (the task awaiting it was cancelled, or a [`wait_for`](crate::wait_for)
/// ran out) leaves the task running, where dropping a [`Join`](crate::Join)
/// (`task.await`) would cancel it.
///
/// `aw` is a task or a coroutine; a coroutine is made a task at the call
/// ([`ensure_future`](crate::ensure_future)), as asyncio's `shield(coro)`
/// does. A task that is cancelled otherwise (by [`Task::cancel`] through a
/// [`TaskRef`](crate::TaskRef)) ends the shield with
/// `Err(TaskError::Cancelled)`, as asyncio's outer future is cancelled with
/// its inner one.
///
/// Where cosched differs from asyncio: the [`Shield`] owns the task, so
/// once it is dropped the task runs on detached, and its result is lost
/// (in asyncio, whoever held the task can still await it). Keep a
/// [`TaskRef`](crate::TaskRef) to watch or cancel it.
///
/// ```
/// use std::time::Duration;
/// # cosched::run(async {
/// let save = cosched::create_task(async {
///     cosched::sleep(Duration::from_millis(30)).await;
///     "saved"
/// });
/// let save_ref = save.task_ref();
/// let caller = cosched::create_task(async move { cosched::shield(save).await });
/// cosched::sleep(Duration::from_millis(5)).await; // the caller awaits the shield
/// caller.cancel();
/// assert!(caller.await.unwrap_err().is_cancelled());
/// // The save was not cancelled with its caller: it runs to its end.
/// while !save_ref.is_done() {
///     cosched::sleep(Duration::from_millis(5)).await;
/// }
/// assert!(!save_ref.is_cancelled());
/// # });
/// ```
#[track_caller]
pub fn shield<X, T>(aw: X) -> Shield<T>
where
    X: IntoTask<Output = T>,
{
    Shield {
        join: crate::ensure_future(aw).into_future(),
    }
}

/// The future of [`shield`]: the task's result. Dropping it detaches the
/// task rather than cancelling it.
///
/// ```
/// # cosched::run(async {
/// let shielded: cosched::Shield<u8> = cosched::shield(async { 7 });
/// assert_eq!(shielded.await, Ok(7));
/// # });
/// ```
#[must_use = "futures do nothing unless you `.await` or poll them"]
pub struct Shield<T> {
    /// Awaiting the task as `.await` does (an await cycle is an error
    /// here too), but dropped without cancelling it (see `Drop`).
    join: Join<T>,
}

impl<T> Future for Shield<T> {
    type Output = Result<T, TaskError>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        Pin::new(&mut self.get_mut().join).poll(cx)
    }
}

impl<T> Drop for Shield<T> {
    /// Detaches the task, which runs on: the shield's point.
    fn drop(&mut self) {
        self.join.detach();
    }
}

impl<T> fmt::Debug for Shield<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Shield").field("join", &self.join).finish()
    }
}
