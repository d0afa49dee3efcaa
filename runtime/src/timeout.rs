//! `timeout` and `timeout_at`: asyncio's `async with timeout(delay):`
//! block, as a future that wraps the block's body.
//!
//! asyncio's block cancels its task when the deadline passes and turns the
//! `CancelledError` into `TimeoutError` on the way out. cosched's
//! cancellation is a drop, so [`Timeout`] polls the body itself and, when
//! the deadline passes while the body waits, drops it where it waits and
//! returns `Err(TimeoutError)`. The deadline lives in the [`Timeout`], next
//! to its one timer, which a [`TimeoutHandle`] re-arms; the state a handle
//! shares is allocated only when a handle is asked for. [`Timeout`]'s docs
//! say where cosched differs from asyncio.

use std::fmt;
use std::future::{Future, IntoFuture};
use std::pin::Pin;
use std::sync::{Arc, OnceLock};
use std::task::{Context, Poll, Waker};
use std::time::{Duration, Instant};

use crate::sync::{Mutex, lock};
use crate::time::Timer;
use crate::wait_for::TimeoutError;

/// Runs `future` with a deadline `delay` from now, like asyncio's
/// `async with timeout(delay):` around the body `future`.
///
/// The result is `Ok` with the body's output, or `Err(TimeoutError)` if the
/// deadline passed while the body was waiting: the body was then dropped
/// (cosched's cancellation) at the await point it was suspended at, its
/// locals' destructors run, before the `Timeout` returns. `None` is no
/// deadline (asyncio's `timeout(None)`); so is a delay too long to add to
/// [`Instant::now`].
///
/// The deadline is fixed here, when the `Timeout` is made, as asyncio's
/// `timeout()` fixes it when called. A zero delay starts the body anyway,
/// and cancels it where it first waits. [`Timeout::handle`] and
/// [`timeout_scope`] give a [`TimeoutHandle`] that moves the deadline;
/// [`Timeout`] says where cosched differs from asyncio.
///
/// # Errors
///
/// [`TimeoutError`] when the deadline passed before the body was done.
///
/// ```
/// use std::time::Duration;
/// # cosched::run(async {
/// let fast = cosched::timeout(Duration::from_secs(5), async { 1 }).await;
/// assert_eq!(fast, Ok(1));
///
/// let slow = cosched::timeout(Duration::from_millis(10), cosched::sleep(Duration::from_secs(3600)));
/// assert_eq!(slow.await, Err(cosched::TimeoutError));
///
/// let unbounded = cosched::timeout(None, async { 2 }).await;
/// assert_eq!(unbounded, Ok(2));
/// # });
/// ```
pub fn timeout<F: IntoFuture>(
    delay: impl Into<Option<Duration>>,
    future: F,
) -> Timeout<F::IntoFuture> {
    Timeout::new(deadline_after(delay.into()), future.into_future())
}

/// Runs `future` with the deadline `when`, like asyncio's
/// `async with timeout_at(when):`; `None` is no deadline. Otherwise
/// [`timeout`].
///
/// # Errors
///
/// [`TimeoutError`] when the deadline passed before the body was done.
///
/// ```
/// use std::time::{Duration, Instant};
/// # cosched::run(async {
/// let deadline = Instant::now() + Duration::from_millis(10);
/// let slow = cosched::timeout_at(deadline, cosched::sleep(Duration::from_secs(3600)));
/// let handle = slow.handle();
/// assert_eq!(slow.await, Err(cosched::TimeoutError));
/// assert!(handle.expired());
/// assert_eq!(handle.when(), Some(deadline));
/// # });
/// ```
pub fn timeout_at<F: IntoFuture>(
    when: impl Into<Option<Instant>>,
    future: F,
) -> Timeout<F::IntoFuture> {
    Timeout::new(when.into(), future.into_future())
}

/// [`timeout`] for a body that needs the block's [`TimeoutHandle`], to move
/// its own deadline (asyncio's `async with timeout(delay) as cm:`):
/// `body` is called at once with the handle and returns the body's future.
///
/// # Errors
///
/// [`TimeoutError`] when the deadline passed before the body was done.
///
/// ```
/// use std::time::{Duration, Instant};
/// # cosched::run(async {
/// let result = cosched::timeout_scope(Duration::from_secs(3600), |cm| async move {
///     // Less time than planned: the new deadline takes effect at once.
///     cm.reschedule(Instant::now() + Duration::from_millis(10));
///     cosched::sleep(Duration::from_secs(3600)).await;
/// });
/// assert_eq!(result.await, Err(cosched::TimeoutError));
/// # });
/// ```
pub fn timeout_scope<B, F>(delay: impl Into<Option<Duration>>, body: B) -> Timeout<F::IntoFuture>
where
    B: FnOnce(TimeoutHandle) -> F,
    F: IntoFuture,
{
    Timeout::with_handle(deadline_after(delay.into()), body)
}

