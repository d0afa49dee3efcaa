//! CPython's tests of `asyncio.gather` (`Lib/test/test_asyncio/test_tasks.py`:
//! `GatherTestsBase`, `FutureGatherTests`, `CoroutineGatherTests`, and the
//! gather tests of `BaseTaskTests`), ported to cosched's `gather` (asyncio's
//! `return_exceptions=True`) and `try_gather` (its default mode): each test
//! is named after the CPython test it ports, with what differs said where
//! it differs. A Python future set by hand is a [`Promise`]; an exception
//! is a panic. They run on the backend the `cosched-tests` features select;
//! CI runs them on all three.
//!
//! Not ported: `test_duplicate_coroutines` (a Rust coroutine or task is
//! moved into the gather, so it cannot be passed twice), the
//! `test_constructor_*` tests of loops and their mixing (a task joins the
//! current loop; there is no `loop=`), `test_issue46672` (a non-awaitable
//! argument does not compile), `test_env_var_debug`.
//!
//! No test asserts a timing: a child that must not finish waits for a
//! promise that is never set, or for an hour (`FOREVER`), and the watchdog
//! ([`within`]) turns a hang into a failure.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use cosched::{IntoTask, Task, TaskError, TaskRef, TaskState};

mod common;
use common::{FOREVER, ms, until_done, within};

#[allow(dead_code)] // each test file uses a part of it
#[path = "common/promise.rs"]
mod promise;
use promise::Promise;

/// Python's `raise`: a panic, typed as whatever the caller returns.
fn raise<T>(message: &'static str) -> T {
    panic!("{message}")
}

/// Sets its flag when dropped: the witness that a child's locals are gone.
struct Witness(Arc<AtomicBool>);

impl Drop for Witness {
    fn drop(&mut self) {
        self.0.store(true, Ordering::SeqCst);
    }
}

/// `n` promises and the tasks that await them (CPython's futures), with
/// references to watch the tasks by.
fn promised(n: usize) -> (Vec<Promise<i32>>, Vec<Task<i32>>, Vec<TaskRef>) {
    let promises: Vec<Promise<i32>> = (0..n).map(|_| Promise::new()).collect();
    let tasks: Vec<Task<i32>> = promises
        .iter()
        .map(|promise| cosched::create_task(promise.wait()))
        .collect();
    let refs = tasks.iter().map(Task::task_ref).collect();
    (promises, tasks, refs)
}

/// CPython's `_check_success`: children finish out of order (b, a, then
/// c); the gather is not done before the last, and gives the results in
/// the order given. `wrap` makes each child from its promise: a task
/// (`FutureGatherTests`) or a coroutine (`CoroutineGatherTests`).
fn check_success<X, W>(wrap: W, fail_fast: bool)
where
    X: IntoTask<Output = i32> + Send + 'static,
    W: Fn(&Promise<i32>) -> X + Send + 'static,
{
    within("check_success", move || {
        cosched::run(async move {
            let (a, b, c) = (Promise::new(), Promise::new(), Promise::new());
            let children: Vec<X> = [&a, &b, &c].into_iter().map(&wrap).collect();
            let gathering = if fail_fast {
                cosched::create_task(cosched::try_gather(children))
            } else {
                let gathering = cosched::gather(children);
                cosched::create_task(async move { gathering.await.into_iter().collect() })
            };
            b.set_result(1);
            a.set_result(2);
            cosched::sleep(ms(10)).await;
            assert!(!gathering.is_done(), "c has not finished");
            c.set_result(3);
            assert_eq!(gathering.await, Ok(Ok(vec![2, 1, 3])));
        });
    });
}

fn as_task(promise: &Promise<i32>) -> Task<i32> {
    cosched::create_task(promise.wait())
}

fn as_coroutine(promise: &Promise<i32>) -> impl Future<Output = i32> + Send + 'static + use<> {
    promise.wait()
}

/// `return_exceptions=False` is `try_gather`; run with tasks and with
/// coroutines.
#[test]
fn test_success() {
    check_success(as_task, true);
    check_success(as_coroutine, true);
}

/// `return_exceptions=True` is `gather`.
#[test]
fn test_result_exception_success() {
    check_success(as_task, false);
    check_success(as_coroutine, false);
}

