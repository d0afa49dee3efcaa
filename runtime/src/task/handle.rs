//! References to a task's slot: the counted one every handle holds
//! ([`SlotRef`]), and the task's own ([`Claim`]), which ends the task.

use std::fmt;

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
    let index = table().insert(event_loop, next_id(), name, 0, 1);
    // Counted before the backend can run it (and so finish it).
    counts.spawned();
    (SlotRef { index }, Claim::new(index))
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

    #[cfg(test)]
    pub(crate) fn index(&self) -> u32 {
        self.index
    }

    /// The number of the task's loop.
    #[cfg(test)]
    pub(crate) fn loop_number(&self) -> u16 {
        self.slot().loop_number()
    }

    pub(crate) fn id(&self) -> TaskId {
        self.slot().id()
    }

    pub(crate) fn name(&self) -> String {
        table().name(self.index)
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

    /// Asks the task to stop at its next poll; false if it has finished.
    pub(crate) fn cancel(&self) -> bool {
        table().cancel(self.index)
    }
}

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
/// that ends the task exactly once: dropping it, on whatever path (the
/// future returned, panicked or was cancelled; the backend dropped the
/// task; a destructor unwound through it), sets `DONE` with the outcome
/// recorded here and counts the task as finished. The task's future is
/// dropped before it (see `TaskFuture`'s `Stage`), so `DONE` means that
/// nothing of the task is left.
pub(crate) struct Claim {
    /// The slot number (bits 0..26) and the outcome (bits 30..32).
    bits: u32,
}

const INDEX: u32 = (1 << 26) - 1;
const OUTCOME_SHIFT: u32 = 30;
const RETURNED: u32 = 0;
const WAS_CANCELLED: u32 = 1;
const WAS_PANICKED: u32 = 2;

const _: () = assert!(CAPACITY - 1 <= INDEX, "slot numbers fit a claim");

/// How a task ended, for its [`Claim`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Outcome {
    Returned,
    Cancelled,
    Panicked,
}

impl Claim {
    /// Until told otherwise, a task ends cancelled: one dropped before it
    /// ran was.
    fn new(index: u32) -> Self {
        Self {
            bits: index | WAS_CANCELLED << OUTCOME_SHIFT,
        }
    }

    #[inline]
    pub(crate) fn index(&self) -> u32 {
        self.bits & INDEX
    }

    /// Records how the task ends, for when this is dropped.
    #[inline]
    pub(crate) fn set_outcome(&mut self, outcome: Outcome) {
        let code = match outcome {
            Outcome::Returned => RETURNED,
            Outcome::Cancelled => WAS_CANCELLED,
            Outcome::Panicked => WAS_PANICKED,
        };
        self.bits = self.index() | code << OUTCOME_SHIFT;
    }
}

impl Drop for Claim {
    #[inline]
    fn drop(&mut self) {
        // Unwinding means a destructor of the task's future panicked (the
        // task future drops its future before its claim, and catches every
        // panic of a poll): whatever was recorded, the task panicked.
        let outcome = if std::thread::panicking() {
            PANICKED
        } else {
            match self.bits >> OUTCOME_SHIFT {
                RETURNED => 0,
                WAS_CANCELLED => CANCELLED,
                _ => PANICKED,
            }
        };
        let index = self.index();
        // Read before finishing: the slot may be reused after.
        let event_loop = table().slot(index).loop_number();
        table().finish(index, outcome);
        live::counts(event_loop).finished();
    }
}

impl fmt::Debug for Claim {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Claim")
            .field("index", &self.index())
            .finish_non_exhaustive()
    }
}
