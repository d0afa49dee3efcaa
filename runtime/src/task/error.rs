//! Why a task gave no output, and containing the panics that say why.

use std::any::Any;
use std::collections::BTreeMap;
use std::fmt;
use std::panic::{self, AssertUnwindSafe, Location};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

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
    /// The task awaited would never end for this awaiter: it is the
    /// awaiting task itself, or it awaits (directly or through the tasks
    /// it awaits) the awaiting task, so the two would wait for each other
    /// forever. asyncio raises `RuntimeError` for a task awaiting itself
    /// and hangs on a longer cycle; cosched gives this error to the await
    /// that would close the cycle. The awaited task runs on, detached.
    ///
    /// ```
    /// # cosched::run(async {
    /// let (tx, rx) = std::sync::mpsc::channel::<cosched::Task<()>>();
    /// let task = cosched::create_task(async move {
    ///     let myself = rx.recv().unwrap(); // its own handle
    ///     assert_eq!(myself.await, Err(cosched::TaskError::AwaitCycle));
    /// });
    /// let handle = task.task_ref();
    /// tx.send(task).unwrap();
    /// while !handle.is_done() {
    ///     cosched::yield_now().await;
    /// }
    /// assert_eq!(handle.state(), cosched::TaskState::Done);
    /// # });
    /// ```
    AwaitCycle,
    /// The task's result is no longer in its handle: an `.await` of
    /// `&mut task` ([`JoinMut`](crate::JoinMut)) took it, and this is what
    /// an `.await` of the task (or of `&mut task`) after that gives, and
    /// what [`Task::result`](crate::Task::result) gives. asyncio would give
    /// the same result again; cosched moves it out, so it can give it once.
    ///
    /// ```
    /// # cosched::run(async {
    /// let mut task = cosched::create_task(async { String::from("once") });
    /// assert_eq!((&mut task).await, Ok(String::from("once")));
    /// assert_eq!(task.await, Err(cosched::TaskError::ResultTaken));
    /// # });
    /// ```
    ResultTaken,
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
            Self::AwaitCycle => f.write_str(
                "a task cannot await itself, nor a task that awaits it: they would wait forever",
            ),
            Self::ResultTaken => f.write_str(
                "the task's result was already taken by an earlier `.await` of `&mut task`",
            ),
        }
    }
}

/// A task error is a leaf: it wraps no other error, so `source()` is `None`
/// (a panic's message is text, shown by `Display`). It goes through `?`
/// into `Box<dyn Error + Send + Sync>` and `anyhow::Error`, as any error
/// that is `Send + Sync + 'static` does.
///
/// ```
/// use std::error::Error;
///
/// #[cosched::task]
/// async fn parse(text: String) -> Result<u32, Box<dyn Error + Send + Sync>> {
///     Ok(text.trim().parse()?)
/// }
///
/// #[cosched::task]
/// async fn total() -> Result<u32, Box<dyn Error + Send + Sync>> {
///     let a = parse(" 40 ".into()).spawn().await??; // `TaskError`, then the body's error
///     let b = parse("2".into()).spawn().await??;
///     Ok(a + b)
/// }
/// # cosched::run(async {
/// assert_eq!(total().await.unwrap(), 42);
///
/// let error: Box<dyn Error + Send + Sync> = cosched::TaskError::Cancelled.into();
/// assert_eq!(error.to_string(), "task was cancelled");
/// assert!(error.source().is_none());
/// # });
/// ```
impl std::error::Error for TaskError {}

/// A task error in I/O code: an [`io::Error`](std::io::Error) of kind
/// [`Other`](std::io::ErrorKind::Other) that wraps it, so `?` passes it on
/// in a fn returning `io::Result`, and
/// [`get_ref`](std::io::Error::get_ref) gives it back. tokio's `JoinError`
/// converts the same way. Not [`Interrupted`](std::io::ErrorKind::Interrupted)
/// for a cancellation: `std`'s I/O loops (`read_exact`, `write_all`, `copy`)
/// retry an interrupted call, and a cancelled task has nothing to retry.
///
/// ```
/// use std::io;
///
/// async fn copy_job() -> io::Result<usize> {
///     let task = cosched::create_task(async { panic!("disk on fire") });
///     let bytes: usize = task.await?;
///     Ok(bytes)
/// }
/// # cosched::run(async {
/// let error = copy_job().await.unwrap_err();
/// assert_eq!(error.kind(), io::ErrorKind::Other);
/// assert_eq!(error.to_string(), "task panicked: disk on fire");
/// let inner = error.get_ref().and_then(|inner| inner.downcast_ref::<cosched::TaskError>());
/// assert!(inner.is_some_and(cosched::TaskError::is_panic));
/// # });
/// ```
impl From<TaskError> for std::io::Error {
    fn from(error: TaskError) -> Self {
        Self::other(error)
    }
}

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
///
/// A message that comes from a task knows which task it came from: if
/// every copy of it is dropped before anyone took the task's result (its
/// `Task` was dropped unawaited), it says so through
/// [`cosched::report`](crate::report), once:
/// "panic in task `name` (spawned at src/main.rs:12:5) was never
/// retrieved: message".
#[derive(Clone)]
pub struct PanicMessage(Arc<Message>);

/// A panic message, and the task to blame if it is never retrieved.
struct Message {
    text: String,
    lost: Option<Lost>,
}

/// Who lost a task's panic, if its result is never taken.
struct Lost {
    task: String,
    site: &'static Location<'static>,
    event_loop: u16,
    /// Set once the task's result was taken, or the loss reported.
    retrieved: AtomicBool,
}