/// The first exception is `try_gather`'s error. Differs: asyncio leaves c,
/// d and e running ("Does nothing"); cosched cancels them and returns only
/// once they have stopped, so setting them afterwards reaches nobody.
#[test]
fn test_one_exception() {
    within("test_one_exception", || {
        cosched::run(async {
            let (promises, tasks, refs) = promised(5);
            let gathering = cosched::try_gather(tasks);
            promises[0].set_result(1);
            promises[1].set_exception("ZeroDivisionError");
            assert_eq!(
                gathering.await,
                Err(TaskError::Panicked("ZeroDivisionError".into()))
            );
            for child in &refs[2..] {
                assert_eq!(
                    child.state(),
                    TaskState::Cancelled,
                    "stopped before it returned"
                );
            }
            promises[2].set_result(3);
            promises[4].set_exception("RuntimeError");
        });
    });
}

#[test]
fn test_return_exceptions() {
    within("test_return_exceptions", || {
        cosched::run(async {
            let (promises, tasks, refs) = promised(4);
            let gathering = cosched::create_task(cosched::gather(tasks));
            promises[1].set_result(1);
            promises[2].set_exception("ZeroDivisionError");
            promises[0].set_result(3);
            for child in &refs[..3] {
                until_done(child).await;
            }
            assert!(!gathering.is_done(), "d has not finished");
            promises[3].set_exception("RuntimeError");
            assert_eq!(
                gathering.await,
                Ok(vec![
                    Ok(3),
                    Ok(1),
                    Err(TaskError::Panicked("ZeroDivisionError".into())),
                    Err(TaskError::Panicked("RuntimeError".into())),
                ])
            );
        });
    });
}

/// A child cancelled on its own fails `try_gather` with
/// `TaskError::Cancelled` (asyncio: the gather's exception is the
/// `CancelledError`; the gather itself is not cancelled). Differs as
/// `test_one_exception` does: the others are cancelled.
#[test]
fn test_one_cancellation() {
    within("test_one_cancellation", || {
        cosched::run(async {
            let (promises, tasks, refs) = promised(5);
            let gathering = cosched::try_gather(tasks);
            promises[0].set_result(1);
            refs[1].cancel();
            assert_eq!(gathering.await, Err(TaskError::Cancelled));
            for child in &refs[2..] {
                assert!(child.is_cancelled());
            }
        });
    });
}

#[test]
fn test_result_exception_one_cancellation() {
    within("test_result_exception_one_cancellation", || {
        cosched::run(async {
            let (promises, tasks, refs) = promised(6);
            let gathering = cosched::create_task(cosched::gather(tasks));
            promises[0].set_result(1);
            promises[1].set_exception("ZeroDivisionError");
            refs[2].cancel();
            for child in &refs[..3] {
                until_done(child).await;
            }
            assert!(!gathering.is_done());
            promises[3].set_result(3);
            refs[4].cancel();
            promises[5].set_exception("RuntimeError");
            assert_eq!(
                gathering.await,
                Ok(vec![
                    Ok(1),
                    Err(TaskError::Panicked("ZeroDivisionError".into())),
                    Err(TaskError::Cancelled),
                    Ok(3),
                    Err(TaskError::Cancelled),
                    Err(TaskError::Panicked("RuntimeError".into())),
                ])
            );
        });
    });
}

/// `asyncio.gather()` of nothing is a future done with `[]`.
#[test]
fn test_constructor_empty_sequence_use_running_loop() {
    within("run", || {
        cosched::run(async {
            let nothing: Vec<Task<i32>> = Vec::new();
            assert_eq!(cosched::gather(nothing).await, []);
            let nothing: Vec<Task<i32>> = Vec::new();
            assert_eq!(cosched::try_gather(nothing).await, Ok(vec![]));
        });
    });
}

/// Coroutines given to `gather` are scheduled on the running loop at the
/// call, before the gather is awaited (asyncio's `ensure_future` on each).
#[test]
fn test_constructor_use_running_loop() {
    within("run", || {
        cosched::run(async {
            let started = Arc::new(AtomicUsize::new(0));
            let coroutines: Vec<_> = (0..2)
                .map(|_| {
                    let started = Arc::clone(&started);
                    async move {
                        started.fetch_add(1, Ordering::SeqCst);
                        "abc"
                    }
                })
                .collect();
            let gathering = cosched::gather(coroutines);
            // Both run before the gather is first polled (else this hangs).
            while started.load(Ordering::SeqCst) < 2 {
                cosched::sleep(ms(1)).await;
            }
            assert_eq!(gathering.await, [Ok("abc"), Ok("abc")]);
        });
    });
}

