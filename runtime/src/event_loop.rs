//! The event loop and the free functions that act on the current one.

use std::borrow::Cow;
use std::cell::{Cell, RefCell};
use std::fmt;
use std::future::{Future, IntoFuture};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use crate::backend;
use crate::coroutine::{IntoTask, Spawnable};
use crate::header::{Header, Name, Running};
use crate::registry::table;
use crate::task::{Task, TaskRef};

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

struct LoopInner {
    id: u64,
    /// How this loop's tasks' slots name it (see `numbers`).
    number: u16,
}

impl Drop for LoopInner {
    fn drop(&mut self) {
        numbers::release(self.number);
    }
}

/// Loop numbers: a task's slot names its loop in two bytes of padding
/// rather than in a reference that its handles and its future would count
/// (a count every thread shares), and the number leads back to the loop.
/// A number is reused only once no live task has it.
mod numbers {
    use std::sync::{Arc, Mutex, PoisonError, Weak};

    use super::{EventLoop, LoopInner};
    use crate::registry::table;

    struct Numbers {
        /// The loop of each number ever given out.
        loops: Vec<Weak<LoopInner>>,
        vacant: Vec<u16>,
        /// Numbers of dropped loops that had live tasks left (a loop is
        /// dropped while its tasks run on): reused once those are gone.
        orphaned: Vec<u16>,
    }

    static NUMBERS: Mutex<Numbers> = Mutex::new(Numbers {
        loops: Vec::new(),
        vacant: Vec::new(),
        orphaned: Vec::new(),
    });

    fn numbers() -> std::sync::MutexGuard<'static, Numbers> {
        // Nothing panics while the lock is held.
        NUMBERS.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// A new loop, with a number.
    ///
    /// # Panics
    ///
    /// If 65 536 loops exist at once.
    pub(super) fn new_loop(id: u64) -> EventLoop {
        let mut numbers = numbers();
        let number = match (numbers.vacant.pop(), u16::try_from(numbers.loops.len())) {
            (Some(number), _) => number,
            (None, Ok(number)) => {
                numbers.loops.push(Weak::new());
                number
            }
            (None, Err(_)) => {
                let free = numbers
                    .orphaned
                    .iter()
                    .position(|&number| table().is_empty(number))
                    .expect("cosched: at most 65536 event loops can exist at once");
                numbers.orphaned.swap_remove(free)
            }
        };
        let inner = Arc::new(LoopInner { id, number });
        numbers.loops[usize::from(number)] = Arc::downgrade(&inner);
        EventLoop { inner }
    }

    /// The loop numbered `number`, unless it has been dropped.
    pub(super) fn find(number: u16) -> Option<EventLoop> {
        let numbers = numbers();
        let inner = numbers.loops.get(usize::from(number))?.upgrade()?;
        Some(EventLoop { inner })
    }

    /// The loop numbered `number` is being dropped.
    pub(super) fn release(number: u16) {
        let mut numbers = numbers();
        if table().is_empty(number) {
            numbers.vacant.push(number);
        } else {
            numbers.orphaned.push(number);
        }
    }
}

