//! `ensure_future(task)` allocates nothing: a task is passed through as it
//! is. Counted, not timed, with a counting global allocator whose counter is
//! per thread, so that the backend's worker threads do not disturb it.

// The one exception to the workspace's `forbid(unsafe_code)`: a global
// allocator is an `unsafe impl GlobalAlloc`, with no safe alternative. This
// package lowers the lint to `deny` in its Cargo.toml so that this file, and
// only this file, can allow it; the unsafe code below only forwards to
// `System`.
#![allow(unsafe_code)]

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

use cosched_bench::{Variant, Workload};

struct Counting;

thread_local! {
    /// Allocations (and reallocations) made by this thread so far.
    static ALLOCATIONS: Cell<u64> = const { Cell::new(0) };
}

fn count() {
    // `try_with`: the allocator also runs while thread-locals are torn down.
    let _ = ALLOCATIONS.try_with(|count| count.set(count.get() + 1));
}

/// Allocations made by this thread so far.
fn allocations() -> u64 {
    ALLOCATIONS.with(Cell::get)
}

// SAFETY: every method forwards its arguments unchanged to `System`, which
// upholds `GlobalAlloc`'s contract; counting touches only a const-initialised
// thread-local `Cell` without a destructor, which never allocates.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        count();
        // SAFETY: the caller's contract, passed on.
        unsafe { System.alloc(layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        count();
        // SAFETY: the caller's contract, passed on.
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        count();
        // SAFETY: the caller's contract, passed on.
        unsafe { System.realloc(ptr, layout, new_size) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: the caller's contract, passed on.
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// Runs `f` and returns how many allocations this thread made meanwhile.
fn allocations_in<R>(f: impl FnOnce() -> R) -> (R, u64) {
    let before = allocations();
    let result = f();
    (result, allocations() - before)
}

#[test]
fn the_counter_sees_a_create_task() {
    // Without this, a counter that never counts would pass every test below.
    cosched::run(async {
        let (task, allocated) = allocations_in(|| cosched::create_task(async { 1 }));
        assert!(allocated > 0, "create_task allocated nothing?");
        assert_eq!(task.await, Ok(1));
    });
}

/// Eager start (issue 15, item 3; issue 17, goal 3): a coroutine that
/// finishes without suspending allocates at most once (the box it is
/// polled in; the slot is the table's) and is never handed to the backend.
#[test]
fn an_eager_task_that_finishes_at_once_allocates_at_most_once() {
    cosched::run(async {
        // Warm: the table's chunk and this thread's caches exist.
        drop(cosched::Builder::new().eager().create_task(async { 0 }));
        let (task, allocated) =
            allocations_in(|| cosched::Builder::new().eager().create_task(async { 1 }));
        assert!(
            allocated <= 1,
            "an eager task that finished at once allocated {allocated} times"
        );
        assert!(task.is_done(), "it finished inside create_task");
        assert_eq!(task.await, Ok(1));
    });
}

#[test]
fn ensure_future_of_a_task_allocates_nothing() {
    cosched::run(async {
        let task = cosched::create_task(async { 7 });
        let id = task.id();
        let (same, allocated) = allocations_in(|| cosched::ensure_future(task));
        assert_eq!(
            allocated, 0,
            "ensure_future(task) allocated {allocated} times"
        );
        assert_eq!(same.id(), id);
        assert_eq!(same.await, Ok(7));
    });
}

#[test]
fn ensure_future_of_a_task_allocates_nothing_outside_a_loop() {
    // On the default loop, from a thread that runs no loop.
    let task = cosched::create_task(async { 8 });
    let (same, allocated) = allocations_in(|| cosched::ensure_future(task));
    assert_eq!(
        allocated, 0,
        "ensure_future(task) allocated {allocated} times"
    );
    assert_eq!(cosched::run(same), Ok(8));
}

#[test]
fn ensure_future_of_a_task_allocates_nothing_on_a_given_loop() {
    let event_loop = cosched::EventLoop::new();
    let task = event_loop.create_task(async { 9 });
    let (same, allocated) = allocations_in(|| event_loop.ensure_future(task));
    assert_eq!(
        allocated, 0,
        "EventLoop::ensure_future(task) allocated {allocated} times"
    );
    let (same, allocated) =
        allocations_in(|| cosched::Builder::new().on(&event_loop).ensure_future(same));
    assert_eq!(
        allocated, 0,
        "Builder::ensure_future(task) allocated {allocated} times"
    );
    assert_eq!(event_loop.run_until_complete(same), Ok(9));
}

#[test]
fn ensure_future_of_a_task_allocates_nothing_inside_a_task() {
    cosched::run(async {
        let outer = cosched::create_task(async {
            let task = cosched::create_task(async { 10 });
            let (same, allocated) = allocations_in(|| cosched::ensure_future(task));
            assert_eq!(
                allocated, 0,
                "ensure_future(task) allocated {allocated} times"
            );
            same.await
        });
        assert_eq!(outer.await, Ok(Ok(10)));
    });
}

/// A cosched spawn allocates no more per task than the backend's own spawn
/// of the same future: a task's shared state lives in a slot of the task
/// table, not in an allocation of its own. The slack is for the table's
/// chunks (one per 4096 tasks) and shard vectors, made once and reused.
#[test]
fn a_cosched_spawn_allocates_no_more_per_task_than_the_backends_own() {
    const N: usize = 10_000;
    let per_task = |variant: Variant| {
        // The first run starts the runtime; count the second.
        variant.run_probed(Workload::SpawnAwait, N, allocations);
        let measured = variant.run_probed(Workload::SpawnAwait, N, allocations);
        #[allow(clippy::cast_precision_loss)] // small counts
        let per_task = measured.probed as f64 / N as f64;
        eprintln!("{}: {per_task:.3} allocations per spawn", variant.key());
        per_task
    };
    let raw = per_task(Variant::raw(cosched_bench::BACKEND).expect("a known backend"));
    for variant in Variant::all()
        .into_iter()
        .filter(|variant| !variant.is_raw())
    {
        let cosched = per_task(variant);
        assert!(
            cosched <= raw + 0.05,
            "{}: {cosched:.3} allocations per spawn, against {raw:.3} for the raw backend",
            variant.key()
        );
    }
}

#[cfg(feature = "macros")]
mod dsl {
    use super::allocations_in;

    #[cosched::task]
    async fn answer() -> u32 {
        42
    }

    #[test]
    fn schedule_ensure_future_of_a_task_allocates_nothing() {
        cosched::run(async {
            let task = cosched::schedule!(create_task answer());
            let id = task.id();
            let (same, allocated) = allocations_in(|| cosched::schedule!(ensure_future task));
            assert_eq!(
                allocated, 0,
                "schedule!(ensure_future task) allocated {allocated} times"
            );
            assert_eq!(same.id(), id);
            assert_eq!(same.await, Ok(42));
        });
    }
}
