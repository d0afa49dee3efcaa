//! The event loop, and the calls that act on the current one.
//!
//! `numbers` keeps each loop's shared part and the number its tasks'
//! slots name it by; this file is the `EventLoop` value over it and its
//! methods (kept with the type, so that compile errors name them
//! `EventLoop::create_task`); `context` is what this thread is doing
//! (driving a loop, polling a task) and so which loop is current; `free`
//! has asyncio's free functions (`run`, `create_task`, ...) and `builder`
//! the task builder.

mod builder;
mod context;
mod free;
mod numbers;

use std::fmt;
use std::future::{Future, IntoFuture};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use crate::backend;
use crate::coroutine::{IntoTask, Spawnable};
use crate::task::{self, Name, Origin, SlotRef, Task, TaskFuture, TaskRef, live};
use numbers::LoopInner;

pub use builder::Builder;
pub(crate) use context::{current_number, driving_loop_is_debug, is_driving, with_current_loop};
#[doc(hidden)]
pub use free::run_test;
pub use free::{all_tasks, create_task, current_task, ensure_future, get_event_loop, run};

/// Records that a panic of a task of the loop numbered `number` was never
/// retrieved (a no-op once the loop is dropped).
pub(crate) fn record_lost_panic(number: u16, report: &crate::report::Report) {
    if let Some(inner) = numbers::find(number) {
        crate::sync::lock(&inner.lost_panics).push(report.to_string());
    }
}

/// An event loop: asyncio's loop, on the backend's threads.
///
/// Its tasks run on the backend's thread pool (`!Send` ones on the thread
/// that drives the loop); the loop is the scope they belong to. It knows
/// its live tasks ([`all_tasks`](EventLoop::all_tasks)), and
/// [`run`](crate::run) cancels the ones a program leaves behind. Tasks
/// created inside a task join the loop of the task that created them.
///
/// ```
/// let event_loop = cosched::get_event_loop();
/// let answer = event_loop.run_until_complete(async {
///     let task = cosched::create_task(async { 40 + 2 });
///     task.await
/// });
/// assert_eq!(answer, Ok(42));
/// ```
#[derive(Clone)]
pub struct EventLoop {
    inner: Arc<LoopInner>,
}

impl EventLoop {
    /// A new loop with no tasks, like asyncio's `new_event_loop()`.
    ///
    /// ```
    /// let event_loop = cosched::EventLoop::new();
    /// assert!(event_loop.all_tasks().is_empty());
    /// ```
    #[allow(clippy::new_without_default)] // a loop is made, not defaulted
    pub fn new() -> Self {
        static NEXT_ID: AtomicU64 = AtomicU64::new(1);
        let inner = numbers::new_loop(NEXT_ID.fetch_add(1, Ordering::Relaxed));
        // A reused number's loop starts out of debug mode (unless the
        // whole process is in it: `COSCHED_DEBUG=1`).
        crate::debug::from_env();
        crate::debug::set_for(inner.number, false);
        Self { inner }
    }

    /// How this loop's tasks' slots name it.
    #[inline]
    pub(crate) fn number(&self) -> u16 {
        self.inner.number
    }

    /// Its live tasks, counted (see `task::live`).
    #[inline]
    pub(crate) fn counts(&self) -> &'static live::Counts {
        self.inner.counts
    }

    /// Every live task of this loop and what each awaits, as a tree; see
    /// [`Dump`](crate::Dump).
    ///
    /// ```
    /// let event_loop = cosched::EventLoop::new();
    /// let task = event_loop.create_task(cosched::sleep(std::time::Duration::from_secs(60)));
    /// let dump = event_loop.dump();
    /// assert_eq!(dump.tasks()[0].id(), task.id());
    /// assert!(dump.to_string().contains(&format!("(id {}, ", task.id())));
    /// ```
    pub fn dump(&self) -> crate::Dump {
        crate::introspect::Dump::of_loop(self.inner.id, self.number())
    }

    /// Puts this loop in [debug mode](crate::debug), or takes it out:
    /// asyncio's `loop.set_debug()`. (`COSCHED_DEBUG=1` and
    /// [`debug::set_enabled`](crate::debug::set_enabled) put every loop in
    /// it.)
    ///
    /// ```
    /// let event_loop = cosched::EventLoop::new();
    /// event_loop.set_debug(true);
    /// assert!(event_loop.is_debug());
    /// ```
    pub fn set_debug(&self, on: bool) {
        crate::debug::set_for(self.number(), on);
    }

    /// Whether this loop is in [debug mode](crate::debug).
    ///
    /// ```
    /// let event_loop = cosched::EventLoop::new();
    /// assert_eq!(event_loop.is_debug(), cosched::debug::is_enabled());
    /// ```
    pub fn is_debug(&self) -> bool {
        crate::debug::from_env();
        crate::debug::on_for(self.number())
    }

    /// The reports of this loop's tasks' panics that nobody retrieved since
    /// the last call, for `#[cosched::test]` to fail on.
    pub(crate) fn take_lost_panics(&self) -> Vec<String> {
        std::mem::take(&mut *crate::sync::lock(&self.inner.lost_panics))
    }

    /// Every loop not yet dropped, oldest first.
    pub(crate) fn live() -> Vec<Self> {
        let mut loops: Vec<Self> = numbers::live()
            .into_iter()
            .map(|inner| Self { inner })
            .collect();
        loops.sort_unstable_by_key(|event_loop| event_loop.inner.id);
        loops
    }

    /// The loop numbered `number`, unless it has been dropped.
    pub(super) fn find(number: u16) -> Option<Self> {
        numbers::find(number).map(|inner| Self { inner })
    }
}

