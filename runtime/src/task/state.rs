//! A task's shared state: its slot's two words, every bit in them, and
//! every transition between them. A leaf: it knows nothing of tables,
//! handles or loops.
//!
//! A slot is two atomic words:
//!
//! * `word`: the count of handles to the slot (bits 0..32), the task's
//!   state bits (bits 32..40, below) and its loop's number (bits 48..64).
//!   Handles, state and loop share one word so that a task finishing and
//!   letting go of its slot is one atomic operation, and deciding which of
//!   the task and its last handle frees the slot needs no lock.
//! * `id`: the task's id (bits 0..63) and whether it has been polled
//!   (`STARTED`, bit 63); in a free slot, the number of the next free slot
//!   of its free list.
//!
//! The state bits, and who sets them:
//!
//! | bit | set by | meaning |
//! | --- | --- | --- |
//! | `WATCHED` | a watcher ([`Registry::watch`](super::table::Registry::watch)) | wakers wait for `DONE`: finishing takes the locked path |
//! | `CANCEL_REQUESTED` | any handle (`cancel`) | stop at the next poll (the task ends cancelled, whatever it returns) |
//! | `WAKER` | the task, at its first suspension | a waker is stored beside the slot |
//! | `DONE` | the task, once | its future has been dropped; it holds the slot no more |
//! | `CANCELLED`, `PANICKED` | the task, with `DONE` | how it ended (neither: it returned) |
//! | `REFUSED` | the creator, with `DONE` | a local task that could not be scheduled |
//! | `GIVEN_NAME` | the creator | the name was given in full; the table keeps it |
//!
//! Bits 40..47 of `word` count the task's active cancellation handlers
//! ([`on_cancel`](crate::on_cancel)): while there is one, a cancellation
//! request is delivered to the task's code at its await points rather
//! than by dropping its future; bit 47 records that a handler has seen the
//! request. Only the task itself changes them.
//!
//! `cancel()` tells the truth: a task whose future returns once
//! `CANCEL_REQUESTED` is set (it cancelled itself, or a cancellation raced
//! with its last poll) ends `Cancelled`, its output dropped, because
//! [`Slot::finish`] sets `DONE` and the outcome in one compare-and-swap
//! against the request: `cancel()` returns true exactly when its request
//! came before `DONE`, and then the task ends cancelled (or panicked).
//!
//! ```text
//!                 first poll                future returns
//!   insert ──► Pending ─────────► Running ────────────────────► Done
//!                 │                  │ └──future (or its drop) panics──► Panicked
//!                 │ cancel()         │ cancel()
//!                 ▼                  ▼
//!            Cancelling ──next poll: drop the future──► Cancelled
//!                                    └──a destructor panics──► Panicked
//!
//!   insert (a local task off the loop thread) ──► DONE|CANCELLED|REFUSED
//! ```
//!
//! `Pending` and `Running` differ only by `STARTED` in the id word, which
//! only the task writes while it lives: the first poll sets it with a
//! plain store. `Cancelling` is `CANCEL_REQUESTED` without `DONE`.
//!
//! The slot is free when `DONE` is set and no handle is left: whichever of
//! [`Slot::finish`] and [`Slot::release`] makes that so frees it, exactly
//! once. A free slot's word is `FREE` (no handle, `DONE`), so a snapshot
//! ([`Slot::try_acquire`]) never takes a handle to it.

use std::fmt;
use std::num::NonZeroU64;

use crate::sync::{AtomicU64, Ordering};

/// A watcher waits for `DONE` (see `table::Registry::watch`).
pub(crate) const WATCHED: u8 = 1 << 0;
/// Stop at the next poll.
pub(crate) const CANCEL_REQUESTED: u8 = 1 << 1;
/// The task has finished and its future has been dropped.
pub(crate) const DONE: u8 = 1 << 2;
/// It finished by being cancelled.
pub(crate) const CANCELLED: u8 = 1 << 3;
/// It finished by a panic (of its body, or of a destructor of its locals).
pub(crate) const PANICKED: u8 = 1 << 4;
/// A waker is stored beside the slot: finishing must drop it.
pub(crate) const WAKER: u8 = 1 << 5;
/// A local task created on a thread that runs no loop: never scheduled
/// (`TaskError::NotOnLoopThread`).
pub(crate) const REFUSED: u8 = 1 << 6;
/// The task's name was given in full, and the table keeps it.
pub(crate) const GIVEN_NAME: u8 = 1 << 7;

