//! What the tasks share with the driver: per-task flags ([`Shared`]), and
//! the [`Guard`]s that record in them that a coroutine's arguments and
//! locals were dropped, each exactly once.

use std::sync::Arc;
use std::sync::atomic::{AtomicU8, AtomicUsize, Ordering};

// Per-task flags.
/// The body began.
pub(crate) const ENTERED: u8 = 1;
/// The body ran to its end (past its gate, if any).
pub(crate) const FINISHED: u8 = 1 << 1;
/// The guard moved in as an argument was dropped.
pub(crate) const ARGUMENT_DROPPED: u8 = 1 << 2;
/// The guard the body made for itself was dropped.
pub(crate) const LOCAL_DROPPED: u8 = 1 << 3;
/// A guard was dropped twice.
pub(crate) const DOUBLE_DROP: u8 = 1 << 4;

/// What the tasks of a run share with the driver.
#[derive(Debug)]
pub(crate) struct Shared {
    pub(crate) flags: Vec<AtomicU8>,
    pub(crate) guards_made: AtomicUsize,
    pub(crate) guards_dropped: AtomicUsize,
}

impl Shared {
    pub(crate) fn new(tasks: usize) -> Self {
        Self {
            flags: (0..tasks).map(|_| AtomicU8::new(0)).collect(),
            guards_made: AtomicUsize::new(0),
            guards_dropped: AtomicUsize::new(0),
        }
    }

    pub(crate) fn set(&self, id: usize, flag: u8) -> u8 {
        self.flags[id].fetch_or(flag, Ordering::AcqRel)
    }

    pub(crate) fn flags(&self, id: usize) -> u8 {
        self.flags[id].load(Ordering::Acquire)
    }
}

/// Records its own destruction in its task's flags.
#[derive(Debug)]
pub(crate) struct Guard {
    shared: Arc<Shared>,
    id: usize,
    flag: u8,
}

impl Guard {
    pub(crate) fn new(shared: &Arc<Shared>, id: usize, flag: u8) -> Self {
        shared.guards_made.fetch_add(1, Ordering::Relaxed);
        Self {
            shared: Arc::clone(shared),
            id,
            flag,
        }
    }
}

impl Drop for Guard {
    fn drop(&mut self) {
        let before = self.shared.set(self.id, self.flag);
        if before & self.flag != 0 {
            self.shared.set(self.id, DOUBLE_DROP);
        }
        self.shared.guards_dropped.fetch_add(1, Ordering::Relaxed);
    }
}
