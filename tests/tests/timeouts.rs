//! CPython's `Lib/test/test_asyncio/test_timeouts.py`, ported to cosched's
//! `timeout` / `timeout_at`: each test is named after the CPython test it
//! ports, with what differs said where it differs. `async with timeout(d)
//! as cm:` is `cosched::timeout(d, body)` (or `timeout_scope(d, |cm| ..)`
//! where the body needs `cm`), and `cm` is its `TimeoutHandle`; raising
//! `TimeoutError` is returning `Err(TimeoutError)`. A body that handles its
//! cancellation (`except CancelledError:`, `finally:`) is a destructor
//! here; an exception is a panic. They run on the backend the
//! `cosched-tests` features select; CI runs them on all three.
//!
//! No test asserts a timing: a deadline that must not pass is an hour
//! (`FOREVER`), and `within` turns a hang into a failure.

// Not ported, Python only: test_repr_active, test_repr_expired, test_repr_finished, test_repr_disabled (repr), test_timeout_exception_cause (`__cause__`), test_timeout_already_entered and test_timeout_double_enter (awaiting consumes a `Timeout`: a second entry does not compile), test_nested_timeout_in_finally (a destructor, cosched's `finally:`, cannot await).

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, mpsc};
use std::time::{Duration, Instant};

use cosched::{TaskError, TimeoutError};

mod common;
use common::{FOREVER, ms, within};

/// Sets its flag when dropped: the body's `except CancelledError:`.
struct Dropped(Arc<AtomicBool>);

impl Drop for Dropped {
    fn drop(&mut self) {
        self.0.store(true, Ordering::SeqCst);
    }
}

/// A flag, and the witness that sets it when dropped.
fn witness() -> (Arc<AtomicBool>, Dropped) {
    let flag = Arc::new(AtomicBool::new(false));
    (Arc::clone(&flag), Dropped(flag))
}

/// Panics when dropped: `finally: 1/0`.
struct RaisesWhenCancelled;

impl Drop for RaisesWhenCancelled {
    fn drop(&mut self) {
        panic!("division by zero");
    }
}

/// Runs `main` on a new loop, under the watchdog.
fn run<F>(main: F)
where
    F: Future<Output = ()> + Send + 'static,
{
    within("run", || cosched::run(main));
}

#[test]
fn test_timeout_basic() {
    run(async {
        let block = cosched::timeout(ms(10), cosched::sleep(FOREVER));
        let cm = block.handle();
        assert_eq!(block.await, Err(TimeoutError));
        assert!(cm.expired());
    });
}

#[test]
fn test_timeout_at_basic() {
    run(async {
        let deadline = Instant::now() + ms(10);
        let block = cosched::timeout_at(deadline, cosched::sleep(FOREVER));
        let cm = block.handle();
        assert_eq!(block.await, Err(TimeoutError));
        assert!(cm.expired());
        assert_eq!(cm.when(), Some(deadline));
    });
}

/// Differs: asyncio has the outermost of two timeouts due together raise
/// `TimeoutError` and the inner one let `CancelledError` through. cosched
/// polls a body before its timer, so the inner timeout reports first, to
/// the outer body, whose result then wins over the outer deadline.
#[test]
fn test_nested_timeouts() {
    run(async {
        let deadline = Instant::now() + ms(10);
        let (cancelled, dropped) = witness();
        let outer = cosched::timeout_at(deadline, async move {
            let inner = cosched::timeout_at(deadline, async move {
                let _cancelled = dropped;
                cosched::sleep(FOREVER).await;
            });
            let cm2 = inner.handle();
            (inner.await, cm2)
        });
        let cm1 = outer.handle();
        let (inner, cm2) = outer.await.expect("the outer body finished");
        assert_eq!(inner, Err(TimeoutError));
        assert!(cancelled.load(Ordering::SeqCst));
        assert!(cm2.expired());
        assert!(!cm1.expired(), "the outer body's result won");
    });
}

/// The body's `except CancelledError:` is its local's destructor, which has
/// run when the `Timeout` returns.
#[test]
fn test_waiter_cancelled() {
    run(async {
        let (cancelled, dropped) = witness();
        let result = cosched::timeout(ms(10), async move {
            let _cancelled = dropped;
            cosched::sleep(FOREVER).await;
        })
        .await;
        assert_eq!(result, Err(TimeoutError));
        assert!(cancelled.load(Ordering::SeqCst));
    });
}

#[test]
fn test_timeout_not_called() {
    run(async {
        let block = cosched::timeout(FOREVER, cosched::sleep(ms(10)));
        let cm = block.handle();
        assert_eq!(block.await, Ok(()));
        let t1 = Instant::now();
        assert!(!cm.expired());
        assert!(cm.when().expect("a deadline") > t1);
    });
}

