//! Handling a cancellation: [`on_cancel`], asyncio's
//! `except CancelledError: await cleanup()`, bounded.
//!
//! A task's cancellation is a drop: at its next await point the task's
//! future is dropped, and the destructors of its locals run. A destructor
//! cannot await, so cleanup that must await (tell a peer goodbye, flush a
//! buffer, roll back a transaction) needs the task's code to see the
//! request instead. While an [`OnCancel`] is being awaited, the task it
//! runs in is not dropped when it is cancelled: the request is delivered
//! to the `OnCancel`, which drops the work it guards, awaits the cleanup
//! for at most its grace period, and returns `Err(Cancelled)`. The task
//! still ends cancelled, whatever it does or returns after (so
//! [`Task::cancel`](crate::Task::cancel) tells the truth): its next
//! suspension ends it.

use std::fmt;
use std::future::{Future, IntoFuture};
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use pin_project_lite::pin_project;

use crate::task::{self, TaskError};

/// Runs `work`; if the task running it is cancelled meanwhile, drops
/// `work` at its await point, then awaits `cleanup` (for at most
/// [`OnCancel::DEFAULT_GRACE`], or what [`OnCancel::grace`] sets) and
/// returns `Err(Cancelled)`, like asyncio's
///
/// ```python
/// try:
///     return await work()
/// except CancelledError:
///     await cleanup()
///     raise
/// ```
///
/// ```
/// use std::sync::atomic::{AtomicBool, Ordering};
/// use std::sync::Arc;
/// use std::time::Duration;
/// # cosched::run(async {
/// let said_goodbye = Arc::new(AtomicBool::new(false));
/// let flag = Arc::clone(&said_goodbye);
/// let task = cosched::create_task(async move {
///     let served = cosched::on_cancel(
///         cosched::sleep(Duration::from_secs(3600)), // serving, forever
///         async move {
///             cosched::sleep(Duration::from_millis(1)).await; // it can await
///             flag.store(true, Ordering::SeqCst);
///         },
///     )
///     .await;
///     assert!(served.is_err());
/// });
/// cosched::sleep(Duration::from_millis(10)).await;
/// task.cancel();
/// assert_eq!(task.await, Err(cosched::TaskError::Cancelled));
/// assert!(said_goodbye.load(Ordering::SeqCst));
/// # });
/// ```
///
/// Where cosched differs from asyncio: the cancellation cannot be
/// swallowed. Whatever the task does after `on_cancel` returns `Err`, it
/// ends [`TaskError::Cancelled`] at its next suspension (or when it
/// returns), and the cleanup is bounded by a grace period, so a shutdown
/// (`run`'s, a group's) cannot hang on it. Outside a task (in `run`'s main
/// future) nothing cancels it: it awaits `work`.
///
/// Dropping the `OnCancel` (its own awaiter was dropped) drops `work` or
/// `cleanup`, whichever runs, without awaiting anything.
pub fn on_cancel<W, C>(work: W, cleanup: C) -> OnCancel<W::IntoFuture, C::IntoFuture>
where
    W: IntoFuture,
    C: IntoFuture<Output = ()>,
{
    OnCancel {
        work: Some(work.into_future()),
        cleanup: Some(cleanup.into_future()),
        grace: OnCancel::<W::IntoFuture, C::IntoFuture>::DEFAULT_GRACE,
        timer: None,
        handler: NO_HANDLER,
    }
}

const NO_HANDLER: u32 = u32::MAX;

/// A grace period running: the clock is the runtime's, boxed, and only
/// made once a cancellation has been delivered.
type GraceTimer = Pin<Box<dyn Future<Output = ()> + Send>>;

pin_project! {
    /// The future of [`on_cancel`]: `Ok` with the work's output, or
    /// `Err(Cancelled)` once the task was cancelled and the cleanup has
    /// run (or its grace period passed).
    #[must_use = "futures do nothing unless you `.await` or poll them"]
    pub struct OnCancel<W, C> {
        #[pin]
        work: Option<W>,
        #[pin]
        cleanup: Option<C>,
        grace: Duration,
        timer: Option<GraceTimer>,
        // The slot of the task whose handler count this counts in.
        handler: u32,
    }

    impl<W, C> PinnedDrop for OnCancel<W, C> {
        fn drop(this: Pin<&mut Self>) {
            let this = this.project();
            leave(this.handler);
        }
    }
}

impl<W, C> OnCancel<W, C> {
    /// How long the cleanup may take unless [`grace`](Self::grace) says
    /// otherwise: 10 seconds.
    ///
    /// ```
    /// # use std::time::Duration;
    /// assert_eq!(
    ///     cosched::OnCancel::<std::future::Ready<()>, std::future::Ready<()>>::DEFAULT_GRACE,
    ///     Duration::from_secs(10),
    /// );
    /// ```
    pub const DEFAULT_GRACE: Duration = Duration::from_secs(10);

