//! The life of a task, explained once.
//!
//! Every task is two objects: the future the backend runs ([`Running`], inside
//! the backend's own task allocation) and a [`Header`] shared, through one
//! `Arc`, by that future, by every [`Task`](crate::Task) or
//! [`TaskRef`](crate::TaskRef) handle, and by its loop's registry. The header
//! is immutable but for two fields: `state`, a handful of bits in one atomic
//! byte, and `waker`, the waker of the task's last suspension.
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
//! * The registry entry is removed when the backend drops [`Running`], so a
//!   loop whose registry is empty has no task left, not even a destructor.

use std::any::Any;
use std::borrow::Cow;
use std::future::Future;
use std::num::NonZeroU64;
use std::panic::{self, AssertUnwindSafe};
use std::pin::Pin;
use std::sync::atomic::{AtomicU8, AtomicU32, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Context, Poll, Waker};

use pin_project_lite::pin_project;

use crate::event_loop::{CurrentTask, EventLoop};
use crate::task::{TaskError, TaskId, TaskState};

const STARTED: u8 = 1;
const CANCEL_REQUESTED: u8 = 1 << 1;
const DONE: u8 = 1 << 2;
const CANCELLED: u8 = 1 << 3;
const PANICKED: u8 = 1 << 4;
/// A waker is stored: `finish` must take it (most tasks never suspend).
const WAKER: u8 = 1 << 5;
/// A local task created on a thread that runs no loop: it was never
/// scheduled (`TaskError::NotOnLoopThread`).
const REFUSED: u8 = 1 << 6;

/// What a task is called: a static prefix numbered by its id (`Task-7`,
/// `indication-8`), formatted only when asked, or a name given in full.
#[derive(Debug)]
pub(crate) enum Name {
    Prefix(&'static str),
    Given(Box<str>),
}

impl Name {
    pub(crate) fn new(prefix: &'static str, given: Option<Cow<'static, str>>) -> Self {
        match given {
            None => Self::Prefix(prefix),
            Some(name) => Self::Given(name.into()),
        }
    }
}

/// The shared part of a task. See the module docs.
#[derive(Debug)]
pub(crate) struct Header {
    id: TaskId,
    name: Name,
    state: AtomicU8,
    /// Where the task sits in its loop's registry (it fits in the padding
    /// after `state`).
    slot: AtomicU32,
    waker: Mutex<Option<Waker>>,
    event_loop: EventLoop,
}

impl Header {
    pub(crate) fn new(name: Name, event_loop: EventLoop) -> Self {
        static NEXT_ID: AtomicU64 = AtomicU64::new(1);
        let id = NEXT_ID.fetch_add(1, Ordering::Relaxed);
        Self {
            // 2^64 ids at one per nanosecond last 584 years.
            id: TaskId(NonZeroU64::new(id).unwrap_or(NonZeroU64::MAX)),
            name,
            state: AtomicU8::new(0),
            slot: AtomicU32::new(0),
            waker: Mutex::new(None),
            event_loop,
        }
    }

    pub(crate) fn id(&self) -> TaskId {
        self.id
    }

    pub(crate) fn name(&self) -> String {
        match &self.name {
            Name::Prefix(prefix) => format!("{prefix}-{}", self.id),
            Name::Given(name) => name.to_string(),
        }
    }

    pub(crate) fn slot(&self) -> u32 {
        self.slot.load(Ordering::Relaxed)
    }

    /// Records the registry slot; called once, before the task is spawned.
    pub(crate) fn set_slot(&self, slot: u32) {
        self.slot.store(slot, Ordering::Relaxed);
    }

    pub(crate) fn event_loop(&self) -> &EventLoop {
        &self.event_loop
    }

    pub(crate) fn state(&self) -> TaskState {
        let state = self.state.load(Ordering::Acquire);
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
        } else if state & STARTED != 0 {
            TaskState::Running
        } else {
            TaskState::Pending
        }
    }

    pub(crate) fn is_done(&self) -> bool {
        self.state.load(Ordering::Acquire) & DONE != 0
    }

    pub(crate) fn is_refused(&self) -> bool {
        self.state.load(Ordering::Acquire) & REFUSED != 0
    }

    /// Marks a task that could not be scheduled: finished, never run.
    pub(crate) fn refuse(&self) {
        self.state
            .fetch_or(DONE | CANCELLED | REFUSED, Ordering::AcqRel);
    }

    pub(crate) fn is_cancelled(&self) -> bool {
        self.state.load(Ordering::Acquire) & CANCELLED != 0
    }

