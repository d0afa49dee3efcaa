//! Models of the task core's lock-free protocols, checked by loom over the
//! real code of `state`, `table` and `live` (their atomics and locks come
//! from `crate::sync`, which is loom's under `--cfg loom`; the crate is
//! then built without a backend, see `lib.rs`):
//!
//! ```console
//! $ RUSTFLAGS="--cfg loom" LOOM_MAX_PREEMPTIONS=3 CARGO_TARGET_DIR=target/loom \
//!     cargo test -p cosched --no-default-features --lib --release loom
//! ```
//!
//! Each model names the mutation it guards against: the protocol broken
//! that way, the model fails. `.ci/loom-mutations` applies each mutation
//! to the real code in turn and checks that its model fails (CI runs it).

use std::task::{Wake, Waker};

use loom::sync::Arc;
use loom::sync::atomic::{AtomicBool, AtomicUsize};
use loom::thread;

use super::TaskMeta;
use super::live::Counts;
use super::name::{Name, Origin};
use super::state::CANCELLED;
use super::table::Registry;
use crate::sync::Ordering;

static META: TaskMeta = TaskMeta::new("model");

/// A task of loop 0 with `refs` handles, in `table`.
fn insert(table: &Registry, id: u64, refs: u32) -> u32 {
    table.insert(0, id, Name::new(&META, Origin::here()), 0, refs)
}

/// Ends the task in slot `index` and drops its one handle.
fn end(table: &Registry, index: u32) {
    table.finish(index, CANCELLED);
    table.release(index);
}

/// Asserts that slot `index` is on a free list exactly once: the next
/// spawn takes it, the one after takes another.
fn assert_freed_once(table: &Registry, index: u32) {
    let again = insert(table, 1000, 1);
    assert_eq!(again, index, "the slot was not freed (or freed elsewhere)");
    let other = insert(table, 1002, 1);
    assert_ne!(other, index, "the slot was freed twice");
}

/// Finish against two handle releases: whichever of the three goes last
/// frees the slot, once, and no slot is reused under a live handle.
///
/// Mutation tried: `Slot::finish` freeing when one handle is left
/// (`previous & REFS <= 1`): the model fails, the slot freed twice.
#[test]
fn finish_and_two_releases_free_the_slot_exactly_once() {
    loom::model(|| {
        let table = Arc::new(Registry::new());
        let index = insert(&table, 2, 2);
        let task = {
            let table = Arc::clone(&table);
            thread::spawn(move || table.finish(index, 0))
        };
        let handle = {
            let table = Arc::clone(&table);
            thread::spawn(move || table.release(index))
        };
        table.release(index);
        task.join().expect("the task");
        handle.join().expect("the handle");
        assert_freed_once(&table, index);
    });
}

/// A snapshot (`all_tasks`) against the task finishing and its last handle
/// going: the snapshot takes a handle only to a task not yet done, and
/// the slot is freed once, by whichever lets go last.
///
/// Mutation tried: `Slot::try_acquire` without its `DONE` check: the
/// snapshot takes a handle to a freed slot, and the model fails.
#[test]
fn a_snapshot_against_finish_and_the_last_release() {
    loom::model(|| {
        let table = Arc::new(Registry::new());
        let index = insert(&table, 2, 1);
        let snapshot = {
            let table = Arc::clone(&table);
            thread::spawn(move || {
                let taken = table.snapshot(0, |index| index);
                for &index in &taken {
                    // Held, the slot is not freed: a free slot's id word is
                    // a free-list link, not the task's id.
                    assert_eq!(
                        table.slot(index).id().as_u64(),
                        2,
                        "a slot was freed under a snapshot's handle"
                    );
                    table.release(index);
                }
            })
        };
        let task = {
            let table = Arc::clone(&table);
            thread::spawn(move || table.finish(index, 0))
        };
        table.release(index);
        snapshot.join().expect("the snapshot");
        task.join().expect("the task");
        assert_freed_once(&table, index);
    });
}

/// Counts its wakes.
struct CountingWaker(AtomicUsize);

impl Wake for CountingWaker {
    fn wake(self: std::sync::Arc<Self>) {
        self.0.fetch_add(1, Ordering::SeqCst);
    }
}

/// A waker that counts its wakes, and the count.
fn counting_waker() -> (std::sync::Arc<CountingWaker>, Waker) {
    let woken = std::sync::Arc::new(CountingWaker(AtomicUsize::new(0)));
    let waker = Waker::from(std::sync::Arc::clone(&woken));
    (woken, waker)
}