/// The handle count's bits in `word`.
const REFS: u64 = 0xFFFF_FFFF;
const STATE_SHIFT: u32 = 32;
const LOOP_SHIFT: u32 = 48;
/// The count of active cancellation handlers: bits 40..47.
const HANDLERS_SHIFT: u32 = 40;
const HANDLERS: u64 = 0x7F << HANDLERS_SHIFT;
/// Bit 47: a handler has seen the cancellation request (so a suspension
/// need not wake the task to deliver it).
const DELIVERED: u64 = 1 << 47;
/// The word of a free slot: no handle, `DONE`.
const FREE: u64 = (DONE as u64) << STATE_SHIFT;
/// A count of handles that means handles are being leaked: two billion
/// handles (8 GiB of them). As `Arc` does, the process aborts there rather
/// than let the count wrap and free a slot under a live handle.
const MAX_REFS: u64 = (u32::MAX / 2) as u64;

/// Set in `id` once the task has been polled. Ids stay below it: at one
/// task a nanosecond, 2^63 ids last 292 years.
const STARTED: u64 = 1 << 63;

/// The state bits of a word.
#[allow(clippy::cast_possible_truncation)] // the point: bits 32..40
const fn state_of(word: u64) -> u8 {
    (word >> STATE_SHIFT) as u8
}

/// Bits to add to a word to set state bits `state`.
const fn state_bits(state: u8) -> u64 {
    (state as u64) << STATE_SHIFT
}

/// The shared part of one task.
pub(crate) struct Slot {
    word: AtomicU64,
    id: AtomicU64,
}

impl Slot {
    #[cfg(not(loom))]
    pub(crate) const fn new() -> Self {
        Self {
            word: AtomicU64::new(FREE),
            id: AtomicU64::new(0),
        }
    }

    #[cfg(loom)]
    pub(crate) fn new() -> Self {
        Self {
            word: AtomicU64::new(FREE),
            id: AtomicU64::new(0),
        }
    }

    /// Makes this free slot, just taken off a free list, task `id`'s, of
    /// the loop numbered `event_loop`, with `refs` handles and `state`.
    /// The release store publishes the slot's other fields, written
    /// before, to whoever acquires it next.
    #[inline]
    pub(crate) fn publish(&self, id: u64, event_loop: u16, refs: u32, state: u8) {
        debug_assert!(id < STARTED);
        self.id.store(id, Ordering::Relaxed);
        self.word.store(
            u64::from(refs) | state_bits(state) | (u64::from(event_loop) << LOOP_SHIFT),
            Ordering::Release,
        );
    }

    /// The task's id.
    #[inline]
    pub(crate) fn id(&self) -> TaskId {
        let id = self.id.load(Ordering::Relaxed) & !STARTED;
        TaskId(NonZeroU64::new(id).unwrap_or(NonZeroU64::MAX))
    }

    /// Records that the task has been polled, unless it is recorded, and
    /// says whether this is its first poll: only the task writes its id
    /// while it lives, so a plain store does, with no locked instruction on
    /// a worker's first touch of the slot.
    #[inline]
    pub(crate) fn mark_started(&self) -> bool {
        let id = self.id.load(Ordering::Relaxed);
        let first = id & STARTED == 0;
        if first {
            self.id.store(id | STARTED, Ordering::Relaxed);
        }
        first
    }

    /// The number of the task's loop.
    #[inline]
    pub(crate) fn loop_number(&self) -> u16 {
        #[allow(clippy::cast_possible_truncation)] // the point: the top 16 bits
        let number = (self.word.load(Ordering::Relaxed) >> LOOP_SHIFT) as u16;
        number
    }