    /// Asks the task to stop at its next suspension point; false if it has
    /// already finished.
    pub(crate) fn cancel(&self) -> bool {
        let previous = self.state.fetch_or(CANCEL_REQUESTED, Ordering::AcqRel);
        if previous & DONE != 0 {
            return false;
        }
        if previous & CANCEL_REQUESTED == 0 {
            let waker = self.lock_waker().take();
            if let Some(waker) = waker {
                waker.wake();
            }
        }
        true
    }

    fn cancel_requested(&self) -> bool {
        self.state.load(Ordering::Acquire) & CANCEL_REQUESTED != 0
    }

    fn finish(&self, outcome: u8) {
        let previous = self.state.fetch_or(DONE | outcome, Ordering::AcqRel);
        if previous & WAKER != 0 {
            // The waker is only needed to deliver a cancellation.
            drop(self.lock_waker().take());
        }
    }

    fn suspend(&self, waker: &Waker) {
        {
            let mut slot = self.lock_waker();
            match &*slot {
                Some(stored) if stored.will_wake(waker) => {}
                _ => *slot = Some(waker.clone()),
            }
        }
        if self.state.load(Ordering::Relaxed) & WAKER == 0 {
            self.state.fetch_or(WAKER, Ordering::Relaxed);
        }
        if self.cancel_requested() {
            waker.wake_by_ref();
        }
    }

    fn lock_waker(&self) -> std::sync::MutexGuard<'_, Option<Waker>> {
        // Nothing panics while the lock is held, but a poisoned lock is no
        // reason to lose a cancellation either.
        self.waker.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

pin_project! {
    /// The future the backend runs for a task: the user's future, polled
    /// under `catch_unwind`, with the cancellation check in front of it.
    #[project = RunningProj]
    pub(crate) struct Running<F> {
        header: Arc<Header>,
        #[pin]
        future: Option<F>,
    }

    impl<F> PinnedDrop for Running<F> {
        fn drop(this: Pin<&mut Self>) {
            let mut this = this.project();
            if !this.header.is_done() {
                // The backend dropped an unfinished task (its runtime shut
                // down): to anyone asking, it was cancelled.
                this.header.finish(CANCELLED);
            }
            // Drop the user's future before the task leaves the registry,
            // so that an empty registry means every destructor has run. (A
            // finished task has dropped it already.)
            let _ = panic::catch_unwind(AssertUnwindSafe(|| this.future.set(None)));
            this.header.event_loop().registry().remove(this.header.id(), this.header.slot());
        }
    }
}

impl<F> Running<F> {
    pub(crate) fn new(header: Arc<Header>, future: F) -> Self {
        Self {
            header,
            future: Some(future),
        }
    }
}

impl<F: Future> Future for Running<F> {
    type Output = Result<F::Output, TaskError>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let RunningProj {
            header, mut future, ..
        } = self.project();
        if header.cancel_requested() {
            return Poll::Ready(match drop_future(future) {
                Ok(()) => {
                    header.finish(CANCELLED);
                    Err(TaskError::Cancelled)
                }
                Err(message) => {
                    header.finish(PANICKED);
                    Err(TaskError::Panicked(message))
                }
            });
        }
        let Some(inner) = future.as_mut().as_pin_mut() else {
            // Polled again after it finished: no backend does this.
            return Poll::Pending;
        };
        if header.state.load(Ordering::Relaxed) & STARTED == 0 {
            header.state.fetch_or(STARTED, Ordering::Relaxed);
        }
        let polled = {
            let _current = CurrentTask::enter(header);
            panic::catch_unwind(AssertUnwindSafe(|| inner.poll(cx)))
        };
        match polled {
            Ok(Poll::Pending) => {
                header.suspend(cx.waker());
                Poll::Pending
            }
            Ok(Poll::Ready(output)) => {
                let dropped = drop_future(future);
                header.finish(0);
                Poll::Ready(match dropped {
                    Ok(()) => Ok(output),
                    Err(message) => Err(TaskError::Panicked(message)),
                })
            }
            Err(payload) => {
                let _ = drop_future(future);
                header.finish(PANICKED);
                Poll::Ready(Err(TaskError::Panicked(panic_message(payload.as_ref()))))
            }
        }
    }
}

/// Drops the user's future now, catching a panic from one of its destructors.
fn drop_future<F>(future: Pin<&mut Option<F>>) -> Result<(), String> {
    panic::catch_unwind(AssertUnwindSafe(|| {
        let mut future = future;
        future.set(None);
    }))
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
