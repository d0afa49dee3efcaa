//! cosched inside another runtime's `block_on`: tokio's and async-std's,
//! whatever cosched's own backend. Awaiting coroutines and tasks keeps
//! working; a local task created there fails at once rather than sitting
//! unpolled; and `run` is refused where that runtime is cosched's own
//! backend (fault 3 of the task-core audit).

use std::sync::mpsc;
use std::time::Duration;

use cosched::TaskError;

/// Runs `f` on a thread of its own, failing the test if it hangs.
fn within<T: Send + 'static>(what: &str, f: impl FnOnce() -> T + Send + 'static) -> T {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f));
        let _ = tx.send(result);
    });
    match rx.recv_timeout(Duration::from_secs(60)) {
        Ok(Ok(value)) => value,
        Ok(Err(payload)) => std::panic::resume_unwind(payload),
        Err(mpsc::RecvTimeoutError::Timeout | mpsc::RecvTimeoutError::Disconnected) => {
            panic!("hung: {what} did not return within 60 s")
        }
    }
}

#[cosched::task]
async fn double(x: u32) -> u32 {
    cosched::sleep(Duration::from_millis(1)).await;
    x * 2
}

#[cosched::task(local)]
async fn local_one() -> u32 {
    let one = std::rc::Rc::new(1);
    cosched::yield_now().await;
    *one
}

/// What every foreign runtime must allow: coroutines awaited inline, tasks
/// created and awaited, and a local task refused at once.
async fn cosched_work() {
    assert_eq!(double(2).await, 4);
    assert_eq!(double(3).spawn().await, Ok(6));
    assert_eq!(cosched::create_task(async { 7 }).await, Ok(7));
    let group = cosched::gather((0..4).map(|i| double(i).spawn())).await;
    assert_eq!(group, vec![Ok(0), Ok(2), Ok(4), Ok(6)]);
    assert_eq!(local_one().spawn().await, Err(TaskError::NotOnLoopThread));
}

#[test]
fn cosched_works_inside_a_tokio_runtime() {
    within("tokio's block_on", || {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build()
            .expect("a tokio runtime");
        runtime.block_on(cosched_work());
    });
}

#[test]
fn cosched_works_inside_a_tokio_current_thread_runtime() {
    within("tokio's block_on", || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a tokio runtime");
        runtime.block_on(cosched_work());
    });
}

#[test]
fn cosched_works_inside_async_std_block_on() {
    within("async-std's block_on", || {
        async_std::task::block_on(cosched_work());
    });
}

/// The message of a `run` refused because a loop is already running.
#[cfg(any(feature = "tokio", feature = "async-std"))]
const NESTED: &str = "cosched::run() cannot be called from a running event loop";

/// The message a refused `run` panicked with.
#[cfg(any(feature = "tokio", feature = "async-std"))]
fn refusal(run: impl FnOnce() + std::panic::UnwindSafe) -> String {
    let payload = std::panic::catch_unwind(run).expect_err("run was refused");
    payload
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| payload.downcast_ref::<&str>().map(ToString::to_string))
        .unwrap_or_default()
}

// On the tokio backend, `run` inside a tokio runtime is cosched's clear
// refusal, not tokio's "Cannot start a runtime from within a runtime".
#[cfg(feature = "tokio")]
#[test]
fn fault_3_run_inside_tokio_is_refused_on_the_tokio_backend() {
    within("tokio's block_on", || {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build()
            .expect("a tokio runtime");
        let message = runtime.block_on(async { refusal(|| cosched::run(async {})) });
        assert!(message.contains(NESTED), "refused with {message:?}");
    });
}

// On the async-std backend, `run` inside async-std's `block_on` would block
// the executor it runs on: refused too.
#[cfg(feature = "async-std")]
#[test]
fn fault_3_run_inside_async_std_is_refused_on_the_async_std_backend() {
    within("async-std's block_on", || {
        let message = async_std::task::block_on(async { refusal(|| cosched::run(async {})) });
        assert!(message.contains(NESTED), "refused with {message:?}");
    });
}