    /// The state bits.
    #[inline]
    pub(crate) fn bits(&self) -> u8 {
        state_of(self.word.load(Ordering::Acquire))
    }

    /// Whether the task must stop now: a cancellation was requested and no
    /// handler of the task's own takes it (see [`Slot::enter_handler`]).
    #[inline]
    pub(crate) fn must_stop(&self) -> bool {
        let word = self.word.load(Ordering::Acquire);
        state_of(word) & CANCEL_REQUESTED != 0 && word & HANDLERS == 0
    }

    /// Whether a suspension must wake the task to deliver a cancellation:
    /// one was requested, and either no handler takes it or none has seen
    /// it yet.
    #[inline]
    pub(crate) fn must_wake(&self) -> bool {
        let word = self.word.load(Ordering::Acquire);
        state_of(word) & CANCEL_REQUESTED != 0 && (word & HANDLERS == 0 || word & DELIVERED == 0)
    }

    /// Whether a cancellation was requested, for a handler of the task's
    /// own: if so, it is recorded as seen (see [`Slot::must_wake`]).
    pub(crate) fn take_request(&self) -> bool {
        let word = self.word.load(Ordering::Acquire);
        if state_of(word) & CANCEL_REQUESTED == 0 {
            return false;
        }
        if word & DELIVERED == 0 {
            self.word.fetch_or(DELIVERED, Ordering::AcqRel);
        }
        true
    }

    /// Counts one more active cancellation handler; false (and nothing
    /// counted) if 127 are active, when the outer ones already keep the
    /// task's future alive. Only the task calls this, from its own poll.
    pub(crate) fn enter_handler(&self) -> bool {
        if self.word.load(Ordering::Relaxed) & HANDLERS == HANDLERS {
            return false;
        }
        self.word.fetch_add(1 << HANDLERS_SHIFT, Ordering::AcqRel);
        true
    }

    /// Counts one active cancellation handler less (one that
    /// [`enter_handler`](Self::enter_handler) counted).
    pub(crate) fn leave_handler(&self) {
        let previous = self.word.fetch_sub(1 << HANDLERS_SHIFT, Ordering::AcqRel);
        debug_assert_ne!(previous & HANDLERS, 0, "a handler left that never entered");
    }

    /// Whether a cancellation was requested.
    #[inline]
    pub(crate) fn is_cancel_requested(&self) -> bool {
        self.bits() & CANCEL_REQUESTED != 0
    }

    /// Sets `WATCHED`; returns the state bits before.
    #[inline]
    pub(crate) fn set_watched(&self) -> u8 {
        state_of(self.word.fetch_or(state_bits(WATCHED), Ordering::AcqRel))
    }

    /// Where the task is in its life.
    pub(crate) fn state(&self) -> TaskState {
        let bits = self.bits();
        if bits & DONE != 0 {
            if bits & CANCELLED != 0 {
                TaskState::Cancelled
            } else if bits & PANICKED != 0 {
                TaskState::Panicked
            } else {
                TaskState::Done
            }
        } else if bits & CANCEL_REQUESTED != 0 {
            TaskState::Cancelling
        } else if self.id.load(Ordering::Relaxed) & STARTED != 0 {
            TaskState::Running
        } else {
            TaskState::Pending
        }
    }

    /// Sets `CANCEL_REQUESTED`; returns the state bits before. The caller
    /// holds a handle, so the slot is not free.
    #[inline]
    pub(crate) fn request_cancel(&self) -> u8 {
        state_of(
            self.word
                .fetch_or(state_bits(CANCEL_REQUESTED), Ordering::AcqRel),
        )
    }

    /// Sets `WAKER`, which is clear and which only the task sets. (Adding
    /// a clear bit sets it: on x86 one `lock xadd`, not a CAS loop.)
    #[inline]
    pub(crate) fn set_waker_bit(&self) {
        self.word.fetch_add(state_bits(WAKER), Ordering::AcqRel);
    }

