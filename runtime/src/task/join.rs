//! The handles to a task: [`Task`] (typed, owns the result), [`Join`] (its
//! future), and [`TaskRef`] (untyped, cloneable, can watch and cancel).

use std::fmt;
use std::future::{Future, IntoFuture};
use std::panic::Location;
use std::pin::Pin;
use std::task::{Context, Poll, Waker};

use super::current;
use super::error::{PanicMessage, TaskError};
use super::handle::SlotRef;
use super::state::{TaskId, TaskState};
use super::table::table;
use crate::backend;

/// A scheduled coroutine: asyncio's `Task`.
///
/// A `Task` comes from [`create_task`](crate::create_task),
/// [`ensure_future`](crate::ensure_future), [`Coroutine::spawn`](crate::Coroutine::spawn)
/// or [`schedule!`](crate::schedule). The coroutine runs whether or not
/// anybody awaits the handle; dropping the handle does not cancel it.
/// Awaiting the handle gives `Ok` with the coroutine's output, or the
/// [`TaskError`] that ended it.
///
/// ```
/// # cosched::run(async {
/// let task = cosched::create_task(async { 6 * 7 });
/// assert!(task.name().starts_with("Task-"));
/// assert_eq!(task.await, Ok(42));
/// # });
/// ```
///
/// `Task` implements [`IntoFuture`] rather than [`Future`]: that is what lets
/// [`ensure_future`](crate::ensure_future) pass a task through unchanged while
/// [`create_task`](crate::create_task) refuses one at compile time.
///
/// `&mut Task` is awaitable too ([`JoinMut`]), as tokio's `&mut JoinHandle`
/// is: a `select!` loop can await it in one branch, again and again, and
/// the task keeps running when another branch wins. [`result`](Task::result)
/// reads a finished task's result without consuming the handle.
#[must_use = "dropping a `Task` detaches it: the coroutine keeps running, but its result is lost"]
pub struct Task<T> {
    slot: SlotRef,
    stage: Stage<T>,
}

/// Where a [`Task`] handle has its result from: the backend's handle until
/// [`Task::poll_finish`] has seen the task end, then the result itself.
/// What lets `wait` return done tasks whose `.await` is ready at once,
/// without a field more in every task handle.
enum Stage<T> {
    Running(backend::JoinHandle<Result<T, TaskError>>),
    Finished(Result<T, TaskError>),
    /// An `.await` of `&mut task` ([`JoinMut`]) took the result.
    Taken,
}

// The kept result is never pinned (nothing polls it), so a task handle,
// and its `Join`, stay `Unpin` whatever `T` is, as they were when the
// handle held only the backend's.
impl<T> Unpin for Task<T> {}

impl<T> Task<T> {
    pub(crate) fn new(slot: SlotRef, join: backend::JoinHandle<Result<T, TaskError>>) -> Self {
        Self {
            slot,
            stage: Stage::Running(join),
        }
    }

    /// The handle of a task that finished as it was created (eager start),
    /// with its result.
    pub(crate) fn finished(slot: SlotRef, result: Result<T, TaskError>) -> Self {
        Self {
            slot,
            stage: Stage::Finished(result),
        }
    }

    /// Polls the task to its end and keeps its result in this handle:
    /// ready once it is kept (at once, if it already is), and then
    /// [`into_result`](Self::into_result) gives it. Registers `cx`'s waker
    /// with the backend while the task runs.
    pub(crate) fn poll_finish(&mut self, cx: &mut Context<'_>) -> Poll<()> {
        let Stage::Running(join) = &mut self.stage else {
            return Poll::Ready(());
        };
        let result = match Pin::new(join).poll(cx) {
            Poll::Pending => return Poll::Pending,
            Poll::Ready(Some(result)) => result,
            // The backend dropped the task unfinished (its runtime shut
            // down), or it was never scheduled.
            Poll::Ready(None) if self.slot.is_refused() => Err(TaskError::NotOnLoopThread),
            Poll::Ready(None) if self.slot.is_panicked() => Err(TaskError::Panicked(
                PanicMessage::from("a destructor panicked as the runtime dropped the task"),
            )),
            Poll::Ready(None) => Err(TaskError::Cancelled),
        };
        self.stage = Stage::Finished(result);
        Poll::Ready(())
    }

