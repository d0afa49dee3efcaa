//! The life of a task, explained once.
//!
//! Every task is the future the backend runs ([`Running`], inside the
//! backend's own task allocation, the only one a task makes) and a slot in
//! the process's task table ([`crate::registry`]), shared by that future and
//! by every [`Task`](crate::Task) or [`TaskRef`](crate::TaskRef) handle,
//! each of which holds a [`Header`]: the slot's number. The slot holds the
//! task's id, loop number and name, its `state` (a handful of bits in one
//! atomic byte) and the waker of its last suspension (in an array beside
//! the slots, made when a task first suspends).
//!
//! ```text
//!   create_task ──► PENDING ──first poll──► STARTED ──future ready──► DONE
//!                      │                       │  └──future panics──► DONE|PANICKED
//!                      │ cancel()              │ cancel()
//!                      ▼                       ▼
//!               CANCEL_REQUESTED ──next poll: drop the future──► DONE|CANCELLED
//! ```
//!
//! * `cancel()` sets `CANCEL_REQUESTED` (unless `DONE` is already set) and
//!   wakes the stored waker, so a suspended task is polled once more; that
//!   poll drops the user's future instead of polling it, which runs the
//!   destructors of its locals. A task cancelled before its first poll never
//!   runs a line of its body.
//! * A poll that returns `Pending` stores the waker *then* re-reads the state:
//!   either `cancel()` sees the stored waker, or the poll sees the flag and
//!   wakes itself. The waker's mutex orders the two, so no cancellation is
//!   lost.
//! * Panics are caught around every poll of the user's future (and around
//!   dropping it), so a panic becomes `TaskError::Panicked` for whoever
//!   awaits the task and never reaches the backend's executor thread.
//! * `DONE` is set only once the user's future has been dropped, so a loop
//!   whose tasks are all done has no task left, not even a destructor to
//!   run. Setting it is also the task letting go of its slot (its
//!   [`Claim`], which no reference counts: the state bits and the handles'
//!   count share one atomic word, so finishing is one atomic operation);
//!   the slot is reused once the task is done and the last handle is gone,
//!   whichever comes second.
//! * Only the first poll marks the task started (the `Running` future
//!   remembers it polled in a spare bit of its slot number), in the top
//!   bit of the slot's id, which only the task writes while it lives: a
//!   plain store, not a locked instruction, on the worker's first touch of
//!   the slot.

use std::any::Any;
use std::borrow::Cow;
use std::fmt;
use std::future::Future;
use std::mem::ManuallyDrop;
use std::num::NonZeroU64;
use std::panic::{self, AssertUnwindSafe};
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::task::{Context, Poll, Waker};

use pin_project_lite::pin_project;

use crate::coroutine::TaskMeta;
use crate::event_loop::{CurrentTask, EventLoop};
use crate::registry::{Slot, table};
use crate::task::{TaskError, TaskId, TaskState};

const CANCEL_REQUESTED: u8 = 1 << 1;
/// The task has finished and its future has been dropped.
pub(crate) const DONE: u8 = 1 << 2;
const CANCELLED: u8 = 1 << 3;
const PANICKED: u8 = 1 << 4;
/// A waker is stored: `finish` must take it (most tasks never suspend).
const WAKER: u8 = 1 << 5;
/// A local task created on a thread that runs no loop: it was never
/// scheduled (`TaskError::NotOnLoopThread`).
const REFUSED: u8 = 1 << 6;
/// The task's name was given in full, and its slot's shard keeps it.
pub(crate) const GIVEN_NAME: u8 = 1 << 7;

/// What a task is called: its coroutine's name prefix numbered by its id
/// (`Task-7`, `indication-8`), formatted only when asked, or a name given
/// in full.
#[derive(Debug)]
pub(crate) enum Name {
    Prefix(&'static TaskMeta),
    Given(Box<str>),
}

impl Name {
    #[inline]
    pub(crate) fn new(meta: &'static TaskMeta, given: Option<Cow<'static, str>>) -> Self {
        match given {
            None => Self::Prefix(meta),
            Some(name) => Self::Given(name.into()),
        }
    }
}

/// A handle to a task's shared part, which lives in the task table (see
/// [`crate::registry`]): every [`Task`](crate::Task) and
/// [`TaskRef`](crate::TaskRef) holds one. Cloning it counts one more
/// reference to the slot; the slot is freed once the last is dropped and
/// the task is done.
pub(crate) struct Header {
    index: u32,
}

/// A new task's own hold on its slot, for its [`Running`] future: counted
/// by no reference, it lasts until the task sets `DONE`. Dropped without
/// having been given to a `Running`, the task was cancelled before it ran.
pub(crate) struct Claim {
    index: u32,
}

impl Drop for Claim {
    fn drop(&mut self) {
        finish(table().slot(self.index), self.index, CANCELLED);
    }
}

impl Header {
    /// A new task of `event_loop`'s, with one handle for whoever creates it
    /// and its own hold on its slot, for its `Running` future.
    #[inline]
    pub(crate) fn new(name: Name, event_loop: &EventLoop) -> (Self, Claim) {
        let index = table().insert(event_loop.number(), next_id(), name, 0, 1);
        (Self { index }, Claim { index })
    }

