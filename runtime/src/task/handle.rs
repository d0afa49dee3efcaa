//! References to a task's slot: the counted one every handle holds
//! ([`SlotRef`]), and the task's own ([`Claim`]), which ends the task.

use std::fmt;
use std::panic::Location;

use super::live::{self, Counts};
use super::name::Name;
use super::state::{CANCELLED, DONE, PANICKED, REFUSED, Slot, TaskId, TaskState};
use super::table::{CAPACITY, table};

/// A counted reference to a task's slot in the table: every
/// [`Task`](crate::Task) and [`TaskRef`](crate::TaskRef) holds one.
/// Cloning it counts one more; the slot is freed once the last is dropped
/// and the task is done.
pub(crate) struct SlotRef {
    index: u32,
}

/// A new task of the loop numbered `event_loop`, which `counts` counts:
/// one handle for whoever creates it, and the task's own hold on its slot,
/// for the future the backend runs.
#[inline]
pub(crate) fn new_task(name: Name, event_loop: u16, counts: &'static Counts) -> (SlotRef, Claim) {
    let id = next_id();
    let index = table().insert(event_loop, id, name, 0, 1);
    if crate::debug::on_for(event_loop) {
        table().set_created(index, id, crate::debug::now_nanos());
    }
    // Counted before the backend can run it (and so finish it).
    counts.spawned();
    (SlotRef { index }, Claim::new(index))
}

/// Counts a cancellation handler (`on_cancel`) of the task being polled on
/// this thread, and returns its slot number; `None` outside a task (or
/// with 127 handlers active, when the outer ones already count).
pub(crate) fn enter_handler() -> Option<u32> {
    let current = super::current::get()?;
    table()
        .slot(current.index)
        .enter_handler()
        .then_some(current.index)
}

/// Stops counting a handler that [`enter_handler`] counted in slot `index`.
pub(crate) fn leave_handler(index: u32) {
    table().slot(index).leave_handler();
}

/// Whether the task in slot `index`, which a handler of its own counts in,
/// was asked to stop (and records that the request was seen); false for
/// no slot (`u32::MAX`).
pub(crate) fn take_cancel_request(index: u32) -> bool {
    index != u32::MAX && table().slot(index).take_request()
}

/// A task that could not be scheduled: finished, never run, never counted
/// as live, with the creator's handle only.
pub(crate) fn refused(name: Name, event_loop: u16) -> SlotRef {
    let state = DONE | CANCELLED | REFUSED;
    let index = table().insert(event_loop, next_id(), name, state, 1);
    SlotRef { index }
}

/// A task id, never zero, never reused: ids stay below 2^63 (see
/// `state::STARTED`), which at one task a nanosecond lasts 292 years.
#[inline]
fn next_id() -> u64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static NEXT_ID: AtomicU64 = AtomicU64::new(1);
    NEXT_ID.fetch_add(1, Ordering::Relaxed)
}

impl SlotRef {
    /// The handle to the task in slot `index`, whose reference the caller
    /// has taken (with `Slot::acquire` or `Slot::try_acquire`).
    #[inline]
    fn from_acquired(index: u32) -> Self {
        Self { index }
    }

    /// A handle to the task being polled on this thread, if any.
    pub(crate) fn current() -> Option<Self> {
        let current = super::current::get()?;
        // The task's future holds its slot while it is polled.
        table().slot(current.index).acquire();
        Some(Self::from_acquired(current.index))
    }

    /// Handles to the live tasks of the loop numbered `event_loop`.
    pub(crate) fn snapshot(event_loop: u16) -> Vec<Self> {
        table().snapshot(event_loop, Self::from_acquired)
    }

