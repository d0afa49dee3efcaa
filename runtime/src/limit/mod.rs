//! Limits on how many futures run at once: `#[task(limit = N)]`'s, one per
//! fn and fixed at compile time, and [`Limiter`], a value made at run time
//! (from `--jobs N`, say) for a group, a call, or whatever shares it.
//!
//! Both are the same FIFO semaphore ([`semaphore`]): a fn's is a `static`,
//! borrowed by each of its coroutines; a limiter's is behind an `Arc`.

mod semaphore;

use std::fmt;
use std::future::{Future, IntoFuture};
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll, ready};

pub(crate) use semaphore::Claim;
use semaphore::Limited;
pub use semaphore::{Semaphore, limited};

/// A counting semaphore made at run time, like asyncio's `Semaphore` and
/// tokio's: at most [`permits`](Limiter::permits) holders at once, the
/// others waiting in FIFO order. Cloning it gives another handle to the
/// same permits, so one limit can be passed to every place that shares it,
/// and two limiters never share anything.
///
/// Use it where `#[task(limit = N)]` cannot: a number known only at run
/// time (`--jobs N`), a limit per pipeline or per [`TaskGroup`](crate::TaskGroup)
/// ([`with_limiter`](crate::TaskGroup::with_limiter)) rather than one per
/// fn, or a limit over futures of different fns
/// ([`limit`](Limiter::limit)).
///
/// ```
/// use std::sync::Arc;
/// use std::sync::atomic::{AtomicUsize, Ordering};
///
/// // `--jobs N` from the command line, 2 if not given.
/// let jobs: usize = std::env::args()
///     .skip_while(|arg| arg != "--jobs")
///     .nth(1)
///     .and_then(|n| n.parse().ok())
///     .unwrap_or(2);
/// let limiter = cosched::Limiter::new(jobs);
/// let running = Arc::new(AtomicUsize::new(0));
/// let most = Arc::new(AtomicUsize::new(0));
/// # cosched::run(async move {
/// let tasks = (0..6).map(|_| {
///     let (running, most) = (Arc::clone(&running), Arc::clone(&most));
///     cosched::create_task(limiter.limit(async move {
///         let now = running.fetch_add(1, Ordering::SeqCst) + 1;
///         most.fetch_max(now, Ordering::SeqCst);
///         cosched::sleep(std::time::Duration::from_millis(2)).await;
///         running.fetch_sub(1, Ordering::SeqCst);
///     }))
/// });
/// assert!(cosched::gather(tasks).await.iter().all(Result::is_ok));
/// assert!(most.load(Ordering::SeqCst) <= jobs);
/// # });
/// ```
///
/// Where cosched differs from asyncio: a permit is a guard ([`Permit`]),
/// given back when it is dropped, not by a `release()` that could be called
/// once too often; and cancelling a waiting [`acquire`](Limiter::acquire)
/// is dropping it, which leaves the queue without taking a permit.
#[derive(Clone)]
pub struct Limiter {
    semaphore: Arc<Semaphore>,
}

/// One of a [`Limiter`]'s permits, given back when dropped.
///
/// ```
/// let limiter = cosched::Limiter::new(1);
/// let permit = limiter.try_acquire().expect("a free permit");
/// assert_eq!(limiter.available(), 0);
/// drop(permit);
/// assert_eq!(limiter.available(), 1);
/// ```
#[must_use = "a permit is given back as soon as it is dropped"]
pub struct Permit {
    claim: Claim<Arc<Semaphore>>,
}

impl Limiter {
    /// A limiter of `permits` permits.
    ///
    /// `Limiter::new(0)` is allowed, as asyncio's `Semaphore(0)` is: it
    /// holds everyone back until permits are added with
    /// [`add_permits`](Limiter::add_permits) (a gate opened later). Without
    /// that, whatever waits for it waits forever.
    ///
    /// ```
    /// let limiter = cosched::Limiter::new(4);
    /// assert_eq!(limiter.permits(), 4);
    /// assert_eq!(limiter.available(), 4);
    /// ```
    pub fn new(permits: usize) -> Self {
        Self {
            semaphore: Arc::new(Semaphore::new(permits)),
        }
    }

    /// Waits for a permit, in FIFO order: the place in the queue is taken
    /// on the first poll. Dropping the future before it is ready (it is
    /// cancelled) leaves the queue, takes no permit, and lets the next in
    /// line have the one it was woken for. The future does not borrow the
    /// limiter.
    ///
    /// ```
    /// # cosched::run(async {
    /// let limiter = cosched::Limiter::new(1);
    /// let permit = limiter.acquire().await;
    /// assert_eq!(limiter.available(), 0);
    /// let waiting = cosched::create_task(limiter.acquire());
    /// cosched::sleep(std::time::Duration::from_millis(1)).await;
    /// assert!(!waiting.is_done());
    /// drop(permit);
    /// let second = waiting.await.unwrap();
    /// assert_eq!(limiter.available(), 0);
    /// drop(second);
    /// assert_eq!(limiter.available(), 1);
    /// # });
    /// ```
    pub fn acquire(&self) -> impl Future<Output = Permit> + use<> {
        Acquire {
            claim: Some(self.claim()),
        }
    }