    /// Sets how long the cleanup may take: once it has run that long, it
    /// is dropped at its await point and [`Cancelled::cleaned_up`] says
    /// false.
    ///
    /// ```
    /// use std::time::Duration;
    /// # cosched::run(async {
    /// let task = cosched::create_task(async {
    ///     cosched::on_cancel(
    ///         cosched::sleep(Duration::from_secs(3600)),
    ///         cosched::sleep(Duration::from_secs(3600)), // a cleanup that hangs
    ///     )
    ///     .grace(Duration::from_millis(10))
    ///     .await
    /// });
    /// cosched::sleep(Duration::from_millis(10)).await;
    /// task.cancel();
    /// assert_eq!(task.await, Err(cosched::TaskError::Cancelled)); // within the grace
    /// # });
    /// ```
    pub fn grace(mut self, grace: Duration) -> Self {
        self.grace = grace;
        self
    }
}

impl<W, C> Future for OnCancel<W, C>
where
    W: Future,
    C: Future<Output = ()>,
{
    type Output = Result<W::Output, Cancelled>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let mut this = self.project();
        if let Some(work) = this.work.as_mut().as_pin_mut() {
            if *this.handler == NO_HANDLER {
                if let Some(index) = task::enter_handler() {
                    *this.handler = index;
                }
            }
            if !task::take_cancel_request(*this.handler) {
                let output = std::task::ready!(work.poll(cx));
                this.work.set(None);
                this.cleanup.set(None);
                leave(this.handler);
                return Poll::Ready(Ok(output));
            }
            // Cancelled: the work stops here; the cleanup starts.
            this.work.set(None);
            *this.timer = Some(Box::pin(crate::time::sleep(*this.grace)));
        }
        let cleaned_up = match this.cleanup.as_mut().as_pin_mut() {
            Some(cleanup) => {
                if cleanup.poll(cx).is_ready() {
                    true
                } else if this
                    .timer
                    .as_mut()
                    .is_some_and(|timer| timer.as_mut().poll(cx).is_ready())
                {
                    false
                } else {
                    return Poll::Pending;
                }
            }
            None => return Poll::Pending, // polled after it returned
        };
        this.cleanup.set(None);
        *this.timer = None;
        leave(this.handler);
        Poll::Ready(Err(Cancelled { cleaned_up }))
    }
}

/// Stops counting as a handler of the task in slot `handler`, if it does.
fn leave(handler: &mut u32) {
    if *handler != NO_HANDLER {
        task::leave_handler(*handler);
        *handler = NO_HANDLER;
    }
}

impl<W, C> fmt::Debug for OnCancel<W, C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OnCancel")
            .field("cancelled", &self.work.is_none())
            .field("grace", &self.grace)
            .finish_non_exhaustive()
    }
}

/// What [`on_cancel`] returns when the task was cancelled: the work was
/// dropped, and the cleanup ran. It converts into
/// [`TaskError::Cancelled`], so `?` passes it on in a task returning
/// `Result<_, TaskError>`.
///
/// ```
/// let cancelled: cosched::TaskError = cosched::Cancelled::default().into();
/// assert!(cancelled.is_cancelled());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Cancelled {
    cleaned_up: bool,
}

impl Default for Cancelled {
    fn default() -> Self {
        Self { cleaned_up: true }
    }
}

impl Cancelled {
    /// Whether the cleanup ran to its end; false if its grace period
    /// passed first and it was dropped at its await point.
    ///
    /// ```
    /// assert!(cosched::Cancelled::default().cleaned_up());
    /// ```
    pub fn cleaned_up(&self) -> bool {
        self.cleaned_up
    }
}

impl fmt::Display for Cancelled {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.cleaned_up {
            f.write_str("task was cancelled")
        } else {
            f.write_str(
                "task was cancelled, and its cleanup did not finish within its grace period",
            )
        }
    }
}

/// A leaf, like [`TaskError`]: `source()` is `None`; `?` takes it into
/// `Box<dyn Error + Send + Sync>` and `anyhow::Error`.
///
/// ```
/// let error: Box<dyn std::error::Error + Send + Sync> = cosched::Cancelled::default().into();
/// assert_eq!(error.to_string(), "task was cancelled");
/// assert!(error.source().is_none());
/// ```
impl std::error::Error for Cancelled {}

/// A cancellation in I/O code: an [`io::Error`](std::io::Error) of kind
/// [`Other`](std::io::ErrorKind::Other) that wraps it, as
/// [`TaskError::Cancelled`] converts (and for the same reason not
/// [`Interrupted`](std::io::ErrorKind::Interrupted), which `std`'s I/O
/// loops retry).
///
/// ```
/// let error = std::io::Error::from(cosched::Cancelled::default());
/// assert_eq!(error.kind(), std::io::ErrorKind::Other);
/// assert_eq!(error.to_string(), "task was cancelled");
/// ```
impl From<Cancelled> for std::io::Error {
    fn from(cancelled: Cancelled) -> Self {
        Self::other(cancelled)
    }
}

impl From<Cancelled> for TaskError {
    fn from(_: Cancelled) -> Self {
        TaskError::Cancelled
    }
}
