//! smol: `Send` tasks go to one process-wide `smol::Executor` run by one
//! thread per core (smol's own `smol::spawn` defaults to a single thread);
//! `!Send` tasks go to a thread-local `smol::LocalExecutor` that
//! [`block_on`] drives while it waits. `async-executor` is named directly
//! only for its `FallibleTask` type, which smol does not re-export: it is the
//! crate behind `smol::Executor`, so it adds no code to the build.

use std::future::Future;
use std::pin::Pin;
use std::sync::OnceLock;
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

/// A handle to a task on smol; dropping it detaches the task (dropping a
/// smol task itself would cancel it).
#[derive(Debug)]
pub(crate) struct JoinHandle<T>(Option<async_executor::FallibleTask<T>>);

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
            Some(task) => Pin::new(task).poll(cx),
            None => Poll::Ready(None),
        }
    }
}

fn executor() -> &'static smol::Executor<'static> {
    static EXECUTOR: OnceLock<smol::Executor<'static>> = OnceLock::new();
    EXECUTOR.get_or_init(|| {
        let threads = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
        for n in 1..=threads {
            std::thread::Builder::new()
                .name(format!("cosched-smol-{n}"))
                .spawn(|| {
                    // cosched catches task panics itself, so the executor
                    // never unwinds; run it for the life of the process.
                    smol::block_on(executor().run(std::future::pending::<()>()));
                })
                .expect("cosched: the OS refused to start an executor thread");
        }
        smol::Executor::new()
    })
}

thread_local! {
    static LOCAL: smol::LocalExecutor<'static> = const { smol::LocalExecutor::new() };
}

pub(crate) fn spawn<F>(future: F) -> JoinHandle<F::Output>
where
    F: Future + Send + 'static,
    F::Output: Send + 'static,
{
    JoinHandle(Some(executor().spawn(future).fallible()))
}

pub(crate) fn spawn_local<F>(future: F) -> JoinHandle<F::Output>
where
    F: Future + 'static,
    F::Output: 'static,
{
    JoinHandle(Some(LOCAL.with(|local| local.spawn(future)).fallible()))
}

pub(crate) fn block_on<F: Future>(future: F) -> F::Output {
    LOCAL.with(|local| smol::block_on(local.run(future)))
}

pub(crate) async fn sleep(duration: Duration) {
    smol::Timer::after(duration).await;
}

pub(crate) async fn sleep_until(deadline: Instant) {
    smol::Timer::at(deadline).await;
}