thread_local! {
    /// The loop a `run_until_complete` on this thread is running, if any.
    static CURRENT_LOOP: RefCell<Option<EventLoop>> = const { RefCell::new(None) };
    /// The task being polled on this thread, if any, and the number of the
    /// loop in `TASK_LOOP`. (Plain numbers in a `Cell`: a poll reads and
    /// writes them without a borrow flag or a destructor's registration.)
    static CURRENT_TASK: Cell<Current> = const {
        Cell::new(Current { index: NO_TASK, loop_number: NO_LOOP })
    };
    /// The loop of the task being polled on this thread, or of the last one.
    static TASK_LOOP: RefCell<Option<EventLoop>> = const { RefCell::new(None) };
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
        numbers::new_loop(NEXT_ID.fetch_add(1, Ordering::Relaxed))
    }

    /// How this loop's tasks' slots name it.
    #[inline]
    pub(crate) fn number(&self) -> u16 {
        self.inner.number
    }

    /// Runs `future` to completion on this thread, with this loop as the
    /// current one, and returns its output. Tasks it creates run meanwhile;
    /// they are left running when it returns (see [`run`](crate::run) for
    /// the version that cleans up).
    ///
    /// ```
    /// let event_loop = cosched::EventLoop::new();
    /// assert_eq!(event_loop.run_until_complete(async { 7 }), 7);
    /// ```
    pub fn run_until_complete<F: IntoFuture>(&self, future: F) -> F::Output {
        let mut previous = CURRENT_LOOP.with(|current| current.replace(Some(self.clone())));
        let _restore = OnDrop(move || {
            CURRENT_LOOP.with(|current| *current.borrow_mut() = previous.take());
        });
        backend::block_on(future.into_future())
    }

    /// Schedules `coroutine` on this loop and returns its task; see
    /// [`create_task`](crate::create_task).
    ///
    /// ```
    /// let event_loop = cosched::EventLoop::new();
    /// let task = event_loop.create_task(async { 1 });
    /// assert_eq!(event_loop.run_until_complete(task), Ok(1));
    /// ```
    pub fn create_task<C, T>(&self, coroutine: C) -> Task<T>
    where
        C: Spawnable<Output = T>,
    {
        coroutine.spawn_on(self, None)
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
    pub fn ensure_future<X, T>(&self, x: X) -> Task<T>
    where
        X: IntoTask<Output = T>,
    {
        x.into_task(self, None)
    }

    /// The live tasks of this loop, in no particular order.
    ///
    /// ```
    /// let event_loop = cosched::EventLoop::new();
    /// let task = event_loop.create_task(cosched::sleep(std::time::Duration::from_secs(60)));
    /// assert_eq!(event_loop.all_tasks().len(), 1);
    /// task.cancel();
    /// ```
    pub fn all_tasks(&self) -> Vec<TaskRef> {
        table().snapshot(self.number(), |index| TaskRef {
            header: Header::from_acquired(index),
        })
    }

    /// Spawns a `Send` future as a task of this loop.
    #[inline]
    pub(crate) fn spawn<F>(&self, name: Name, future: F) -> Task<F::Output>
    where
        F: Future + Send + 'static,
        F::Output: Send + 'static,
    {
        let (header, claim) = Header::new(name, self);
        let join = backend::spawn(Running::new(claim, future));
        Task::new(header, join)
    }

    /// Spawns a `!Send` future as a task of this loop, on this thread; or,
    /// if this thread runs no loop, and so would never poll it, returns a
    /// task that failed with `TaskError::NotOnLoopThread`.
    pub(crate) fn spawn_local<F>(&self, name: Name, future: F) -> Task<F::Output>
    where
        F: Future + 'static,
        F::Output: 'static,
    {
        if CURRENT_LOOP.with(|current| current.borrow().is_none()) {
            drop(future);
            return Task::new(Header::refused(name, self), backend::JoinHandle::empty());
        }
        let (header, claim) = Header::new(name, self);
        let join = backend::spawn_local(Running::new(claim, future));
        Task::new(header, join)
    }

    /// Cancels every live task and waits until each has finished and been
    /// dropped, including tasks that the cancelled ones create on the way.
    async fn shutdown(&self) {
        loop {
            let live = self.all_tasks();
            if live.is_empty() {
                return;
            }
            for task in &live {
                task.cancel();
            }
            drop(live);
            if table().is_empty(self.number()) {
                return;
            }
            backend::sleep(Duration::from_millis(1)).await;
        }
    }
}

impl fmt::Debug for EventLoop {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EventLoop")
            .field("id", &self.inner.id)
            .field("backend", &backend::NAME)
            .finish_non_exhaustive()
    }
}

impl PartialEq for EventLoop {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.inner, &other.inner)
    }
}

impl Eq for EventLoop {}

/// Runs a closure when dropped, panicking or not.
struct OnDrop<F: FnMut()>(F);

impl<F: FnMut()> Drop for OnDrop<F> {
    fn drop(&mut self) {
        (self.0)();
    }
}

/// No task: `Current::index` outside a poll.
const NO_TASK: u32 = u32::MAX;
/// No loop: `Current::loop_number` when `TASK_LOOP` holds none.
const NO_LOOP: u32 = u32::MAX;

/// The task being polled on this thread (its slot number) and the number of
/// the loop cached in `TASK_LOOP`. The loop stays there between polls (and
/// so alive, until a task of another loop runs on this thread), so that
/// polling a task costs no reference count on the loop, which every thread
/// shares.
#[derive(Clone, Copy)]
struct Current {
    index: u32,
    loop_number: u32,
}

