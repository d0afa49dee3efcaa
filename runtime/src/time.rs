//! Time: sleeping, deadlines, coroutines that start later or repeat, and
//! the clock they all read, which a test can stop.
//!
//! Everything of cosched that waits or reads the time goes through
//! [`now`] and this module's timer: [`sleep`], [`sleep_until`],
//! [`timeout`], [`timeout_at`], [`wait_for`], [`after`], [`at`], [`every`]
//! (and [`Every`]'s policies), `wait`'s timeout and `as_completed`'s
//! deadline; cron schedules read [`wall_now`] and wait with
//! [`sleep_until`]. So they all run on virtual time when a loop's clock is
//! paused.
//!
//! # Virtual time
//!
//! [`pause`] stops the clock of the current loop (or
//! `#[cosched::test(start_paused)]`, before the test's body runs). From
//! then on [`now`] stands still, and whenever **no task of the loop is
//! running or woken** the clock jumps to the loop's earliest timer and
//! fires every timer due then, as tokio's `start_paused` does: a test of
//! "every hour for a day" takes milliseconds and sees the same instants on
//! every run. [`advance`] moves the clock by hand; [`resume`] starts it
//! again, ahead of real time by what it jumped, so that time never goes
//! back.
//!
//! ```
//! use std::sync::{Arc, Mutex};
//! use std::time::Duration;
//! use cosched::time;
//!
//! cosched::run(async {
//!     time::pause(); // what `#[cosched::test(start_paused)]` does first
//!     let start = time::now();
//!     let ticks = Arc::new(Mutex::new(Vec::new()));
//!     let seen = Arc::clone(&ticks);
//!     let hourly = cosched::Every::new(Duration::from_secs(3600));
//!     let task = cosched::create_task(hourly.times(24, move || {
//!         let seen = Arc::clone(&seen);
//!         async move { seen.lock().unwrap().push(time::now() - start) }
//!     }));
//!     task.await.unwrap();
//!     let hours: Vec<Duration> = (0..24).map(|h| Duration::from_secs(h * 3600)).collect();
//!     assert_eq!(*ticks.lock().unwrap(), hours); // exactly, on every run
//! });
//! ```
//!
//! What a paused clock means:
//!
//! * **Per loop.** Each loop has its own clock: a test's pause moves no
//!   other test's time, though they run on threads of one process at once.
//!   [`pause`], [`advance`], [`resume`] and [`now`] act on the current
//!   loop (the running task's, else the one this thread runs).
//! * **One thread.** While a loop is paused, the threaded tasks spawned
//!   from its driving thread (by its main future, or by its tasks, which
//!   then run there too) run on that thread, as tokio needs its
//!   single-threaded runtime to pause time: on one thread, "no task is
//!   running or woken" is exact (on a pool, a task's end reaches whoever
//!   awaits it a moment after its last poll, when nothing would seem to
//!   run). A task that blocks the thread blocks the test; a task spawned
//!   from another thread runs on the pool, and is counted all the same.
//! * **Idle means idle.** A task waiting for something outside the loop
//!   (a socket, a thread, a real timer) is idle: the clock may jump while
//!   it waits, as tokio's does.
//! * **Read it with [`now`]**, not `Instant::now()`, which stays real;
//!   [`wall_now`] is the `SystemTime` that the virtual now stands for.
//! * **The same instants every run**, as long as nothing random is asked
//!   for: [`Every::jitter`](crate::Every::jitter) draws its offsets at
//!   random, paused or not.
//! * A timer that was already waiting on the backend's clock when the
//!   clock was paused moves to the paused clock at its task's next poll,
//!   which [`pause`] asks for (a task in the middle of a poll on another
//!   thread at that moment is counted from its next wake on);
//!   `start_paused` has no such timers.
//!
//! [`timeout`]: crate::timeout
//! [`timeout_at`]: crate::timeout_at
//! [`wait_for`]: crate::wait_for
//! [`Every`]: crate::Every

pub(crate) mod clock;

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::{Duration, Instant, SystemTime};

use crate::backend;
use crate::coroutine::{Coroutine, Named, Spawnable};

pub use crate::periodic::{Every, FirstRun, Missed};
pub use crate::timeout::{Timeout, TimeoutHandle, timeout, timeout_at};
pub use crate::wait_for::{TimeoutError, wait_for};

