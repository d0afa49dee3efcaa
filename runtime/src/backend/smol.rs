//! smol: `Send` tasks go to one process-wide `smol::Executor` run by one
//! thread per core (smol's own `smol::spawn` defaults to a single thread);
//! `!Send` tasks go to cosched's own queue of the thread
//! ([`super::local`]), which [`block_on`] drives while it waits.
//! `async-task` is named directly for its `FallibleTask` type, which smol
//! does not re-export: it is the crate behind `smol::Executor`'s tasks (and
//! behind [`super::local`]'s), so it adds no code to the build.

use std::future::Future;
use std::pin::Pin;
use std::sync::OnceLock;
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

/// smol's handle to a task; dropping it would cancel the task.
pub(super) type Handle<T> = async_task::FallibleTask<T>;

pub(super) fn detach<T>(task: Handle<T>) {
    task.detach();
}

pub(super) fn poll<T>(task: &mut Handle<T>, cx: &mut Context<'_>) -> Poll<Option<T>> {
    Pin::new(task).poll(cx)
}

fn executor() -> &'static smol::Executor<'static> {
    static EXECUTOR: OnceLock<smol::Executor<'static>> = OnceLock::new();
    EXECUTOR.get_or_init(|| {
        let threads = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
        for n in 1..=threads {
            std::thread::Builder::new()
                .name(format!("cosched-smol-{n}"))
                .spawn(|| {
                    // cosched catches its tasks' panics, so the executor
                    // does not unwind; run it for the life of the process.
                    smol::block_on(executor().run(std::future::pending::<()>()));
                })
                .expect("cosched: the OS refused to start an executor thread");
        }
        smol::Executor::new()
    })
}

pub(super) fn spawn<F>(future: F) -> Handle<F::Output>
where
    F: Future + Send + 'static,
    F::Output: Send + 'static,
{
    executor().spawn(future).fallible()
}

pub(super) fn spawn_local<F>(future: F) -> Handle<F::Output>
where
    F: Future + 'static,
    F::Output: 'static,
{
    super::local::spawn(future).fallible()
}

pub(crate) fn block_on<F: Future>(future: F) -> F::Output {
    smol::block_on(super::local::Drive::new(future))
}

/// smol says nothing of where it runs; cosched's own loops and tasks are
/// told apart above this module.
pub(crate) fn in_runtime() -> bool {
    false
}

/// smol has no cooperative budget: never spent.
pub(crate) fn budget_spent() -> bool {
    false
}

pub(crate) async fn sleep(duration: Duration) {
    smol::Timer::after(duration).await;
}

/// smol's timer, as a value that can be re-armed.
pub(crate) type Timer = smol::Timer;

pub(crate) fn timer_at(deadline: Instant) -> Timer {
    Timer::at(deadline)
}

pub(crate) fn reset_timer(timer: Pin<&mut Timer>, deadline: Instant) {
    timer.get_mut().set_at(deadline);
}

pub(crate) fn poll_timer(timer: Pin<&mut Timer>, cx: &mut Context<'_>) -> Poll<()> {
    timer.poll(cx).map(drop)
}
