//! Eager start (issue 15, item 3): asyncio 3.14's `eager_start=True`, as
//! `Builder::eager`: the coroutine runs on the caller's thread until it
//! first suspends.

mod common;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use common::FOREVER;
use cosched::TaskError;

/// A coroutine that finishes without suspending is done when
/// `create_task` returns, ran on the caller's thread, and was never
/// scheduled (its handle holds the result).
#[cosched::test]
async fn an_eager_coroutine_that_never_suspends_is_done_at_once() {
    let caller = std::thread::current().id();
    let task = cosched::Builder::new()
        .name("eager")
        .eager()
        .create_task(async move { std::thread::current().id() });
    assert!(task.is_done());
    assert_eq!(task.name(), "eager");
    assert_eq!(task.await, Ok(caller));
}

/// asyncio's `test_eager_task_factory`-style ordering: the body up to its
/// first suspension runs inside `create_task`, the rest once scheduled.
#[cosched::test]
async fn an_eager_coroutine_runs_until_its_first_suspension() {
    let log = Arc::new(Mutex::new(Vec::new()));
    let inner = Arc::clone(&log);
    let go = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let gate = Arc::clone(&go);
    let task = cosched::Builder::new().eager().create_task(async move {
        inner.lock().unwrap().push("started");
        while !gate.load(Ordering::Acquire) {
            cosched::yield_now().await;
        }
        inner.lock().unwrap().push("resumed");
        5
    });
    log.lock().unwrap().push("create_task returned");
    go.store(true, Ordering::Release);
    assert_eq!(task.await, Ok(5));
    assert_eq!(
        *log.lock().unwrap(),
        ["started", "create_task returned", "resumed"]
    );
}

/// A local coroutine runs on the loop's thread: lazily, not before the
/// caller yields; eagerly, inside `create_task`.
#[cosched::test]
async fn a_local_coroutine_runs_inside_create_task_only_when_eager() {
    let counter = Arc::new(AtomicUsize::new(0));
    let lazy = cosched::create_task(local_bump(Arc::clone(&counter)));
    assert_eq!(
        counter.load(Ordering::Relaxed),
        0,
        "a lazy task waits for the caller to yield"
    );
    let eager = cosched::Builder::new()
        .eager()
        .create_task(local_bump(Arc::clone(&counter)));
    assert_eq!(
        counter.load(Ordering::Relaxed),
        1,
        "the eager one ran inside create_task"
    );
    assert!(eager.is_done());
    assert_eq!(lazy.await, Ok(()));
    assert_eq!(eager.await, Ok(()));
    assert_eq!(counter.load(Ordering::Relaxed), 2);
}

#[cosched::task(local)]
async fn local_bump(counter: Arc<AtomicUsize>) {
    let here = std::rc::Rc::new(());
    counter.fetch_add(1, Ordering::Relaxed);
    drop(here);
}

/// An eager coroutine that panics at once gives a done task that failed;
/// one cancelled after it suspended stops as any task does.
#[cosched::test]
async fn an_eager_task_fails_and_cancels_as_any_task() {
    let task = cosched::Builder::new()
        .eager()
        .create_task(async { panic!("at once") });
    assert!(task.is_done());
    assert!(matches!(task.await, Err(TaskError::Panicked(message)) if message == "at once"));

    let task = cosched::Builder::new()
        .eager()
        .create_task(cosched::sleep(FOREVER));
    assert!(!task.is_done());
    assert!(task.cancel());
    assert_eq!(task.await, Err(TaskError::Cancelled));
}

#[cosched::task]
async fn named_coroutine() -> u8 {
    3
}

/// A `#[task]` coroutine scheduled eagerly is named after its fn at once
/// (its first poll is inside `create_task`).
#[cosched::test]
async fn an_eager_coroutine_is_named_after_its_fn() {
    let task = cosched::Builder::new()
        .eager()
        .create_task(named_coroutine());
    assert_eq!(task.name(), format!("named_coroutine-{}", task.id()));
    assert_eq!(task.await, Ok(3));
}

#[cosched::task(eager)]
async fn eager_probe(counter: Arc<AtomicUsize>) -> usize {
    counter.fetch_add(1, Ordering::Relaxed) + 1
}

#[cosched::task(eager, local)]
async fn eager_local_probe(started: Arc<AtomicUsize>) -> usize {
    let here = std::rc::Rc::new(started.fetch_add(1, Ordering::Relaxed));
    cosched::yield_now().await;
    *here + 10
}

/// `#[task(eager)]` makes every scheduling of the fn's coroutines eager:
/// `create_task`, `.spawn()`, `ensure_future`, `schedule!` and a group's
/// `create_task` all return a task that already ran (here, to its end,
/// since it never suspends).
#[cosched::test]
async fn a_task_declared_eager_starts_at_once_however_it_is_scheduled() {
    let counter = Arc::new(AtomicUsize::new(0));
    let mut group = cosched::TaskGroup::new();
    let tasks = [
        cosched::create_task(eager_probe(Arc::clone(&counter))),
        eager_probe(Arc::clone(&counter)).spawn(),
        cosched::ensure_future(eager_probe(Arc::clone(&counter))),
        cosched::schedule!(create_task eager_probe(Arc::clone(&counter))),
        cosched::schedule!(ensure_future eager_probe(Arc::clone(&counter))),
        cosched::Builder::new()
            .name("built")
            .create_task(eager_probe(Arc::clone(&counter))),
    ];
    let member = group.create_task(eager_probe(Arc::clone(&counter)));
    assert_eq!(
        counter.load(Ordering::Relaxed),
        7,
        "each ran when scheduled"
    );
    let mut results = Vec::new();
    for task in tasks {
        assert!(task.is_done(), "{} is done", task.name());
        results.push(task.await.unwrap());
    }
    assert!(member.is_done());
    results.extend(group.join().await.unwrap());
    results.sort_unstable();
    assert_eq!(results, [1, 2, 3, 4, 5, 6, 7]);
}

/// An eager local coroutine runs until its first suspension inside
/// `create_task`, then on the loop's thread.
#[cosched::test]
async fn a_local_task_declared_eager_runs_until_it_suspends() {
    let started = Arc::new(AtomicUsize::new(0));
    let task = cosched::create_task(eager_local_probe(Arc::clone(&started)));
    assert_eq!(
        started.load(Ordering::Relaxed),
        1,
        "it started in create_task"
    );
    assert!(!task.is_done(), "it suspended at its yield");
    assert_eq!(task.await, Ok(10));
}

/// Awaited directly, an eager coroutine runs inline like any other, and
/// takes its fn's name only when scheduled.
#[cosched::test]
async fn an_eager_coroutine_awaited_runs_inline() {
    let counter = Arc::new(AtomicUsize::new(0));
    let coroutine = eager_probe(Arc::clone(&counter));
    assert_eq!(counter.load(Ordering::Relaxed), 0, "nothing runs before");
    assert_eq!(coroutine.await, 1);
    let task = eager_probe(Arc::clone(&counter)).spawn();
    assert!(task.name().starts_with("eager_probe-"), "{}", task.name());
}
