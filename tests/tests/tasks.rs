//! CPython's `Lib/test/test_asyncio/test_tasks.py`, the tests of a task's
//! cancellation, ported to cosched: each test is named after the CPython
//! test it ports, with what differs said where it differs. asyncio's
//! `except CancelledError: await cleanup()` is [`cosched::on_cancel`];
//! one that needs no await is a destructor. Then the guarantees of the
//! issue that asked for them: a cancelled task ends only once what it
//! awaited has ended, `cancel()` tells the truth, an await cycle is an
//! error. They run on the backend the `cosched-tests` features select; CI
//! runs them on all three.
//!
//! No test asserts a timing: a duration that must not pass is an hour
//! ([`FOREVER`]), and [`within`] fails a test that hangs. Where a test
//! needs a task to still be running when something is checked, the task's
//! destructor is slow (`SlowDrop`): before the fix the check came first.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, mpsc};

use cosched::{TaskError, TaskGroup, TaskState};

mod common;
use common::{FOREVER, ms, within};

/// Blocks its thread for a while when dropped, then sets its flag: a task
/// that takes time to stop once cancelled.
struct SlowDrop(Arc<AtomicBool>);

impl Drop for SlowDrop {
    fn drop(&mut self) {
        std::thread::sleep(ms(50));
        self.0.store(true, Ordering::SeqCst);
    }
}

/// Waits (by yielding) until `task` has run far enough to set `flag`.
async fn until(flag: &AtomicBool) {
    while !flag.load(Ordering::SeqCst) {
        cosched::yield_now().await;
    }
}

// CPython: a task that cancels itself and returns 12 ends cancelled, and a
// later `cancel()` says false. Before, it ended `Ok(12)` after `cancel()`
// had said true.
#[test]
fn test_cancel_at_end() {
    within("run", || {
        cosched::run(async {
            let (tx, rx) = mpsc::channel::<cosched::TaskRef>();
            let said = Arc::new(AtomicBool::new(false));
            let flag = Arc::clone(&said);
            let task = cosched::create_task(async move {
                let me = rx.recv().expect("its own handle");
                flag.store(me.cancel(), Ordering::SeqCst);
                12
            });
            let handle = task.task_ref();
            assert!(!handle.is_cancelled());
            tx.send(task.task_ref()).unwrap();
            assert_eq!(task.await, Err(TaskError::Cancelled));
            assert!(said.load(Ordering::SeqCst), "cancel() said true");
            assert!(handle.is_done());
            assert!(handle.is_cancelled());
            assert!(!handle.cancel());
        });
    });
}

// CPython: the task cancels itself, then sleeps; the sleep is cancelled at
// once and the task ends cancelled.
#[test]
fn test_cancel_current_task() {
    within("run", || {
        cosched::run(async {
            let task = cosched::create_task(async {
                assert!(cosched::current_task().expect("a task").cancel());
                cosched::sleep(FOREVER).await;
                12
            });
            assert_eq!(task.await, Err(TaskError::Cancelled));
        });
    });
}

// CPython (bpo-34872): a task that asked for its own cancellation, then
// awaits a nested task: the nested task is cancelled too, and when the
// task is done, so is the nested one. Here the nested task takes a while
// to stop (`SlowDrop`): before, the outer task ended at once and the
// nested one was still running when awaiting the outer one returned.
#[test]
fn test_cancel_awaited_task() {
    within("run", || {
        cosched::run(async {
            let (tx, rx) = mpsc::channel::<cosched::TaskRef>();
            let (nested_tx, nested_rx) = mpsc::channel::<cosched::TaskRef>();
            let stopped = Arc::new(AtomicBool::new(false));
            let flag = Arc::clone(&stopped);
            let task = cosched::create_task(async move {
                let nested = cosched::create_task(async move {
                    let _slow = SlowDrop(flag);
                    cosched::sleep(FOREVER).await;
                });
                nested_tx.send(nested.task_ref()).unwrap();
                cosched::sleep(ms(1)).await;
                rx.recv().expect("its own handle").cancel();
                nested.await
            });
            tx.send(task.task_ref()).unwrap();
            let handle = task.task_ref();
            assert_eq!(task.await, Err(TaskError::Cancelled));
            assert!(handle.is_cancelled());
            let nested = nested_rx.recv().unwrap();
            assert!(
                nested.is_cancelled(),
                "the nested task ended before the task: {:?}",
                nested.state()
            );
            assert!(stopped.load(Ordering::SeqCst));
        });
    });
}