/// Waits for `duration`, like `asyncio.sleep`. A zero duration is over at
/// once, on every backend: `sleep(ZERO)` does not yield (use
/// [`yield_now`] for asyncio's `sleep(0)`). On a [paused](pause) clock it
/// waits in virtual time.
///
/// ```
/// # cosched::run(async {
/// let start = cosched::time::now();
/// cosched::sleep(std::time::Duration::from_millis(20)).await;
/// assert!(cosched::time::now() >= start + std::time::Duration::from_millis(20));
/// # });
/// ```
pub async fn sleep(duration: Duration) {
    // Every backend's timer, made the same: one already due is ready on
    // its first poll (tokio's waited for its next timer tick).
    if !duration.is_zero() {
        match now().checked_add(duration) {
            Some(deadline) => Timer::at(deadline).await,
            // Later than any `Instant`: never.
            None => std::future::pending().await,
        }
    }
}

/// Waits until `deadline`, an instant of [`now`]'s clock; one already
/// past is over at once.
///
/// ```
/// # cosched::run(async {
/// let deadline = cosched::time::now() + std::time::Duration::from_millis(20);
/// cosched::sleep_until(deadline).await;
/// assert!(cosched::time::now() >= deadline);
/// # });
/// ```
pub async fn sleep_until(deadline: Instant) {
    Timer::at(deadline).await;
}

pin_project_lite::pin_project! {
    /// The one timer of cosched: [`sleep_until`] as a value whose deadline
    /// moves ([`Timer::reset`] re-arms the same backend timer, where
    /// `sleep_until` would make a new one per deadline). A deadline already
    /// past is over at once.
    ///
    /// On the real clock it is the backend's timer, made at its first
    /// poll; on a loop's [paused](pause) clock it is an entry in that
    /// clock's timers instead; on a clock that was paused and runs again,
    /// ahead of real time, the backend's timer armed that much earlier.
    #[derive(Debug)]
    pub(crate) struct Timer {
        #[pin]
        real: Option<backend::Timer>,
        // What `real` is armed at (a real instant).
        armed: Instant,
        deadline: Instant,
        // Its entry in a paused clock's timers, if it has one.
        waiting: Option<Waiting>,
    }

    impl PinnedDrop for Timer {
        fn drop(this: Pin<&mut Self>) {
            if let Some(waiting) = this.project().waiting.take() {
                waiting.clock.deregister(waiting.deadline, waiting.key);
            }
        }
    }
}

/// A [`Timer`]'s entry in a paused clock's timers.
struct Waiting {
    clock: std::sync::Arc<clock::Clock>,
    deadline: Instant,
    key: u64,
}

impl std::fmt::Debug for Waiting {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Waiting")
            .field("deadline", &self.deadline)
            .finish_non_exhaustive()
    }
}

impl Timer {
    pub(crate) fn at(deadline: Instant) -> Self {
        Self {
            real: None,
            armed: deadline,
            deadline,
            waiting: None,
        }
    }

    pub(crate) fn deadline(&self) -> Instant {
        self.deadline
    }

    pub(crate) fn reset(self: Pin<&mut Self>, deadline: Instant) {
        let this = self.project();
        *this.deadline = deadline;
        if let Some(waiting) = this.waiting.take() {
            waiting.clock.deregister(waiting.deadline, waiting.key);
        }
        // The backend's timer is re-armed at the next poll, if it is used.
    }

    /// Polls the backend's timer, armed at `real` (made or re-armed first).
    fn poll_real(self: Pin<&mut Self>, real: Instant, cx: &mut Context<'_>) -> Poll<()> {
        let mut this = self.project();
        match this.real.as_mut().as_pin_mut() {
            Some(timer) if *this.armed == real => return backend::poll_timer(timer, cx),
            Some(timer) => backend::reset_timer(timer, real),
            None => this.real.set(Some(backend::timer_at(real))),
        }
        *this.armed = real;
        let timer = this.real.as_pin_mut().expect("armed just now");
        backend::poll_timer(timer, cx)
    }