    /// The task's slot number and id, for the await graph.
    pub(crate) fn slot_and_id(&self) -> (u32, TaskId) {
        (self.slot.index(), self.slot.id())
    }

    /// Whether [`poll_finish`](Self::poll_finish) has kept the result (or
    /// seen it kept and taken since).
    pub(crate) fn is_finished(&self) -> bool {
        !matches!(self.stage, Stage::Running(_))
    }

    /// The result [`poll_finish`](Self::poll_finish) kept, if it has; as
    /// [`into_result`](Self::into_result) does, but borrowed.
    pub(crate) fn kept_result(&self) -> Option<Result<&T, &TaskError>> {
        static TAKEN: TaskError = TaskError::ResultTaken;
        match &self.stage {
            Stage::Finished(result) => Some(result.as_ref()),
            Stage::Taken => Some(Err(&TAKEN)),
            Stage::Running(_) => None,
        }
    }

    /// The result [`poll_finish`](Self::poll_finish) kept; `None` if it
    /// has not; [`TaskError::ResultTaken`] if a [`JoinMut`] took it.
    pub(crate) fn into_result(self) -> Option<Result<T, TaskError>> {
        match self.stage {
            Stage::Finished(result) => {
                if let Err(TaskError::Panicked(message)) = &result {
                    message.retrieved();
                }
                Some(result)
            }
            Stage::Taken => Some(Err(TaskError::ResultTaken)),
            Stage::Running(_) => None,
        }
    }

    /// Takes the result [`poll_finish`](Self::poll_finish) kept, leaving
    /// `Taken`: what a [`JoinMut`] gives. As `into_result`.
    fn take_result(&mut self) -> Option<Result<T, TaskError>> {
        match std::mem::replace(&mut self.stage, Stage::Taken) {
            Stage::Finished(result) => {
                if let Err(TaskError::Panicked(message)) = &result {
                    message.retrieved();
                }
                Some(result)
            }
            Stage::Taken => Some(Err(TaskError::ResultTaken)),
            running @ Stage::Running(_) => {
                self.stage = running;
                None
            }
        }
    }

    /// The task's result, if it has finished, without consuming the handle:
    /// asyncio's `task.result()`, as a copy, so it can be read again. `None`
    /// while the task runs, and also for a moment after
    /// [`is_done`](Self::is_done) turns true, until the result has reached
    /// the handle. Reading it never waits and never cancels.
    ///
    /// Where cosched differs from asyncio: `result()` does not raise. A task
    /// that was cancelled or panicked gives its [`TaskError`]; one whose
    /// result an `.await` of `&mut task` ([`JoinMut`]) already took gives
    /// [`TaskError::ResultTaken`].
    ///
    /// ```
    /// # cosched::run(async {
    /// let mut task = cosched::create_task(async { vec![1, 2] });
    /// while task.result().is_none() {
    ///     cosched::yield_now().await;
    /// }
    /// assert_eq!(task.result(), Some(Ok(vec![1, 2])));
    /// assert_eq!(task.result(), Some(Ok(vec![1, 2]))); // still there
    /// assert_eq!(task.await, Ok(vec![1, 2]));
    /// # });
    /// ```
    pub fn result(&mut self) -> Option<Result<T, TaskError>>
    where
        T: Clone,
    {
        // A task's handle is polled only by its owner; a waker that some
        // dropped `JoinMut` registered is of no use to anyone.
        let _ = self.poll_finish(&mut Context::from_waker(Waker::noop()));
        match &self.stage {
            Stage::Running(_) => None,
            Stage::Finished(result) => {
                if let Err(TaskError::Panicked(message)) = result {
                    message.retrieved();
                }
                Some(result.clone())
            }
            Stage::Taken => Some(Err(TaskError::ResultTaken)),
        }
    }

    /// This task's id, unique in the process.
    ///
    /// ```
    /// # cosched::run(async {
    /// let a = cosched::create_task(async {});
    /// let b = cosched::create_task(async {});
    /// assert_ne!(a.id(), b.id());
    /// # });
    /// ```
    pub fn id(&self) -> TaskId {
        self.slot.id()
    }