// CPython: cancelling a task cancels the future it awaits, and the task
// ends cancelled. Here the inner future is a task; "the inner future is
// cancelled" is checked when the outer task is done, without waiting more.
#[test]
fn test_cancel_inner_future() {
    within("run", || {
        cosched::run(async {
            let stopped = Arc::new(AtomicBool::new(false));
            let flag = Arc::clone(&stopped);
            let inner = cosched::create_task(async move {
                let _slow = SlowDrop(flag);
                cosched::sleep(FOREVER).await;
            });
            let inner_ref = inner.task_ref();
            let started = Arc::new(AtomicBool::new(false));
            let go = Arc::clone(&started);
            let task = cosched::create_task(async move {
                go.store(true, Ordering::SeqCst);
                inner.await
            });
            until(&started).await;
            cosched::sleep(ms(1)).await;
            assert!(task.cancel());
            assert_eq!(task.await, Err(TaskError::Cancelled));
            assert!(inner_ref.is_cancelled(), "{:?}", inner_ref.state());
            assert!(stopped.load(Ordering::SeqCst));
        });
    });
}

// CPython: the task catches the cancellation of what it awaits and returns
// 42, which asyncio lets it do. cosched differs on purpose: a cancellation
// cannot be swallowed. The handler (`on_cancel`) runs, and may await; the
// task still ends cancelled, so `cancel()` told the truth.
#[test]
fn test_cancel_task_catching() {
    within("run", || {
        cosched::run(async {
            let caught = Arc::new(AtomicBool::new(false));
            let flag = Arc::clone(&caught);
            let started = Arc::new(AtomicBool::new(false));
            let go = Arc::clone(&started);
            let task = cosched::create_task(async move {
                go.store(true, Ordering::SeqCst);
                let result = cosched::on_cancel(cosched::sleep(FOREVER), async move {
                    cosched::yield_now().await;
                    flag.store(true, Ordering::SeqCst);
                })
                .await;
                assert!(result.is_err());
                42
            });
            until(&started).await;
            assert!(task.cancel());
            assert_eq!(task.await, Err(TaskError::Cancelled));
            assert!(caught.load(Ordering::SeqCst), "the handler ran");
        });
    });
}

// CPython: a task that awaits itself gets `RuntimeError('Task cannot await
// on itself')`; here `TaskError::AwaitCycle`, and the task goes on.
#[test]
fn test_task_awaits_on_itself() {
    within("run", || {
        cosched::run(async {
            let (tx, rx) = mpsc::channel::<cosched::Task<Result<u8, TaskError>>>();
            let task = cosched::create_task(async move {
                let myself = rx.recv().expect("its own handle");
                match myself.await {
                    Err(error) => Err(error),
                    Ok(_) => unreachable!("a task cannot give itself its result"),
                }
            });
            let handle = task.task_ref();
            tx.send(task).unwrap();
            while !handle.is_done() {
                cosched::yield_now().await;
            }
            assert_eq!(handle.state(), TaskState::Done, "it returned the error");
        });
    });
}

/// Two tasks awaiting each other: the await that closes the cycle gets
/// `AwaitCycle` (asyncio hangs here, and `python -m asyncio pstree` shows
/// the cycle); the other then gets the first's result.
#[test]
fn a_cycle_of_two_tasks_is_an_error_not_a_hang() {
    within("run", || {
        cosched::run(async {
            let (to_a, from_main) = mpsc::channel::<cosched::Task<Result<u8, TaskError>>>();
            let (to_b, b_gets) = mpsc::channel::<cosched::Task<Result<u8, TaskError>>>();
            let a = cosched::create_task(async move {
                let b = from_main.recv().expect("b's handle");
                b.await.map(|inner| inner.unwrap_or(0) + 1)
            });
            let b = cosched::create_task(async move {
                let a = b_gets.recv().expect("a's handle");
                cosched::sleep(ms(5)).await; // a awaits b by now, or soon
                a.await.map(|inner| inner.unwrap_or(0) + 10)
            });
            let (a_ref, b_ref) = (a.task_ref(), b.task_ref());
            to_b.send(a).unwrap();
            to_a.send(b).unwrap();
            while !(a_ref.is_done() && b_ref.is_done()) {
                cosched::yield_now().await;
            }
            assert_eq!(a_ref.state(), TaskState::Done);
            assert_eq!(b_ref.state(), TaskState::Done);
        });
    });
}