impl fmt::Debug for EventLoop {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EventLoop")
            .field("id", &self.inner.id)
            .field("backend", &backend::NAME)
            .field("live", &self.counts().approximate())
            .finish_non_exhaustive()
    }
}

impl PartialEq for EventLoop {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.inner, &other.inner)
    }
}

impl Eq for EventLoop {}

impl EventLoop {
    /// Runs `future` to completion on this thread, with this loop as the
    /// current one, and returns its output. Tasks it creates run meanwhile.
    /// Threaded tasks are left running when it returns (see
    /// [`run`](crate::run) for the version that cleans up); local ones,
    /// which only this thread polls and only while it is in here, are
    /// cancelled before it returns, so that nobody waits for them forever.
    ///
    /// # Panics
    ///
    /// If this thread is already running an event loop (inside a task, in
    /// `run` or `run_until_complete`, or inside the backend runtime's own
    /// `block_on`), as asyncio refuses: `.await` the future instead.
    ///
    /// ```
    /// let event_loop = cosched::EventLoop::new();
    /// assert_eq!(event_loop.run_until_complete(async { 7 }), 7);
    /// ```
    #[track_caller]
    pub fn run_until_complete<F: IntoFuture>(&self, future: F) -> F::Output {
        context::refuse_nested("EventLoop::run_until_complete()");
        let _driving = context::Driving::new(self.clone());
        let future = future.into_future();
        // `Driven` moves the loop's clock while it is paused.
        backend::block_on(crate::time::clock::Driven::new(self.number(), async move {
            let output = future.await;
            context::stop_locals().await;
            output
        }))
    }

    /// Schedules `coroutine` on this loop and returns its task; see
    /// [`create_task`](crate::create_task).
    ///
    /// ```
    /// let event_loop = cosched::EventLoop::new();
    /// let task = event_loop.create_task(async { 1 });
    /// assert_eq!(event_loop.run_until_complete(task), Ok(1));
    /// ```
    #[track_caller]
    pub fn create_task<C, T>(&self, coroutine: C) -> Task<T>
    where
        C: Spawnable<Output = T>,
    {
        coroutine.spawn_on(self, Origin::here())
    }

    /// Makes sure `x` is a task of this loop's: see
    /// [`ensure_future`](crate::ensure_future).
    ///
    /// ```
    /// let event_loop = cosched::EventLoop::new();
    /// let task = event_loop.ensure_future(async { 1 });
    /// let id = task.id();
    /// let same = event_loop.ensure_future(task);
    /// assert_eq!(same.id(), id);
    /// ```
    #[track_caller]
    pub fn ensure_future<X, T>(&self, x: X) -> Task<T>
    where
        X: IntoTask<Output = T>,
    {
        x.into_task(self, Origin::here())
    }

    /// The live tasks of this loop, in no particular order. On a loop with
    /// no task alive this reads nothing but the loop's counts; otherwise
    /// it reads every slot of the task table.
    ///
    /// ```
    /// let event_loop = cosched::EventLoop::new();
    /// let task = event_loop.create_task(cosched::sleep(std::time::Duration::from_secs(60)));
    /// assert_eq!(event_loop.all_tasks().len(), 1);
    /// task.cancel();
    /// ```
    pub fn all_tasks(&self) -> Vec<TaskRef> {
        if self.counts().is_empty() {
            return Vec::new();
        }
        SlotRef::snapshot(self.number())
            .into_iter()
            .map(|slot| TaskRef { slot })
            .collect()
    }

    /// Spawns a `Send` future as a task of this loop.
    #[inline]
    pub(crate) fn spawn<F>(&self, name: Name, future: F) -> Task<F::Output>
    where
        F: Future + Send + 'static,
        F::Output: Send + 'static,
    {
        if crate::time::clock::any_virtual() {
            return self.spawn_virtual(name, future);
        }
        if name.eager {
            return self.spawn_eager(name, future, backend::spawn);
        }
        let unnamed = name.is_plain();
        let (slot, claim) = task::new_task(name, self.number(), self.counts());
        let join = backend::spawn(TaskFuture::new(claim, future, unnamed));
        Task::new(slot, join)
    }

