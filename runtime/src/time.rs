//! Time: sleeping, deadlines, and coroutines that start later or repeat.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use crate::backend;
use crate::coroutine::{Coroutine, Named, Spawnable};

/// Waits for `duration`, like `asyncio.sleep`. A zero duration is over at
/// once, on every backend: `sleep(ZERO)` does not yield (use
/// [`yield_now`] for asyncio's `sleep(0)`).
///
/// ```
/// # cosched::run(async {
/// let start = std::time::Instant::now();
/// cosched::sleep(std::time::Duration::from_millis(20)).await;
/// assert!(start.elapsed() >= std::time::Duration::from_millis(20));
/// # });
/// ```
pub async fn sleep(duration: Duration) {
    // Every backend's timer, made the same: one already due is ready on
    // its first poll (tokio's waited for its next timer tick).
    if !duration.is_zero() {
        backend::sleep(duration).await;
    }
}

/// Waits until `deadline`; one already past is over at once.
///
/// ```
/// # cosched::run(async {
/// let deadline = std::time::Instant::now() + std::time::Duration::from_millis(20);
/// cosched::sleep_until(deadline).await;
/// assert!(std::time::Instant::now() >= deadline);
/// # });
/// ```
pub async fn sleep_until(deadline: Instant) {
    if deadline > Instant::now() {
        backend::sleep_until(deadline).await;
    }
}

pin_project_lite::pin_project! {
    /// [`sleep_until`] as one value whose deadline moves: [`Timer::reset`]
    /// re-arms the same backend timer, where `sleep_until` would make a new
    /// one per deadline. A deadline already past is over at once, as
    /// `sleep_until`'s is.
    #[derive(Debug)]
    pub(crate) struct Timer {
        #[pin]
        inner: backend::Timer,
        deadline: Instant,
    }
}

impl Timer {
    pub(crate) fn at(deadline: Instant) -> Self {
        Self {
            inner: backend::timer_at(deadline),
            deadline,
        }
    }

    pub(crate) fn deadline(&self) -> Instant {
        self.deadline
    }

    pub(crate) fn reset(self: Pin<&mut Self>, deadline: Instant) {
        let this = self.project();
        *this.deadline = deadline;
        backend::reset_timer(this.inner, deadline);
    }
}

impl Future for Timer {
    type Output = ();

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let this = self.project();
        if Instant::now() >= *this.deadline {
            return Poll::Ready(());
        }
        backend::poll_timer(this.inner, cx)
    }
}

/// Lets other tasks run before this one goes on, like `asyncio.sleep(0)`.
///
/// ```
/// # cosched::run(async {
/// cosched::yield_now().await;
/// # });
/// ```
pub async fn yield_now() {
    let mut yielded = false;
    std::future::poll_fn(|cx| {
        if yielded {
            Poll::Ready(())
        } else {
            yielded = true;
            cx.waker().wake_by_ref();
            Poll::Pending
        }
    })
    .await;
}

/// `coroutine`, starting only after `delay`: what `schedule!(after DELAY => ..)`
/// lowers to (asyncio's `call_later`, for coroutines). Scheduled, the task
/// exists at once, and cancelling it before the delay is over means the body
/// never runs.
///
/// ```
/// use std::time::{Duration, Instant};
/// # cosched::run(async {
/// let start = Instant::now();
/// let task = cosched::create_task(cosched::after(Duration::from_millis(30), async { "late" }));
/// assert_eq!(task.await, Ok("late"));
/// assert!(start.elapsed() >= Duration::from_millis(30));
/// # });
/// ```
pub fn after<C: Spawnable>(
    delay: Duration,
    coroutine: C,
) -> Coroutine<impl Future<Output = C::Output>, C::Kind> {
    let (meta, future) = coroutine.into_coroutine().into_parts();
    Coroutine::new(meta, async move {
        sleep(delay).await;
        Named::new(future).await
    })
}

