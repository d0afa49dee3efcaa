//! `#[task(limit = N)]`: at most N coroutines of one fn running at once,
//! the rest waiting their turn in FIFO order.

use std::collections::{BTreeMap, VecDeque};
use std::fmt;
use std::future::Future;
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::task::{Poll, Waker};

/// A FIFO semaphore. A coroutine takes a ticket on its first poll and runs
/// when its ticket is at the front of the queue and a slot is free; a
/// coroutine dropped while waiting leaves the queue, and one dropped while
/// running frees its slot.
pub struct Limit {
    state: Mutex<State>,
}

struct State {
    free: usize,
    next_ticket: u64,
    queue: VecDeque<u64>,
    wakers: BTreeMap<u64, Waker>,
}

impl Limit {
    /// A limit of `slots` coroutines at once.
    pub const fn new(slots: usize) -> Self {
        Self {
            state: Mutex::new(State {
                free: slots,
                next_ticket: 0,
                queue: VecDeque::new(),
                wakers: BTreeMap::new(),
            }),
        }
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        // Nothing panics while the lock is held.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Waits for a slot.
    async fn acquire(&self) -> Permit<'_> {
        let mut ticket = None;
        let mut waiting = Waiting {
            limit: self,
            ticket: None,
        };
        std::future::poll_fn(|cx| {
            let mut state = self.lock();
            let mine = *ticket.get_or_insert_with(|| {
                let ticket = state.next_ticket;
                state.next_ticket += 1;
                state.queue.push_back(ticket);
                ticket
            });
            waiting.ticket = Some(mine);
            if state.free > 0 && state.queue.front() == Some(&mine) {
                state.free -= 1;
                state.queue.pop_front();
                state.wakers.remove(&mine);
                waiting.ticket = None;
                // The next in line may have a slot too.
                state.wake_front();
                Poll::Ready(())
            } else {
                state.wakers.insert(mine, cx.waker().clone());
                Poll::Pending
            }
        })
        .await;
        Permit { limit: self }
    }
}

impl State {
    fn wake_front(&mut self) {
        if self.free > 0 {
            if let Some(front) = self.queue.front() {
                if let Some(waker) = self.wakers.get(front) {
                    waker.wake_by_ref();
                }
            }
        }
    }
}

impl fmt::Debug for Limit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = self.lock();
        f.debug_struct("Limit")
            .field("free", &state.free)
            .field("waiting", &state.queue.len())
            .finish()
    }
}

/// A place in the queue, given up if the waiting coroutine is dropped.
struct Waiting<'a> {
    limit: &'a Limit,
    ticket: Option<u64>,
}

impl Drop for Waiting<'_> {
    fn drop(&mut self) {
        if let Some(ticket) = self.ticket {
            let mut state = self.limit.lock();
            state.queue.retain(|queued| *queued != ticket);
            state.wakers.remove(&ticket);
            state.wake_front();
        }
    }
}

/// A slot, freed on drop.
struct Permit<'a> {
    limit: &'a Limit,
}

impl Drop for Permit<'_> {
    fn drop(&mut self) {
        let mut state = self.limit.lock();
        state.free += 1;
        state.wake_front();
    }
}

/// `future`, run only while it holds one of `limit`'s slots.
pub async fn limited<F: Future>(limit: &'static Limit, future: F) -> F::Output {
    let permit = limit.acquire().await;
    // Declared after the permit, so a cancelled coroutine drops its body
    // (and the body's locals) before it gives the slot back.
    let mut future = std::pin::pin!(future);
    let output = future.as_mut().await;
    drop(permit);
    output
}