    /// This task's name: the one it was given, or a prefix and its id, such
    /// as asyncio's `Task-1` (the prefix of a `#[task]` fn is its name).
    ///
    /// ```
    /// # cosched::run(async {
    /// let task = cosched::Builder::new().name("worker").create_task(async {});
    /// assert_eq!(task.name(), "worker");
    /// let task = cosched::create_task(async {});
    /// assert_eq!(task.name(), format!("Task-{}", task.id()));
    /// # });
    /// ```
    pub fn name(&self) -> String {
        self.slot.name()
    }

    /// Where the task was scheduled: the line of the `create_task`,
    /// `ensure_future`, `.spawn()`, `TaskGroup::create_task`, `gather` or
    /// `schedule!` that made it (recorded for every task; it costs a spawn
    /// nothing, see [`TaskRef::spawn_site`]).
    ///
    /// ```
    /// # cosched::run(async {
    /// let line = line!() + 1;
    /// let task = cosched::create_task(async {});
    /// assert_eq!(task.spawn_site().line(), line);
    /// assert!(task.spawn_site().file().ends_with(".rs"));
    /// # });
    /// ```
    pub fn spawn_site(&self) -> &'static Location<'static> {
        self.slot.spawn_site()
    }

    /// How long ago the task was created, if its loop was in
    /// [debug mode](crate::debug) then (recording it costs a clock read per
    /// spawn, which cosched spares a loop that is not).
    ///
    /// ```
    /// let event_loop = cosched::EventLoop::new();
    /// event_loop.set_debug(true);
    /// event_loop.run_until_complete(async {
    ///     let task = cosched::create_task(async {});
    ///     assert!(task.age().is_some());
    /// });
    /// ```
    pub fn age(&self) -> Option<std::time::Duration> {
        self.slot.age()
    }

    /// Whether the task has finished, by returning, panicking or being
    /// cancelled.
    ///
    /// ```
    /// # cosched::run(async {
    /// let task = cosched::create_task(cosched::sleep(std::time::Duration::from_secs(60)));
    /// assert!(!task.is_done());
    /// task.cancel();
    /// # });
    /// ```
    pub fn is_done(&self) -> bool {
        self.slot.is_done()
    }

    /// Whether the task has finished by being cancelled. Like asyncio's
    /// `cancelled()`, this becomes true when the task has stopped, not when
    /// [`cancel`](Self::cancel) is called.
    ///
    /// ```
    /// # cosched::run(async {
    /// let task = cosched::create_task(cosched::sleep(std::time::Duration::from_secs(60)));
    /// let handle = task.task_ref();
    /// task.cancel();
    /// assert_eq!(task.await, Err(cosched::TaskError::Cancelled));
    /// assert!(handle.is_cancelled());
    /// # });
    /// ```
    pub fn is_cancelled(&self) -> bool {
        self.slot.is_cancelled()
    }

    /// Asks the task to stop. One that has not started never runs; one that
    /// is suspended stops at the await point it is suspended at, and the
    /// destructors of its locals run. Returns `false` if the task has
    /// already finished, whose result then stays available.
    ///
    /// ```
    /// # cosched::run(async {
    /// let task = cosched::create_task(async { 1 });
    /// cosched::sleep(std::time::Duration::from_millis(10)).await;
    /// assert!(!task.cancel());
    /// assert_eq!(task.await, Ok(1));
    /// # });
    /// ```
    pub fn cancel(&self) -> bool {
        self.slot.cancel()
    }

    /// A cloneable, untyped reference to this task, for watching or
    /// cancelling it from elsewhere.
    ///
    /// ```
    /// # cosched::run(async {
    /// let task = cosched::create_task(async {});
    /// let handle = task.task_ref();
    /// assert_eq!(handle.id(), task.id());
    /// # });
    /// ```
    pub fn task_ref(&self) -> TaskRef {
        TaskRef {
            slot: self.slot.clone(),
        }
    }
}

impl<T> fmt::Debug for Task<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Task")
            .field("id", &self.id())
            .field("name", &self.name())
            .field("state", &self.slot.state())
            .finish_non_exhaustive()
    }
}

impl<T> IntoFuture for Task<T> {
    type Output = Result<T, TaskError>;
    type IntoFuture = Join<T>;

    fn into_future(self) -> Join<T> {
        Join {
            task: Some(self),
            waiter: NO_WAITER,
        }
    }
}