#[test]
fn test_timeout_disabled() {
    run(async {
        let block = cosched::timeout(None, cosched::sleep(ms(10)));
        let cm = block.handle();
        assert_eq!(block.await, Ok(()));
        assert!(!cm.expired());
        assert_eq!(cm.when(), None);
    });
}

#[test]
fn test_timeout_at_disabled() {
    run(async {
        let block = cosched::timeout_at(None, cosched::sleep(ms(10)));
        let cm = block.handle();
        assert_eq!(block.await, Ok(()));
        assert!(!cm.expired());
        assert_eq!(cm.when(), None);
    });
}

/// Also asserts that the block was entered, as asyncio enters it (unlike
/// `wait_for`'s zero timeout, which never starts the future).
#[test]
fn test_timeout_zero() {
    run(async {
        let started = Arc::new(AtomicBool::new(false));
        let flag = Arc::clone(&started);
        let t0 = Instant::now();
        let block = cosched::timeout(Duration::ZERO, async move {
            flag.store(true, Ordering::SeqCst);
            cosched::sleep(FOREVER).await;
        });
        let cm = block.handle();
        assert_eq!(block.await, Err(TimeoutError));
        let t1 = Instant::now();
        assert!(cm.expired());
        assert!(started.load(Ordering::SeqCst), "the body started");
        let when = cm.when().expect("a deadline");
        assert!(t0 <= when && when <= t1);
    });
}

/// `asyncio.sleep(0)` is `cosched::yield_now()`.
#[test]
fn test_timeout_zero_sleep_zero() {
    run(async {
        let t0 = Instant::now();
        let block = cosched::timeout(Duration::ZERO, cosched::yield_now());
        let cm = block.handle();
        assert_eq!(block.await, Err(TimeoutError));
        let t1 = Instant::now();
        assert!(cm.expired());
        let when = cm.when().expect("a deadline");
        assert!(t0 <= when && when <= t1);
    });
}

/// A `Duration` is never negative: `timeout(-11)` is `timeout_at` 11 s ago.
#[test]
fn test_timeout_in_the_past_sleep_zero() {
    run(async {
        let t0 = Instant::now();
        let past = t0.checked_sub(Duration::from_secs(11)).expect("11 s ago");
        let block = cosched::timeout_at(past, cosched::yield_now());
        let cm = block.handle();
        assert_eq!(block.await, Err(TimeoutError));
        assert!(cm.expired());
        assert!(cm.when().expect("a deadline") <= t0);
    });
}

/// Not in CPython: asyncio's block that never suspends cannot be cancelled
/// either, so a zero timeout gives the body's result.
#[test]
fn timeout_zero_body_that_never_waits_gives_its_result() {
    run(async {
        let block = cosched::timeout(Duration::ZERO, async { 7 });
        let cm = block.handle();
        assert_eq!(block.await, Ok(7));
        assert!(!cm.expired());
    });
}

/// `raise KeyError` is a panic, which goes through the `Timeout` to the
/// task, which ends `Panicked`.
#[test]
fn test_foreign_exception_passed() {
    run(async {
        let block = cosched::timeout(ms(10), async { panic!("KeyError") });
        let cm = block.handle();
        let task = cosched::create_task(block);
        assert_eq!(task.await, Err(TaskError::Panicked("KeyError".into())));
        assert!(!cm.expired());
        assert!(!cm.reschedule(None), "the block has ended");
    });
}

/// `finally: 1/0` is a destructor that panics when the deadline drops the
/// body: that panic, not `TimeoutError`, is what comes out. Also asserts
/// that the block expired, which it did before its body was dropped.
#[test]
fn test_foreign_exception_on_timeout() {
    run(async {
        let block = cosched::timeout(ms(10), async {
            let _crash = RaisesWhenCancelled;
            cosched::sleep(FOREVER).await;
        });
        let cm = block.handle();
        let task = cosched::create_task(block);
        assert_eq!(
            task.await,
            Err(TaskError::Panicked("division by zero".into()))
        );
        assert!(cm.expired());
    });
}

/// `asyncio.current_task().cancel()` inside the block: the task stops at
/// its next await point, cancelled, and the `Timeout` is dropped with it.
#[test]
fn test_foreign_cancel_doesnt_timeout_if_not_expired() {
    run(async {
        let block = cosched::timeout(FOREVER, async {
            cosched::current_task().expect("in a task").cancel();
            cosched::sleep(FOREVER).await;
        });
        let cm = block.handle();
        let task = cosched::create_task(block);
        assert_eq!(task.await, Err(TaskError::Cancelled));
        assert!(!cm.expired());
    });
}

#[test]
fn test_outer_task_is_not_cancelled() {
    run(async {
        let task =
            cosched::create_task(async { cosched::timeout(ms(1), cosched::sleep(FOREVER)).await });
        let outer = task.task_ref();
        assert_eq!(task.await, Ok(Err(TimeoutError)));
        assert!(!outer.is_cancelled());
        assert!(outer.is_done());
    });
}

