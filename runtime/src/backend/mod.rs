//! The one place that names a runtime crate.
//!
//! cosched is written once over a tiny interface that each backend module
//! provides with the same names and signatures:
//!
//! | item | meaning |
//! | --- | --- |
//! | `Handle<T>` | the runtime's handle to a task |
//! | `poll(&mut Handle<T>, cx)` | its result: `Some`, or `None` only if the runtime dropped the task |
//! | `detach(Handle<T>)` | let the task run on without the handle |
//! | `spawn(fut)` | start a `Send` future on the runtime's thread pool |
//! | `spawn_local(fut)` | start a `!Send` future on the current thread's local executor (on async-std and smol, cosched's own queue: `local.rs`) |
//! | `block_on(fut)` | run `fut` on this thread, driving this thread's local tasks meanwhile |
//! | `in_runtime()` | whether this thread is inside the runtime's own `block_on` or tasks |
//! | `budget_spent()` | whether the current task has spent the runtime's cooperative budget (tokio's), and should yield |
//! | `sleep(d)` | the runtime's timer, on real time (the loop's shutdown polls with it) |
//! | `Timer`, `timer_at(i)`, `reset_timer(t, i)`, `poll_timer(t, cx)` | the runtime's timer as one value whose deadline moves: what `time::Timer` arms on the real clock |
//!
//! [`JoinHandle`], written once here over those, is what a `Task` holds.
//! Everything else (names, ids, cancellation, panic capture, the task
//! table) lives above this module, so it behaves the same on every backend.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

#[cfg(not(any(feature = "async-std", feature = "smol", feature = "tokio")))]
compile_error!(
    "cosched needs a backend: enable exactly one of the features `async-std` (the default), \
     `smol` or `tokio`, e.g. `cosched = { version = \"0.1\", default-features = false, features = [\"smol\"] }`"
);

#[cfg(any(
    all(feature = "async-std", feature = "smol"),
    all(feature = "async-std", feature = "tokio"),
    all(feature = "smol", feature = "tokio"),
))]
compile_error!(
    "cosched's backend features are exclusive: enable exactly one of `async-std` (the default), \
     `smol` or `tokio`; to pick smol or tokio, also set `default-features = false`"
);

// cosched's own run queue for local tasks, on the backends whose tasks are
// async-task's (tokio's `LocalSet` keeps tokio's own local APIs working).
#[cfg(all(any(feature = "async-std", feature = "smol"), not(feature = "tokio")))]
mod local;

#[cfg(all(feature = "async-std", not(any(feature = "smol", feature = "tokio"))))]
mod async_std;
#[cfg(all(feature = "async-std", not(any(feature = "smol", feature = "tokio"))))]
use self::async_std as imp;

#[cfg(all(feature = "smol", not(any(feature = "async-std", feature = "tokio"))))]
mod smol;
#[cfg(all(feature = "smol", not(any(feature = "async-std", feature = "tokio"))))]
use self::smol as imp;

#[cfg(all(feature = "tokio", not(any(feature = "async-std", feature = "smol"))))]
mod tokio;
#[cfg(all(feature = "tokio", not(any(feature = "async-std", feature = "smol"))))]
use self::tokio as imp;

/// The name of the backend this build runs on, for diagnostics and benchmarks.
#[cfg(all(feature = "async-std", not(any(feature = "smol", feature = "tokio"))))]
pub(crate) const NAME: &str = "async-std";
/// The name of the backend this build runs on, for diagnostics and benchmarks.
#[cfg(all(feature = "smol", not(any(feature = "async-std", feature = "tokio"))))]
pub(crate) const NAME: &str = "smol";
/// The name of the backend this build runs on, for diagnostics and benchmarks.
#[cfg(all(feature = "tokio", not(any(feature = "async-std", feature = "smol"))))]
pub(crate) const NAME: &str = "tokio";

pub(crate) use imp::{
    Timer, block_on, budget_spent, in_runtime, poll_timer, reset_timer, sleep, timer_at,
};

/// A handle to a task on the backend: a future of its result, `None` if the
/// runtime dropped the task; dropping it detaches the task.
#[derive(Debug)]
pub(crate) struct JoinHandle<T>(Option<imp::Handle<T>>);

impl<T> JoinHandle<T> {
    /// A handle to no task: it reports the task gone at once.
    pub(crate) fn empty() -> Self {
        Self(None)
    }
}

impl<T> Drop for JoinHandle<T> {
    fn drop(&mut self) {
        if let Some(task) = self.0.take() {
            imp::detach(task);
        }
    }
}

impl<T> Future for JoinHandle<T> {
    type Output = Option<T>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<T>> {
        match &mut self.get_mut().0 {
            Some(task) => imp::poll(task, cx),
            None => Poll::Ready(None),
        }
    }
}

/// Starts a `Send` future on the runtime's thread pool.
#[inline]
pub(crate) fn spawn<F>(future: F) -> JoinHandle<F::Output>
where
    F: Future + Send + 'static,
    F::Output: Send + 'static,
{
    JoinHandle(Some(imp::spawn(future)))
}

/// Starts a `!Send` future on this thread's local executor.
#[inline]
pub(crate) fn spawn_local<F>(future: F) -> JoinHandle<F::Output>
where
    F: Future + 'static,
    F::Output: 'static,
{
    JoinHandle(Some(imp::spawn_local(future)))
}