/// `coroutine`, starting only at `deadline`: what `schedule!(at DEADLINE => ..)`
/// lowers to (asyncio's `call_at`, for coroutines).
///
/// ```
/// use std::time::{Duration, Instant};
/// # cosched::run(async {
/// let deadline = Instant::now() + Duration::from_millis(30);
/// let task = cosched::create_task(cosched::at(deadline, async { Instant::now() }));
/// assert!(task.await.unwrap() >= deadline);
/// # });
/// ```
pub fn at<C: Spawnable>(
    deadline: Instant,
    coroutine: C,
) -> Coroutine<impl Future<Output = C::Output>, C::Kind> {
    let (meta, future) = coroutine.into_coroutine().into_parts();
    Coroutine::new(meta, async move {
        sleep_until(deadline).await;
        Named::new(future).await
    })
}

/// A coroutine that runs `make()`'s coroutine once every `period`, until it
/// is cancelled: what `schedule!(every PERIOD => ..)` lowers to, and
/// [`Every::new(period).forever(make)`](crate::Every::forever) (where the
/// options are: missed starts, jitter, a number of runs, the first start).
///
/// The first run starts at once; run *n* is scheduled *n* periods after the
/// first. Runs never overlap: when one outlasts its period, the starts it
/// overran are skipped, and the next run starts at the next period boundary
/// ([`Missed::Skip`](crate::Missed::Skip), which says why this is the
/// default and how it differs from tokio's `Skip`). `make` is called for
/// the first run when the coroutine is created, then before each later
/// run. A panicking run ends the task with that panic.
///
/// # Panics
///
/// Not in the caller: in the task, with a zero period. A zero period would
/// run back to back forever, a core spinning.
/// `schedule!(every Duration::ZERO => ..)` (or `from_millis(0)`, …) is a
/// compile error; a period that is zero at run time ends the task, before
/// any run, with [`TaskError::Panicked`](crate::TaskError::Panicked)`("every:
/// the period is zero ..")`. That is cosched's exception, not a panic of the
/// caller: the event loop and the other tasks go on, and whoever awaits the
/// task gets the error (tokio's `interval` panics in the caller instead).
///
/// ```
/// use std::time::Duration;
/// # cosched::run(async {
/// let period = Duration::from_millis(0); // computed, say
/// let task = cosched::create_task(cosched::every(period, || async {}));
/// let error = task.await.unwrap_err();
/// assert!(error.to_string().contains("the period is zero"));
/// # });
/// ```
///
/// ```
/// use std::sync::atomic::{AtomicUsize, Ordering};
/// use std::sync::Arc;
/// use std::time::Duration;
/// # cosched::run(async {
/// let ticks = Arc::new(AtomicUsize::new(0));
/// let counter = Arc::clone(&ticks);
/// let task = cosched::create_task(cosched::every(Duration::from_millis(10), move || {
///     let counter = Arc::clone(&counter);
///     async move { counter.fetch_add(1, Ordering::SeqCst); }
/// }));
/// cosched::sleep(Duration::from_millis(55)).await;
/// task.cancel();
/// assert!(ticks.load(Ordering::SeqCst) >= 2);
/// # });
/// ```
pub fn every<C, M>(period: Duration, make: M) -> Coroutine<impl Future<Output = ()>, C::Kind>
where
    C: Spawnable,
    M: FnMut() -> C + 'static,
{
    crate::Every::new(period).forever(make)
}

/// The current time, as periodic tasks read it: their one clock besides
/// [`sleep_until`].
pub(crate) fn now() -> Instant {
    Instant::now()
}

/// The wall-clock time, as cron schedules read it: their one clock of the
/// calendar, besides [`now`] and [`sleep_until`] for the waits.
#[cfg(feature = "cron")]
pub(crate) fn wall_now() -> std::time::SystemTime {
    std::time::SystemTime::now()
}
