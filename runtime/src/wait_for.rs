//! `wait_for`: asyncio's deadline on one awaitable, which on a timeout
//! cancels what it waited for and returns only once that has stopped.
//!
//! What "stopped" takes depends on what is awaited, which is what
//! [`Awaitable`] says. A future or a coroutine is polled inline, inside
//! `wait_for`: dropping it stops it, there and then, its destructors
//! included. A [`Task`] runs elsewhere: it is cancelled, and `wait_for`
//! goes on awaiting it until it has ended, so that nothing it owns outlives
//! the call, and so that what it did instead of stopping (it finished
//! anyway, or panicked while it was cancelled) reaches the caller.

use std::fmt;
use std::future::{Future, IntoFuture, poll_fn};
use std::pin::{Pin, pin};
use std::task::Poll;
use std::time::Duration;

use crate::coroutine::{Coroutine, Eager, Local};
use crate::task::{Join, JoinMut, Task, TaskError};
use crate::time::sleep;

/// Awaits `awaitable` for at most `timeout`, like asyncio's
/// `wait_for(aw, timeout)`, arguments in asyncio's order.
///
/// On a timeout the awaitable is cancelled, and `wait_for` returns only
/// once it has stopped:
///
/// * a future or a [`#[task]`](crate::task) coroutine is dropped, so its
///   locals' destructors have run when `wait_for` returns (asyncio would
///   wrap a coroutine in a task; cosched polls it inline, so there is no
///   task to wait for);
/// * a [`Task`] is cancelled and awaited until it has ended. If it ended
///   cancelled, the result is `Err(TimeoutError)`; if it finished anyway
///   (its result was ready before the cancellation reached it) or panicked
///   while it was being cancelled, that is what is returned, in `Ok`, as
///   asyncio returns the result or raises the task's exception.
///
/// A zero timeout never starts a future or coroutine (asyncio's
/// `timeout <= 0`): it is dropped unpolled. A task given a zero timeout is
/// cancelled and awaited, so one already done gives its result.
///
/// Cancelling `wait_for` itself (dropping it) cancels a task it awaits,
/// as awaiting the task does; see [`Join`].
///
/// # Errors
///
/// [`TimeoutError`] when the deadline passed first and the awaitable
/// stopped without a result.
///
/// ```
/// use std::time::Duration;
/// # cosched::run(async {
/// let fast = cosched::wait_for(async { 1 }, Duration::from_secs(5)).await;
/// assert_eq!(fast, Ok(1));
///
/// let task = cosched::create_task(cosched::sleep(Duration::from_secs(3600)));
/// let handle = task.task_ref();
/// let slow = cosched::wait_for(task, Duration::from_millis(10)).await;
/// assert_eq!(slow, Err(cosched::TimeoutError));
/// assert!(handle.is_cancelled(), "stopped before wait_for returned");
/// # });
/// ```
pub async fn wait_for<A: Awaitable>(
    awaitable: A,
    timeout: Duration,
) -> Result<A::Output, TimeoutError> {
    let mut waiting = pin!(awaitable.into_waiting());
    if !timeout.is_zero() {
        let mut timer = pin!(sleep(timeout));
        let output = poll_fn(|cx| {
            if let Poll::Ready(output) = waiting.as_mut().poll(cx) {
                return Poll::Ready(Some(output));
            }
            timer.as_mut().poll(cx).map(|()| None)
        })
        .await;
        if let Some(output) = output {
            return Ok(output);
        }
    }
    if !sealed::Waiting::stop(waiting.as_mut()) {
        return Err(TimeoutError); // dropped as `wait_for` returns
    }
    let output = poll_fn(|cx| waiting.as_mut().poll(cx)).await;
    if <A::Waiting as sealed::Waiting>::was_stopped(&output) {
        Err(TimeoutError)
    } else {
        Ok(output)
    }
}

/// What [`wait_for`] can wait for: any [`Future`], a [`#[task]`](crate::task)
/// coroutine, or a [`Task`]. It says how a timeout stops it (see
/// [`wait_for`]). Sealed.
///
/// A value that is only [`IntoFuture`] (other than a coroutine or a task)
/// is passed as `value.into_future()`.
///
/// ```
/// fn within_a_second<A: cosched::Awaitable>(
///     awaitable: A,
/// ) -> impl Future<Output = Result<A::Output, cosched::TimeoutError>> {
///     cosched::wait_for(awaitable, std::time::Duration::from_secs(1))
/// }
/// # cosched::run(async {
/// assert_eq!(within_a_second(async { 2 }).await, Ok(2));
/// # });
/// ```
pub trait Awaitable: sealed::Sealed {
    /// What awaiting it gives.
    type Output;
    #[doc(hidden)]
    type Waiting: sealed::Waiting<Output = Self::Output>;
    #[doc(hidden)]
    fn into_waiting(self) -> Self::Waiting;
}

mod sealed {
    use std::future::Future;
    use std::pin::Pin;
    use std::task::{Context, Poll};

    pub trait Sealed {}

    /// An awaitable being awaited, and how a timeout stops it.
    pub trait Waiting: Future {
        /// Asks it to stop. `false`: dropping it stops it. `true`: it was
        /// asked to (a task cancelled) and is to be polled to its end.
        fn stop(self: Pin<&mut Self>) -> bool;