    /// A permit now, if one is free and nobody is waiting for one (a free
    /// permit that the first waiter was woken to take is not).
    ///
    /// ```
    /// let limiter = cosched::Limiter::new(1);
    /// let permit = limiter.try_acquire();
    /// assert!(permit.is_some());
    /// assert!(limiter.try_acquire().is_none());
    /// ```
    pub fn try_acquire(&self) -> Option<Permit> {
        Claim::try_held(Arc::clone(&self.semaphore)).map(|claim| Permit { claim })
    }

    /// `future`, run while it holds one of the permits: it waits for one
    /// (as [`acquire`](Limiter::acquire)) before it is first polled, and
    /// gives it back once it has finished and been dropped. Cancelled
    /// (dropped), it leaves the queue or drops `future` (its locals
    /// included) before it gives the permit back. The future does not
    /// borrow the limiter: `create_task(limiter.limit(job()))` works.
    ///
    /// A [`#[task]`](macro@crate::task) coroutine passed in is awaited as a
    /// plain future: scheduled, it is named `Task-<id>`. A
    /// [`TaskGroup::with_limiter`](crate::TaskGroup::with_limiter) keeps
    /// its members' names.
    ///
    /// ```
    /// # cosched::run(async {
    /// let limiter = cosched::Limiter::new(2);
    /// let task = cosched::create_task(limiter.limit(async { 6 * 7 }));
    /// assert_eq!(task.await, Ok(42));
    /// assert_eq!(limiter.limit(async { 1 }).await, 1);
    /// assert_eq!(limiter.available(), 2);
    /// # });
    /// ```
    pub fn limit<F: IntoFuture>(&self, future: F) -> impl Future<Output = F::Output> + use<F> {
        Limited::new(future.into_future(), self.claim())
    }

    /// A claim on one of the permits, not yet in the queue: what a
    /// [`TaskGroup`](crate::TaskGroup) member waits on.
    pub(crate) fn claim(&self) -> Claim<Arc<Semaphore>> {
        Claim::new(Arc::clone(&self.semaphore))
    }

    /// Adds `permits` permits (up to `usize::MAX` in all) and lets the
    /// waiters they are for go, like tokio's `Semaphore::add_permits`: a
    /// `Limiter::new(0)` opened later, or a limit raised at run time.
    ///
    /// ```
    /// # cosched::run(async {
    /// let gate = cosched::Limiter::new(0);
    /// let waiting = cosched::create_task(gate.limit(async { "through" }));
    /// cosched::sleep(std::time::Duration::from_millis(1)).await;
    /// assert!(!waiting.is_done());
    /// gate.add_permits(1);
    /// assert_eq!(waiting.await, Ok("through"));
    /// assert_eq!(gate.permits(), 1);
    /// # });
    /// ```
    pub fn add_permits(&self, permits: usize) {
        self.semaphore.add_permits(permits);
    }

    /// How many permits nobody holds now.
    ///
    /// ```
    /// let limiter = cosched::Limiter::new(3);
    /// let _permit = limiter.try_acquire();
    /// assert_eq!(limiter.available(), 2);
    /// ```
    pub fn available(&self) -> usize {
        self.semaphore.available()
    }

    /// How many permits there are in all, held or not: the `N` it was made
    /// with, plus those added.
    ///
    /// ```
    /// let limiter = cosched::Limiter::new(3);
    /// let _permit = limiter.try_acquire();
    /// limiter.add_permits(2);
    /// assert_eq!(limiter.permits(), 5);
    /// ```
    pub fn permits(&self) -> usize {
        self.semaphore.permits()
    }
}

impl fmt::Debug for Limiter {
    /// `Limiter { permits: 4, available: 1, waiting: 3 }`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (permits, available, waiting) = self.semaphore.counts();
        f.debug_struct("Limiter")
            .field("permits", &permits)
            .field("available", &available)
            .field("waiting", &waiting)
            .finish()
    }
}

impl fmt::Debug for Permit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (permits, available, waiting) = self.claim.semaphore().counts();
        f.debug_struct("Permit")
            .field("permits", &permits)
            .field("available", &available)
            .field("waiting", &waiting)
            .finish()
    }
}

/// [`Limiter::acquire`]'s future.
struct Acquire {
    /// Taken when it is ready.
    claim: Option<Claim<Arc<Semaphore>>>,
}

impl Future for Acquire {
    type Output = Permit;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Permit> {
        let claim = self
            .claim
            .as_mut()
            .expect("`Limiter::acquire` polled after it was ready");
        ready!(claim.poll_acquire(cx));
        let claim = self.claim.take().expect("checked above");
        Poll::Ready(Permit { claim })
    }
}
