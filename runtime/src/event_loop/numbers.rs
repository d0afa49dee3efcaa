//! Loop numbers: a task's slot names its loop by a two-byte number rather
//! than by a reference that its handles and its future would count (a
//! count every thread shares), and the number leads back to the loop. A
//! number is reused only once no task of it is alive.

use std::sync::{Arc, Mutex, MutexGuard, PoisonError, Weak};

use crate::task::live;

/// What every `EventLoop` value of one loop shares.
pub(super) struct LoopInner {
    pub(super) id: u64,
    /// How this loop's tasks' slots name it.
    pub(super) number: u16,
    /// Its live tasks, counted (see `task::live`).
    pub(super) counts: &'static live::Counts,
    /// The reports of its tasks' panics that nobody retrieved, for
    /// `#[cosched::test]` to fail on.
    pub(super) lost_panics: Mutex<Vec<String>>,
}

impl Drop for LoopInner {
    fn drop(&mut self) {
        // Before the number can go to a new loop.
        crate::time::clock::loop_dropped(self.number);
        release(self.number);
    }
}

struct Numbers {
    /// The loop of each number ever given out.
    loops: Vec<Weak<LoopInner>>,
    vacant: Vec<u16>,
    /// Numbers of dropped loops that had live tasks left (a loop is
    /// dropped while its tasks run on): reused once those are gone.
    orphaned: Vec<u16>,
}

static NUMBERS: Mutex<Numbers> = Mutex::new(Numbers {
    loops: Vec::new(),
    vacant: Vec::new(),
    orphaned: Vec::new(),
});

fn numbers() -> MutexGuard<'static, Numbers> {
    // Nothing panics while the lock is held.
    NUMBERS.lock().unwrap_or_else(PoisonError::into_inner)
}

/// A new loop, with a number.
///
/// # Panics
///
/// If 65 536 loops exist at once.
pub(super) fn new_loop(id: u64) -> Arc<LoopInner> {
    let mut numbers = numbers();
    let number = match (numbers.vacant.pop(), u16::try_from(numbers.loops.len())) {
        (Some(number), _) => number,
        (None, Ok(number)) => {
            numbers.loops.push(Weak::new());
            number
        }
        (None, Err(_)) => {
            let free = numbers
                .orphaned
                .iter()
                .position(|&number| live::counts(number).is_empty())
                .expect("cosched: at most 65536 event loops can exist at once");
            numbers.orphaned.swap_remove(free)
        }
    };
    let inner = Arc::new(LoopInner {
        id,
        number,
        counts: live::counts(number),
        lost_panics: Mutex::new(Vec::new()),
    });
    numbers.loops[usize::from(number)] = Arc::downgrade(&inner);
    inner
}

/// The loop numbered `number`, unless it has been dropped.
pub(super) fn find(number: u16) -> Option<Arc<LoopInner>> {
    numbers().loops.get(usize::from(number))?.upgrade()
}

/// Every loop not yet dropped, by number.
pub(super) fn live() -> Vec<Arc<LoopInner>> {
    // Upgraded under the lock, dropped by the caller after it: a loop
    // whose last other reference goes meanwhile is dropped there, and its
    // `release` takes the lock.
    numbers().loops.iter().filter_map(Weak::upgrade).collect()
}

/// The loop numbered `number` is being dropped: its number is free at once
/// if it has no task alive (a look at its counts, not at the table).
fn release(number: u16) {
    let mut numbers = numbers();
    if live::counts(number).is_empty() {
        numbers.vacant.push(number);
    } else {
        numbers.orphaned.push(number);
    }
}