    #[inline]
    fn slot(&self) -> &'static Slot {
        table().slot(self.index)
    }

    #[inline]
    pub(crate) fn index(&self) -> u32 {
        self.index
    }

    /// The number of the task's loop.
    pub(crate) fn loop_number(&self) -> u16 {
        self.slot().loop_number()
    }

    pub(crate) fn id(&self) -> TaskId {
        self.slot().id()
    }

    pub(crate) fn name(&self) -> String {
        table().name(self.index)
    }

    pub(crate) fn spawn_site(&self) -> &'static Location<'static> {
        table().site(self.index).at
    }

    pub(crate) fn age(&self) -> Option<std::time::Duration> {
        self.created().map(|created| created.elapsed())
    }

    /// When the task was created, if its loop was in debug mode then.
    pub(crate) fn created(&self) -> Option<std::time::Instant> {
        table().created(self.index).map(crate::debug::instant)
    }

    pub(crate) fn state(&self) -> TaskState {
        self.slot().state()
    }

    #[inline]
    pub(crate) fn is_done(&self) -> bool {
        self.slot().bits() & DONE != 0
    }

    #[inline]
    pub(crate) fn is_refused(&self) -> bool {
        self.slot().bits() & REFUSED != 0
    }

    pub(crate) fn is_cancelled(&self) -> bool {
        self.slot().bits() & CANCELLED != 0
    }

    pub(crate) fn is_panicked(&self) -> bool {
        self.slot().bits() & PANICKED != 0
    }

    /// Wakes the task if it is suspended (a spurious wake); false if it
    /// has not suspended yet.
    pub(crate) fn wake(&self) -> bool {
        table().wake(self.index)
    }

    /// Asks the task to stop at its next poll; false if it has finished.
    pub(crate) fn cancel(&self) -> bool {
        table().cancel(self.index)
    }

    /// Cancels the task and lets go of this handle, as the owner of a task
    /// does when it is dropped unfinished (`Join`, a group, a gather). If
    /// the task being polled on this thread is being cancelled itself (this
    /// drop is part of its cancellation), it ends only once this task has
    /// ended: no task outlives the one that was waiting for it.
    pub(crate) fn cancel_owned(self) {
        if !self.cancel() {
            return; // it has finished
        }
        let Some(current) = super::current::get() else {
            return;
        };
        let table = table();
        if current.index == self.index || !table.slot(current.index).is_cancel_requested() {
            // Itself, or a task not being cancelled: nothing to wait in.
            return;
        }
        // The check and the adoption are one step for the whole process:
        // two tasks cancelling each other at once on two threads (`a`
        // gathers `b`, `b` awaits `a`) would otherwise each see that the
        // other does not wait for it yet, and each wait for the other.
        let _adopting = crate::sync::lock(&ADOPTING);
        if table.owns(self.index, current.index) {
            // It already waits for the current task to end: waiting for
            // it would never end.
            return;
        }
        let index = self.index;
        // The handle's reference goes to the current task's orphans.
        std::mem::forget(self);
        table.adopt(current.index, index);
    }
}

/// Held by [`SlotRef::cancel_owned`] from its check that the task it
/// cancels does not wait for the current one to its adoption of that
/// task. Only a task cancelled while it owns unfinished tasks takes it.
static ADOPTING: crate::sync::Mutex<()> = crate::sync::Mutex::new(());

impl Clone for SlotRef {
    #[inline]
    fn clone(&self) -> Self {
        self.slot().acquire();
        Self { index: self.index }
    }
}

impl Drop for SlotRef {
    #[inline]
    fn drop(&mut self) {
        table().release(self.index);
    }
}

impl fmt::Debug for SlotRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SlotRef")
            .field("id", &self.id())
            .field("state", &self.state())
            .finish_non_exhaustive()
    }
}

/// A task's own hold on its slot, counted by no reference, and the guard
/// that ends the task exactly once: [`finish`](Claim::finish) sets `DONE`
/// with the outcome and counts the task as finished; dropping it unfinished
/// (the backend dropped the task; a destructor unwound through it) does the
/// same with `Cancelled`, or `Panicked` while unwinding. The task's future
/// is dropped before (see `TaskFuture`'s `Stage`), so `DONE` means that
/// nothing of the task is left.
pub(crate) struct Claim {
    /// The slot number, or `DISARMED` once finished.
    index: u32,
}

const DISARMED: u32 = u32::MAX;

const _: () = assert!(CAPACITY - 1 < DISARMED, "slot numbers fit a claim");

/// How a task ended, for its [`Claim`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Outcome {
    Returned,
    Cancelled,
    Panicked,
}

impl Claim {
    fn new(index: u32) -> Self {
        Self { index }
    }

    /// A claim that ends nothing: what is left where a claim was taken.
    pub(crate) const fn disarmed() -> Self {
        Self { index: DISARMED }
    }

    #[inline]
    pub(crate) fn index(&self) -> u32 {
        self.index
    }

    /// Ends the task with `outcome`, which its future, dropped, gave; and
    /// returns the outcome it ended with: a task that returned after a
    /// cancellation was requested ended `Cancelled` (see `Slot::finish`).
    #[inline]
    pub(crate) fn finish(mut self, outcome: Outcome) -> Outcome {
        let index = std::mem::replace(&mut self.index, DISARMED);
        let bits = match outcome {
            Outcome::Returned => 0,
            Outcome::Cancelled => CANCELLED,
            Outcome::Panicked => PANICKED,
        };
        let slot = table().slot(index);
        // Read before finishing: the slot may be reused after.
        let event_loop = slot.loop_number();
        let ended = table().finish_slot(slot, index, bits);
        live::counts(event_loop).finished();
        match ended {
            0 => Outcome::Returned,
            CANCELLED => Outcome::Cancelled,
            _ => Outcome::Panicked,
        }
    }
}

impl Drop for Claim {
    #[inline]
    fn drop(&mut self) {
        if self.index == DISARMED {
            return;
        }
        // Unwinding means a destructor of the task's future panicked;
        // otherwise the backend dropped the task unfinished: to anyone
        // asking, it was cancelled.
        let outcome = if std::thread::panicking() {
            Outcome::Panicked
        } else {
            Outcome::Cancelled
        };
        Self { index: self.index }.finish(outcome);
        self.index = DISARMED;
    }
}

impl fmt::Debug for Claim {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Claim")
            .field("index", &self.index())
            .finish_non_exhaustive()
    }
}
