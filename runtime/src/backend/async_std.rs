//! async-std: tasks go straight to async-std's executor,
//! `async-global-executor`, the crate behind `async_std::task::spawn`:
//! `Send` tasks to its global executor, `!Send` ones to the thread-local
//! executor that `async_std::task::block_on` drives. Naming it directly
//! skips async-std's per-task wrapper (an id, an optional name and a
//! task-locals map, 40 bytes and a thread-local write per poll), which
//! cosched's own header replaces; it also gives `spawn_local` without
//! async-std's `unstable` feature and the crates that feature pulls in. The
//! one visible difference: inside a cosched task, use
//! `cosched::current_task()`, not `async_std::task::current()`.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

/// A handle to a task on async-std's executor; dropping it detaches the task
/// (dropping the executor's own handle would cancel it).
#[derive(Debug)]
pub(crate) struct JoinHandle<T>(Option<async_global_executor::Task<T>>);

impl<T> JoinHandle<T> {
    /// A handle to no task: it reports the task gone at once.
    pub(crate) fn empty() -> Self {
        Self(None)
    }
}

impl<T> Drop for JoinHandle<T> {
    fn drop(&mut self) {
        if let Some(task) = self.0.take() {
            task.detach();
        }
    }
}

impl<T> Future for JoinHandle<T> {
    type Output = Option<T>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<T>> {
        match &mut self.get_mut().0 {
            Some(task) => Pin::new(task).poll(cx).map(Some),
            None => Poll::Ready(None),
        }
    }
}

pub(crate) fn spawn<F>(future: F) -> JoinHandle<F::Output>
where
    F: Future + Send + 'static,
    F::Output: Send + 'static,
{
    JoinHandle(Some(async_global_executor::spawn(future)))
}

pub(crate) fn spawn_local<F>(future: F) -> JoinHandle<F::Output>
where
    F: Future + 'static,
    F::Output: 'static,
{
    JoinHandle(Some(async_global_executor::spawn_local(future)))
}

pub(crate) fn block_on<F: Future>(future: F) -> F::Output {
    async_std::task::block_on(future)
}

pub(crate) async fn sleep(duration: Duration) {
    async_std::task::sleep(duration).await;
}

pub(crate) async fn sleep_until(deadline: Instant) {
    async_std::task::sleep(deadline.saturating_duration_since(Instant::now())).await;
}