/// A table with one task (its slot number returned) whose chunk's wakers
/// are made, as a first cancellation makes them, so that a model's threads
/// meet only on the protocol it checks.
fn table_with_wakers() -> (Arc<Registry>, u32) {
    let table = Arc::new(Registry::new());
    let other = insert(&table, 4, 1);
    table.cancel(other);
    let index = insert(&table, 2, 1);
    (table, index)
}

/// A task suspending against a `cancel()`: the task is woken, by the
/// cancellation or by itself, so the cancellation is not lost.
///
/// Mutation tried: `Registry::suspend` reading `CANCEL_REQUESTED` before
/// storing its waker: a cancel between the two finds no waker, the task
/// does not wake itself, and the model fails.
#[test]
fn suspend_against_cancel_loses_no_cancellation() {
    loom::model(|| {
        let (table, index) = table_with_wakers();
        let (woken, waker) = counting_waker();
        let task = {
            let table = Arc::clone(&table);
            thread::spawn(move || table.suspend(index, &waker))
        };
        assert!(table.cancel(index));
        task.join().expect("the task");
        assert!(
            woken.0.load(Ordering::SeqCst) >= 1,
            "the cancellation was lost"
        );
    });
}

/// Taking slots off a free list and giving them back, in the ABA shape: a
/// taker reads the head and its next, and meanwhile another thread takes
/// both and gives the first back. No slot is ever held by two tasks.
///
/// Mutation tried: `next_head` without the change count: the first
/// taker's swap succeeds on the recycled head, installs a slot the other
/// thread holds as the head, and the model fails.
#[test]
fn the_free_list_hands_no_slot_to_two_tasks() {
    loom::model(|| {
        let table = Arc::new(Registry::new());
        // Slots 0, 1 and 2; 0 and 2 are on free list 0 (slot % 2), 2 on top.
        let first = insert(&table, 2, 1);
        let middle = insert(&table, 4, 1);
        let last = insert(&table, 6, 1);
        assert_eq!((first, middle, last), (0, 1, 2));
        end(&table, first);
        end(&table, last);
        let owners: Arc<Vec<AtomicBool>> =
            Arc::new((0..8).map(|_| AtomicBool::new(false)).collect());
        let own = |owners: &[AtomicBool], index: u32| {
            let was = owners[index as usize].swap(true, Ordering::SeqCst);
            assert!(!was, "slot {index} handed to two tasks");
        };
        let disown = |owners: &[AtomicBool], index: u32| {
            owners[index as usize].store(false, Ordering::SeqCst);
        };
        let one = {
            let (table, owners) = (Arc::clone(&table), Arc::clone(&owners));
            thread::spawn(move || {
                let a = insert(&table, 8, 1);
                own(&owners, a);
                disown(&owners, a);
                end(&table, a);
            })
        };
        let b = insert(&table, 10, 1);
        own(&owners, b);
        let c = insert(&table, 12, 1);
        own(&owners, c);
        disown(&owners, b);
        end(&table, b);
        one.join().expect("the other taker");
        // With `c` still held, the list must not hand it out again.
        let d = insert(&table, 14, 1);
        own(&owners, d);
        let e = insert(&table, 16, 1);
        own(&owners, e);
        for index in [c, d, e] {
            disown(&owners, index);
            end(&table, index);
        }
    });
}

/// A free list emptied (its bit in `nonempty` cleared) while another
/// thread gives it a slot: the bit ends set, so a spawn that looks
/// elsewhere finds that slot rather than growing the table.
///
/// Mutation tried: `Registry::pop` clearing the bit without looking at the
/// list again: the give-back's bit is lost, the last spawn takes a fresh
/// slot, and the model fails.
#[test]
fn a_list_given_a_slot_as_it_empties_keeps_its_bit() {
    loom::model(|| {
        let table = Arc::new(Registry::new());
        // Slot 0 free on list 0; slot 2 held by a task that ends below.
        let free = insert(&table, 2, 1);
        let _odd = insert(&table, 4, 1);
        let held = insert(&table, 6, 1);
        end(&table, free);
        let size = table.high_water();
        let emptier = {
            let table = Arc::clone(&table);
            thread::spawn(move || {
                // Takes slot 0 (or 2, given back meanwhile) off list 0,
                // then finds list 0 empty, or holding the other.
                insert(&table, 8, 1);
                insert(&table, 10, 1)
            })
        };
        end(&table, held);
        emptier.join().expect("the emptier");
        // Preferring list 1, which is empty, this looks at the others.
        insert(&table, 13, 1);
        let grown = table.high_water() - size;
        assert!(
            grown <= 1,
            "the table grew by {grown} slots with slot {held} free on a list"
        );
    });
}

