//! Loop numbers: a task's slot names its loop by a two-byte number rather
//! than by a reference that its handles and its future would count (a
//! count every thread shares), and the number leads back to the loop. A
//! number is reused only once no task of it is alive.

use std::sync::{Mutex, MutexGuard, PoisonError, Weak};

use super::{EventLoop, LoopInner};
use crate::task::live;

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
pub(super) fn new_loop(id: u64) -> EventLoop {
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
    let inner = std::sync::Arc::new(LoopInner {
        id,
        number,
        counts: live::counts(number),
    });
    numbers.loops[usize::from(number)] = std::sync::Arc::downgrade(&inner);
    EventLoop { inner }
}

/// The loop numbered `number`, unless it has been dropped.
pub(super) fn find(number: u16) -> Option<EventLoop> {
    let numbers = numbers();
    let inner = numbers.loops.get(usize::from(number))?.upgrade()?;
    Some(EventLoop { inner })
}

/// The loop numbered `number` is being dropped: its number is free at once
/// if it has no task alive (a look at its counts, not at the table).
pub(super) fn release(number: u16) {
    let mut numbers = numbers();
    if live::counts(number).is_empty() {
        numbers.vacant.push(number);
    } else {
        numbers.orphaned.push(number);
    }
}
