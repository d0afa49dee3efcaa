//! tokio: `Send` tasks go to the tokio runtime the caller is inside of, or
//! else to one process-wide multi-thread runtime that cosched starts on first
//! use; `!Send` tasks go to a thread-local `tokio::task::LocalSet` that
//! [`block_on`] drives while it waits.

use std::future::Future;
use std::pin::Pin;
use std::sync::OnceLock;
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

/// tokio's handle to a task; dropping it detaches the task.
pub(super) type Handle<T> = tokio::task::JoinHandle<T>;

pub(super) fn detach<T>(task: Handle<T>) {
    drop(task);
}

pub(super) fn poll<T>(task: &mut Handle<T>, cx: &mut Context<'_>) -> Poll<Option<T>> {
    // cosched catches its tasks' panics, so the only error tokio reports
    // is that its runtime shut down and dropped the task.
    Pin::new(task).poll(cx).map(Result::ok)
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

pub(super) fn spawn<F>(future: F) -> Handle<F::Output>
where
    F: Future + Send + 'static,
    F::Output: Send + 'static,
{
    handle().spawn(future)
}

pub(super) fn spawn_local<F>(future: F) -> Handle<F::Output>
where
    F: Future + 'static,
    F::Output: 'static,
{
    LOCAL.with(|local| local.spawn_local(future))
}

/// Inside a tokio runtime: its `block_on` (`#[tokio::main]`), one of its
/// workers, or a context it entered.
pub(crate) fn in_runtime() -> bool {
    tokio::runtime::Handle::try_current().is_ok()
}

/// Whether the current task has spent tokio's cooperative budget: from
/// now until it yields, tokio's own futures (a `JoinHandle` among them)
/// return `Pending`, and wake it only when it has yielded.
pub(crate) fn budget_spent() -> bool {
    !tokio::task::coop::has_budget_remaining()
}

pub(crate) fn block_on<F: Future>(future: F) -> F::Output {
    // Timers and I/O need a runtime context even on the blocking thread.
    let _enter = runtime().enter();
    LOCAL.with(|local| local.block_on(runtime(), future))
}

pub(crate) async fn sleep(duration: Duration) {
    in_context(|| tokio::time::sleep(duration)).await;
}

/// tokio's timer, as a value that can be re-armed.
pub(crate) type Timer = tokio::time::Sleep;

pub(crate) fn timer_at(deadline: Instant) -> Timer {
    in_context(|| tokio::time::sleep_until(deadline.into()))
}

pub(crate) fn reset_timer(timer: Pin<&mut Timer>, deadline: Instant) {
    timer.reset(deadline.into());
}

pub(crate) fn poll_timer(timer: Pin<&mut Timer>, cx: &mut Context<'_>) -> Poll<()> {
    timer.poll(cx)
}

/// tokio's timer binds to the runtime of the thread that creates it; a caller
/// outside any runtime gets cosched's own.
fn in_context<R>(make: impl FnOnce() -> R) -> R {
    let _enter = tokio::runtime::Handle::try_current()
        .is_err()
        .then(|| runtime().enter());
    make()
}