/// The future of a [`Task`]'s result, made by `.await`ing the task.
///
/// Like an `await` in asyncio, it passes cancellation on: dropping it before
/// the task has finished (on a [`wait_for`](crate::wait_for) timeout, say)
/// cancels the task. Drop the [`Task`] itself instead to detach it. When
/// the drop is part of the cancellation of the task that awaited (it was
/// cancelled while awaiting), that task ends only once the awaited task
/// has ended too: a cancelled task counts as finished only when nothing it
/// was waiting for is left.
///
/// A task that awaits itself, or a task that awaits it (an await cycle),
/// gets [`TaskError::AwaitCycle`] rather than waiting forever.
///
/// ```
/// # cosched::run(async {
/// use std::future::IntoFuture;
/// let join: cosched::Join<u8> = cosched::create_task(async { 1 }).into_future();
/// assert_eq!(join.await, Ok(1));
/// # });
/// ```
#[must_use = "futures do nothing unless you `.await` or poll them"]
pub struct Join<T> {
    task: Option<Task<T>>,
    /// The slot of the task that last awaited this, and whose `awaiting`
    /// edge names the awaited task, or `NO_WAITER`.
    waiter: u32,
}

const NO_WAITER: u32 = u32::MAX;

impl<T> fmt::Debug for Join<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Join")
            .field("task", &self.task)
            .finish_non_exhaustive()
    }
}

impl<T> Future for Join<T> {
    type Output = Result<T, TaskError>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.get_mut();
        let Some(task) = this.task.as_mut() else {
            // Polled after it returned its result: nothing more to give.
            return Poll::Pending;
        };
        if let Err(cycle) = std::task::ready!(poll_awaited(task, &mut this.waiter, cx)) {
            // The awaited task runs on, detached.
            this.task = None;
            return Poll::Ready(Err(cycle));
        }
        // Ready: the result is kept in the task, so this is `Some`.
        this.task
            .take()
            .and_then(Task::into_result)
            .map_or(Poll::Pending, Poll::Ready)
    }
}

/// Polls `task` to its end for whatever task runs this poll, recording the
/// edge "the current task awaits `task`" in `waiter` (see
/// `Registry::awaits`) while it is pending. Ready with `Ok` once the result
/// is kept in `task`, or with [`TaskError::AwaitCycle`], instead of ever,
/// if the current task is `task` or a task that `task` awaits; either way
/// the edge is forgotten.
fn poll_awaited<T>(
    task: &mut Task<T>,
    waiter: &mut u32,
    cx: &mut Context<'_>,
) -> Poll<Result<(), TaskError>> {
    let awaited = task.slot.index();
    if task.poll_finish(cx).is_ready() {
        forget_waiter(waiter, awaited);
        return Poll::Ready(Ok(()));
    }
    let Some(current) = current::get() else {
        return Poll::Pending; // awaited outside a task: no cycle
    };
    if current.index == awaited || table().awaits(awaited, current.index) {
        forget_waiter(waiter, awaited);
        return Poll::Ready(Err(TaskError::AwaitCycle));
    }
    if *waiter != current.index {
        forget_waiter(waiter, awaited);
        *waiter = current.index;
    }
    table().set_awaiting(current.index, Some(awaited));
    Poll::Pending
}

/// Forgets the edge "`waiter` awaits `awaited`" (see `Registry::awaits`).
/// Inline: a task awaited once it is done (the common case) never had one.
#[inline]
fn forget_waiter(waiter: &mut u32, awaited: u32) {
    if *waiter != NO_WAITER {
        clear_waiter(waiter, awaited);
    }
}

#[cold]
fn clear_waiter(waiter: &mut u32, awaited: u32) {
    table().clear_awaiting(*waiter, awaited);
    *waiter = NO_WAITER;
}

impl<T> Join<T> {
    /// Cancels the task, unless its result was taken: what a timeout of
    /// [`wait_for`](crate::wait_for) does before it awaits the task's end.
    pub(crate) fn cancel_task(&self) {
        if let Some(task) = &self.task {
            task.cancel();
        }
    }
}

impl<T> Join<T> {
    /// Lets go of the task without cancelling it (a `shield`'s drop): it
    /// runs on, detached.
    pub(crate) fn detach(&mut self) {
        if let Some(task) = self.task.take() {
            forget_waiter(&mut self.waiter, task.slot.index());
        }
    }
}