    /// A poll while some loop's clock is virtual: this timer's may be.
    #[cold]
    #[inline(never)]
    fn poll_virtual(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let Some(clock) = clock::current() else {
            self.as_mut().leave_clock();
            return self.poll_on_real_clock(cx);
        };
        let (now, running) = clock.read();
        if now >= self.deadline {
            self.as_mut().leave_clock();
            return Poll::Ready(());
        }
        let Some(offset) = running else {
            // Paused: wait in the clock's timers, not on the backend's.
            let mut this = self.project();
            this.real.set(None);
            let deadline = *this.deadline;
            let waiting = match this.waiting.take() {
                Some(waiting)
                    if waiting.deadline == deadline
                        && std::sync::Arc::ptr_eq(&waiting.clock, &clock) =>
                {
                    waiting
                }
                Some(stale) => {
                    stale.clock.deregister(stale.deadline, stale.key);
                    Waiting {
                        clock,
                        deadline,
                        key: clock::Clock::key(),
                    }
                }
                None => Waiting {
                    clock,
                    deadline,
                    key: clock::Clock::key(),
                },
            };
            waiting.clock.register(deadline, waiting.key, cx.waker());
            *this.waiting = Some(waiting);
            return Poll::Pending;
        };
        // Running ahead of real time by `offset`: the backend's timer, that
        // much earlier.
        self.as_mut().leave_clock();
        let real = self.deadline.checked_sub(offset).unwrap_or(self.deadline);
        self.poll_real(real, cx)
    }

    /// On the real clock.
    fn poll_on_real_clock(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if Instant::now() >= self.deadline {
            return Poll::Ready(());
        }
        let deadline = self.deadline;
        self.poll_real(deadline, cx)
    }

    /// Takes its entry out of a paused clock's timers, if it has one.
    fn leave_clock(self: Pin<&mut Self>) {
        if let Some(waiting) = self.project().waiting.take() {
            waiting.clock.deregister(waiting.deadline, waiting.key);
        }
    }
}

