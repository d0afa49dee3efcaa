//! The atomics and locks of the task core's lock-free protocols: `std`'s,
//! or `loom`'s when the crate is built with `--cfg loom`, so that the model
//! checker runs the real code of `task::state`, `task::table` and
//! `task::live` rather than a copy (see `task::loom`).

#[cfg(loom)]
pub(crate) use loom::sync::atomic::{AtomicU32, AtomicU64, Ordering};
#[cfg(loom)]
pub(crate) use loom::sync::{Mutex, MutexGuard};
#[cfg(not(loom))]
pub(crate) use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};
#[cfg(not(loom))]
pub(crate) use std::sync::{Mutex, MutexGuard};

use std::sync::PoisonError;

/// Locks `mutex`, whatever a panic elsewhere did: every mutex of the task
/// core guards data that is valid at every step (nothing panics while one
/// is held), and a poisoned lock is no reason to lose a cancellation.
pub(crate) fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}