/// Two tasks that own each other (`a` gathers `b`, `b` awaits `a`: a cycle
/// `Join`'s check does not see) and are cancelled at once both end. Each,
/// cancelled, cancels the other as it drops it, and waits for it to end
/// unless the other already waits for it; when both were polled at once on
/// two threads, each could see that the other did not wait for it yet,
/// and wait for the other: neither ended, and `run` never returned (what
/// hung `an_await_cycle_through_a_gather_is_reported` in
/// tests/introspection.rs, now and then). Many rounds, so that some cancel
/// the two while two threads poll them.
#[test]
fn two_tasks_owning_each_other_and_cancelled_at_once_both_end() {
    within("run", || {
        cosched::run(async {
            for _ in 0..2000 {
                let slot = Arc::new(std::sync::Mutex::new(None::<cosched::Task<()>>));
                let inbox = Arc::clone(&slot);
                let b = cosched::create_task(async move {
                    let a = loop {
                        if let Some(a) = inbox.lock().unwrap().take() {
                            break a;
                        }
                        cosched::yield_now().await;
                    };
                    let _ = a.await;
                });
                let b_ref = b.task_ref();
                let a = cosched::create_task(async move {
                    cosched::gather([b]).await;
                });
                let a_ref = a.task_ref();
                *slot.lock().unwrap() = Some(a);
                while slot.lock().unwrap().is_some() {
                    cosched::yield_now().await;
                }
                for _ in 0..3 {
                    cosched::yield_now().await; // b awaits a by now, mostly
                }
                a_ref.cancel();
                b_ref.cancel();
                while !(a_ref.is_done() && b_ref.is_done()) {
                    cosched::yield_now().await;
                }
            }
        });
    });
}

/// `cancel()` returns true exactly when the task then ends cancelled, even
/// when it races with the task's last poll on another thread: before, a
/// task in its last poll when `cancel()` ran ended `Ok` after `cancel()`
/// said true.
#[test]
fn cancel_says_true_only_for_a_task_that_ends_cancelled() {
    within("run", || {
        cosched::run(async {
            let mut lied = 0;
            for round in 0..2000u32 {
                let task = cosched::create_task(async move { round });
                // Let a worker thread reach the task first, some rounds.
                for _ in 0..round % 3 {
                    std::hint::spin_loop();
                }
                let said = task.cancel();
                let result = task.await;
                if said != (result == Err(TaskError::Cancelled)) {
                    lied += 1;
                }
                assert!(said || result == Ok(round), "{result:?}");
            }
            assert_eq!(lied, 0, "cancel() said true for a task that returned");
        });
    });
}

/// A task cancelled while it awaits a group's `join` ends only once every
/// member has ended (their destructors run), not before.
#[test]
fn a_task_cancelled_in_a_group_join_ends_after_its_members() {
    within("run", || {
        cosched::run(async {
            let stopped = Arc::new(AtomicUsize::new(0));
            let count = Arc::clone(&stopped);
            let started = Arc::new(AtomicBool::new(false));
            let go = Arc::clone(&started);
            let task = cosched::create_task(async move {
                let mut group = TaskGroup::new();
                for _ in 0..3 {
                    let count = Arc::clone(&count);
                    group.create_task(async move {
                        let _slow = Counted(count);
                        cosched::sleep(FOREVER).await;
                    });
                }
                go.store(true, Ordering::SeqCst);
                group.join().await
            });
            until(&started).await;
            cosched::sleep(ms(1)).await;
            task.cancel();
            assert_eq!(task.await.unwrap_err(), TaskError::Cancelled);
            assert_eq!(
                stopped.load(Ordering::SeqCst),
                3,
                "every member ended first"
            );
        });
    });
}

/// Counts up when dropped, after a while.
struct Counted(Arc<AtomicUsize>);

impl Drop for Counted {
    fn drop(&mut self) {
        std::thread::sleep(ms(20));
        self.0.fetch_add(1, Ordering::SeqCst);
    }
}

/// A task cancelled while in `wait_for` of another task ends after it.
#[test]
fn a_task_cancelled_in_wait_for_ends_after_the_task_it_waited_for() {
    within("run", || {
        cosched::run(async {
            let stopped = Arc::new(AtomicBool::new(false));
            let flag = Arc::clone(&stopped);
            let inner = cosched::create_task(async move {
                let _slow = SlowDrop(flag);
                cosched::sleep(FOREVER).await;
            });
            let started = Arc::new(AtomicBool::new(false));
            let go = Arc::clone(&started);
            let task = cosched::create_task(async move {
                go.store(true, Ordering::SeqCst);
                cosched::wait_for(inner, FOREVER).await
            });
            until(&started).await;
            cosched::sleep(ms(1)).await;
            task.cancel();
            assert_eq!(task.await.unwrap_err(), TaskError::Cancelled);
            assert!(stopped.load(Ordering::SeqCst));
        });
    });
}