/// [`timeout_at`] for a body that needs the block's [`TimeoutHandle`]
/// (asyncio's `async with timeout_at(when) as cm:`); see [`timeout_scope`].
///
/// # Errors
///
/// [`TimeoutError`] when the deadline passed before the body was done.
///
/// ```
/// use std::time::{Duration, Instant};
/// # cosched::run(async {
/// let deadline = Instant::now() + Duration::from_millis(10);
/// let result = cosched::timeout_at_scope(deadline, |cm| async move {
///     cm.reschedule(None); // no deadline after all
///     cosched::sleep(Duration::from_millis(20)).await;
///     cm.when()
/// });
/// assert_eq!(result.await, Ok(None));
/// # });
/// ```
pub fn timeout_at_scope<B, F>(when: impl Into<Option<Instant>>, body: B) -> Timeout<F::IntoFuture>
where
    B: FnOnce(TimeoutHandle) -> F,
    F: IntoFuture,
{
    Timeout::with_handle(when.into(), body)
}

/// `delay` from now, on the loop's clock (`time::now`); `None` if there is
/// no delay, or no `Instant` that far.
fn deadline_after(delay: Option<Duration>) -> Option<Instant> {
    delay.and_then(|delay| crate::time::now().checked_add(delay))
}

pin_project_lite::pin_project! {
    /// A body run with a deadline: asyncio's `Timeout`, made by [`timeout`],
    /// [`timeout_at`], [`timeout_scope`] or [`timeout_at_scope`]. Awaiting
    /// it gives `Ok` with the body's output, or `Err(TimeoutError)` if the
    /// deadline passed while the body was waiting.
    ///
    /// Each poll polls the body, then, if the body is not done, the timer:
    /// a deadline that has passed drops the body there and then. A
    /// `Timeout` has one timer, armed at its first poll and re-armed when a
    /// [`TimeoutHandle`] moves the deadline; it allocates nothing until
    /// [`handle`](Self::handle) is first called. Dropping a `Timeout`
    /// drops its body: cancelling the task that awaits one cancels the body,
    /// and the block ends without having expired.
    ///
    /// # Where cosched differs from asyncio
    ///
    /// * Cancellation is a drop: the body's destructors (asyncio's
    ///   `except CancelledError:` and `finally:`) run before the `Timeout`
    ///   returns `Err(TimeoutError)`; they cannot await, and the body cannot
    ///   swallow its cancellation. A destructor's panic is what the
    ///   `Timeout` raises then.
    /// * A body whose result is ready in the same poll as the deadline
    ///   passes gives its result (asyncio: whichever the loop runs first,
    ///   and a fired timer cancels the task even if what it awaited is
    ///   done). So with nested timeouts due together, the innermost reports
    ///   first, to the enclosing body; asyncio has the outermost raise
    ///   `TimeoutError`.
    /// * A zero delay or a past deadline starts the body and cancels it
    ///   where it first waits, as asyncio does (unlike
    ///   [`wait_for`](crate::wait_for)'s zero timeout, which never starts
    ///   it); a body that never waits gives its result.
    /// * No task is needed, and awaiting consumes the `Timeout`, so it is
    ///   never entered twice.
    ///
    /// ```
    /// use std::time::Duration;
    /// # cosched::run(async {
    /// let block = cosched::timeout(Duration::ZERO, async {
    ///     cosched::yield_now().await; // asyncio's `await asyncio.sleep(0)`
    ///     unreachable!("cancelled at its first wait");
    /// });
    /// let cm = block.handle();
    /// assert_eq!(block.await, Err(cosched::TimeoutError));
    /// assert!(cm.expired());
    ///
    /// // Never waiting, the body has nowhere to be cancelled.
    /// assert_eq!(cosched::timeout(Duration::ZERO, async { 1 }).await, Ok(1));
    /// # });
    /// ```
    ///
    /// # Panics
    ///
    /// If polled again after it has returned `Ready`, as futures may.
    #[must_use = "a `Timeout` does nothing unless awaited"]
    pub struct Timeout<F> {
        #[pin]
        body: Option<F>,
        #[pin]
        timer: Option<Timer>,
        scope: Scope,
    }
}

impl<F: Future> Timeout<F> {
    fn new(when: Option<Instant>, body: F) -> Self {
        Self {
            body: Some(body),
            timer: None,
            scope: Scope {
                when,
                phase: Phase::Running,
                shared: OnceLock::new(),
            },
        }
    }

