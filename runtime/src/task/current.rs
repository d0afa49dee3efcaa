//! The task being polled on this thread, if any.

use std::cell::Cell;

/// No task: `Current::index` outside a poll.
const NO_TASK: u32 = u32::MAX;

/// A task being polled: its slot number and its loop's number. (Plain
/// numbers in a `Cell`: a poll reads and writes them without a borrow flag
/// or a destructor's registration.)
#[derive(Clone, Copy)]
pub(crate) struct Current {
    pub(crate) index: u32,
    pub(crate) event_loop: u16,
}

thread_local! {
    static CURRENT: Cell<Current> = const {
        Cell::new(Current { index: NO_TASK, event_loop: 0 })
    };
}

/// The task being polled on this thread, if any.
#[inline]
pub(crate) fn get() -> Option<Current> {
    let current = CURRENT.get();
    (current.index != NO_TASK).then_some(current)
}

/// Marks a task as the current one on this thread while it is polled, and
/// puts back the one before (a task polled inside another's poll, by a
/// `block_on` of another runtime in it) when dropped.
pub(crate) struct Enter {
    previous: Current,
}

impl Enter {
    /// Task `index`, of the loop numbered `event_loop`, is being polled.
    #[inline]
    pub(crate) fn new(index: u32, event_loop: u16) -> Self {
        Self {
            previous: CURRENT.replace(Current { index, event_loop }),
        }
    }
}

impl Drop for Enter {
    #[inline]
    fn drop(&mut self) {
        CURRENT.set(self.previous);
    }
}
