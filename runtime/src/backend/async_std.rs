//! async-std: tasks go to async-std's global executor through
//! `async_std::task::spawn`, so async-std's task locals keep working inside
//! them; `!Send` tasks go to the thread-local executor that
//! `async_std::task::block_on` drives (async-global-executor's, which
//! async-std itself uses; calling it directly avoids async-std's `unstable`
//! feature and the crates that feature pulls in).

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

/// A handle to a task on async-std; dropping it detaches the task.
#[derive(Debug)]
pub(crate) enum JoinHandle<T> {
    /// Dropping an async-std handle detaches by itself.
    Threaded(async_std::task::JoinHandle<T>),
    /// Dropping an async-task handle would cancel: `Drop` detaches it.
    Local(Option<async_global_executor::Task<T>>),
}

impl<T> Drop for JoinHandle<T> {
    fn drop(&mut self) {
        if let Self::Local(task) = self {
            if let Some(task) = task.take() {
                task.detach();
            }
        }
    }
}

impl<T> Future for JoinHandle<T> {
    type Output = Option<T>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<T>> {
        match self.get_mut() {
            Self::Threaded(handle) => Pin::new(handle).poll(cx).map(Some),
            Self::Local(Some(task)) => Pin::new(task).poll(cx).map(Some),
            Self::Local(None) => Poll::Ready(None),
        }
    }
}

pub(crate) fn spawn<F>(future: F) -> JoinHandle<F::Output>
where
    F: Future + Send + 'static,
    F::Output: Send + 'static,
{
    JoinHandle::Threaded(async_std::task::spawn(future))
}

pub(crate) fn spawn_local<F>(future: F) -> JoinHandle<F::Output>
where
    F: Future + 'static,
    F::Output: 'static,
{
    JoinHandle::Local(Some(async_global_executor::spawn_local(future)))
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