    fn with_handle<B, I>(when: Option<Instant>, body: B) -> Self
    where
        B: FnOnce(TimeoutHandle) -> I,
        I: IntoFuture<IntoFuture = F>,
    {
        let shared = Arc::new(Shared::new(when, Phase::Running));
        let handle = TimeoutHandle {
            shared: Arc::clone(&shared),
        };
        let mut timeout = Self::new(when, body(handle).into_future());
        timeout.scope.shared = OnceLock::from(shared);
        timeout
    }
}

impl<F> Timeout<F> {
    /// A handle to this block, for its body or anybody else: it reads and
    /// moves the deadline ([`TimeoutHandle::reschedule`]) and says whether
    /// it expired. The first call allocates the state the handles share.
    ///
    /// ```
    /// use std::time::Duration;
    /// # cosched::run(async {
    /// let block = cosched::timeout(None, cosched::sleep(Duration::from_millis(10)));
    /// let cm = block.handle();
    /// assert_eq!(block.await, Ok(()));
    /// assert!(!cm.expired());
    /// assert_eq!(cm.when(), None);
    /// # });
    /// ```
    pub fn handle(&self) -> TimeoutHandle {
        TimeoutHandle {
            shared: Arc::clone(self.scope.shared()),
        }
    }
}

impl<F: Future> Future for Timeout<F> {
    type Output = Result<F::Output, TimeoutError>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let mut this = self.project();
        let body = this
            .body
            .as_mut()
            .as_pin_mut()
            .expect("`Timeout` polled after it completed");
        if let Poll::Ready(output) = body.poll(cx) {
            this.body.set(None);
            this.timer.set(None);
            this.scope.end(Phase::Finished);
            return Poll::Ready(Ok(output));
        }
        // After the body's poll, so that a deadline the body moved counts.
        this.scope.update(cx.waker());
        arm(this.timer.as_mut(), this.scope.when);
        let Some(timer) = this.timer.as_mut().as_pin_mut() else {
            return Poll::Pending;
        };
        if timer.poll(cx).is_pending() {
            return Poll::Pending;
        }
        this.timer.set(None);
        // Expired first: the body's destructors see it, even one that panics.
        this.scope.end(Phase::Expired);
        this.body.set(None);
        Poll::Ready(Err(TimeoutError))
    }
}

/// Sets `timer` to `when`: the one timer is made on first need, re-armed
/// when the deadline moves, and dropped when there is no deadline.
fn arm(mut timer: Pin<&mut Option<Timer>>, when: Option<Instant>) {
    let Some(when) = when else {
        timer.set(None);
        return;
    };
    match timer.as_mut().as_pin_mut() {
        Some(armed) if armed.deadline() == when => {}
        Some(armed) => armed.reset(when),
        None => timer.set(Some(Timer::at(when))),
    }
}

impl<F> fmt::Debug for Timeout<F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (when, phase) = self.scope.get();
        f.debug_struct("Timeout")
            .field("when", &when)
            .field("phase", &phase)
            .finish_non_exhaustive()
    }
}

/// A handle to a [`Timeout`]: asyncio's `Timeout` object, the `cm` of
/// `async with timeout(delay) as cm:`. It is cloneable, `Send` and `Sync`,
/// and works from the body (see [`timeout_scope`]) or from another task.
///
/// ```
/// use std::time::{Duration, Instant};
/// # cosched::run(async {
/// let block = cosched::timeout(Duration::from_secs(3600), cosched::sleep(Duration::from_secs(3600)));
/// let cm = block.handle();
/// let task = cosched::create_task(block);
/// assert!(cm.reschedule(Instant::now())); // the deadline is now
/// assert_eq!(task.await, Ok(Err(cosched::TimeoutError)));
/// assert!(cm.expired());
/// # });
/// ```
#[derive(Clone)]
pub struct TimeoutHandle {
    shared: Arc<Shared>,
}

impl TimeoutHandle {
    /// The deadline, like asyncio's `Timeout.when()`; `None` if there is
    /// none. It stays readable after the block has ended.
    ///
    /// ```
    /// use std::time::{Duration, Instant};
    /// let deadline = Instant::now() + Duration::from_secs(10);
    /// let block = cosched::timeout_at(deadline, async {});
    /// assert_eq!(block.handle().when(), Some(deadline));
    /// ```
    pub fn when(&self) -> Option<Instant> {
        lock(&self.shared.state).when
    }