/// `time.sleep(0.01)` blocks past the outer deadline before the first
/// await; the inner deadline (0.1 s in CPython) is `FOREVER`, as it must
/// not pass. Also asserts that the inner body was dropped and that the
/// inner block did not expire.
#[test]
fn test_nested_timeouts_concurrent() {
    run(async {
        let (cancelled, dropped) = witness();
        let (cm2_sender, cm2_receiver) = mpsc::channel();
        let outer = cosched::timeout(ms(2), async move {
            let inner = cosched::timeout(FOREVER, async move {
                let _cancelled = dropped;
                std::thread::sleep(ms(10)); // Pretend we crunch some numbers.
                cosched::sleep(FOREVER).await;
            });
            cm2_sender
                .send(inner.handle())
                .expect("the test is listening");
            inner.await
        });
        assert_eq!(outer.await, Err(TimeoutError));
        assert!(cancelled.load(Ordering::SeqCst));
        let cm2 = cm2_receiver.try_recv().expect("the inner block was made");
        assert!(!cm2.expired());
        assert!(!cm2.reschedule(None), "dropped with the outer body");
    });
}

/// CPython's 0.1 s, 0.01 s and 0.1 s are 20 ms, 2 ms and 20 ms here; the
/// blocking sleep passes both deadlines before the first await, and the
/// inner one reports first (cosched polls a body before its timer), as the
/// test expects.
#[test]
fn test_nested_timeouts_loop_busy() {
    run(async {
        let caught = Arc::new(AtomicBool::new(false));
        let flag = Arc::clone(&caught);
        let outer = cosched::timeout(ms(20), async move {
            let inner = cosched::timeout(ms(2), async {
                std::thread::sleep(ms(20)); // Pretend the loop is busy for a while.
                cosched::sleep(FOREVER).await;
            });
            if inner.await == Err(TimeoutError) {
                flag.store(true, Ordering::SeqCst); // caught by (2)
            }
            cosched::sleep(FOREVER).await; // interrupted by (1)
        });
        assert_eq!(outer.await, Err(TimeoutError));
        assert!(caught.load(Ordering::SeqCst));
    });
}

/// The body sends its handle out on a channel (CPython: a future's result),
/// which the test polls. Also asserts that a block ended by its task's
/// cancellation refuses a later reschedule (CPython's `RuntimeError`).
#[test]
fn test_reschedule() {
    run(async {
        let deadline1 = Instant::now() + FOREVER;
        let deadline2 = deadline1 + FOREVER;
        let (fut, receiver) = mpsc::channel();
        let task =
            cosched::create_task(cosched::timeout_at_scope(deadline1, move |cm| async move {
                fut.send(cm).expect("the test is listening");
                cosched::sleep(3 * FOREVER).await;
            }));
        let cm = loop {
            if let Ok(cm) = receiver.try_recv() {
                break cm;
            }
            cosched::yield_now().await;
        };

        assert_eq!(cm.when(), Some(deadline1));
        assert!(cm.reschedule(deadline2));
        assert_eq!(cm.when(), Some(deadline2));
        assert!(cm.reschedule(None));
        assert_eq!(cm.when(), None);

        task.cancel();
        assert_eq!(task.await, Err(TaskError::Cancelled));
        assert!(!cm.expired());
        assert!(!cm.reschedule(deadline1));
        assert_eq!(cm.when(), None);
    });
}

/// Differs: the task cannot handle its own cancellation and await
/// afterwards (cancellation drops it), so it handles the cancellation of
/// the work it awaits, a task, then uses a zero timeout for its cleanup.
#[test]
fn test_timeout_after_cancellation() {
    run(async {
        let task = cosched::create_task(async {
            let work = cosched::create_task(cosched::sleep(FOREVER));
            work.cancel();
            assert_eq!(work.await, Err(TaskError::Cancelled));
            cosched::timeout(Duration::ZERO, cosched::sleep(FOREVER)).await
        });
        assert_eq!(task.await, Ok(Err(TimeoutError)));
    });
}

/// Differs as `test_timeout_after_cancellation` does; then the task
/// cancels itself inside the block, and ends cancelled, not timed out.
#[test]
fn test_cancel_in_timeout_after_cancellation() {
    run(async {
        let (cm_sender, cm_receiver) = mpsc::channel();
        let task = cosched::create_task(async move {
            let work = cosched::create_task(cosched::sleep(FOREVER));
            work.cancel();
            assert_eq!(work.await, Err(TaskError::Cancelled));
            let block = cosched::timeout(FOREVER, async {
                cosched::current_task().expect("in a task").cancel();
                cosched::sleep(FOREVER).await;
            });
            cm_sender
                .send(block.handle())
                .expect("the test is listening");
            block.await
        });
        assert_eq!(task.await, Err(TaskError::Cancelled));
        let cm = cm_receiver.try_recv().expect("the block was made");
        assert!(!cm.expired());
    });
}