impl Future for Timer {
    type Output = ();

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if clock::any_virtual() {
            return self.poll_virtual(cx);
        }
        self.poll_on_real_clock(cx)
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
/// use std::time::Duration;
/// use cosched::time;
/// # cosched::run(async {
/// let start = time::now();
/// let task = cosched::create_task(cosched::after(Duration::from_millis(30), async { "late" }));
/// assert_eq!(task.await, Ok("late"));
/// assert!(time::now() - start >= Duration::from_millis(30));
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
/// use std::time::Duration;
/// use cosched::time;
/// # cosched::run(async {
/// let deadline = time::now() + Duration::from_millis(30);
/// let task = cosched::create_task(cosched::at(deadline, async { time::now() }));
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
/// ([`Missed::Skip`], which says why this is the
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

/// The current time on the current loop's clock: `Instant::now()`, unless
/// the loop's clock was [paused](pause) (then the virtual now, which only
/// jumps) or resumed after a pause (then ahead of real time by what it
/// jumped). Every timer of cosched reads this clock; read it in a test
/// rather than `Instant::now()`.
///
/// ```
/// use std::time::Duration;
/// # cosched::run(async {
/// cosched::time::pause();
/// let start = cosched::time::now();
/// cosched::sleep(Duration::from_secs(3600)).await; // at once, in virtual time
/// assert_eq!(cosched::time::now() - start, Duration::from_secs(3600));
/// # });
/// ```
#[inline]
pub fn now() -> Instant {
    if clock::any_virtual() {
        return virtual_now();
    }
    Instant::now()
}

#[cold]
#[inline(never)]
fn virtual_now() -> Instant {
    clock::current().map_or_else(Instant::now, |clock| clock.now())
}

/// The wall-clock time on the current loop's clock: `SystemTime::now()`,
/// unless the loop's clock was [paused](pause); then the `SystemTime` of
/// the first pause plus the virtual time elapsed since (so it moves with
/// [`now`], jumps included, and never goes back). What a schedule in
/// calendar time (cron) reads.
///
/// ```
/// use std::time::Duration;
/// # cosched::run(async {
/// cosched::time::pause();
/// let before = cosched::time::wall_now();
/// cosched::sleep(Duration::from_secs(86_400)).await;
/// let after = cosched::time::wall_now();
/// assert_eq!(after.duration_since(before).unwrap(), Duration::from_secs(86_400));
/// # });
/// ```
pub fn wall_now() -> SystemTime {
    if clock::any_virtual() {
        if let Some(clock) = clock::current() {
            return clock.wall_now();
        }
    }
    SystemTime::now()
}

/// Stops the current loop's clock, like tokio's `time::pause`: [`now`]
/// stands still, and when no task of the loop is running or woken the
/// clock jumps to the loop's earliest timer (the [module](self) docs say
/// what else a paused clock means). Returns `false`, and does nothing, if
/// it was paused already (tokio panics). `#[cosched::test(start_paused)]`
/// pauses a test's clock before its body runs.
///
/// The current loop is the running task's, else the one this thread runs
/// (the default loop outside any: pause a loop you run, whose
/// [`run_until_complete`](crate::EventLoop::run_until_complete) moves its
/// clock).
///
/// ```
/// use std::time::Duration;
/// # cosched::run(async {
/// assert!(cosched::time::pause());
/// assert!(!cosched::time::pause(), "already paused");
/// let start = cosched::time::now();
/// let task = cosched::create_task(async {
///     cosched::sleep(Duration::from_secs(30)).await;
///     cosched::time::now()
/// });
/// assert_eq!(task.await.unwrap() - start, Duration::from_secs(30));
/// # });
/// ```
pub fn pause() -> bool {
    clock::pause(crate::event_loop::current_number())
}

/// Starts the current loop's clock again, like tokio's `time::resume`:
/// from the virtual now on, ahead of real time by what the clock jumped,
/// so that [`now`] never goes back. Timers waiting on the paused clock go
/// on waiting for their deadlines in real time. Returns `false`, and does
/// nothing, if the clock was not paused (tokio panics).
///
/// ```
/// use std::time::Duration;
/// # cosched::run(async {
/// cosched::time::pause();
/// cosched::sleep(Duration::from_secs(3600)).await;
/// let jumped = cosched::time::now();
/// assert!(cosched::time::resume());
/// assert!(!cosched::time::resume(), "running already");
/// assert!(cosched::time::now() >= jumped); // never back
/// cosched::sleep(Duration::from_millis(5)).await; // in real time
/// # });
/// ```
pub fn resume() -> bool {
    clock::current().is_some_and(|clock| clock.resume())
}

/// Moves the current loop's paused clock on by `duration`, at once, and
/// fires every timer due by then. It first lets the loop settle (no task
/// of it running or woken: a task just spawned gets to its first wait, and
/// its timer, before the jump), and returns when the loop has settled
/// again, so the tasks the timers woke have run to their next wait. The
/// jump is tokio's `time::advance`'s: the timers fire together, each
/// seeing the clock at the end of the jump (a periodic task sees one late
/// start, not each start it would have made). To go through each timer at
/// its own instant, [`sleep`] instead: on a paused clock it gets there
/// timer by timer.
///
/// On a clock that is not paused, it sleeps `duration` (tokio panics):
/// either way, `duration` has passed on [`now`]'s clock when it returns.
///
/// ```
/// use std::time::Duration;
/// # cosched::run(async {
/// cosched::time::pause();
/// let start = cosched::time::now();
/// let task = cosched::create_task(async {
///     cosched::sleep(Duration::from_secs(10)).await;
///     cosched::time::now()
/// });
/// cosched::time::advance(Duration::from_secs(60)).await;
/// assert_eq!(cosched::time::now() - start, Duration::from_secs(60));
/// assert!(task.is_done(), "woken by the jump, and run before advance returned");
/// assert_eq!(task.await.unwrap() - start, Duration::from_secs(60));
/// # });
/// ```
pub async fn advance(duration: Duration) {
    let Some(clock) = clock::current().filter(|clock| clock.is_paused()) else {
        sleep(duration).await;
        return;
    };
    settle(&clock).await;
    let to = clock.now().checked_add(duration);
    clock.advance_to(to.unwrap_or_else(far_future));
    settle(&clock).await;
}

/// Waits until no task of `clock`'s loop is running or woken, but the
/// caller (a clock that is not paused has settled).
async fn settle(clock: &clock::Clock) {
    let mut since = None;
    std::future::poll_fn(|cx| match clock.settled_since(since, cx.waker()) {
        Ok(()) => Poll::Ready(()),
        Err(settles) => {
            since = Some(settles);
            Poll::Pending
        }
    })
    .await;
}

/// Whether the current loop's clock is paused.
///
/// ```
/// # cosched::run(async {
/// assert!(!cosched::time::is_paused());
/// cosched::time::pause();
/// assert!(cosched::time::is_paused());
/// # });
/// ```
pub fn is_paused() -> bool {
    clock::any_virtual() && clock::current().is_some_and(|clock| clock.is_paused())
}

/// About 30 years from now: a deadline past any test's.
fn far_future() -> Instant {
    let now = Instant::now();
    now.checked_add(Duration::from_secs(86_400 * 365 * 30))
        .unwrap_or(now)
}