    /// Moves the deadline to `when`, like asyncio's `Timeout.reschedule()`:
    /// earlier, later, or `None` for no deadline. It re-arms the block's one
    /// timer and wakes the `Timeout`, so a deadline already past cancels the
    /// body where it waits, unless the body is done by the time the
    /// `Timeout` is polled again.
    ///
    /// Returns `false`, and changes nothing, if the block has ended: its
    /// body finished, it expired, or it was dropped (asyncio raises
    /// `RuntimeError`). A block not yet polled takes the new deadline
    /// (asyncio raises `RuntimeError` before `async with` enters it).
    ///
    /// ```
    /// use std::time::{Duration, Instant};
    /// # cosched::run(async {
    /// let block = cosched::timeout(None, async {});
    /// let cm = block.handle();
    /// let later = Instant::now() + Duration::from_secs(30);
    /// assert!(cm.reschedule(later));
    /// assert_eq!(cm.when(), Some(later));
    /// assert_eq!(block.await, Ok(()));
    /// assert!(!cm.reschedule(None), "the block has ended");
    /// assert_eq!(cm.when(), Some(later));
    /// # });
    /// ```
    pub fn reschedule(&self, when: impl Into<Option<Instant>>) -> bool {
        let waker = {
            let mut state = lock(&self.shared.state);
            if state.phase != Phase::Running {
                return false;
            }
            state.when = when.into();
            state.moved = true;
            state.waker.take()
        };
        if let Some(waker) = waker {
            waker.wake();
        }
        true
    }

    /// Whether the deadline passed and cancelled the body, like asyncio's
    /// `Timeout.expired()`: `true` from then on, `false` while the block
    /// runs and after it ended any other way.
    ///
    /// ```
    /// use std::time::Duration;
    /// # cosched::run(async {
    /// let block = cosched::timeout(Duration::ZERO, cosched::yield_now());
    /// let cm = block.handle();
    /// assert!(!cm.expired());
    /// assert_eq!(block.await, Err(cosched::TimeoutError));
    /// assert!(cm.expired());
    /// # });
    /// ```
    pub fn expired(&self) -> bool {
        lock(&self.shared.state).phase == Phase::Expired
    }
}

impl fmt::Debug for TimeoutHandle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = lock(&self.shared.state);
        f.debug_struct("TimeoutHandle")
            .field("when", &state.when)
            .field("phase", &state.phase)
            .finish_non_exhaustive()
    }
}

/// Where a block is: asyncio's `active`, `expired` and `finished`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    /// Not ended yet, polled or not.
    Running,
    /// The deadline passed, and the body was dropped.
    Expired,
    /// The body finished, or the `Timeout` was dropped.
    Finished,
}

/// A `Timeout`'s deadline and phase, kept inline, and, once a handle
/// exists, mirrored in the state the handles share, which is then the
/// authority on the deadline.
struct Scope {
    /// The deadline the timer is armed for.
    when: Option<Instant>,
    phase: Phase,
    shared: OnceLock<Arc<Shared>>,
}

impl Scope {
    fn shared(&self) -> &Arc<Shared> {
        self.shared
            .get_or_init(|| Arc::new(Shared::new(self.when, self.phase)))
    }

    /// The deadline and phase, as a handle would see them.
    fn get(&self) -> (Option<Instant>, Phase) {
        match self.shared.get() {
            Some(shared) => {
                let state = lock(&shared.state);
                (state.when, state.phase)
            }
            None => (self.when, self.phase),
        }
    }

    /// Takes a deadline a handle moved, and has the next move wake `waker`.
    fn update(&mut self, waker: &Waker) {
        let Some(shared) = self.shared.get() else {
            return;
        };
        let mut state = lock(&shared.state);
        if std::mem::take(&mut state.moved) {
            self.when = state.when;
        }
        match &mut state.waker {
            Some(stored) => stored.clone_from(waker),
            None => state.waker = Some(waker.clone()),
        }
    }

    fn end(&mut self, phase: Phase) {
        self.phase = phase;
        if let Some(shared) = self.shared.get() {
            let mut state = lock(&shared.state);
            state.phase = phase;
            state.waker = None;
        }
    }
}

impl Drop for Scope {
    fn drop(&mut self) {
        if self.phase == Phase::Running {
            self.end(Phase::Finished);
        }
    }
}

/// What a `Timeout` and its handles share.
struct Shared {
    state: Mutex<State>,
}

struct State {
    when: Option<Instant>,
    phase: Phase,
    /// A handle moved `when` since the `Timeout` last looked.
    moved: bool,
    /// Whom a move wakes: the task polling the `Timeout`.
    waker: Option<Waker>,
}

impl Shared {
    fn new(when: Option<Instant>, phase: Phase) -> Self {
        Self {
            state: Mutex::new(State {
                when,
                phase,
                moved: false,
                waker: None,
            }),
        }
    }
}