impl PanicMessage {
    /// The message of a panic of the task in slot `index`, which reports
    /// itself if it is never retrieved.
    pub(crate) fn of_task(text: String, index: u32) -> Self {
        let table = super::table::table();
        Self(Arc::new(Message {
            text,
            lost: Some(Lost {
                task: table.name(index),
                site: table.site(index).at,
                event_loop: table.slot(index).loop_number(),
                retrieved: AtomicBool::new(false),
            }),
        }))
    }

    /// Someone took the task's result, so its panic is not lost.
    pub(crate) fn retrieved(&self) {
        if let Some(lost) = &self.0.lost {
            lost.retrieved.store(true, Ordering::Relaxed);
        }
    }

    /// Reports the panic as never retrieved now, unless it was retrieved
    /// or reported already: its task ended with no handle that could take
    /// it.
    pub(crate) fn report_lost(&self) {
        if let Some(lost) = &self.0.lost {
            if !lost.retrieved.swap(true, Ordering::Relaxed) {
                lost.report(&self.0.text);
            }
        }
    }

    /// The message as a `str`.
    ///
    /// ```
    /// let message = cosched::PanicMessage::from("boom");
    /// assert_eq!(message.as_str(), "boom");
    /// ```
    pub fn as_str(&self) -> &str {
        &self.0.text
    }

    /// The message as a `String`.
    ///
    /// ```
    /// let message = cosched::PanicMessage::from("boom");
    /// assert_eq!(message.into_string(), "boom");
    /// ```
    pub fn into_string(self) -> String {
        self.0.text.clone()
    }
}

impl Lost {
    fn report(&self, text: &str) {
        let report = crate::report::Report::PanicNeverRetrieved {
            task: self.task.clone(),
            spawned_at: self.site,
            message: text.to_owned(),
        };
        crate::event_loop::record_lost_panic(self.event_loop, &report);
        crate::report::emit(&report);
    }
}

/// The panic messages of tasks that ended while handles to them were
/// left, by slot: when the slot is freed (its last handle is gone), a
/// message nobody retrieved is reported then, on the thread that dropped
/// that handle. (The backend's copy of the task's output may be dropped
/// later, on a worker, or never: it cannot be what reports.) Only panics
/// come here.
static HELD: Mutex<BTreeMap<u32, PanicMessage>> = Mutex::new(BTreeMap::new());

/// Keeps `message`, of the task in slot `index`, until the slot is freed.
pub(crate) fn hold(index: u32, message: PanicMessage) {
    HELD.lock()
        .unwrap_or_else(PoisonError::into_inner)
        .insert(index, message);
}

/// Slot `index`, whose task panicked, is freed: its panic is reported if
/// nobody retrieved it.
pub(crate) fn release_held(index: u32) {
    let held = HELD
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .remove(&index);
    if let Some(message) = held {
        message.report_lost();
    }
}

impl PartialEq for PanicMessage {
    fn eq(&self, other: &Self) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for PanicMessage {}

impl std::hash::Hash for PanicMessage {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.as_str().hash(state);
    }
}

impl std::ops::Deref for PanicMessage {
    type Target = str;

    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl AsRef<str> for PanicMessage {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl fmt::Debug for PanicMessage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl fmt::Display for PanicMessage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl From<String> for PanicMessage {
    fn from(text: String) -> Self {
        Self(Arc::new(Message { text, lost: None }))
    }
}

impl From<&str> for PanicMessage {
    fn from(text: &str) -> Self {
        text.to_owned().into()
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

/// The message of a caught panic's `payload`, which is dropped here with
/// its own panic caught: a payload whose destructor panics (a
/// `panic_any(Bomb)` where `Bomb::drop` panics) is contained, the second
/// payload forgotten rather than dropped, since it may do the same.
pub(crate) fn contain(payload: Box<dyn Any + Send>) -> PanicMessage {
    let message = panic_message(payload.as_ref());
    drop_contained(payload);
    message.into()
}

/// [`contain`] for a panic of the task in slot `index`: the message
/// reports itself if the task's result is never taken.
pub(crate) fn contain_in_task(payload: Box<dyn Any + Send>, index: u32) -> PanicMessage {
    let message = panic_message(payload.as_ref());
    let retrieved = payload.is::<Retrieved>();
    drop_contained(payload);
    if retrieved {
        message.into()
    } else {
        PanicMessage::of_task(message, index)
    }
}

/// A panic payload that someone has already taken the message of (a group
/// member's, which its group keeps): the task still ends `Panicked`, but
/// its message never reports itself as lost.
pub(crate) struct Retrieved(pub(crate) String);

/// Drops `value`, containing a panic of its destructor (see [`contain`]).
pub(crate) fn drop_contained<T>(value: T) {
    if let Err(payload) = panic::catch_unwind(AssertUnwindSafe(|| drop(value))) {
        std::mem::forget(payload);
    }
}

/// The message a panic was raised with, as `std`'s default hook prints it.
pub(crate) fn panic_message(payload: &(dyn Any + Send)) -> String {
    if let Some(message) = payload.downcast_ref::<&'static str>() {
        (*message).to_owned()
    } else if let Some(Retrieved(message)) = payload.downcast_ref::<Retrieved>() {
        message.clone()
    } else if let Some(message) = payload.downcast_ref::<String>() {
        message.clone()
    } else {
        "Box<dyn Any>".to_owned()
    }
}

#[cfg(all(test, not(loom)))]
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
