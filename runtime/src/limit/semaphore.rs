//! The one FIFO counting semaphore behind every limit: the `static` of a
//! `#[task(limit = N)]` fn, borrowed for `'static` by each of its
//! coroutines, and the run-time [`Limiter`](super::Limiter), shared through
//! an `Arc`.
//!
//! A waiter takes a ticket on its first poll (unless a permit is free and
//! nobody is waiting, when it takes the permit at once) and gets a permit
//! when its ticket is at the front of the queue and a permit is free. A
//! permit is never handed to a waiter: the front waiter is woken and takes
//! it on its next poll, and nobody behind it can, so the order is the
//! order of first polls. A waiter dropped while queued leaves the queue;
//! a permit is given back when its holder is dropped. The front waiter is
//! woken whenever it could take a permit: a permit came back, permits were
//! added, the waiter before it took one, or left the queue.
//!
//! [`Claim`] is one waiter's state, over any way of reaching the semaphore
//! (`&'static Semaphore` for a fn's limit: no reference count is touched
//! per coroutine; `Arc<Semaphore>` for a `Limiter`); [`Limited`] is a
//! future run under a claim.

use std::collections::VecDeque;
use std::fmt;
use std::future::Future;
use std::ops::Deref;
use std::pin::Pin;
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::task::{Context, Poll, Waker, ready};

use pin_project_lite::pin_project;

/// A FIFO counting semaphore; `const`-constructible, so a `#[task]` fn's
/// limit is a `static` (`__private::Limit`).
pub struct Semaphore {
    state: Mutex<State>,
}

struct State {
    /// Permits nobody holds.
    free: usize,
    /// Permits in all: `free` and those held.
    total: usize,
    /// The ticket the next waiter gets; tickets increase, so `queue` is
    /// sorted by ticket.
    next_ticket: u64,
    /// The waiters, first come first, each with the waker of its last poll.
    queue: VecDeque<(u64, Waker)>,
}

impl Semaphore {
    /// A semaphore of `permits` permits.
    pub const fn new(permits: usize) -> Self {
        Self {
            state: Mutex::new(State {
                free: permits,
                total: permits,
                next_ticket: 0,
                queue: VecDeque::new(),
            }),
        }
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        // Nothing panics while the lock is held (a waker's `wake_by_ref`
        // only schedules a task), so the state is valid after any panic.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// A permit, if one is free and nobody is waiting for one.
    pub(super) fn try_acquire(&self) -> bool {
        let mut state = self.lock();
        let taken = state.free > 0 && state.queue.is_empty();
        if taken {
            state.free -= 1;
        }
        taken
    }

    /// Adds `permits` permits, as many as fit in a `usize` in all; wakes
    /// the first waiter.
    pub(super) fn add_permits(&self, permits: usize) {
        let mut state = self.lock();
        let added = permits.min(usize::MAX - state.total);
        state.total += added;
        state.free += added;
        state.wake_front();
    }

    /// How many permits nobody holds.
    pub(super) fn available(&self) -> usize {
        self.lock().free
    }

    /// How many permits there are in all.
    pub(super) fn permits(&self) -> usize {
        self.lock().total
    }

    /// The permits in all, those nobody holds and the waiters, read at
    /// once.
    pub(super) fn counts(&self) -> (usize, usize, usize) {
        let state = self.lock();
        (state.total, state.free, state.queue.len())
    }

    fn release(&self) {
        let mut state = self.lock();
        state.free += 1;
        state.wake_front();
    }
}

impl State {
    /// Wakes the first waiter if it can take a permit now.
    fn wake_front(&self) {
        if self.free > 0 {
            if let Some((_, waker)) = self.queue.front() {
                waker.wake_by_ref();
            }
        }
    }

    /// A permit for the waiter with `ticket` (`None`: not queued yet), if
    /// it is its turn: `Held`, or `Queued` with its ticket and `waker`
    /// kept to wake it when it is.
    fn acquire(&mut self, ticket: Option<u64>, waker: &Waker) -> Stage {
        let Some(ticket) = ticket else {
            if self.free > 0 && self.queue.is_empty() {
                self.free -= 1;
                return Stage::Held;
            }
            let ticket = self.next_ticket;
            self.next_ticket += 1;
            self.queue.push_back((ticket, waker.clone()));
            return Stage::Queued(ticket);
        };
        if self.free > 0
            && self
                .queue
                .front()
                .is_some_and(|&(first, _)| first == ticket)
        {
            self.free -= 1;
            self.queue.pop_front();
            // The next in line may have a permit too.
            self.wake_front();
            return Stage::Held;
        }
        if let Some(index) = self.position(ticket) {
            let kept = &mut self.queue[index].1;
            if !kept.will_wake(waker) {
                kept.clone_from(waker);
            }
        }
        Stage::Queued(ticket)
    }