    /// Adds a handle; the caller holds one, or is the slot's task.
    #[inline]
    pub(crate) fn acquire(&self) {
        let previous = self.word.fetch_add(1, Ordering::Relaxed);
        if previous & REFS >= MAX_REFS {
            std::process::abort();
        }
    }

    /// Adds a handle to the task of the loop numbered `event_loop` in this
    /// slot, unless the slot is free or its task done (for a snapshot,
    /// which holds no handle yet). Aborts where [`acquire`](Self::acquire)
    /// does: leaked snapshot handles must not wrap the count either.
    pub(crate) fn try_acquire(&self, event_loop: u16) -> bool {
        let taken = self
            .word
            .fetch_update(Ordering::Acquire, Ordering::Relaxed, |word| {
                (state_of(word) & DONE == 0 && word >> LOOP_SHIFT == u64::from(event_loop))
                    .then_some(word + 1)
            });
        match taken {
            Ok(previous) if previous & REFS >= MAX_REFS => std::process::abort(),
            Ok(_) => true,
            Err(_) => false,
        }
    }

    /// Drops a handle. Returns the state bits if that made the slot free:
    /// the caller must put it on a free list.
    #[inline]
    pub(crate) fn release(&self) -> Option<u8> {
        let word = self.word.load(Ordering::Acquire);
        if word & REFS == 1 && state_of(word) & DONE != 0 {
            // The last handle to a finished task: nothing else can reach
            // the slot (no other handle can clone or cancel, and a done
            // task is neither polled nor taken by a snapshot), and the load
            // acquired every earlier release and the task's `DONE`: letting
            // go needs no locked instruction.
            self.word.store(word - 1, Ordering::Relaxed);
            return Some(state_of(word));
        }
        let previous = self.word.fetch_sub(1, Ordering::AcqRel);
        (previous & REFS == 1 && state_of(previous) & DONE != 0).then_some(state_of(previous))
    }

    /// Sets `DONE` and the bits of `outcome`: the task, whose future has
    /// been dropped, lets go of its slot. A task that returned
    /// (`outcome` 0) after a cancellation was requested ends `CANCELLED`
    /// (see the module's docs). Only the task calls this, once.
    ///
    /// Unless `watched_ok`, a slot with `WATCHED` set is left as it is and
    /// `Finish::Watched` returned: its watchers' lock must be held while
    /// `DONE` is set (see `table::Registry::watch`), and the caller calls
    /// again holding it.
    #[inline]
    pub(crate) fn finish(&self, outcome: u8, watched_ok: bool) -> Finish {
        debug_assert_eq!(outcome & !(CANCELLED | PANICKED), 0);
        let mut word = self.word.load(Ordering::Acquire);
        loop {
            let state = state_of(word);
            debug_assert_eq!(state & DONE, 0, "a task finished twice");
            if state & WATCHED != 0 && !watched_ok {
                return Finish::Watched;
            }
            let outcome = if outcome == 0 && state & CANCEL_REQUESTED != 0 {
                CANCELLED
            } else {
                outcome
            };
            // `DONE` and the outcome's bits are clear and only the task
            // sets them: adding them sets them.
            match self.word.compare_exchange_weak(
                word,
                word + state_bits(DONE | outcome),
                Ordering::AcqRel,
                Ordering::Acquire,
            ) {
                Ok(previous) => {
                    let free =
                        (previous & REFS == 0).then_some(state_of(previous) | DONE | outcome);
                    return Finish::Done { outcome, free };
                }
                Err(now) => word = now,
            }
        }
    }

    /// The next free slot after this free one, on its free list.
    #[inline]
    pub(crate) fn next_free(&self) -> u32 {
        #[allow(clippy::cast_possible_truncation)] // a free slot's id is a slot number
        let next = self.id.load(Ordering::Relaxed) as u32;
        next
    }

    /// Links this free slot to `next` on its free list.
    #[inline]
    pub(crate) fn set_next_free(&self, next: u32) {
        self.id.store(u64::from(next), Ordering::Relaxed);
    }

    /// The handle count: `Task`s and `TaskRef`s (the task's own hold on
    /// its slot is not counted).
    pub(crate) fn refs(&self) -> u64 {
        self.word.load(Ordering::Acquire) & REFS
    }