    /// [`spawn`](Self::spawn) while some loop's clock is virtual: on a
    /// paused loop, the task runs on the loop's driving thread if this is
    /// it (see `time::clock`), and is runnable until its first poll (its
    /// first poll by the backend, if it starts eagerly).
    #[cold]
    #[inline(never)]
    fn spawn_virtual<F>(&self, name: Name, future: F) -> Task<F::Output>
    where
        F: Future + Send + 'static,
        F::Output: Send + 'static,
    {
        let paused = crate::time::clock::of(self.number()).is_some_and(|clock| clock.is_paused());
        if paused && context::drives(self.number()) {
            return self.spawn_local(name, future);
        }
        if name.eager {
            return self.spawn_eager(name, future, backend::spawn);
        }
        let unnamed = name.is_plain();
        let (slot, claim) = task::new_task(name, self.number(), self.counts());
        crate::time::clock::spawned(self.number(), slot.index());
        let join = backend::spawn(TaskFuture::new(claim, future, unnamed));
        Task::new(slot, join)
    }

    /// Eager start (`Builder::eager`, asyncio's `eager_start=True`): polls
    /// the task's future once, here, on the caller's thread; a future that
    /// finishes then gives a done task that never reached the scheduler
    /// (no queue push; the one allocation is the box it was polled in). One
    /// that suspends is handed to the backend with `spawn`, which polls it
    /// again at once (the wakers it registered in the first poll were a
    /// no-op's: a future wakes the waker of its latest poll).
    #[cold]
    fn spawn_eager<F, S>(&self, name: Name, future: F, spawn: S) -> Task<F::Output>
    where
        F: Future + 'static,
        F::Output: 'static,
        S: FnOnce(
            std::pin::Pin<Box<TaskFuture<F>>>,
        ) -> backend::JoinHandle<Result<F::Output, task::TaskError>>,
    {
        let unnamed = name.is_plain();
        let (slot, claim) = task::new_task(name, self.number(), self.counts());
        let mut future = Box::pin(TaskFuture::new(claim, future, unnamed));
        let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
        match future.as_mut().poll(&mut cx) {
            std::task::Poll::Ready(result) => Task::finished(slot, result),
            std::task::Poll::Pending => {
                if crate::time::clock::any_virtual() {
                    // A paused clock counts it runnable until the backend's
                    // first poll: nothing would wake it before (the waker of
                    // the poll above was a no-op's).
                    crate::time::clock::spawned(self.number(), slot.index());
                }
                Task::new(slot, spawn(future))
            }
        }
    }

    /// Spawns a `!Send` future as a task of this loop, on this thread; or,
    /// if this thread drives no loop, and so would never poll it, returns a
    /// task that failed with `TaskError::NotOnLoopThread`.
    pub(crate) fn spawn_local<F>(&self, name: Name, future: F) -> Task<F::Output>
    where
        F: Future + 'static,
        F::Output: 'static,
    {
        if !context::is_driving() {
            drop(future);
            return Task::new(
                task::refused(name, self.number()),
                backend::JoinHandle::empty(),
            );
        }
        if name.eager {
            let task = self.spawn_eager(name, future, backend::spawn_local);
            context::track_local(task.task_ref().slot);
            return task;
        }
        let unnamed = name.is_plain();
        let (slot, claim) = task::new_task(name, self.number(), self.counts());
        context::track_local(slot.clone());
        if crate::time::clock::any_virtual() {
            crate::time::clock::spawned(self.number(), slot.index());
        }
        let join = backend::spawn_local(TaskFuture::new(claim, future, unnamed));
        Task::new(slot, join)
    }

    /// Cancels every live task and waits until each has finished and been
    /// dropped, including tasks that the cancelled ones create on the way:
    /// until the loop's counts say that none is left.
    async fn shutdown(&self) {
        while !self.counts().is_empty() {
            for task in self.all_tasks() {
                task.cancel();
            }
            if self.counts().is_empty() {
                return;
            }
            backend::sleep(Duration::from_millis(1)).await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::task::TaskMeta;

    static META: TaskMeta = TaskMeta::new("orphan");

    /// A loop dropped while a task of its lives on: its number is not
    /// reused until that task is gone, so no other loop counts it.
    #[test]
    fn a_live_task_keeps_its_loop_number_from_other_loops() {
        let dropped = EventLoop::new();
        let number = dropped.number();
        let (handle, claim) = task::new_task(
            Name::new(&META, task::Origin::here()),
            number,
            dropped.counts(),
        );
        drop(dropped);
        let others: Vec<_> = (0..64).map(|_| EventLoop::new()).collect();
        assert!(others.iter().all(|other| other.number() != number));
        assert!(others.iter().all(|other| {
            other
                .all_tasks()
                .iter()
                .all(|task| task.slot.index() != handle.index())
        }));
        assert_eq!(handle.loop_number(), number);
        drop((handle, claim));
        assert!(crate::task::live::counts(number).is_empty());
    }
}