    fn position(&self, ticket: u64) -> Option<usize> {
        self.queue
            .binary_search_by_key(&ticket, |&(queued, _)| queued)
            .ok()
    }
}

impl fmt::Debug for Semaphore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (permits, available, waiting) = self.counts();
        f.debug_struct("Semaphore")
            .field("permits", &permits)
            .field("available", &available)
            .field("waiting", &waiting)
            .finish()
    }
}

/// One waiter's claim on a semaphore reached through `S`: not yet in the
/// queue, in it, holding a permit, or done. Dropping it leaves the queue
/// or gives the permit back.
pub(crate) struct Claim<S: Deref<Target = Semaphore>> {
    semaphore: S,
    stage: Stage,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stage {
    /// Not polled yet.
    New,
    /// Waiting, with this ticket.
    Queued(u64),
    /// Holding a permit.
    Held,
    /// Gave its permit back.
    Released,
}

impl<S: Deref<Target = Semaphore>> Claim<S> {
    /// A claim that has not asked for a permit yet.
    pub(crate) fn new(semaphore: S) -> Self {
        Self {
            semaphore,
            stage: Stage::New,
        }
    }

    /// A claim holding a permit, if one is free and nobody is waiting.
    pub(super) fn try_held(semaphore: S) -> Option<Self> {
        // Made only once the permit is taken: a claim dropped holding
        // nothing must give nothing back.
        semaphore.try_acquire().then(|| Self {
            semaphore,
            stage: Stage::Held,
        })
    }

    pub(super) fn semaphore(&self) -> &Semaphore {
        &self.semaphore
    }

    /// Ready once this claim holds a permit.
    pub(crate) fn poll_acquire(&mut self, cx: &mut Context<'_>) -> Poll<()> {
        let ticket = match self.stage {
            Stage::Held | Stage::Released => return Poll::Ready(()),
            Stage::New => None,
            Stage::Queued(ticket) => Some(ticket),
        };
        self.stage = self.semaphore.lock().acquire(ticket, cx.waker());
        if self.stage == Stage::Held {
            Poll::Ready(())
        } else {
            Poll::Pending
        }
    }

    /// Gives the permit back now, if this claim holds one.
    pub(crate) fn release(&mut self) {
        if self.stage == Stage::Held {
            self.stage = Stage::Released;
            self.semaphore.release();
        }
    }
}

impl<S: Deref<Target = Semaphore>> Drop for Claim<S> {
    fn drop(&mut self) {
        match self.stage {
            Stage::Held => self.semaphore.release(),
            Stage::Queued(ticket) => {
                let mut state = self.semaphore.lock();
                if let Some(index) = state.position(ticket) {
                    state.queue.remove(index);
                    if index == 0 {
                        // Maybe it was woken to take a permit it now leaves.
                        state.wake_front();
                    }
                }
            }
            Stage::New | Stage::Released => {}
        }
    }
}

impl<S: Deref<Target = Semaphore>> fmt::Debug for Claim<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Claim")
            .field("semaphore", &*self.semaphore)
            .field("stage", &self.stage)
            .finish()
    }
}

pin_project! {
    /// `future`, started once its claim holds a permit; the permit is
    /// given back once the future has been dropped, whether it finished
    /// or was cancelled.
    pub struct Limited<F, S>
    where
        S: Deref<Target = Semaphore>,
    {
        // Declared before the claim, so dropped first: a cancelled future's
        // locals are gone before its permit is given back.
        #[pin]
        future: Option<F>,
        claim: Claim<S>,
    }
}

impl<F, S: Deref<Target = Semaphore>> Limited<F, S> {
    /// `future`, run under `claim`.
    pub(crate) fn new(future: F, claim: Claim<S>) -> Self {
        Self {
            future: Some(future),
            claim,
        }
    }
}

impl<F: Future, S: Deref<Target = Semaphore>> Future for Limited<F, S> {
    type Output = F::Output;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        let mut this = self.project();
        ready!(this.claim.poll_acquire(cx));
        let future = this
            .future
            .as_mut()
            .as_pin_mut()
            .expect("a limited future polled after it finished");
        let output = ready!(future.poll(cx));
        this.future.set(None);
        this.claim.release();
        Poll::Ready(output)
    }
}

impl<F, S: Deref<Target = Semaphore>> fmt::Debug for Limited<F, S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Limited")
            .field("claim", &self.claim)
            .finish_non_exhaustive()
    }
}

/// `future`, run only while it holds one of `limit`'s permits: the
/// `#[task(limit = N)]` expansion's wrapper. The semaphore is borrowed for
/// `'static`: no reference count per coroutine.
pub fn limited<F: Future>(limit: &'static Semaphore, future: F) -> Limited<F, &'static Semaphore> {
    Limited::new(future, Claim::new(limit))
}