impl<T> Drop for Join<T> {
    /// Inline: a `Join` that gave its result holds nothing (the common
    /// case); one dropped before it did cancels its task.
    #[inline]
    fn drop(&mut self) {
        if let Some(task) = self.task.take() {
            cancel_unjoined(task, &mut self.waiter);
        }
    }
}

/// A `Join` dropped before its task's result: cancels the task (see
/// `SlotRef::cancel_owned`).
#[cold]
fn cancel_unjoined<T>(task: Task<T>, waiter: &mut u32) {
    forget_waiter(waiter, task.slot.index());
    let Task { slot, stage } = task;
    // Detached first: the backend's handle has no say in the end.
    drop(stage);
    slot.cancel_owned();
}

impl<'a, T> IntoFuture for &'a mut Task<T> {
    type Output = Result<T, TaskError>;
    type IntoFuture = JoinMut<'a, T>;

    fn into_future(self) -> JoinMut<'a, T> {
        JoinMut {
            task: self,
            waiter: NO_WAITER,
        }
    }
}

/// The future of `&mut task`: the task's result, taken out of the handle,
/// which stays yours. What `tokio::select! { r = &mut task => .. }` awaits
/// in a loop, as it awaits tokio's `&mut JoinHandle`; `(&mut task).await`
/// anywhere.
///
/// ```
/// # cosched::run(async {
/// let mut task = cosched::create_task(async { 7 });
/// assert_eq!((&mut task).await, Ok(7));
/// assert!(task.is_done()); // the handle is still here
/// # });
/// ```
///
/// Unlike a [`Join`] (`task.await`), dropping it does not cancel the task:
/// the handle still owns the task, and dropping or cancelling that is
/// yours to do. So a [`timeout`](crate::timeout), or a `select!` branch
/// that loses, leaves the task running ([`wait_for`](crate::wait_for),
/// whose contract is to stop what it waited for, cancels it):
///
/// ```
/// use std::time::Duration;
/// # cosched::run(async {
/// let mut task = cosched::create_task(cosched::sleep(Duration::from_secs(3600)));
/// let waited = cosched::timeout(Duration::from_millis(5), &mut task).await;
/// assert_eq!(waited, Err(cosched::TimeoutError));
/// assert!(!task.is_done()); // not cancelled
/// task.cancel();
/// assert_eq!((&mut task).await, Err(cosched::TaskError::Cancelled));
/// # });
/// ```
///
/// Like a `Join`, it gives [`TaskError::AwaitCycle`] rather than waiting
/// forever for a task that awaits the awaiting one.
///
/// Once it has given the result, the handle no longer has it: an `.await`
/// of the task or of `&mut task` after that, or [`Task::result`], gives
/// [`TaskError::ResultTaken`] at once (asyncio gives the same result
/// again; tokio panics). Where `T: Clone`, [`Task::result`] reads the
/// result without taking it.
///
/// ```
/// # cosched::run(async {
/// let mut task = cosched::create_task(async { 7 });
/// assert_eq!((&mut task).await, Ok(7));
/// assert_eq!((&mut task).await, Err(cosched::TaskError::ResultTaken));
/// assert_eq!(task.await, Err(cosched::TaskError::ResultTaken));
/// # });
/// ```
#[must_use = "futures do nothing unless you `.await` or poll them"]
pub struct JoinMut<'a, T> {
    task: &'a mut Task<T>,
    /// As `Join`'s.
    waiter: u32,
}

impl<T> JoinMut<'_, T> {
    /// Cancels the task: what a timeout of [`wait_for`](crate::wait_for)
    /// does before it awaits the task's end.
    pub(crate) fn cancel_task(&self) {
        self.task.cancel();
    }
}

impl<T> fmt::Debug for JoinMut<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("JoinMut")
            .field("task", &self.task)
            .finish_non_exhaustive()
    }
}

impl<T> Future for JoinMut<'_, T> {
    type Output = Result<T, TaskError>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.get_mut();
        if let Err(cycle) = std::task::ready!(poll_awaited(this.task, &mut this.waiter, cx)) {
            return Poll::Ready(Err(cycle));
        }
        // Ready: the result is kept in the task, or was taken before.
        this.task.take_result().map_or(Poll::Pending, Poll::Ready)
    }
}

