//! asyncio's free functions: they act on the current loop.

use std::future::IntoFuture;

use super::EventLoop;
use super::context::{self, with_current_loop};
use crate::coroutine::{IntoTask, Spawnable};
use crate::task::{Origin, SlotRef, Task, TaskRef};

/// The current event loop, like asyncio's `get_event_loop()`: the loop of
/// the running task, else the loop this thread is running, else the
/// process's default loop, which is created on first use.
///
/// ```
/// let event_loop = cosched::get_event_loop();
/// assert_eq!(event_loop.run_until_complete(async { cosched::get_event_loop() }), event_loop);
/// ```
pub fn get_event_loop() -> EventLoop {
    with_current_loop(EventLoop::clone)
}

/// Runs `main` on a new event loop, like `asyncio.run`: when `main` is done,
/// every task of the loop still alive is cancelled, and `run` waits until
/// each has stopped and dropped its locals (and so has every task those
/// created meanwhile) before it returns `main`'s output. (A task that
/// another thread schedules on the loop just as `run` decides that nothing
/// is left may be created after that, and is not waited for.)
///
/// # Panics
///
/// If this thread is already running an event loop: inside a task, inside
/// `run` or [`EventLoop::run_until_complete`], or inside the backend
/// runtime's own `block_on` (such as `#[tokio::main]` on the tokio
/// backend). asyncio refuses the same (`asyncio.run() cannot be called
/// from a running event loop`): a nested loop would run the nested
/// program's tasks on the outer loop's threads, or deadlock its pool.
/// `.await` the future instead, or schedule it with
/// [`create_task`](crate::create_task).
///
/// ```
/// # cosched::run(async {
/// let refused = std::panic::catch_unwind(|| cosched::run(async {}));
/// assert!(refused.is_err());
/// # });
/// ```
///
/// ```
/// let forgotten = std::sync::Arc::new(());
/// let witness = std::sync::Arc::clone(&forgotten);
/// let out = cosched::run(async move {
///     let _task = cosched::create_task(async move {
///         let _held = witness;
///         cosched::sleep(std::time::Duration::from_secs(3600)).await;
///     });
///     "done"
/// });
/// assert_eq!(out, "done");
/// assert_eq!(std::sync::Arc::strong_count(&forgotten), 1); // the task's locals are gone
/// ```
#[track_caller]
pub fn run<F: IntoFuture>(main: F) -> F::Output {
    context::refuse_nested("cosched::run()");
    run_on(&EventLoop::new(), main)
}

/// [`run`] on `event_loop`.
#[track_caller]
fn run_on<F: IntoFuture>(event_loop: &EventLoop, main: F) -> F::Output {
    let main = main.into_future();
    event_loop.run_until_complete(async {
        let output = main.await;
        if event_loop.is_debug() {
            let tasks = event_loop.dump().tasks().to_vec();
            if !tasks.is_empty() {
                crate::report::emit(&crate::report::Report::PendingAtExit { tasks });
            }
        }
        event_loop.shutdown().await;
        output
    })
}

/// What `#[cosched::test]` runs: [`run`] (on a loop whose clock is
/// [paused](crate::time::pause) first, with `start_paused`), and then,
/// unless `allow_lost_panics`, a panic (the test's failure) if a task
/// panicked and nobody took its result, naming each such task and its
/// spawn site.
#[doc(hidden)]
#[track_caller]
pub fn run_test<F: IntoFuture>(main: F, allow_lost_panics: bool, start_paused: bool) -> F::Output {
    context::refuse_nested("#[cosched::test]");
    let event_loop = EventLoop::new();
    // Debug mode in every test, as asyncio's test runners set it.
    event_loop.set_debug(true);
    if start_paused {
        crate::time::clock::pause(event_loop.number());
    }
    let output = run_on(&event_loop, main);
    let lost = event_loop.take_lost_panics();
    assert!(
        allow_lost_panics || lost.is_empty(),
        "{} task panic(s) nobody retrieved (await the task, or write \
         `#[cosched::test(allow_lost_panics)]` if that is the point of the test):\n  {}",
        lost.len(),
        lost.join("\n  ")
    );
    output
}

/// Schedules `coroutine` on the current loop and returns its task, like
/// asyncio's `loop.create_task(coro)`.
///
/// The coroutine starts at once, whether or not the task is awaited, and
/// dropping the task does not stop it. `coroutine` is a `Send + 'static`
/// future or a call of a [`#[task]`](crate::task) fn. A [`Task`] is refused
/// at compile time: it is already scheduled, so `.await` it, or use
/// [`ensure_future`], which passes it through.
///
/// ```
/// # cosched::run(async {
/// let task = cosched::create_task(async { "hello" });
/// assert_eq!(task.await, Ok("hello"));
/// # });
/// ```
///
/// ```compile_fail
/// # cosched::run(async {
/// let task = cosched::create_task(async { 1 });
/// let again = cosched::create_task(task); // error: `Task<i32>` is already scheduled
/// # });
/// ```
///
/// # Panics
///
/// If the process already holds 67,108,864 (2<sup>26</sup>) tasks, on all
/// its loops together, as a `Vec` does when its capacity overflows: the
/// task table has that many slots. A task holds its slot until it is done
/// and no [`Task`] or [`TaskRef`] of it is left. Each takes a hundred bytes
/// or more, so that is over 6 GiB of tasks. The same holds for every way
/// of scheduling (`ensure_future` of a coroutine, `.spawn()`, a
/// [`TaskGroup`](crate::TaskGroup), [`schedule!`](crate::schedule), ...).
#[track_caller]
pub fn create_task<C, T>(coroutine: C) -> Task<T>
where
    C: Spawnable<Output = T>,
{
    let site = std::panic::Location::caller();
    with_current_loop(|event_loop| coroutine.spawn_on(event_loop, Origin::at(site)))
}

/// Makes sure `x` is a task, like `asyncio.ensure_future(x)`: a [`Task`] is
/// returned as it is (same id, nothing new scheduled); a coroutine is
/// scheduled with [`create_task`].
///
/// ```
/// # cosched::run(async {
/// let task = cosched::create_task(async { 1 });
/// let id = task.id();
/// let same = cosched::ensure_future(task);
/// assert_eq!(same.id(), id);
///
/// let wrapped = cosched::ensure_future(async { 2 });
/// assert_eq!(wrapped.await, Ok(2));
/// # });
/// ```
#[track_caller]
pub fn ensure_future<X, T>(x: X) -> Task<T>
where
    X: IntoTask<Output = T>,
{
    let site = std::panic::Location::caller();
    with_current_loop(|event_loop| x.into_task(event_loop, Origin::at(site)))
}

/// The task being run on this thread, like `asyncio.current_task()`; `None`
/// outside a task.
///
/// ```
/// # cosched::run(async {
/// assert!(cosched::current_task().is_none()); // `run`'s main future is not a task
/// let task = cosched::create_task(async { cosched::current_task().map(|t| t.id()) });
/// let id = task.id();
/// assert_eq!(task.await, Ok(Some(id)));
/// # });
/// ```
pub fn current_task() -> Option<TaskRef> {
    SlotRef::current().map(|slot| TaskRef { slot })
}

/// The live tasks of the current loop, like `asyncio.all_tasks()`.
///
/// ```
/// # cosched::run(async {
/// let task = cosched::create_task(cosched::sleep(std::time::Duration::from_secs(60)));
/// assert!(cosched::all_tasks().iter().any(|t| t.id() == task.id()));
/// task.cancel();
/// # });
/// ```
pub fn all_tasks() -> Vec<TaskRef> {
    with_current_loop(EventLoop::all_tasks)
}