/// Cancelling the task that awaits a gather cancels every child, not only
/// the one it happens to be awaiting. (The gather that awaited its tasks
/// one by one cancelled child1 only, and child2 ran on.)
#[test]
fn test_cancellation_broadcast() {
    within("test_cancellation_broadcast", || {
        cosched::run(async {
            let proof = Arc::new(AtomicUsize::new(0));
            let waiter: Promise<()> = Promise::new();
            let inner = |proof: &Arc<AtomicUsize>| {
                let (proof, waiter) = (Arc::clone(proof), waiter.clone());
                async move {
                    waiter.wait().await;
                    proof.fetch_add(1, Ordering::SeqCst);
                }
            };
            let child1 = cosched::ensure_future(inner(&proof));
            let child2 = cosched::ensure_future(inner(&proof));
            let (ref1, ref2) = (child1.task_ref(), child2.task_ref());
            let outer_proof = Arc::clone(&proof);
            let outer = cosched::create_task(async move {
                cosched::gather([child1, child2]).await;
                outer_proof.fetch_add(100, Ordering::SeqCst);
            });
            // asyncio's `run_briefly`: the outer task is inside the gather.
            while outer.task_ref().state() == TaskState::Pending {
                cosched::sleep(ms(1)).await;
            }
            assert!(outer.cancel());
            assert_eq!(outer.await, Err(TaskError::Cancelled));
            // The gather was dropped with the outer task, before it ended:
            // both children have been asked to stop.
            for child in [&ref1, &ref2] {
                assert!(
                    matches!(child.state(), TaskState::Cancelling | TaskState::Cancelled),
                    "{child:?} was not cancelled"
                );
            }
            until_done(&ref1).await;
            until_done(&ref2).await;
            assert!(ref1.is_cancelled());
            assert!(ref2.is_cancelled());
            assert_eq!(proof.load(Ordering::SeqCst), 0);
        });
    });
}

/// The first of two failures reaches the awaiter. Differs: once `inner(a)`
/// fails, cosched cancels `inner(b)`, which never raises.
#[test]
fn test_exception_marking() {
    within("test_exception_marking", || {
        cosched::run(async {
            let (a, b): (Promise<()>, Promise<()>) = (Promise::new(), Promise::new());
            let inner = |promise: &Promise<()>| {
                let waiting = promise.wait();
                async move {
                    waiting.await;
                    raise::<()>("should not be ignored");
                }
            };
            let outer = cosched::create_task(cosched::try_gather([inner(&a), inner(&b)]));
            a.set_result(());
            let result = outer.await;
            assert_eq!(
                result,
                Ok(Err(TaskError::Panicked("should not be ignored".into())))
            );
            b.set_result(());
        });
    });
}

/// A gather whose children have all finished cancels none of them when it
/// is dropped (Python issue #26923: a gather refuses to be cancelled once
/// its children are done). Differs: asyncio's test cancels the gathering
/// task in the child's done callback; here, the gather is dropped after the
/// child finished, unpolled since.
#[test]
fn test_cancel_gather_1() {
    within("test_cancel_gather_1", || {
        cosched::run(async {
            let fut: Promise<i32> = Promise::new();
            let child = cosched::create_task(fut.wait());
            let child_ref = child.task_ref();
            let gathering = cosched::gather([child]);
            fut.set_result(42);
            until_done(&child_ref).await;
            drop(gathering);
            assert_eq!(child_ref.state(), TaskState::Done);
        });
    });
}

/// Cancelling a task that awaits gathers in a loop ends it cancelled: the
/// cancellation is not swallowed by the gather. Differs: no cancel
/// message (cosched's cancellation carries none), and the loop runs until
/// cancelled rather than for a second.
#[test]
fn test_cancel_gather_2() {
    within("test_cancel_gather_2", || {
        cosched::run(async {
            let qwe = cosched::create_task(async {
                loop {
                    cosched::gather([cosched::sleep(ms(5))]).await;
                }
            });
            cosched::sleep(ms(20)).await;
            qwe.cancel();
            assert_eq!(qwe.await, Err(TaskError::Cancelled));
        });
    });
}

