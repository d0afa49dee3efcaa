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