    /// Sets the handle count, for tests of the overflow aborts.
    #[cfg(all(test, not(loom)))]
    pub(crate) fn force_refs(&self, refs: u32) {
        let word = self.word.load(Ordering::Acquire);
        self.word
            .store((word & !REFS) | u64::from(refs), Ordering::Release);
    }
}

impl fmt::Debug for Slot {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Slot")
            .field("id", &self.id())
            .field("state", &self.state())
            .finish_non_exhaustive()
    }
}

/// What [`Slot::finish`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Finish {
    /// `DONE` is set, with `outcome` (`CANCELLED`, `PANICKED` or 0); `free`
    /// is the state bits if no handle is left: the caller must put the slot
    /// on a free list.
    Done { outcome: u8, free: Option<u8> },
    /// Nothing done: the slot is watched (see [`Slot::finish`]).
    Watched,
}

/// A task's id: unique in the process, never reused, never zero.
///
/// ```
/// # cosched::run(async {
/// let task = cosched::create_task(async {});
/// assert!(task.id().as_u64() > 0);
/// # });
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TaskId(NonZeroU64);

impl TaskId {
    /// The id as a number.
    ///
    /// ```
    /// # cosched::run(async {
    /// let task = cosched::create_task(async {});
    /// assert_eq!(task.id().to_string(), task.id().as_u64().to_string());
    /// # });
    /// ```
    pub fn as_u64(self) -> u64 {
        self.0.get()
    }
}

impl fmt::Display for TaskId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

/// Where a task is in its life.
///
/// ```
/// # cosched::run(async {
/// let task = cosched::create_task(async { 1 });
/// let handle = task.task_ref();
/// task.await.unwrap();
/// assert_eq!(handle.state(), cosched::TaskState::Done);
/// # });
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TaskState {
    /// Scheduled, not yet polled.
    Pending,
    /// Polled at least once, not finished.
    Running,
    /// Cancellation requested; the task stops at its next poll.
    Cancelling,
    /// Finished with an output.
    Done,
    /// Finished by cancellation.
    Cancelled,
    /// Finished by a panic: of its body, or of a destructor of its locals.
    Panicked,
}

#[cfg(all(test, not(loom)))]
mod tests {
    use super::*;

    /// Every task pays for one slot: keep it at two words, four to a
    /// cache line.
    #[test]
    fn a_slot_is_two_words() {
        assert_eq!(size_of::<Slot>(), 16);
    }

    #[test]
    fn the_transitions_of_a_task_that_returns() {
        let slot = Slot::new();
        slot.publish(7, 3, 1, 0);
        assert_eq!(slot.id().as_u64(), 7);
        assert_eq!(slot.loop_number(), 3);
        assert_eq!(slot.state(), TaskState::Pending);
        slot.mark_started();
        assert_eq!(slot.state(), TaskState::Running);
        assert_eq!(slot.id().as_u64(), 7, "STARTED is not part of the id");
        assert_eq!(
            slot.finish(0, false),
            Finish::Done {
                outcome: 0,
                free: None
            },
            "a handle is left"
        );
        assert_eq!(slot.state(), TaskState::Done);
        assert!(!slot.try_acquire(3), "a snapshot skips a done task");
        assert_eq!(slot.release(), Some(DONE));
    }

    #[test]
    fn the_last_of_finish_and_release_frees_the_slot() {
        let slot = Slot::new();
        slot.publish(1, 0, 2, 0);
        assert_eq!(slot.release(), None);
        assert_eq!(slot.release(), None, "the task still holds it");
        assert_eq!(
            slot.finish(CANCELLED, false),
            Finish::Done {
                outcome: CANCELLED,
                free: Some(DONE | CANCELLED)
            }
        );
    }