/// Not in CPython: `try_gather` returns its error only once every other
/// child has stopped, its locals dropped ("no task outlives the call").
#[test]
fn try_gather_returns_once_the_others_have_stopped() {
    within("run", || {
        cosched::run(async {
            let flags: Vec<Arc<AtomicBool>> =
                (0..3).map(|_| Arc::new(AtomicBool::new(false))).collect();
            let mut children: Vec<Task<()>> = flags
                .iter()
                .map(|flag| {
                    let witness = Witness(Arc::clone(flag));
                    cosched::create_task(async move {
                        let _witness = witness;
                        cosched::sleep(FOREVER).await;
                    })
                })
                .collect();
            children.push(cosched::create_task(async {
                cosched::sleep(ms(5)).await;
                panic!("boom");
            }));
            let error = cosched::try_gather(children).await;
            assert_eq!(error, Err(TaskError::Panicked("boom".into())));
            for flag in &flags {
                assert!(
                    flag.load(Ordering::SeqCst),
                    "a child's locals outlived try_gather"
                );
            }
        });
    });
}

/// Not in CPython: dropping a gather cancels its unfinished children, in
/// both modes, and leaves the finished ones as they ended.
#[test]
fn dropping_a_gather_cancels_its_unfinished_children() {
    within("run", || {
        cosched::run(async {
            for fail_fast in [false, true] {
                let done = cosched::create_task(async { 1 });
                let done_ref = done.task_ref();
                until_done(&done_ref).await;
                let forever = cosched::create_task(async {
                    cosched::sleep(FOREVER).await;
                    2
                });
                let forever_ref = forever.task_ref();
                if fail_fast {
                    drop(cosched::try_gather([done, forever]));
                } else {
                    drop(cosched::gather([done, forever]));
                }
                until_done(&forever_ref).await;
                assert!(forever_ref.is_cancelled());
                assert_eq!(done_ref.state(), TaskState::Done);
            }
        });
    });
}

/// Not in CPython: a gather of 100,000 children finishes. Each child's wake
/// polls that child only; a gather that polled every child on every wake
/// would do 10^10 polls here, and the watchdog would fail it.
#[test]
fn a_gather_of_100_000_children_is_linear() {
    within("a gather of 100,000 children", || {
        cosched::run(async {
            let gate: Promise<()> = Promise::new();
            let children: Vec<_> = (0..100_000_u32)
                .map(|i| {
                    let gate = gate.wait();
                    async move {
                        gate.await;
                        i
                    }
                })
                .collect();
            let gathering = cosched::create_task(cosched::gather(children));
            cosched::sleep(ms(10)).await;
            gate.set_result(());
            let results = gathering.await.expect("the gather ran");
            assert_eq!(results.len(), 100_000);
            assert!(results.iter().zip(0_u32..).all(|(r, i)| *r == Ok(i)));
        });
    });
}

/// Not in CPython: results keep their places whatever order the children
/// finish in, tasks and coroutines mixed.
#[test]
fn gather_keeps_input_order_across_completion_order() {
    within("run", || {
        cosched::run(async {
            let order = Arc::new(Mutex::new(Vec::new()));
            let promises: Vec<Promise<()>> = (0..5).map(|_| Promise::new()).collect();
            let children: Vec<Task<usize>> = promises
                .iter()
                .enumerate()
                .map(|(i, promise)| {
                    let (waiting, order) = (promise.wait(), Arc::clone(&order));
                    cosched::create_task(async move {
                        waiting.await;
                        order.lock().unwrap().push(i);
                        i
                    })
                })
                .collect();
            let gathering = cosched::create_task(cosched::try_gather(children));
            for i in [3, 0, 4, 1, 2] {
                promises[i].set_result(());
                while order.lock().unwrap().last() != Some(&i) {
                    cosched::sleep(ms(1)).await;
                }
            }
            assert_eq!(*order.lock().unwrap(), [3, 0, 4, 1, 2]);
            assert_eq!(gathering.await, Ok(Ok(vec![0, 1, 2, 3, 4])));
        });
    });
}

/// Not in CPython: tasks whose ends a `wait` has seen (and kept) gather
/// at once, with their results.
#[test]
fn gather_of_tasks_a_wait_returned_done() {
    within("run", || {
        cosched::run(async {
            let tasks = (0..3).map(|i| async move { i });
            let (done, _) = cosched::wait(tasks, cosched::ReturnWhen::AllCompleted).await;
            assert_eq!(cosched::gather(done).await, [Ok(0), Ok(1), Ok(2)]);
            let (done, _) = cosched::wait([async { 1 }], cosched::ReturnWhen::AllCompleted).await;
            assert_eq!(cosched::try_gather(done).await, Ok(vec![1]));
        });
    });
}