impl<T> Drop for JoinMut<'_, T> {
    fn drop(&mut self) {
        forget_waiter(&mut self.waiter, self.task.slot.index());
    }
}

/// An untyped, cloneable reference to a task: what
/// [`current_task`](crate::current_task) and [`all_tasks`](crate::all_tasks)
/// return. It can watch and cancel the task, but not take its result.
///
/// ```
/// # cosched::run(async {
/// let task = cosched::create_task(async {
///     cosched::current_task().expect("inside a task").name()
/// });
/// let name = task.name();
/// assert_eq!(task.await, Ok(name));
/// # });
/// ```
#[derive(Clone)]
pub struct TaskRef {
    pub(crate) slot: SlotRef,
}

impl TaskRef {
    /// The task's id.
    ///
    /// ```
    /// # cosched::run(async {
    /// let task = cosched::create_task(async {});
    /// assert_eq!(task.task_ref().id(), task.id());
    /// # });
    /// ```
    pub fn id(&self) -> TaskId {
        self.slot.id()
    }

    /// The task's name; see [`Task::name`].
    ///
    /// ```
    /// # cosched::run(async {
    /// let task = cosched::Builder::new().name("n").create_task(async {});
    /// assert_eq!(task.task_ref().name(), "n");
    /// # });
    /// ```
    pub fn name(&self) -> String {
        self.slot.name()
    }

    /// Where the task was scheduled; see [`Task::spawn_site`]. The table
    /// keeps one number a task for its name prefix and spawn site
    /// together, so recording it costs a spawn no more than its name did.
    ///
    /// ```
    /// # cosched::run(async {
    /// let task = cosched::create_task(async { cosched::current_task().unwrap().spawn_site().line() });
    /// assert_eq!(task.await, Ok(line!() - 1));
    /// # });
    /// ```
    pub fn spawn_site(&self) -> &'static Location<'static> {
        self.slot.spawn_site()
    }

    /// How long ago the task was created, in debug mode; see [`Task::age`].
    ///
    /// ```
    /// let event_loop = cosched::EventLoop::new();
    /// event_loop.set_debug(true);
    /// event_loop.run_until_complete(async {
    ///     let task = cosched::create_task(async {});
    ///     assert!(task.task_ref().age().is_some());
    /// });
    /// ```
    pub fn age(&self) -> Option<std::time::Duration> {
        self.slot.age()
    }

    /// Where the task is in its life.
    ///
    /// ```
    /// # cosched::run(async {
    /// let task = cosched::create_task(cosched::sleep(std::time::Duration::from_secs(60)));
    /// let handle = task.task_ref();
    /// handle.cancel();
    /// let _ = task.await;
    /// assert_eq!(handle.state(), cosched::TaskState::Cancelled);
    /// # });
    /// ```
    pub fn state(&self) -> TaskState {
        self.slot.state()
    }

    /// Whether the task has finished; see [`Task::is_done`].
    ///
    /// ```
    /// # cosched::run(async {
    /// let task = cosched::create_task(async {});
    /// let handle = task.task_ref();
    /// task.await.unwrap();
    /// assert!(handle.is_done());
    /// # });
    /// ```
    pub fn is_done(&self) -> bool {
        self.slot.is_done()
    }

    /// Whether the task finished by being cancelled; see [`Task::is_cancelled`].
    ///
    /// ```
    /// # cosched::run(async {
    /// let task = cosched::create_task(async {});
    /// let handle = task.task_ref();
    /// task.await.unwrap();
    /// assert!(!handle.is_cancelled());
    /// # });
    /// ```
    pub fn is_cancelled(&self) -> bool {
        self.slot.is_cancelled()
    }

    /// Asks the task to stop; see [`Task::cancel`].
    ///
    /// ```
    /// # cosched::run(async {
    /// let task = cosched::create_task(cosched::sleep(std::time::Duration::from_secs(60)));
    /// assert!(task.task_ref().cancel());
    /// assert!(task.await.unwrap_err().is_cancelled());
    /// # });
    /// ```
    pub fn cancel(&self) -> bool {
        self.slot.cancel()
    }
}

impl fmt::Debug for TaskRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TaskRef")
            .field("id", &self.id())
            .field("name", &self.name())
            .field("state", &self.state())
            .finish()
    }
}