/// A task that spawns a child and finishes, against `run` deciding that
/// its loop has nothing left: if it decides so, both have finished.
///
/// Mutation tried: `Counts::is_empty` summing the spawned counts before
/// the finished ones: it reads the parent's spawn alone, then the child's
/// spawn and the parent's finish happen, and it reads one finish: equal,
/// with the child alive, and the model fails.
#[test]
fn live_counts_see_a_child_spawned_by_a_task_that_finishes() {
    loom::model(|| {
        let counts = Arc::new(Counts::new());
        let parent_done = Arc::new(AtomicBool::new(false));
        let child_done = Arc::new(AtomicBool::new(false));
        // The parent, spawned by the loop thread (cell 0).
        counts.spawned_in(0);
        let worker = {
            let (counts, parent_done, child_done) = (
                Arc::clone(&counts),
                Arc::clone(&parent_done),
                Arc::clone(&child_done),
            );
            thread::spawn(move || {
                // The parent's poll, on a worker (cell 1): it spawns the
                // child, and finishes.
                counts.spawned_in(1);
                parent_done.store(true, Ordering::Relaxed);
                counts.finished_in(1);
                // The child runs and finishes, on the loop thread's cell.
                child_done.store(true, Ordering::Relaxed);
                counts.finished_in(0);
            })
        };
        if counts.is_empty() {
            assert!(parent_done.load(Ordering::Relaxed), "the parent is alive");
            assert!(child_done.load(Ordering::Relaxed), "the child is alive");
        }
        worker.join().expect("the worker");
        assert!(counts.is_empty());
    });
}

/// A watcher (a cancelled task waiting for the tasks it cancelled)
/// against the watched task finishing: the watcher sees the end, from
/// `watch` itself or by a wake. None goes unseen.
///
/// Mutation tried: `Slot::finish` setting `DONE` without the watchers'
/// lock when the slot is `WATCHED`: a watcher registered just before is
/// never woken, and the model fails.
#[test]
fn a_watcher_against_finish_sees_the_end() {
    loom::model(|| {
        let table = Arc::new(Registry::new());
        let index = insert(&table, 2, 1);
        let (woken, waker) = counting_waker();
        let task = {
            let table = Arc::clone(&table);
            thread::spawn(move || table.finish(index, CANCELLED))
        };
        let seen = table.watch(index, &waker);
        task.join().expect("the task");
        assert!(
            seen || woken.0.load(Ordering::SeqCst) >= 1,
            "the watcher missed the task's end"
        );
        table.release(index);
    });
}

/// `cancel()` against the task's last poll returning: `cancel()` says true
/// exactly when the task ends cancelled.
///
/// Mutation tried: `Slot::finish` keeping a return's outcome when a
/// cancellation was requested: `cancel()` comes first and says true, the
/// task ends `Done`, and the model fails.
#[test]
fn cancel_against_the_last_poll_tells_the_truth() {
    loom::model(|| {
        let (table, index) = table_with_wakers();
        let task = {
            let table = Arc::clone(&table);
            thread::spawn(move || table.finish(index, 0))
        };
        let said = table.cancel(index);
        let ended = task.join().expect("the task");
        assert_eq!(
            said,
            ended == CANCELLED,
            "cancel() said {said}, the task ended {ended}"
        );
        table.release(index);
    });
}

/// A task with a cancellation handler (`on_cancel`) suspending against a
/// `cancel()`: the handler has not seen the request, so the task must be
/// woken to deliver it, by the cancellation or by itself.
///
/// Mutation tried: `Slot::must_wake` not waking a task whose handler is
/// active, seen or not: a cancel between the poll's check and the
/// suspension finds no waker, and the model fails.
#[test]
fn a_handler_suspending_against_cancel_is_woken_to_see_it() {
    loom::model(|| {
        let (table, index) = table_with_wakers();
        assert!(table.slot(index).enter_handler());
        let (woken, waker) = counting_waker();
        let task = {
            let table = Arc::clone(&table);
            thread::spawn(move || table.suspend(index, &waker))
        };
        assert!(table.cancel(index));
        task.join().expect("the task");
        assert!(
            woken.0.load(Ordering::SeqCst) >= 1,
            "the handler never saw the cancellation"
        );
    });
}