    /// A task that could not be scheduled: finished, never run, with the
    /// creator's handle only.
    pub(crate) fn refused(name: Name, event_loop: &EventLoop) -> Self {
        let state = DONE | CANCELLED | REFUSED;
        let index = table().insert(event_loop.number(), next_id(), name, state, 1);
        Self { index }
    }

    /// The handle to the task in slot `index`, whose reference the caller
    /// has taken.
    #[inline]
    pub(crate) fn from_acquired(index: u32) -> Self {
        Self { index }
    }

    #[cfg(test)]
    pub(crate) fn index(&self) -> u32 {
        self.index
    }

    /// The number of the task's loop.
    #[cfg(test)]
    pub(crate) fn loop_number(&self) -> u16 {
        self.slot().loop_number()
    }

    #[inline]
    fn slot(&self) -> &'static Slot {
        table().slot(self.index)
    }

    pub(crate) fn id(&self) -> TaskId {
        TaskId(NonZeroU64::new(self.slot().id()).unwrap_or(NonZeroU64::MAX))
    }

    pub(crate) fn name(&self) -> String {
        table().name(self.index)
    }

    #[inline]
    fn load(&self) -> u8 {
        self.slot().state()
    }

    pub(crate) fn state(&self) -> TaskState {
        let state = self.load();
        if state & DONE != 0 {
            if state & CANCELLED != 0 {
                TaskState::Cancelled
            } else if state & PANICKED != 0 {
                TaskState::Panicked
            } else {
                TaskState::Done
            }
        } else if state & CANCEL_REQUESTED != 0 {
            TaskState::Cancelling
        } else if self.slot().started() {
            TaskState::Running
        } else {
            TaskState::Pending
        }
    }

    #[inline]
    pub(crate) fn is_done(&self) -> bool {
        self.load() & DONE != 0
    }

    #[inline]
    pub(crate) fn is_refused(&self) -> bool {
        self.load() & REFUSED != 0
    }

    #[inline]
    pub(crate) fn is_cancelled(&self) -> bool {
        self.load() & CANCELLED != 0
    }

    /// Asks the task to stop at its next suspension point; false if it has
    /// already finished.
    pub(crate) fn cancel(&self) -> bool {
        let slot = self.slot();
        let previous = slot.set(CANCEL_REQUESTED);
        if previous & DONE != 0 {
            return false;
        }
        if previous & CANCEL_REQUESTED == 0 {
            let waker = table().waker(self.index).take();
            if let Some(waker) = waker {
                waker.wake();
            }
        }
        true
    }
}

/// The task in `slot`, number `index`, has finished (with `outcome`'s bits) and its
/// future has been dropped: it lets go of its slot, which its task must not
/// touch again.
#[inline]
fn finish(slot: &Slot, index: u32, outcome: u8) {
    if slot.state() & WAKER != 0 {
        drop_waker(index);
    }
    table().finish(slot, index, outcome);
}

/// Drops the waker a finishing task stored. It is only needed to deliver a
/// cancellation; it goes before `DONE` is set, after which the last handle
/// may free the slot.
#[cold]
fn drop_waker(index: u32) {
    let waker = table().waker(index).take();
    drop(waker);
}

/// The task in slot `index` suspended with `waker`.
fn suspend(index: u32, waker: &Waker) {
    let slot = table().slot(index);
    let previous = {
        let mut stored = table().waker(index);
        match &*stored {
            Some(stored) if stored.will_wake(waker) => None,
            _ => stored.replace(waker.clone()),
        }
    };
    drop(previous);
    if slot.state() & WAKER == 0 {
        slot.set_own(WAKER);
    }
    if slot.state() & CANCEL_REQUESTED != 0 {
        waker.wake_by_ref();
    }
}

impl Clone for Header {
    #[inline]
    fn clone(&self) -> Self {
        self.slot().acquire();
        Self { index: self.index }
    }
}

impl Drop for Header {
    #[inline]
    fn drop(&mut self) {
        table().release(self.index);
    }
}

impl fmt::Debug for Header {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Header")
            .field("id", &self.id())
            .field("state", &self.state())
            .finish_non_exhaustive()
    }
}

#[inline]
fn next_id() -> u64 {
    static NEXT_ID: AtomicU64 = AtomicU64::new(1);
    // 2^64 ids at one per nanosecond last 584 years.
    NEXT_ID.fetch_add(1, Ordering::Relaxed)
}

