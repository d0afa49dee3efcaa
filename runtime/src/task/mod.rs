//! Tasks: the life of one, explained once, and the handles to it.
//!
//! A task is two things:
//!
//! * the future the backend runs ([`poll::TaskFuture`], inside the
//!   backend's own task allocation, the only one a task makes): the user's
//!   future, polled under `catch_unwind`, and the task's [`handle::Claim`]
//!   on its slot, which ends the task exactly once, on whatever path;
//! * a slot in the process's task table ([`table`]): two atomic words, the
//!   task's id and one word of handle count, state bits and loop number
//!   ([`state`], where every bit and transition is), shared by that future
//!   and by every handle ([`join::Task`], [`join::TaskRef`]), each of
//!   which holds a [`handle::SlotRef`]: the slot's number, counted.
//!
//! ```text
//!   create_task ─► Pending ──first poll──► Running ──future returns──► Done
//!                     │                       │  └──it (or a destructor) panics──► Panicked
//!                     │ cancel()              │ cancel()
//!                     ▼                       ▼
//!                Cancelling ──next poll: drop the future──► (the tasks it cancelled end) ──► Cancelled (or Panicked)
//! ```
//!
//! * `cancel()` sets `CANCEL_REQUESTED` (unless `DONE` is already set) and
//!   wakes the stored waker, so a suspended task is polled once more; that
//!   poll drops the user's future instead of polling it, which runs the
//!   destructors of its locals. A task cancelled before its first poll never
//!   runs a line of its body.
//! * A poll that returns `Pending` stores the waker *then* re-reads the
//!   state; `cancel()` sets the flag *then* takes the waker, under the same
//!   lock: whichever goes second sees the other, so no cancellation is
//!   lost (`Registry::cancel`, `Registry::suspend`; model-checked in
//!   `loom`).
//! * Every panic of the user's code is caught: of a poll, of a destructor
//!   of the future's locals, and of a panic payload's own destructor (a
//!   payload that panics again is forgotten). The task then ends
//!   `Panicked`, and whoever awaits it gets `TaskError::Panicked`, the same
//!   on every backend.
//! * A task with an active cancellation handler ([`on_cancel`](crate::on_cancel))
//!   is not dropped: the request is delivered to the handler at its await
//!   point, which drops the work it guards and runs its cleanup, bounded
//!   by a grace period; the task ends at its next suspension after that.
//! * `cancel()` tells the truth: a task that returns once a cancellation
//!   was requested ends `Cancelled` (one compare-and-swap in
//!   `Slot::finish` decides between the two; model-checked).
//! * What a task's future cancels as it is dropped for a cancellation (a
//!   `Join` it awaited, a group, `wait_for`'s task) it adopts
//!   (`SlotRef::cancel_owned`): the task stays `Cancelling` until those
//!   have ended, woken by their ends (`Registry::watch`, model-checked),
//!   so no task outlives the one that was waiting for it.
//! * A `Join` polled by a task records "this task awaits that one"
//!   (`Registry::set_awaiting`); an await that would close a cycle gets
//!   `TaskError::AwaitCycle`.
//! * `DONE` is set only once the user's future has been dropped: a loop
//!   whose tasks are all done has no task left, not even a destructor to
//!   run. Setting it is also the task letting go of its slot: the slot is
//!   reused once the task is done and the last handle is gone, whichever
//!   comes second, exactly once (`state::Slot::finish`,
//!   `state::Slot::release`).
//! * Each loop counts its tasks as spawned before they run and as finished
//!   once `DONE` is set, in counters kept per thread ([`live`]): `run`
//!   decides that nothing is left from those, exactly, without scanning
//!   the table.
//!
//! Data flows one way: `join` → `handle`, `poll` → `table` → `state`,
//! `poll` → `trace` (the `tracing` feature's span of a task; nothing
//! without the feature) → `table`; `live`, `name`, `current` and `error`
//! are leaves.

// Under `--cfg loom`, only the protocols (`state`, `table`, `live`) and
// what they need are built, with their models.
#[cfg(not(loom))]
mod current;
#[cfg(not(loom))]
pub(crate) mod error;
#[cfg(not(loom))]
mod graph;
#[cfg(not(loom))]
mod handle;
#[cfg(not(loom))]
mod join;
pub(crate) mod live;
#[cfg(all(test, loom))]
mod loom;
mod meta;
mod name;
#[cfg(not(loom))]
mod poll;
mod state;
mod table;
#[cfg(not(loom))]
mod trace;

#[cfg(not(loom))]
pub(crate) use current::get as current;
#[cfg(not(loom))]
pub(crate) use graph::{Edge, awaited_by};

/// The task that the task in `slot` awaits through a `Join`, if any.
#[cfg(not(loom))]
pub(crate) fn joined_by(slot: &SlotRef) -> Option<u32> {
    table::table().awaiting(slot.index())
}
#[cfg(not(loom))]
pub(crate) use handle::{SlotRef, new_task, refused};
#[cfg(not(loom))]
pub(crate) use handle::{enter_handler, leave_handler, take_cancel_request};
pub(crate) use name::Name;
pub(crate) use name::Origin;
#[cfg(not(loom))]
pub(crate) use poll::{TaskFuture, naming};

#[cfg(not(loom))]
pub use error::{PanicMessage, TaskError};
#[cfg(not(loom))]
pub use join::{Join, JoinMut, Task, TaskRef};
pub use meta::TaskMeta;
pub use state::{TaskId, TaskState};