/// `on_cancel`'s cleanup that outlasts its grace period is dropped, and
/// the task ends cancelled: a shutdown cannot hang on it.
#[test]
fn a_cleanup_past_its_grace_is_dropped() {
    within("run", || {
        cosched::run(async {
            let cleaned = Arc::new(AtomicBool::new(true));
            let flag = Arc::clone(&cleaned);
            let started = Arc::new(AtomicBool::new(false));
            let go = Arc::clone(&started);
            let task = cosched::create_task(async move {
                go.store(true, Ordering::SeqCst);
                let result = cosched::on_cancel(cosched::sleep(FOREVER), cosched::sleep(FOREVER))
                    .grace(ms(10))
                    .await;
                flag.store(result.unwrap_err().cleaned_up(), Ordering::SeqCst);
                cosched::sleep(FOREVER).await; // ends here: still cancelled
            });
            until(&started).await;
            task.cancel();
            assert_eq!(task.await, Err(TaskError::Cancelled));
            assert!(!cleaned.load(Ordering::SeqCst), "the grace period ended it");
        });
    });
}

/// `run` cancels what is left and waits for each task's cleanup: an
/// `on_cancel` cleanup that awaits runs to its end before `run` returns.
#[test]
fn run_waits_for_an_awaiting_cleanup() {
    let cleaned = Arc::new(AtomicBool::new(false));
    let flag = Arc::clone(&cleaned);
    within("run", move || {
        cosched::run(async move {
            let started = Arc::new(AtomicBool::new(false));
            let go = Arc::clone(&started);
            let left_running = cosched::create_task(async move {
                go.store(true, Ordering::SeqCst);
                let _ = cosched::on_cancel(cosched::sleep(FOREVER), async move {
                    cosched::sleep(ms(5)).await;
                    flag.store(true, Ordering::SeqCst);
                })
                .await;
            });
            until(&started).await;
            drop(left_running); // detached: `run` cancels it
        });
    });
    assert!(cleaned.load(Ordering::SeqCst));
}

/// Without a cancellation, `on_cancel` is its work: the output, and the
/// cleanup never runs. Outside a task too.
#[test]
fn on_cancel_without_a_cancellation_gives_the_work_output() {
    within("run", || {
        cosched::run(async {
            let ran = Arc::new(AtomicBool::new(false));
            let flag = Arc::clone(&ran);
            let cleanup = async move { flag.store(true, Ordering::SeqCst) };
            assert_eq!(cosched::on_cancel(async { 7 }, cleanup).await, Ok(7));
            let task = cosched::create_task(cosched::on_cancel(async { 8 }, async {}));
            assert_eq!(task.await, Ok(Ok(8)));
            assert!(!ran.load(Ordering::SeqCst));
        });
    });
}

/// A task cancelled while it awaits a `gather` ends only once every child
/// has ended: the gather's drop, part of the task's cancellation, cancels
/// them and the task waits for them (`test_cancellation_broadcast` checks
/// that they are cancelled; this, that nothing outlives the awaiter).
#[test]
fn a_task_cancelled_in_a_gather_ends_after_its_children() {
    within("run", || {
        cosched::run(async {
            let stopped = Arc::new(AtomicUsize::new(0));
            let count = Arc::clone(&stopped);
            let started = Arc::new(AtomicBool::new(false));
            let go = Arc::clone(&started);
            let task = cosched::create_task(async move {
                let children = (0..3).map(|_| {
                    let count = Arc::clone(&count);
                    cosched::create_task(async move {
                        let _slow = Counted(count);
                        cosched::sleep(FOREVER).await;
                    })
                });
                let gathering = cosched::gather(children.collect::<Vec<_>>());
                go.store(true, Ordering::SeqCst);
                gathering.await
            });
            until(&started).await;
            cosched::sleep(ms(1)).await;
            task.cancel();
            assert_eq!(task.await.unwrap_err(), TaskError::Cancelled);
            assert_eq!(stopped.load(Ordering::SeqCst), 3, "every child ended first");
        });
    });
}
