//! tokio: `Send` tasks go to the tokio runtime the caller is inside of, or
//! else to one process-wide multi-thread runtime that cosched starts on first
//! use; `!Send` tasks go to a thread-local `tokio::task::LocalSet` that
//! [`block_on`] drives while it waits.

use std::future::Future;
use std::pin::Pin;
use std::sync::OnceLock;
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

/// A handle to a task on tokio; dropping it detaches the task, as dropping
/// a tokio handle does.
#[derive(Debug)]
pub(crate) struct JoinHandle<T>(Option<tokio::task::JoinHandle<T>>);

impl<T> JoinHandle<T> {
    /// A handle to no task: it reports the task gone at once.
    pub(crate) fn empty() -> Self {
        Self(None)
    }
}

impl<T> Future for JoinHandle<T> {
    type Output = Option<T>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<T>> {
        // cosched catches panics inside the task, so the only error tokio
        // can report is that its runtime shut down and dropped the task.
        match &mut self.get_mut().0 {
            Some(handle) => Pin::new(handle).poll(cx).map(Result::ok),
            None => Poll::Ready(None),
        }
    }
}

fn runtime() -> &'static tokio::runtime::Runtime {
    static RUNTIME: OnceLock<tokio::runtime::Runtime> = OnceLock::new();
    RUNTIME.get_or_init(|| {
        tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .thread_name("cosched-tokio")
            .build()
            .expect("cosched: the OS refused to start tokio's runtime")
    })
}

fn handle() -> tokio::runtime::Handle {
    tokio::runtime::Handle::try_current().unwrap_or_else(|_| runtime().handle().clone())
}

thread_local! {
    static LOCAL: tokio::task::LocalSet = tokio::task::LocalSet::new();
}

pub(crate) fn spawn<F>(future: F) -> JoinHandle<F::Output>
where
    F: Future + Send + 'static,
    F::Output: Send + 'static,
{
    JoinHandle(Some(handle().spawn(future)))
}

pub(crate) fn spawn_local<F>(future: F) -> JoinHandle<F::Output>
where
    F: Future + 'static,
    F::Output: 'static,
{
    JoinHandle(Some(LOCAL.with(|local| local.spawn_local(future))))
}

pub(crate) fn block_on<F: Future>(future: F) -> F::Output {
    // Timers and I/O need a runtime context even on the blocking thread.
    let _enter = runtime().enter();
    LOCAL.with(|local| local.block_on(runtime(), future))
}

pub(crate) async fn sleep(duration: Duration) {
    in_context(|| tokio::time::sleep(duration)).await;
}

pub(crate) async fn sleep_until(deadline: Instant) {
    in_context(|| tokio::time::sleep_until(deadline.into())).await;
}

/// tokio's timer binds to the runtime of the thread that creates it; a caller
/// outside any runtime gets cosched's own.
fn in_context<R>(make: impl FnOnce() -> R) -> R {
    let _enter = tokio::runtime::Handle::try_current()
        .is_err()
        .then(|| runtime().enter());
    make()
}