/// Differs: rescheduling a finished block returns `false` and changes
/// nothing, where asyncio raises `RuntimeError`.
#[test]
fn test_timeout_finished() {
    run(async {
        let block = cosched::timeout(ms(10), async {});
        let cm = block.handle();
        let when = cm.when();
        assert_eq!(block.await, Ok(()));
        assert!(!cm.reschedule(Instant::now() + ms(20)));
        assert_eq!(cm.when(), when);
    });
}

/// Differs: asyncio refuses to reschedule a block not yet entered; a
/// `Timeout` not yet polled takes the new deadline, which then applies.
#[test]
fn test_timeout_not_entered() {
    run(async {
        let block = cosched::timeout(FOREVER, cosched::sleep(FOREVER));
        let cm = block.handle();
        let now = Instant::now();
        assert!(cm.reschedule(now));
        assert_eq!(cm.when(), Some(now));
        assert_eq!(block.await, Err(TimeoutError));
        assert!(cm.expired());
    });
}

/// Differs: asyncio refuses a block outside a task; a `Timeout` is a
/// future and works anywhere: in `run`'s main future, which is no task,
/// and under another runtime's `block_on`, with no cosched loop at all.
#[test]
fn test_timeout_without_task() {
    run(async {
        assert!(cosched::current_task().is_none());
        let block = cosched::timeout(ms(10), cosched::sleep(FOREVER));
        assert_eq!(block.await, Err(TimeoutError));
    });
    let result = within("async_std::task::block_on", || {
        async_std::task::block_on(cosched::timeout(ms(10), cosched::sleep(FOREVER)))
    });
    assert_eq!(result, Err(TimeoutError));
}

// Reschedule's semantics, beyond CPython's tests.

/// An earlier deadline, from another task, takes effect while the body
/// waits: the `Timeout` is woken and its timer re-armed. (The 10 ms sleep
/// only lets the task park at its await; nothing depends on its length.)
#[test]
fn reschedule_earlier_cancels_the_waiting_body() {
    run(async {
        let (cancelled, dropped) = witness();
        let started = Arc::new(AtomicBool::new(false));
        let flag = Arc::clone(&started);
        let block = cosched::timeout(FOREVER, async move {
            let _cancelled = dropped;
            flag.store(true, Ordering::SeqCst);
            cosched::sleep(FOREVER).await;
        });
        let cm = block.handle();
        let task = cosched::create_task(block);
        while !started.load(Ordering::SeqCst) {
            cosched::yield_now().await;
        }
        cosched::sleep(ms(10)).await;
        assert!(cm.reschedule(Instant::now() + ms(10)));
        assert_eq!(task.await, Ok(Err(TimeoutError)));
        assert!(cm.expired());
        assert!(cancelled.load(Ordering::SeqCst));
    });
}

/// A later deadline, set by the body before the first one passed, gives
/// the body the time it needs.
#[test]
fn reschedule_later_lets_the_body_finish() {
    run(async {
        let block = cosched::timeout_scope(ms(10), |cm| async move {
            assert!(cm.reschedule(Instant::now() + FOREVER));
            cosched::sleep(ms(30)).await;
            "done"
        });
        let cm = block.handle();
        assert_eq!(block.await, Ok("done"));
        assert!(!cm.expired());
    });
}

/// `None` disables a deadline, even one already past.
#[test]
fn reschedule_none_disables_the_deadline() {
    run(async {
        let past = Instant::now();
        let block = cosched::timeout_at_scope(past, |cm| async move {
            assert!(cm.reschedule(None));
            cosched::sleep(ms(10)).await;
            cm.when()
        });
        assert_eq!(block.await, Ok(None));
    });
}

/// A deadline in the past cancels the body where it next waits; a body
/// that finishes without waiting again gives its result.
#[test]
fn reschedule_in_the_past_cancels_at_the_next_wait() {
    run(async {
        let (cancelled, dropped) = witness();
        let past = Instant::now().checked_sub(ms(10)).expect("10 ms ago");
        let block = cosched::timeout_scope(FOREVER, move |cm| async move {
            let _cancelled = dropped;
            assert!(cm.reschedule(past));
            cosched::yield_now().await;
            unreachable!("cancelled at the yield");
        });
        let cm = block.handle();
        assert_eq!(block.await, Err(TimeoutError));
        assert!(cm.expired());
        assert!(cancelled.load(Ordering::SeqCst));

        let block = cosched::timeout_scope(FOREVER, move |cm| async move {
            assert!(cm.reschedule(past));
            1
        });
        assert_eq!(block.await, Ok(1));
    });
}