/// Marks a task as the current one on this thread while it is polled.
pub(crate) struct CurrentTask {
    previous: Current,
    restore: Restore,
}

/// What `CurrentTask` puts back in `TASK_LOOP` when the poll ends.
enum Restore {
    /// Nothing: the loop stays cached for the thread's next poll.
    Keep,
    /// This: a task of another loop was polled inside this one's poll (a
    /// `run_until_complete` in a task).
    Loop(Option<EventLoop>),
}

impl CurrentTask {
    /// Task `index`, of the loop numbered `loop_number`, is being polled.
    #[inline]
    pub(crate) fn enter(index: u32, loop_number: u16) -> Self {
        let number = u32::from(loop_number);
        let previous = CURRENT_TASK.get();
        if previous.loop_number == number {
            CURRENT_TASK.set(Current {
                index,
                loop_number: number,
            });
            return Self {
                previous,
                restore: Restore::Keep,
            };
        }
        Self::enter_other_loop(index, loop_number, previous)
    }

    /// `enter`, when `TASK_LOOP` holds another loop than the task's.
    #[cold]
    fn enter_other_loop(index: u32, loop_number: u16, previous: Current) -> Self {
        // Looked up once per thread and loop; `None` if the task outlives
        // its loop, whose nested tasks then go to the thread's or the
        // default loop.
        let found = numbers::find(loop_number);
        let number = if found.is_some() {
            u32::from(loop_number)
        } else {
            NO_LOOP
        };
        let replaced = TASK_LOOP.with(|cached| cached.replace(found));
        CURRENT_TASK.set(Current {
            index,
            loop_number: number,
        });
        let restore = if previous.index == NO_TASK {
            // A loop's last reference may go here: the cell is not borrowed.
            drop(replaced);
            Restore::Keep
        } else {
            Restore::Loop(replaced)
        };
        Self { previous, restore }
    }
}

impl Drop for CurrentTask {
    #[inline]
    fn drop(&mut self) {
        match std::mem::replace(&mut self.restore, Restore::Keep) {
            Restore::Keep => {
                let loop_number = CURRENT_TASK.get().loop_number;
                CURRENT_TASK.set(Current {
                    index: self.previous.index,
                    loop_number,
                });
            }
            Restore::Loop(event_loop) => {
                CURRENT_TASK.set(self.previous);
                let replaced = TASK_LOOP.with(|cached| cached.replace(event_loop));
                // A loop's last reference may go here: not while the cell
                // is borrowed.
                drop(replaced);
            }
        }
    }
}

/// Calls `f` with the current loop: the loop of the task being polled on
/// this thread, else the loop this thread is running, else the process's
/// default loop.
#[inline]
pub(crate) fn with_current_loop<R>(f: impl FnOnce(&EventLoop) -> R) -> R {
    // `f` only creates tasks or reads the registry; it never polls a task,
    // so it cannot re-enter these cells while they are borrowed.
    let mut f = Some(f);
    if CURRENT_TASK.get().index != NO_TASK {
        let done = TASK_LOOP.with(|cached| {
            cached
                .borrow()
                .as_ref()
                .map(|event_loop| (f.take().expect("f is called once"))(event_loop))
        });
        if let Some(result) = done {
            return result;
        }
    }
    let f = f.take().expect("f is called once");
    CURRENT_LOOP.with(|current| match &*current.borrow() {
        Some(event_loop) => f(event_loop),
        None => f(default_loop()),
    })
}

