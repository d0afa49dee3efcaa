//! CPython's `Lib/test/test_asyncio/test_waitfor.py`, ported to cosched's
//! `wait_for(awaitable, timeout)`: each test is named after the CPython
//! test it ports, with what differs said where it differs. A coroutine
//! that handles its cancellation (`except CancelledError:`) is a
//! destructor here; an exception raised there is a panic. They run on the
//! backend the `cosched-tests` features select; CI runs them on all three.
//!
//! No test asserts a timing: a timeout that must not pass is an hour
//! (`FOREVER`), and `within` turns a hang into a failure.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use cosched::{TaskError, TimeoutError};

mod common;
use common::{FOREVER, ms, within};

/// Sets its flag when dropped, after `slow` of blocking work: a task's
/// cleanup on cancellation that takes a while.
struct Cleanup {
    done: Arc<AtomicBool>,
    slow: Duration,
}

impl Drop for Cleanup {
    fn drop(&mut self) {
        std::thread::sleep(self.slow);
        self.done.store(true, Ordering::SeqCst);
    }
}

/// Panics when dropped: `except CancelledError: raise FooException`.
struct RaisesWhenCancelled;

impl Drop for RaisesWhenCancelled {
    fn drop(&mut self) {
        panic!("foo");
    }
}

#[test]
fn test_wait_for_timeout_less_then_0_or_0_future_done() {
    within("run", || {
        cosched::run(async {
            let task = cosched::create_task(async { "done" });
            while !task.is_done() {
                cosched::yield_now().await;
            }
            let result = cosched::wait_for(task, Duration::ZERO).await;
            assert_eq!(result, Ok(Ok("done")), "a done task gives its result");
        });
    });
}

#[test]
fn test_wait_for_timeout_less_then_0_or_0_coroutine_do_not_started() {
    within("run", || {
        cosched::run(async {
            let started = Arc::new(AtomicBool::new(false));
            let flag = Arc::clone(&started);
            let coroutine = async move {
                flag.store(true, Ordering::SeqCst);
                1
            };
            let result = cosched::wait_for(coroutine, Duration::ZERO).await;
            assert_eq!(result, Err(TimeoutError));
            assert!(
                !started.load(Ordering::SeqCst),
                "the coroutine never started"
            );
        });
    });
}

#[test]
fn test_wait_for_timeout_less_then_0_or_0() {
    within("run", || {
        cosched::run(async {
            let task = cosched::create_task(cosched::sleep(FOREVER));
            let handle = task.task_ref();
            let result = cosched::wait_for(task, Duration::ZERO).await;
            assert_eq!(result, Err(TimeoutError));
            assert!(handle.is_cancelled(), "cancelled before wait_for returned");
        });
    });
}

#[test]
fn test_wait_for() {
    within("run", || {
        cosched::run(async {
            let (done, seen) = (
                Arc::new(AtomicBool::new(false)),
                Arc::new(AtomicBool::new(false)),
            );
            let (cleanup, finished) = (Arc::clone(&done), Arc::clone(&seen));
            let foo = async move {
                let _cleanup = Cleanup {
                    done: cleanup,
                    slow: Duration::ZERO,
                };
                cosched::sleep(FOREVER).await;
                finished.store(true, Ordering::SeqCst);
                "done"
            };
            let result = cosched::wait_for(foo, ms(10)).await;
            assert_eq!(result, Err(TimeoutError));
            assert!(
                done.load(Ordering::SeqCst),
                "the coroutine was stopped in wait_for"
            );
            assert!(!seen.load(Ordering::SeqCst));
            // The inner coroutine's result when it beats the deadline.
            assert_eq!(
                cosched::wait_for(async { "done" }, FOREVER).await,
                Ok("done")
            );
        });
    });
}

#[test]
fn test_wait_for_waits_for_task_cancellation() {
    within("run", || {
        cosched::run(async {
            let done = Arc::new(AtomicBool::new(false));
            let cleanup = Arc::clone(&done);
            let task = cosched::create_task(async move {
                let _cleanup = Cleanup {
                    done: cleanup,
                    slow: ms(50),
                };
                cosched::sleep(FOREVER).await;
            });
            let handle = task.task_ref();
            let result = cosched::wait_for(task, ms(10)).await;
            assert_eq!(result, Err(TimeoutError));
            assert!(
                done.load(Ordering::SeqCst),
                "wait_for returned before the task's cleanup finished"
            );
            assert!(handle.is_cancelled());
        });
    });
}

#[test]
fn test_wait_for_reraises_exception_during_cancellation() {
    within("run", || {
        cosched::run(async {
            // A task: its panic during the cancellation is what wait_for
            // returns, not the timeout.
            let task = cosched::create_task(async {
                let _raises = RaisesWhenCancelled;
                cosched::sleep(FOREVER).await;
            });
            let result = cosched::wait_for(task, ms(10)).await;
            assert_eq!(result, Ok(Err(TaskError::Panicked("foo".into()))));

            // A coroutine, polled inline: its panic unwinds through the
            // caller of wait_for, whose task ends with it.
            let caller = cosched::create_task(async {
                let foo = async {
                    let _raises = RaisesWhenCancelled;
                    cosched::sleep(FOREVER).await;
                };
                cosched::wait_for(foo, ms(10)).await
            });
            assert_eq!(caller.await, Err(TaskError::Panicked("foo".into())));
        });
    });
}

#[test]
fn test_wait_for_race_condition() {
    within("run", || {
        cosched::run(async {
            let ready = Arc::new(AtomicBool::new(false));
            let flag = Arc::clone(&ready);
            let fut = async move {
                cosched::sleep(ms(10)).await;
                flag.store(true, Ordering::SeqCst);
                "ok"
            };
            assert_eq!(cosched::wait_for(fut, FOREVER).await, Ok("ok"));
            assert!(ready.load(Ordering::SeqCst));
        });
    });
}

/// Not from CPython: `TimeoutError` passes through `?` in I/O code, as
/// tokio's `Elapsed` does.
#[test]
fn a_timeout_is_an_io_error_of_kind_timed_out() {
    async fn read() -> std::io::Result<u8> {
        cosched::wait_for(cosched::sleep(FOREVER), ms(1)).await?;
        Ok(1)
    }
    within("run", || {
        cosched::run(async {
            let error = read().await.unwrap_err();
            assert_eq!(error.kind(), std::io::ErrorKind::TimedOut);
            assert_eq!(error.to_string(), "deadline has elapsed");
        });
    });
}
