//! Task handles and what awaiting them gives.

use std::fmt;
use std::future::{Future, IntoFuture};
use std::num::NonZeroU64;
use std::pin::Pin;
use std::task::{Context, Poll};

use crate::backend;
use crate::header::Header;

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
#[must_use = "dropping a `Task` detaches it: the coroutine keeps running, but its result is lost"]
pub struct Task<T> {
    header: Header,
    join: backend::JoinHandle<Result<T, TaskError>>,
}

impl<T> Task<T> {
    pub(crate) fn new(header: Header, join: backend::JoinHandle<Result<T, TaskError>>) -> Self {
        Self { header, join }
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
        self.header.id()
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
        self.header.name()
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
        self.header.is_done()
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
        self.header.is_cancelled()
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
        self.header.cancel()
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
            header: self.header.clone(),
        }
    }
}

impl<T> fmt::Debug for Task<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Task")
            .field("id", &self.id())
            .field("name", &self.name())
            .field("state", &self.header.state())
            .finish_non_exhaustive()
    }
}

impl<T> IntoFuture for Task<T> {
    type Output = Result<T, TaskError>;
    type IntoFuture = Join<T>;

    fn into_future(self) -> Join<T> {
        Join { task: Some(self) }
    }
}

/// The future of a [`Task`]'s result, made by `.await`ing the task.
///
/// Like an `await` in asyncio, it passes cancellation on: dropping it before
/// the task has finished (on a [`wait_for`](crate::wait_for) timeout, say)
/// cancels the task. Drop the [`Task`] itself instead to detach it.
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
}

impl<T> fmt::Debug for Join<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Join").field("task", &self.task).finish()
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
        let result = match Pin::new(&mut task.join).poll(cx) {
            Poll::Pending => return Poll::Pending,
            Poll::Ready(Some(result)) => result,
            Poll::Ready(None) if task.header.is_refused() => Err(TaskError::NotOnLoopThread),
            Poll::Ready(None) => Err(TaskError::Cancelled),
        };
        this.task = None;
        Poll::Ready(result)
    }
}

impl<T> Drop for Join<T> {
    fn drop(&mut self) {
        if let Some(task) = &self.task {
            task.cancel();
        }
    }
}

/// Why a task gave no output.
///
/// ```
/// # cosched::run(async {
/// let task = cosched::create_task(async { panic!("boom") });
/// let error: cosched::TaskError = task.await.unwrap_err();
/// assert_eq!(error, cosched::TaskError::Panicked("boom".into()));
/// assert_eq!(error.to_string(), "task panicked: boom");
/// # });
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum TaskError {
    /// The task was cancelled before it finished.
    Cancelled,
    /// The task panicked; this is the panic's message. The panic stopped at
    /// the task: the loop and every other task ran on.
    Panicked(PanicMessage),
    /// A [`Local`](crate::Local) coroutine (`#[task(local)]`) was scheduled
    /// on a thread that runs no event loop: a thread-pool task's, or another
    /// OS thread's. Nothing would ever poll it there, so it never ran. A
    /// local task runs on the thread that drives the loop: schedule it from
    /// `run`'s main future, from `run_until_complete`, or from another local
    /// task.
    ///
    /// ```
    /// #[cosched::task(local)]
    /// async fn on_the_loop_thread() -> u8 {
    ///     1
    /// }
    /// # cosched::run(async {
    /// let from_the_pool = cosched::create_task(async { on_the_loop_thread().spawn().await });
    /// assert_eq!(from_the_pool.await, Ok(Err(cosched::TaskError::NotOnLoopThread)));
    /// assert_eq!(on_the_loop_thread().spawn().await, Ok(1));
    /// # });
    /// ```
    NotOnLoopThread,
}

impl TaskError {
    /// Whether the task was cancelled.
    ///
    /// ```
    /// assert!(cosched::TaskError::Cancelled.is_cancelled());
    /// ```
    pub fn is_cancelled(&self) -> bool {
        matches!(self, Self::Cancelled)
    }

    /// Whether the task panicked.
    ///
    /// ```
    /// assert!(cosched::TaskError::Panicked("boom".into()).is_panic());
    /// ```
    pub fn is_panic(&self) -> bool {
        matches!(self, Self::Panicked(_))
    }
}

