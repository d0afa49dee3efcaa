//! async-std: tasks go straight to async-std's executor,
//! `async-global-executor`, the crate behind `async_std::task::spawn`:
//! `Send` tasks to its global executor; `!Send` ones to cosched's own queue
//! of the thread ([`super::local`]), which [`block_on`] drives inside
//! `async_std::task::block_on`. Naming the executor directly
//! skips async-std's per-task wrapper (an id, an optional name and a
//! task-locals map, 40 bytes and a thread-local write per poll), which
//! cosched's own header replaces. The one visible difference: inside a
//! cosched task, use `cosched::current_task()`, not
//! `async_std::task::current()`.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

/// async-std's handle to a task (async-task's, as is the local queue's),
/// which reports a task dropped unfinished (a local one, as its thread
/// exits) as `None`; dropping it would cancel the task.
pub(super) type Handle<T> = async_task::FallibleTask<T>;

pub(super) fn detach<T>(task: Handle<T>) {
    task.detach();
}

pub(super) fn poll<T>(task: &mut Handle<T>, cx: &mut Context<'_>) -> Poll<Option<T>> {
    Pin::new(task).poll(cx)
}

pub(super) fn spawn<F>(future: F) -> Handle<F::Output>
where
    F: Future + Send + 'static,
    F::Output: Send + 'static,
{
    async_global_executor::spawn(future).fallible()
}

pub(super) fn spawn_local<F>(future: F) -> Handle<F::Output>
where
    F: Future + 'static,
    F::Output: 'static,
{
    super::local::spawn(future).fallible()
}

pub(crate) fn block_on<F: Future>(future: F) -> F::Output {
    async_std::task::block_on(super::local::Drive::new(future))
}

/// Inside `async_std::task::block_on` or an async-std task (such as
/// `#[async_std::main]`'s body).
pub(crate) fn in_runtime() -> bool {
    async_std::task::try_current().is_some()
}

/// async-std has no cooperative budget: never spent.
pub(crate) fn budget_spent() -> bool {
    false
}

pub(crate) async fn sleep(duration: Duration) {
    async_std::task::sleep(duration).await;
}

/// The timer behind `async_std::task::sleep` (async-std's own `Timer` is
/// `async_io::Timer`), as a value that can be re-armed.
pub(crate) type Timer = async_io::Timer;

pub(crate) fn timer_at(deadline: Instant) -> Timer {
    Timer::at(deadline)
}

pub(crate) fn reset_timer(timer: Pin<&mut Timer>, deadline: Instant) {
    timer.get_mut().set_at(deadline);
}

pub(crate) fn poll_timer(timer: Pin<&mut Timer>, cx: &mut Context<'_>) -> Poll<()> {
    timer.poll(cx).map(drop)
}