    #[test]
    fn a_cancel_request_shows_until_the_task_ends() {
        let slot = Slot::new();
        slot.publish(1, 0, 1, 0);
        assert_eq!(slot.request_cancel() & CANCEL_REQUESTED, 0);
        assert_eq!(slot.state(), TaskState::Cancelling);
        assert_ne!(slot.request_cancel() & CANCEL_REQUESTED, 0);
        slot.finish(CANCELLED, false);
        assert_eq!(slot.state(), TaskState::Cancelled);
    }

    /// `test_cancel_at_end`'s core: a task that returns after a
    /// cancellation was requested ends cancelled, so `cancel()` said true
    /// truthfully; one that returned first refuses a later `cancel()`.
    #[test]
    fn a_return_after_a_cancel_request_ends_cancelled() {
        let slot = Slot::new();
        slot.publish(1, 0, 1, 0);
        slot.request_cancel();
        assert_eq!(
            slot.finish(0, false),
            Finish::Done {
                outcome: CANCELLED,
                free: None
            }
        );
        assert_eq!(slot.state(), TaskState::Cancelled);

        let slot = Slot::new();
        slot.publish(1, 0, 1, 0);
        slot.finish(0, false);
        assert_ne!(slot.request_cancel() & DONE, 0, "cancel() returns false");
        assert_eq!(slot.state(), TaskState::Done);
    }

    #[test]
    fn a_handler_keeps_a_cancel_request_from_stopping_the_task() {
        let slot = Slot::new();
        slot.publish(1, 0, 1, 0);
        assert!(slot.enter_handler());
        assert!(!slot.take_request());
        slot.request_cancel();
        assert!(!slot.must_stop());
        assert!(
            slot.must_wake(),
            "not seen yet: a suspension wakes the task"
        );
        assert!(slot.take_request());
        assert!(!slot.must_wake(), "seen: the handler is cleaning up");
        assert_eq!(slot.state(), TaskState::Cancelling);
        slot.leave_handler();
        assert!(slot.must_stop());
        assert!(slot.must_wake());
    }

    #[test]
    fn a_watched_slot_finishes_only_with_its_watchers_lock() {
        let slot = Slot::new();
        slot.publish(1, 0, 1, 0);
        assert_eq!(slot.set_watched() & DONE, 0);
        assert_eq!(slot.finish(0, false), Finish::Watched);
        assert_eq!(slot.state(), TaskState::Pending, "nothing done");
        assert_eq!(
            slot.finish(0, true),
            Finish::Done {
                outcome: 0,
                free: None
            }
        );
    }

    #[test]
    fn a_snapshot_takes_only_live_tasks_of_its_loop() {
        let slot = Slot::new();
        assert!(!slot.try_acquire(0), "a free slot");
        slot.publish(1, 4, 0, 0);
        assert!(!slot.try_acquire(5), "another loop's");
        assert!(slot.try_acquire(4));
        assert_eq!(slot.refs(), 1);
    }

    /// Fault 7 of the task-core audit: `try_acquire` (snapshots) lacked
    /// `acquire`'s overflow abort, so 2^32 leaked snapshot handles wrapped
    /// the count and freed a slot under a live handle. Run in a child
    /// process, which must abort.
    #[test]
    fn fault_7_a_snapshot_aborts_before_the_handle_count_wraps() {
        const CHILD: &str = "COSCHED_TEST_OVERFLOW_CHILD";
        if std::env::var_os(CHILD).is_some() {
            let slot = Slot::new();
            slot.publish(1, 0, 0, 0);
            slot.force_refs(u32::MAX / 2);
            slot.try_acquire(0);
            // Not reached if it aborts.
            std::process::exit(0);
        }
        let status = std::process::Command::new(std::env::current_exe().expect("the test binary"))
            .args([
                "--exact",
                "task::state::tests::fault_7_a_snapshot_aborts_before_the_handle_count_wraps",
                "--nocapture",
            ])
            .env(CHILD, "1")
            .status()
            .expect("the child test runs");
        assert!(!status.success(), "the child did not abort: {status}");
        #[cfg(unix)]
        {
            use std::os::unix::process::ExitStatusExt;
            assert_eq!(status.signal(), Some(6), "SIGABRT, as `acquire`'s abort");
        }
    }
}