impl fmt::Display for TaskError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Cancelled => f.write_str("task was cancelled"),
            Self::Panicked(message) => write!(f, "task panicked: {message}"),
            Self::NotOnLoopThread => f.write_str(
                "a local task was scheduled on a thread that runs no event loop, so it never ran",
            ),
        }
    }
}

impl std::error::Error for TaskError {}

/// The message a task panicked with ([`TaskError::Panicked`]): a string,
/// one pointer wide.
///
/// It reads as a `str` (it derefs to one, displays as one, and compares with
/// one) and is made from a `String` or a `&str`.
///
/// ```
/// # cosched::run(async {
/// let task = cosched::create_task(async { panic!("disk {} full", 2) });
/// let Err(cosched::TaskError::Panicked(message)) = task.await else {
///     unreachable!()
/// };
/// assert_eq!(message, "disk 2 full");
/// assert!(message.starts_with("disk"));
/// # });
/// ```
///
/// Why not a `String`: every task's output slot is as large as its
/// `Result<T, TaskError>`. With a `String` (three words) in it, a task
/// returning a word needs three words there; with this, two. On
/// tokio, whose task cells are 128-byte aligned, that is the difference
/// between a 128- and a 256-byte cell for a small task.
#[derive(Clone, PartialEq, Eq, Hash)]
// One allocation more per panic buys a thin pointer for every task.
#[allow(clippy::box_collection)]
pub struct PanicMessage(Box<String>);

impl PanicMessage {
    /// The message.
    ///
    /// ```
    /// let message = cosched::PanicMessage::from("boom");
    /// assert_eq!(message.as_str(), "boom");
    /// ```
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The message, as a `String` (no copy).
    ///
    /// ```
    /// let message = cosched::PanicMessage::from("boom".to_owned());
    /// assert_eq!(message.into_string(), "boom");
    /// ```
    pub fn into_string(self) -> String {
        *self.0
    }
}

impl std::ops::Deref for PanicMessage {
    type Target = str;

    fn deref(&self) -> &str {
        &self.0
    }
}

impl AsRef<str> for PanicMessage {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for PanicMessage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl fmt::Display for PanicMessage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<String> for PanicMessage {
    fn from(message: String) -> Self {
        Self(Box::new(message))
    }
}

impl From<&str> for PanicMessage {
    fn from(message: &str) -> Self {
        Self(Box::new(message.to_owned()))
    }
}

impl PartialEq<str> for PanicMessage {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for PanicMessage {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialEq<String> for PanicMessage {
    fn eq(&self, other: &String) -> bool {
        self.as_str() == other
    }
}

/// A task's id: unique in the process, never reused, never zero.
///
/// ```
/// # cosched::run(async {
/// let task = cosched::create_task(async {});
/// assert!(task.id().as_u64() > 0);
/// # });
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TaskId(pub(crate) NonZeroU64);

impl TaskId {
    /// The id as a number.
    ///
    /// ```
    /// # cosched::run(async {
    /// let task = cosched::create_task(async {});
    /// assert_eq!(task.id().to_string(), task.id().as_u64().to_string());
    /// # });
    /// ```
    pub fn as_u64(self) -> u64 {
        self.0.get()
    }
}

impl fmt::Display for TaskId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

/// Where a task is in its life.
///
/// ```
/// # cosched::run(async {
/// let task = cosched::create_task(async { 1 });
/// let handle = task.task_ref();
/// task.await.unwrap();
/// assert_eq!(handle.state(), cosched::TaskState::Done);
/// # });
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TaskState {
    /// Scheduled, not yet polled.
    Pending,
    /// Polled at least once, not finished.
    Running,
    /// Cancellation requested; the task stops at its next poll.
    Cancelling,
    /// Finished with an output.
    Done,
    /// Finished by cancellation.
    Cancelled,
    /// Finished by a panic.
    Panicked,
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
    pub(crate) header: Header,
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
        self.header.id()
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
        self.header.name()
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
        self.header.state()
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
        self.header.is_done()
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
        self.header.is_cancelled()
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
        self.header.cancel()
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

#[cfg(test)]
mod tests {
    use super::*;

    /// A task's output slot holds a `Result<T, TaskError>`: keep a task
    /// that returns a word at two words (see `PanicMessage`).
    #[test]
    fn a_word_result_is_two_words() {
        assert_eq!(size_of::<PanicMessage>(), size_of::<usize>());
        assert_eq!(size_of::<Result<u64, TaskError>>(), 2 * size_of::<u64>());
    }
}
