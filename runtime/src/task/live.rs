//! How many tasks of each loop are alive, exactly, with no count that
//! every thread writes.
//!
//! `run` must not return while a task of its loop still has a future, and
//! it must decide that in time proportional to what is alive, not to the
//! table. Scanning the table does neither: a scan is not atomic across
//! slots, so a task in a long poll could spawn a child into a slot the
//! scan had passed and then finish before the scan reached its own, and
//! both were missed. A per-loop count is exact, but a count that the
//! spawning thread increments and a worker decrements moves its cache line
//! between them for every task (about 40 ns a task on this project's
//! machine, measured when tasks held an `Arc`).
//!
//! So each loop number has [`Counts`]: `CELLS` cells of two monotonic
//! counters, tasks spawned and tasks finished; a thread adds to its own
//! cell (picked by a number the thread draws once), so each cell stays on
//! its thread's core. A task counts as spawned before it can run, and as
//! finished after its future has been dropped. The loop has no task left
//! when, reading every cell's finished count and *then* every cell's
//! spawned count, the two sums are equal ([`Counts::is_empty`]):
//!
//! * each finish that the first sum includes was acquired, and its task's
//!   spawn happened before it, so the second sum includes that spawn; the
//!   sums equal means every spawn included has its finish included;
//! * a child spawned by a task before that task finished is included with
//!   its parent's finish, so it is finished too: the race above is closed.
//!
//! A spawn that no included task made (another thread spawning onto the
//! loop at that moment) may be left out: it is concurrent with the
//! decision, which is then taken before it.

use std::sync::OnceLock;

use crate::sync::{AtomicU64, Ordering};

/// Cells per loop number.
#[cfg(not(loom))]
const CELLS: usize = 16;
#[cfg(loom)]
const CELLS: usize = 2;

/// A thread's two counters, on a cache line of their own.
#[derive(Default)]
#[repr(align(64))]
struct Cell {
    spawned: AtomicU64,
    finished: AtomicU64,
}

/// The live-task counts of one loop number.
pub(crate) struct Counts {
    cells: [Cell; CELLS],
}

impl Counts {
    pub(crate) fn new() -> Self {
        Self {
            cells: std::array::from_fn(|_| Cell::default()),
        }
    }

    /// A task of this loop is about to be scheduled, by this thread.
    #[inline]
    pub(crate) fn spawned(&self) {
        self.spawned_in(thread_cell());
    }

    /// A task of this loop, counted by [`spawned`](Self::spawned), has
    /// finished on this thread: its future has been dropped.
    #[inline]
    pub(crate) fn finished(&self) {
        self.finished_in(thread_cell());
    }

    #[inline]
    pub(crate) fn spawned_in(&self, cell: usize) {
        self.cells[cell % CELLS]
            .spawned
            .fetch_add(1, Ordering::Release);
    }

    #[inline]
    pub(crate) fn finished_in(&self, cell: usize) {
        self.cells[cell % CELLS]
            .finished
            .fetch_add(1, Ordering::Release);
    }

    /// Whether every task counted as spawned has finished (see the module's
    /// docs for why the order of the reads makes this exact).
    pub(crate) fn is_empty(&self) -> bool {
        let finished = self.sum(|cell| &cell.finished);
        let spawned = self.sum(|cell| &cell.spawned);
        spawned == finished
    }

    /// About how many tasks are alive (exact when nothing runs meanwhile).
    pub(crate) fn approximate(&self) -> u64 {
        let finished = self.sum(|cell| &cell.finished);
        self.sum(|cell| &cell.spawned).saturating_sub(finished)
    }

    fn sum(&self, counter: impl Fn(&Cell) -> &AtomicU64) -> u64 {
        self.cells
            .iter()
            .map(|cell| counter(cell).load(Ordering::Acquire))
            .fold(0, u64::wrapping_add)
    }
}

/// Loop numbers per group of [`counts`]' table.
const GROUP: usize = 256;

/// The counts of the loop numbered `number`: made on first use, kept for
/// the process's lifetime (a number is reused by later loops, which go on
/// counting where the last left off: only equality of the sums matters).
#[cfg(not(loom))]
pub(crate) fn counts(number: u16) -> &'static Counts {
    static COUNTS: [OnceLock<Box<[OnceLock<Counts>; GROUP]>>; 65536 / GROUP] =
        [const { OnceLock::new() }; 65536 / GROUP];
    let number = usize::from(number);
    COUNTS[number / GROUP].get_or_init(|| {
        let group: Box<[OnceLock<Counts>]> = (0..GROUP).map(|_| OnceLock::new()).collect();
        group
            .try_into()
            .unwrap_or_else(|_| unreachable!("GROUP cells make a group"))
    })[number % GROUP]
        .get_or_init(Counts::new)
}

#[cfg(loom)]
pub(crate) fn counts(_: u16) -> &'static Counts {
    unreachable!("under loom, only the models run, each with counts of its own")
}

/// This thread's cell: a number drawn once per thread.
#[inline]
fn thread_cell() -> usize {
    use std::cell::Cell;
    use std::sync::atomic::AtomicUsize;

    thread_local! {
        // No destructor: usable while the thread's other thread-locals are
        // destroyed (a backend's local executor dropping its tasks).
        static CELL: Cell<usize> = const { Cell::new(usize::MAX) };
    }
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let cell = CELL.get();
    if cell != usize::MAX {
        return cell;
    }
    let cell = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed) % CELLS;
    CELL.set(cell);
    cell
}

#[cfg(all(test, not(loom)))]
mod tests {
    use super::*;

    #[test]
    fn spawns_and_finishes_on_any_threads_balance() {
        let counts: &'static Counts = Box::leak(Box::new(Counts::new()));
        assert!(counts.is_empty());
        for _ in 0..100 {
            counts.spawned();
        }
        assert!(!counts.is_empty());
        assert_eq!(counts.approximate(), 100);
        let workers: Vec<_> = (0..4)
            .map(|_| {
                std::thread::spawn(move || {
                    for _ in 0..25 {
                        counts.finished();
                    }
                })
            })
            .collect();
        for worker in workers {
            worker.join().expect("a worker");
        }
        assert!(counts.is_empty());
    }

    #[test]
    fn each_number_has_counts_of_its_own() {
        let (a, b) = (counts(60_000), counts(60_001));
        a.spawned();
        assert!(!a.is_empty());
        assert!(b.is_empty());
        a.finished();
        assert!(a.is_empty());
    }
}