/// Set in a `Stage::Live`'s `index` once the task has been polled (slot
/// numbers are below 2^26): only the first poll marks the task started.
const POLLED: u32 = 1 << 31;

pin_project! {
    /// The user's future, or, once it is dropped, nothing; either way with
    /// the task's slot number. (The number sits beside the enum's tag, so a
    /// small task's future grows by one word, not two: on tokio, whose task
    /// cells are 128-byte aligned, that keeps a small task in one cell.)
    #[project = StageProj]
    enum Stage<F> {
        Live { index: u32, #[pin] future: F },
        Gone { index: u32 },
    }
}

pin_project! {
    /// The future the backend runs for a task: the user's future, polled
    /// under `catch_unwind`, with the cancellation check in front of it.
    /// It holds the task's slot (its `Claim`) until it sets `DONE`, which
    /// it does as soon as the user's future is gone: a `Gone` stage no
    /// longer touches the slot.
    pub(crate) struct Running<F> {
        #[pin]
        stage: Stage<F>,
    }

    impl<F> PinnedDrop for Running<F> {
        fn drop(this: Pin<&mut Self>) {
            let mut stage = this.project().stage;
            if let Stage::Live { index, .. } = *stage {
                // The backend dropped an unfinished task (its runtime shut
                // down): to anyone asking, it was cancelled.
                let index = index & !POLLED;
                let _ = drop_future(stage.as_mut(), index);
                finish(table().slot(index), index, CANCELLED);
            }
        }
    }
}

impl<F> Running<F> {
    /// The future of the task whose hold on its slot `claim` is.
    #[inline]
    pub(crate) fn new(claim: Claim, future: F) -> Self {
        let claim = ManuallyDrop::new(claim);
        Self {
            stage: Stage::Live {
                index: claim.index,
                future,
            },
        }
    }
}

impl<F: Future> Future for Running<F> {
    type Output = Result<F::Output, TaskError>;

    #[inline]
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let mut stage = self.project().stage;
        let StageProj::Live { index, future } = stage.as_mut().project() else {
            // Polled again after it finished: no backend does this.
            return Poll::Pending;
        };
        let slot = table().slot(*index & !POLLED);
        if *index & POLLED == 0 {
            *index |= POLLED;
            slot.mark_started();
        }
        let bits = slot.state();
        let index = *index & !POLLED;
        if bits & CANCEL_REQUESTED != 0 {
            return Poll::Ready(match drop_future(stage, index) {
                Ok(()) => {
                    finish(slot, index, CANCELLED);
                    Err(TaskError::Cancelled)
                }
                Err(message) => {
                    finish(slot, index, PANICKED);
                    Err(TaskError::Panicked(message.into()))
                }
            });
        }
        let polled = {
            let _current = CurrentTask::enter(index, slot.loop_number());
            panic::catch_unwind(AssertUnwindSafe(|| future.poll(cx)))
        };
        match polled {
            Ok(Poll::Pending) => {
                suspend(index, cx.waker());
                Poll::Pending
            }
            Ok(Poll::Ready(output)) => {
                let dropped = drop_future(stage, index);
                finish(slot, index, 0);
                Poll::Ready(match dropped {
                    Ok(()) => Ok(output),
                    Err(message) => Err(TaskError::Panicked(message.into())),
                })
            }
            Err(payload) => {
                let _ = drop_future(stage, index);
                finish(slot, index, PANICKED);
                Poll::Ready(Err(TaskError::Panicked(
                    panic_message(payload.as_ref()).into(),
                )))
            }
        }
    }
}

/// Drops the user's future now, catching a panic from one of its destructors.
#[inline]
fn drop_future<F>(mut stage: Pin<&mut Stage<F>>, index: u32) -> Result<(), String> {
    if matches!(*stage, Stage::Gone { .. }) {
        return Ok(());
    }
    panic::catch_unwind(AssertUnwindSafe(|| stage.set(Stage::Gone { index })))
        .map_err(|payload| panic_message(payload.as_ref()))
}

/// The message a panic was raised with, as `std`'s default hook prints it.
pub(crate) fn panic_message(payload: &(dyn Any + Send)) -> String {
    if let Some(message) = payload.downcast_ref::<&'static str>() {
        (*message).to_owned()
    } else if let Some(message) = payload.downcast_ref::<String>() {
        message.clone()
    } else {
        "Box<dyn Any>".to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The slot number costs a small task's future one word (beside the
    /// stage's tag), not two: see `Stage`.
    #[test]
    fn running_adds_one_word_to_a_small_future() {
        async fn small(i: u64) -> u64 {
            crate::yield_now().await;
            i
        }
        fn size<F>(_: &F) -> usize {
            size_of::<Running<F>>()
        }
        let future = small(1);
        assert_eq!(size(&future), size_of_val(&future) + size_of::<u64>());
    }
}