fn default_loop() -> &'static EventLoop {
    static DEFAULT: OnceLock<EventLoop> = OnceLock::new();
    DEFAULT.get_or_init(EventLoop::new)
}

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
/// every task it left pending is cancelled, and `run` waits until each has
/// stopped and dropped its locals before it returns `main`'s output.
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
pub fn run<F: IntoFuture>(main: F) -> F::Output {
    let event_loop = EventLoop::new();
    let main = main.into_future();
    event_loop.run_until_complete(async {
        let output = main.await;
        event_loop.shutdown().await;
        output
    })
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
pub fn create_task<C, T>(coroutine: C) -> Task<T>
where
    C: Spawnable<Output = T>,
{
    with_current_loop(|event_loop| coroutine.spawn_on(event_loop, None))
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
pub fn ensure_future<X, T>(x: X) -> Task<T>
where
    X: IntoTask<Output = T>,
{
    with_current_loop(|event_loop| x.into_task(event_loop, None))
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
    let index = CURRENT_TASK.get().index;
    if index == NO_TASK {
        return None;
    }
    // The task's `Running` future holds its slot while it is polled.
    table().slot(index).acquire();
    Some(TaskRef {
        header: Header::from_acquired(index),
    })
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

/// Creates tasks with options: a name, a loop other than the current one.
///
/// ```
/// # cosched::run(async {
/// let event_loop = cosched::get_event_loop();
/// let task = cosched::Builder::new()
///     .name("fetcher")
///     .on(&event_loop)
///     .create_task(async { 5 });
/// assert_eq!(task.name(), "fetcher");
/// assert_eq!(task.await, Ok(5));
/// # });
/// ```
#[derive(Debug, Default)]
#[must_use = "a builder does nothing until `create_task` or `ensure_future` is called"]
pub struct Builder<'a> {
    name: Option<Cow<'static, str>>,
    event_loop: Option<&'a EventLoop>,
}

impl<'a> Builder<'a> {
    /// A builder with no options set.
    ///
    /// ```
    /// # cosched::run(async {
    /// let task = cosched::Builder::new().create_task(async {});
    /// assert!(task.name().starts_with("Task-"));
    /// # });
    /// ```
    pub fn new() -> Self {
        Self::default()
    }

    /// The task's name, in full (no id is appended).
    ///
    /// ```
    /// # cosched::run(async {
    /// let task = cosched::Builder::new().name(format!("job-{}", 3)).create_task(async {});
    /// assert_eq!(task.name(), "job-3");
    /// # });
    /// ```
    pub fn name(mut self, name: impl Into<Cow<'static, str>>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// The loop to schedule on, instead of the current one.
    ///
    /// ```
    /// let event_loop = cosched::EventLoop::new();
    /// let task = cosched::Builder::new().on(&event_loop).create_task(async { 1 });
    /// assert_eq!(event_loop.run_until_complete(task), Ok(1));
    /// ```
    pub fn on(mut self, event_loop: &'a EventLoop) -> Self {
        self.event_loop = Some(event_loop);
        self
    }

    /// [`create_task`] with these options.
    ///
    /// ```
    /// # cosched::run(async {
    /// let task = cosched::Builder::new().name("x").create_task(async { 1 });
    /// assert_eq!(task.await, Ok(1));
    /// # });
    /// ```
    pub fn create_task<C, T>(self, coroutine: C) -> Task<T>
    where
        C: Spawnable<Output = T>,
    {
        match self.event_loop {
            Some(event_loop) => coroutine.spawn_on(event_loop, self.name),
            None => with_current_loop(|event_loop| coroutine.spawn_on(event_loop, self.name)),
        }
    }

    /// [`ensure_future`] with these options; the name applies only if a new
    /// task is created.
    ///
    /// ```
    /// # cosched::run(async {
    /// let task = cosched::Builder::new().name("y").ensure_future(async { 1 });
    /// assert_eq!(task.name(), "y");
    /// let same = cosched::Builder::new().name("z").ensure_future(task);
    /// assert_eq!(same.name(), "y");
    /// # });
    /// ```
    pub fn ensure_future<X, T>(self, x: X) -> Task<T>
    where
        X: IntoTask<Output = T>,
    {
        match self.event_loop {
            Some(event_loop) => x.into_task(event_loop, self.name),
            None => with_current_loop(|event_loop| x.into_task(event_loop, self.name)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::coroutine::TaskMeta;

    static META: TaskMeta = TaskMeta::new("orphan");

    /// A loop dropped while a task of its lives on (nothing runs here, so
    /// no thread's current-task cache keeps the loop alive): its number is
    /// not reused until that task is gone, so no other loop counts it.
    #[test]
    fn a_live_task_keeps_its_loop_number_from_other_loops() {
        let dropped = EventLoop::new();
        let number = dropped.number();
        let (handle, claim) = Header::new(Name::new(&META, None), &dropped);
        drop(dropped);
        let others: Vec<_> = (0..64).map(|_| EventLoop::new()).collect();
        assert!(others.iter().all(|other| other.number() != number));
        assert!(others.iter().all(|other| {
            other
                .all_tasks()
                .iter()
                .all(|task| task.header.index() != handle.index())
        }));
        assert_eq!(handle.loop_number(), number);
        drop((handle, claim));
    }
}