        /// Whether an output that came after [`Waiting::stop`] says it
        /// stopped, rather than finishing anyway.
        fn was_stopped(output: &Self::Output) -> bool;
    }

    pin_project_lite::pin_project! {
        /// A future polled inside `wait_for`: a timeout drops it.
        pub struct Inline<F> {
            #[pin]
            pub(super) future: F,
        }
    }

    impl<F: Future> Future for Inline<F> {
        type Output = F::Output;

        fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
            self.project().future.poll(cx)
        }
    }

    impl<F: Future> Waiting for Inline<F> {
        fn stop(self: Pin<&mut Self>) -> bool {
            false
        }

        fn was_stopped(_: &F::Output) -> bool {
            true
        }
    }
}

impl<F: Future> sealed::Sealed for F {}

impl<F: Future> Awaitable for F {
    type Output = F::Output;
    type Waiting = sealed::Inline<F>;

    fn into_waiting(self) -> sealed::Inline<F> {
        sealed::Inline { future: self }
    }
}

// A threaded coroutine is a `Future`, which the impl above takes.
impl<F: Future> sealed::Sealed for Coroutine<F, Local> {}

impl<F: Future> Awaitable for Coroutine<F, Local> {
    type Output = F::Output;
    type Waiting = sealed::Inline<F>;

    fn into_waiting(self) -> sealed::Inline<F> {
        sealed::Inline {
            future: self.into_future(),
        }
    }
}

impl<F: Future, K> sealed::Sealed for Coroutine<F, Eager<K>> {}

// Awaited with a timeout, an eager coroutine runs inline like any other:
// it is not scheduled, so there is nothing to start eagerly.
impl<F: Future, K> Awaitable for Coroutine<F, Eager<K>> {
    type Output = F::Output;
    type Waiting = sealed::Inline<F>;

    fn into_waiting(self) -> sealed::Inline<F> {
        sealed::Inline {
            future: self.into_future(),
        }
    }
}

impl<T> sealed::Sealed for Task<T> {}

impl<T> Awaitable for Task<T> {
    type Output = Result<T, TaskError>;
    type Waiting = Join<T>;

    fn into_waiting(self) -> Join<T> {
        self.into_future()
    }
}

impl<T> sealed::Sealed for &mut Task<T> {}

/// `&mut task`: as the task, cancelled on a timeout and awaited until it
/// has ended, but the handle stays the caller's (its result, once given,
/// is taken: see [`JoinMut`]).
///
/// ```
/// use std::time::Duration;
/// # cosched::run(async {
/// let mut task = cosched::create_task(cosched::sleep(Duration::from_secs(3600)));
/// let waited = cosched::wait_for(&mut task, Duration::from_millis(5)).await;
/// assert_eq!(waited, Err(cosched::TimeoutError));
/// assert!(task.is_cancelled(), "stopped before wait_for returned");
/// # });
/// ```
impl<'a, T> Awaitable for &'a mut Task<T> {
    type Output = Result<T, TaskError>;
    type Waiting = JoinMut<'a, T>;

    fn into_waiting(self) -> JoinMut<'a, T> {
        self.into_future()
    }
}

impl<T> sealed::Waiting for JoinMut<'_, T> {
    fn stop(self: Pin<&mut Self>) -> bool {
        self.cancel_task();
        true
    }

    fn was_stopped(output: &Self::Output) -> bool {
        matches!(output, Err(TaskError::Cancelled))
    }
}

impl<T> sealed::Waiting for Join<T> {
    fn stop(self: Pin<&mut Self>) -> bool {
        self.cancel_task();
        true
    }

    fn was_stopped(output: &Self::Output) -> bool {
        matches!(output, Err(TaskError::Cancelled))
    }
}

/// [`wait_for`]'s deadline passed, and what it awaited stopped without a
/// result. It converts into [`std::io::Error`] (of kind
/// [`TimedOut`](std::io::ErrorKind::TimedOut)), as tokio's `Elapsed` does,
/// so `?` passes it on in I/O code; like every cosched error it is a leaf
/// (`source()` is `None`) that `?` takes into `Box<dyn Error + Send + Sync>`
/// or `anyhow::Error`.
///
/// ```
/// assert_eq!(cosched::TimeoutError.to_string(), "deadline has elapsed");
/// let error = std::io::Error::from(cosched::TimeoutError);
/// assert_eq!(error.kind(), std::io::ErrorKind::TimedOut);
///
/// use std::error::Error;
/// use std::time::Duration;
///
/// async fn fetch() -> Result<u8, Box<dyn Error + Send + Sync>> {
///     Ok(cosched::wait_for(cosched::sleep(Duration::from_secs(3600)), Duration::ZERO)
///         .await
///         .map(|()| 1)?)
/// }
/// # cosched::run(async {
/// let error = fetch().await.unwrap_err();
/// assert!(error.is::<cosched::TimeoutError>());
/// assert!(error.source().is_none());
/// # });
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct TimeoutError;

impl fmt::Display for TimeoutError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("deadline has elapsed")
    }
}

impl std::error::Error for TimeoutError {}

impl From<TimeoutError> for std::io::Error {
    fn from(error: TimeoutError) -> Self {
        Self::new(std::io::ErrorKind::TimedOut, error)
    }
}
