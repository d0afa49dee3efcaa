//! CPython's tests of `asyncio.wait`, `as_completed` and `shield`
//! (`Lib/test/test_asyncio/test_tasks.py`, `BaseTaskTests`), ported to
//! cosched's `wait`, `as_completed` and `shield`: each test is named after
//! the CPython test it ports, with what differs said where it differs. A
//! Python future set by hand is a [`Promise`]; an exception is a panic.
//! asyncio's `done` and `pending` sets are `Vec`s in the order given. They
//! run on the backend the `cosched-tests` features select; CI runs them on
//! all three.
//!
//! Not ported: `test_wait_duplicate_coroutines` and
//! `test_as_completed_duplicate_coroutines` (a Rust task or coroutine is
//! moved into the call, so it cannot be passed twice: `wait`'s docs have
//! that as a `compile_fail` example), `test_wait_invalid_args` and
//! `test_as_completed_invalid_args` but for the empty input (the rest does
//! not compile), the `*_without_loop` and `*_use_global_loop` tests (a task
//! joins the current loop), and `test_shield_cancel_outer_exception` and
//! `test_shield_duplicate_log_once` (cosched has no exception handler to
//! log to: a detached task's panic is its own).
//!
//! No test asserts a timing: CPython's test loop checks when `wait`
//! returned (`loop.time()`); here a task that must not finish first waits
//! for a promise, or for an hour (`FOREVER`), and the watchdog ([`within`])
//! turns a hang into a failure.

use std::future::{Future, IntoFuture, poll_fn};
use std::pin::pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::task::Poll;
use std::time::{Duration, Instant};

use cosched::{ReturnWhen, Task, TaskError, TaskState, TimeoutError};

mod common;
use common::{FOREVER, ms, until_done, within};

#[allow(dead_code)] // each test file uses a part of it
#[path = "common/promise.rs"]
mod promise;
use promise::Promise;

fn ids<T>(tasks: &[Task<T>]) -> Vec<cosched::TaskId> {
    tasks.iter().map(Task::id).collect()
}

/// Polls `future` once: asyncio's "is it done now?".
async fn poll_once<F: IntoFuture>(future: F) -> Poll<F::Output> {
    let mut future = pin!(future.into_future());
    poll_fn(|cx| Poll::Ready(future.as_mut().poll(cx))).await
}

/// Python's `raise`: a panic, typed as whatever the caller returns.
fn raise<T>(message: &'static str) -> T {
    panic!("{message}")
}

// ---- wait ----

/// Both finish, given in reverse order; waiting again on the done tasks
/// returns them at once ("a different path": each is done already).
#[test]
fn test_wait() {
    within("test_wait", || {
        cosched::run(async {
            let a = cosched::create_task(cosched::sleep(ms(10)));
            let b = cosched::create_task(cosched::sleep(ms(15)));
            let (a_id, b_id) = (a.id(), b.id());
            let (done, pending) = cosched::wait([b, a], ReturnWhen::AllCompleted).await;
            assert_eq!(ids(&done), [b_id, a_id]);
            assert!(pending.is_empty());
            let (done, pending) = cosched::wait(done, ReturnWhen::AllCompleted).await;
            assert_eq!(ids(&done), [b_id, a_id]);
            assert!(pending.is_empty());
            for task in done {
                assert_eq!(task.await, Ok(()));
            }
        });
    });
}

/// asyncio raises `ValueError` for an empty set; cosched returns two
/// empty `Vec`s at once (an invalid `return_when` does not compile).
#[test]
fn test_wait_errors() {
    within("test_wait_errors", || {
        cosched::run(async {
            for when in [
                ReturnWhen::FirstCompleted,
                ReturnWhen::FirstException,
                ReturnWhen::AllCompleted,
            ] {
                let nothing: Vec<Task<()>> = Vec::new();
                let ready = poll_once(cosched::wait(nothing, when)).await;
                assert!(
                    matches!(ready, Poll::Ready((done, pending)) if done.is_empty() && pending.is_empty())
                );
            }
        });
    });
}

#[test]
fn test_wait_first_completed() {
    within("test_wait_first_completed", || {
        cosched::run(async {
            let a = cosched::create_task(cosched::sleep(FOREVER));
            let b = cosched::create_task(cosched::sleep(ms(10)));
            let (a_ref, b_id) = (a.task_ref(), b.id());
            let (done, pending) = cosched::wait([b, a], ReturnWhen::FirstCompleted).await;
            assert_eq!(ids(&done), [b_id]);
            assert_eq!(ids(&pending), [a_ref.id()]);
            assert!(!a_ref.is_done());
            assert!(done[0].is_done());
            assert_eq!(done.into_iter().next().unwrap().await, Ok(()));
            a_ref.cancel();
        });
    });
}

/// Tasks that have finished when `wait` looks are all in `done`, not only
/// the first. Differs: CPython's tasks finish on the same loop iteration;
/// here both have ended before `wait` is called, and `FIRST_COMPLETED`
/// still returns both.
#[test]
fn test_wait_really_done() {
    within("test_wait_really_done", || {
        cosched::run(async {
            let a = cosched::create_task(cosched::yield_now());
            let b = cosched::create_task(async {
                cosched::yield_now().await;
                cosched::yield_now().await;
            });
            until_done(&a.task_ref()).await;
            until_done(&b.task_ref()).await;
            let (done, pending) = cosched::wait([b, a], ReturnWhen::FirstCompleted).await;
            assert_eq!(done.len(), 2);
            assert!(pending.is_empty());
            for task in done {
                assert_eq!(task.await, Ok(()));
            }
        });
    });
}

/// First exception, the task has raised already.
#[test]
fn test_wait_first_exception() {
    within("test_wait_first_exception", || {
        cosched::run(async {
            let a = cosched::create_task(async {
                cosched::sleep(FOREVER).await;
            });
            let b = cosched::create_task(async { raise::<()>("err") });
            let (a_ref, b_id) = (a.task_ref(), b.id());
            let (done, pending) = cosched::wait([b, a], ReturnWhen::FirstException).await;
            assert_eq!(ids(&done), [b_id]);
            assert_eq!(ids(&pending), [a_ref.id()]);
            let b = done.into_iter().next().unwrap();
            assert_eq!(b.await, Err(TaskError::Panicked("err".into())));
            a_ref.cancel();
        });
    });
}

/// First exception, raised while `wait` waits.
#[test]
fn test_wait_first_exception_in_wait() {
    within("test_wait_first_exception_in_wait", || {
        cosched::run(async {
            let a = cosched::create_task(async {
                cosched::sleep(FOREVER).await;
            });
            let b = cosched::create_task(async {
                cosched::sleep(ms(10)).await;
                raise::<()>("err");
            });
            let (a_ref, b_id) = (a.task_ref(), b.id());
            let (done, pending) = cosched::wait([b, a], ReturnWhen::FirstException).await;
            assert_eq!(ids(&done), [b_id]);
            assert_eq!(ids(&pending), [a_ref.id()]);
            a_ref.cancel();
        });
    });
}

/// Not in CPython: as in asyncio, a task that ends cancelled is no
/// exception for `FIRST_EXCEPTION`, where it completes `FIRST_COMPLETED`.
#[test]
fn first_exception_does_not_count_a_cancellation() {
    within("run", || {
        cosched::run(async {
            let cancelled = cosched::create_task(cosched::sleep(FOREVER));
            cancelled.cancel();
            // Its end seen (and kept in the task) by a first wait.
            let (done, _) = cosched::wait([cancelled], ReturnWhen::AllCompleted).await;
            let forever = cosched::create_task(cosched::sleep(FOREVER));
            let forever_ref = forever.task_ref();
            let mut tasks = done;
            tasks.push(forever);
            let waiting = cosched::wait(tasks, ReturnWhen::FirstException);
            assert!(poll_once(waiting).await.is_pending());
            let cancelled = cosched::create_task(cosched::sleep(FOREVER));
            cancelled.cancel();
            let (done, _) = cosched::wait([cancelled], ReturnWhen::AllCompleted).await;
            let mut tasks = done;
            tasks.push(cosched::create_task(cosched::sleep(FOREVER)));
            let ready = poll_once(cosched::wait(tasks, ReturnWhen::FirstCompleted)).await;
            let Poll::Ready((done, pending)) = ready else {
                panic!("FIRST_COMPLETED counts a cancelled task");
            };
            assert!(done[0].is_cancelled());
            pending[0].cancel();
            forever_ref.cancel();
        });
    });
}

#[test]
fn test_wait_with_exception() {
    within("test_wait_with_exception", || {
        cosched::run(async {
            let a = cosched::create_task(cosched::sleep(ms(10)));
            let b = cosched::create_task(async {
                cosched::sleep(ms(15)).await;
                raise::<()>("really");
            });
            let (done, pending) = cosched::wait([b, a], ReturnWhen::AllCompleted).await;
            assert_eq!(done.len(), 2);
            assert!(pending.is_empty());
            // And again, on the done tasks.
            let (done, pending) = cosched::wait(done, ReturnWhen::AllCompleted).await;
            assert_eq!(done.len(), 2);
            assert!(pending.is_empty());
            let mut errors = 0;
            for task in done {
                if task.await.is_err() {
                    errors += 1;
                }
            }
            assert_eq!(errors, 1);
        });
    });
}

/// On a timeout, `wait` returns the tasks as they are and cancels
/// nothing. Differs: CPython's `a` finishes before the timeout by the test
/// loop's clock; here `a` has finished before `wait` is called, and `b`
/// never does.
#[test]
fn test_wait_with_timeout() {
    within("test_wait_with_timeout", || {
        cosched::run(async {
            let a = cosched::create_task(async {});
            let b = cosched::create_task(cosched::sleep(FOREVER));
            let (a_id, b_ref) = (a.id(), b.task_ref());
            until_done(&a.task_ref()).await;
            let (done, pending) = cosched::wait([b, a], ReturnWhen::AllCompleted)
                .timeout(ms(10))
                .await;
            assert_eq!(ids(&done), [a_id]);
            assert_eq!(ids(&pending), [b_ref.id()]);
            assert!(!b_ref.is_done(), "the timeout cancels nothing");
            assert!(!b_ref.is_cancelled());
            b_ref.cancel();
        });
    });
}

/// A task that completes as the timeout does counts as done. Differs:
/// CPython's `a` ends exactly at the timeout; here `a` has ended and the
/// timeout is zero, which returns at once what has finished.
#[test]
fn test_wait_concurrent_complete() {
    within("test_wait_concurrent_complete", || {
        cosched::run(async {
            let a = cosched::create_task(async {});
            let b = cosched::create_task(cosched::sleep(FOREVER));
            let (a_id, b_ref) = (a.id(), b.task_ref());
            until_done(&a.task_ref()).await;
            let (done, pending) = cosched::wait([b, a], ReturnWhen::AllCompleted)
                .timeout(Duration::ZERO)
                .await;
            assert_eq!(ids(&done), [a_id]);
            assert_eq!(ids(&pending), [b_ref.id()]);
            b_ref.cancel();
        });
    });
}

/// `test_wait_concurrent_complete`'s race, many times over: a task that
/// has ended when a zero timeout passes is in `done`, though the backend
/// may publish its result just after (smol's did, and CI saw `done` empty).
#[test]
fn a_task_ended_as_the_timeout_passes_is_done() {
    within("a_task_ended_as_the_timeout_passes_is_done", || {
        cosched::run(async {
            for _ in 0..500 {
                let a = cosched::create_task(async {});
                let a_id = a.id();
                until_done(&a.task_ref()).await;
                let (done, pending) = cosched::wait([a], ReturnWhen::AllCompleted)
                    .timeout(Duration::ZERO)
                    .await;
                assert_eq!(ids(&done), [a_id]);
                assert!(pending.is_empty());
            }
        });
    });
}

#[test]
fn test_wait_with_iterator_of_tasks() {
    within("test_wait_with_iterator_of_tasks", || {
        cosched::run(async {
            let a = cosched::create_task(cosched::sleep(ms(10)));
            let b = cosched::create_task(cosched::sleep(ms(15)));
            let (done, pending) =
                cosched::wait(std::iter::once(b).chain([a]), ReturnWhen::AllCompleted).await;
            assert_eq!(done.len(), 2);
            assert!(pending.is_empty());
        });
    });
}

/// A generator of tasks; here an iterator of coroutines, which `wait`
/// schedules (asyncio's `wait` refuses coroutines).
#[test]
fn test_wait_generator() {
    within("test_wait_generator", || {
        cosched::run(async {
            let tasks = (0..10).map(|i| async move { i });
            let (done, pending) = cosched::wait(tasks, ReturnWhen::AllCompleted).await;
            assert_eq!(done.len(), 10);
            assert!(pending.is_empty());
            for (i, task) in (0..).zip(done) {
                assert_eq!(task.await, Ok(i), "in the order given");
            }
        });
    });
}

/// Cancelling the task that awaits `wait` leaves the tasks it waited for
/// running (they are detached).
#[test]
fn test_yield_wait_does_not_shield_cancel() {
    within("test_yield_wait_does_not_shield_cancel", || {
        cosched::run(async {
            let proof = Arc::new(AtomicUsize::new(0));
            let waiter: Promise<()> = Promise::new();
            let inner_proof = Arc::clone(&proof);
            let waiting = waiter.wait();
            let inner = cosched::create_task(async move {
                waiting.await;
                inner_proof.fetch_add(1, Ordering::SeqCst);
            });
            let inner_ref = inner.task_ref();
            let outer_proof = Arc::clone(&proof);
            let outer = cosched::create_task(async move {
                let _ = cosched::wait([inner], ReturnWhen::AllCompleted).await;
                outer_proof.fetch_add(100, Ordering::SeqCst);
            });
            while outer.task_ref().state() == TaskState::Pending {
                cosched::sleep(ms(1)).await;
            }
            outer.cancel();
            assert_eq!(outer.await, Err(TaskError::Cancelled));
            waiter.set_result(());
            until_done(&inner_ref).await;
            assert_eq!(inner_ref.state(), TaskState::Done);
            assert_eq!(proof.load(Ordering::SeqCst), 1);
        });
    });
}

/// Not in CPython: a task returned as done keeps its result, and awaiting
/// it is ready on the first poll.
#[test]
fn done_tasks_give_their_result_at_once() {
    within("run", || {
        cosched::run(async {
            let tasks = (0..3).map(|i| async move { i });
            let (done, _) = cosched::wait(tasks, ReturnWhen::AllCompleted).await;
            for (i, task) in (0..).zip(done) {
                assert_eq!(poll_once(task).await, Poll::Ready(Ok(i)));
            }
        });
    });
}

// ---- as_completed ----

/// Tasks come out in the order they finish. Differs: CPython's `c` sleeps
/// longer than `a` and `b`; here it waits for a promise set once the
/// first two have come out.
#[test]
fn test_as_completed() {
    within("test_as_completed", || {
        cosched::run(async {
            let c_may_finish: Promise<()> = Promise::new();
            let sleeper = |x: &'static str| {
                let gate = (x == "c").then(|| c_may_finish.wait());
                async move {
                    if let Some(gate) = gate {
                        gate.await;
                    }
                    x
                }
            };
            let mut completed = cosched::as_completed([sleeper("b"), sleeper("c"), sleeper("a")]);
            let mut res = Vec::new();
            while let Some(task) = completed.next().await {
                res.push(task.await.unwrap());
                if res.len() == 2 {
                    c_may_finish.set_result(());
                }
            }
            assert!(res[..2].contains(&"a"));
            assert!(res[..2].contains(&"b"));
            assert_eq!(res[2], "c");
        });
    });
}

/// The tasks given come back as they are; a coroutine comes back as the
/// task it was made.
#[test]
fn test_as_completed_same_tasks_in_as_out() {
    within("test_as_completed_same_tasks_in_as_out", || {
        cosched::run(async {
            let b = cosched::create_task(async { "b" });
            let d = cosched::create_task(async { "d" });
            let (b_id, d_id) = (b.id(), d.id());
            let mut completed = cosched::as_completed([
                cosched::ensure_future(async { "a" }),
                b,
                cosched::ensure_future(async { "c" }),
                d,
            ]);
            let mut out = Vec::new();
            while let Some(task) = completed.next().await {
                let id = task.id();
                out.push((id, task.await.unwrap()));
            }
            out.sort_by_key(|(_, name)| *name);
            assert_eq!(out.len(), 4);
            assert_eq!(out[1], (b_id, "b"));
            assert_eq!(out[3], (d_id, "d"));
        });
    });
}

/// asyncio's `as_completed(..., timeout=)` is `next_until` with one
/// deadline: the first task comes out, then the deadline passes. Differs:
/// CPython's `a` finishes before the deadline by the test loop's clock;
/// here it has finished before, and `b` never does. Nothing is cancelled.
#[test]
fn test_as_completed_with_timeout() {
    within("test_as_completed_with_timeout", || {
        cosched::run(async {
            let a = cosched::create_task(async { "a" });
            let b = cosched::create_task(async {
                cosched::sleep(FOREVER).await;
                "b"
            });
            let b_ref = b.task_ref();
            until_done(&a.task_ref()).await;
            let mut completed = cosched::as_completed([a, b]);
            let deadline = Instant::now() + ms(20);
            let mut values = Vec::new();
            loop {
                match completed.next_until(deadline).await {
                    Ok(Some(task)) => values.push(Ok(task.await.unwrap())),
                    Ok(None) => break,
                    Err(error) => {
                        values.push(Err(error));
                        break;
                    }
                }
            }
            assert_eq!(values, [Ok("a"), Err(TimeoutError)]);
            assert!(!b_ref.is_done(), "the timeout cancels nothing");
            assert_eq!(completed.len(), 1);
            b_ref.cancel();
        });
    });
}

/// The same race as `a_task_ended_as_the_timeout_passes_is_done`, for
/// `as_completed`: a task that has ended by a deadline already past is
/// handed out, not reported as a timeout.
#[test]
fn a_task_ended_by_the_deadline_is_handed_out() {
    within("a_task_ended_by_the_deadline_is_handed_out", || {
        cosched::run(async {
            for _ in 0..500 {
                let a = cosched::create_task(async { 1 });
                until_done(&a.task_ref()).await;
                let mut completed = cosched::as_completed([a]);
                let next = completed.next_until(Instant::now()).await;
                let task = next.expect("not a timeout").expect("a task");
                assert_eq!(task.await, Ok(1));
            }
        });
    });
}

#[test]
fn test_as_completed_with_unused_timeout() {
    within("test_as_completed_with_unused_timeout", || {
        cosched::run(async {
            let mut completed = cosched::as_completed([async {
                cosched::sleep(ms(10)).await;
                "a"
            }]);
            let deadline = Instant::now() + FOREVER;
            let task = completed.next_until(deadline).await.unwrap().unwrap();
            assert_eq!(task.await, Ok("a"));
            assert!(matches!(completed.next_until(deadline).await, Ok(None)));
        });
    });
}

/// Iteration stops after two and resumes, and every result comes out once.
#[test]
fn test_as_completed_resume_iterator() {
    within("test_as_completed_resume_iterator", || {
        cosched::run(async {
            let mut completed = cosched::as_completed((0..4).map(|i| async move { i }));
            let mut collected = Vec::new();
            while let Some(task) = completed.next().await {
                collected.push(task.await.unwrap());
                if collected.len() == 2 {
                    break;
                }
            }
            assert_eq!(collected.len(), 2);
            while let Some(task) = completed.next().await {
                collected.push(task.await.unwrap());
            }
            collected.sort_unstable();
            assert_eq!(collected, [0, 1, 2, 3]);
        });
    });
}

/// The first task out is the first to finish, not the first given.
/// Differs: CPython's plain iterator hands out placeholder futures before
/// anything finishes, and awaits them in reverse; cosched hands out only
/// finished tasks, so what is ported is that the order is the finishing
/// order: `b`, given first, finishes only after `a` has come out.
#[test]
fn test_as_completed_reverse_wait() {
    within("test_as_completed_reverse_wait", || {
        cosched::run(async {
            let b_may_finish: Promise<()> = Promise::new();
            let gate = b_may_finish.wait();
            let b = cosched::create_task(async move {
                gate.await;
                "b"
            });
            let a = cosched::create_task(async { "a" });
            let mut completed = cosched::as_completed([b, a]);
            let x = completed.next().await.unwrap();
            assert_eq!(x.await, Ok("a"));
            b_may_finish.set_result(());
            let y = completed.next().await.unwrap();
            assert_eq!(y.await, Ok("b"));
        });
    });
}

/// The tasks handed out can be awaited together (here by `wait`).
#[test]
fn test_as_completed_concurrent() {
    within("test_as_completed_concurrent", || {
        cosched::run(async {
            let mut completed = cosched::as_completed(["a", "b"].map(|x| async move {
                cosched::sleep(ms(5)).await;
                x
            }));
            let mut futs = Vec::new();
            while let Some(task) = completed.next().await {
                futs.push(task);
            }
            assert_eq!(futs.len(), 2);
            let (done, _) = cosched::wait(futs, ReturnWhen::AllCompleted).await;
            let mut results = Vec::new();
            for task in done {
                results.push(task.await.unwrap());
            }
            results.sort_unstable();
            assert_eq!(results, ["a", "b"]);
        });
    });
}

#[test]
fn test_as_completed_coroutine_use_running_loop() {
    within("test_as_completed_coroutine_use_running_loop", || {
        cosched::run(async {
            let mut completed = cosched::as_completed([async { 42 }]);
            assert_eq!(completed.len(), 1);
            let task = completed.next().await.unwrap();
            assert_eq!(task.await, Ok(42));
            assert!(completed.next().await.is_none());
        });
    });
}

/// Not in CPython: an empty input is done at once, as asyncio's
/// `as_completed([])` is.
#[test]
fn as_completed_of_nothing_ends_at_once() {
    within("run", || {
        cosched::run(async {
            let mut completed = cosched::as_completed(Vec::<Task<()>>::new());
            assert!(completed.is_empty());
            assert!(matches!(
                poll_once(completed.next()).await,
                Poll::Ready(None)
            ));
        });
    });
}

// ---- shield ----

#[test]
fn test_shield_result() {
    within("test_shield_result", || {
        cosched::run(async {
            let inner: Promise<i32> = Promise::new();
            let outer = cosched::shield(cosched::create_task(inner.wait()));
            inner.set_result(42);
            assert_eq!(outer.await, Ok(42));
        });
    });
}

#[test]
fn test_shield_exception() {
    within("test_shield_exception", || {
        cosched::run(async {
            let inner: Promise<i32> = Promise::new();
            let outer = cosched::shield(cosched::create_task(inner.wait()));
            inner.set_exception("expected");
            assert_eq!(outer.await, Err(TaskError::Panicked("expected".into())));
        });
    });
}

/// The inner task cancelled: the shield's result is the cancellation.
#[test]
fn test_shield_cancel_inner() {
    within("test_shield_cancel_inner", || {
        cosched::run(async {
            let inner: Promise<i32> = Promise::new();
            let task = cosched::create_task(inner.wait());
            let task_ref = task.task_ref();
            let outer = cosched::shield(task);
            task_ref.cancel();
            assert_eq!(outer.await, Err(TaskError::Cancelled));
        });
    });
}

/// The outer cancelled: it ends cancelled, and the inner task does not;
/// it finishes with its result (`test_shield_cancel_outer_result` too).
/// Cancelling the outer is cancelling the task that awaits it.
#[test]
fn test_shield_cancel_outer() {
    within("test_shield_cancel_outer", || {
        cosched::run(async {
            let inner: Promise<i32> = Promise::new();
            let task = cosched::create_task(inner.wait());
            let task_ref = task.task_ref();
            let outer = cosched::create_task(cosched::shield(task));
            while outer.task_ref().state() == TaskState::Pending {
                cosched::sleep(ms(1)).await;
            }
            outer.cancel();
            assert_eq!(outer.await, Err(TaskError::Cancelled));
            assert!(!task_ref.is_done());
            inner.set_result(1);
            until_done(&task_ref).await;
            assert_eq!(task_ref.state(), TaskState::Done);
        });
    });
}

/// A shield of a done task gives its result at once. Differs: "done" is a
/// task whose end has been seen, here by `wait`.
#[test]
fn test_shield_shortcut() {
    within("test_shield_shortcut", || {
        cosched::run(async {
            let fut = cosched::create_task(async { 42 });
            let (mut done, _) = cosched::wait([fut], ReturnWhen::AllCompleted).await;
            let fut = done.pop().unwrap();
            assert_eq!(poll_once(cosched::shield(fut)).await, Poll::Ready(Ok(42)));
        });
    });
}

/// Cancelling the task that awaits `shield(inner())` does not cancel
/// `inner()`.
#[test]
fn test_shield_effect() {
    within("test_shield_effect", || {
        cosched::run(async {
            let proof = Arc::new(AtomicUsize::new(0));
            let waiter: Promise<()> = Promise::new();
            let inner_proof = Arc::clone(&proof);
            let waiting = waiter.wait();
            let inner = async move {
                waiting.await;
                inner_proof.fetch_add(1, Ordering::SeqCst);
            };
            let outer_proof = Arc::clone(&proof);
            let outer = cosched::create_task(async move {
                let _ = cosched::shield(inner).await;
                outer_proof.fetch_add(100, Ordering::SeqCst);
            });
            while outer.task_ref().state() == TaskState::Pending {
                cosched::sleep(ms(1)).await;
            }
            outer.cancel();
            assert_eq!(outer.await, Err(TaskError::Cancelled));
            waiter.set_result(());
            while proof.load(Ordering::SeqCst) == 0 {
                cosched::sleep(ms(1)).await;
            }
            assert_eq!(proof.load(Ordering::SeqCst), 1);
        });
    });
}

/// `shield(gather(...))`: cancelling the outer leaves the gather running,
/// and it gathers both results. Differs: the gather's result is read
/// from the task that runs it (the shield owns the task, and a dropped
/// shield's result is lost).
#[test]
fn test_shield_gather() {
    within("test_shield_gather", || {
        cosched::run(async {
            let (child1, child2): (Promise<i32>, Promise<i32>) = (Promise::new(), Promise::new());
            let result = Arc::new(std::sync::Mutex::new(None));
            let sink = Arc::clone(&result);
            let gathering = cosched::gather([child1.wait(), child2.wait()]);
            let parent = cosched::create_task(async move {
                *sink.lock().unwrap() = Some(gathering.await);
            });
            let parent_ref = parent.task_ref();
            let outer = cosched::create_task(cosched::shield(parent));
            while outer.task_ref().state() == TaskState::Pending {
                cosched::sleep(ms(1)).await;
            }
            outer.cancel();
            assert_eq!(outer.await, Err(TaskError::Cancelled));
            child1.set_result(1);
            child2.set_result(2);
            until_done(&parent_ref).await;
            assert_eq!(parent_ref.state(), TaskState::Done);
            assert_eq!(*result.lock().unwrap(), Some(vec![Ok(1), Ok(2)]));
        });
    });
}

/// `gather(shield(child1), shield(child2))`: cancelling the gather cancels
/// the shields, not the children. Differs: each shield is given to the
/// gather as the task that awaits it (asyncio's `ensure_future` of the
/// shield's outer future), so that the test can watch it.
#[test]
fn test_gather_shield() {
    within("test_gather_shield", || {
        cosched::run(async {
            let (child1, child2): (Promise<i32>, Promise<i32>) = (Promise::new(), Promise::new());
            let (task1, task2) = (
                cosched::create_task(child1.wait()),
                cosched::create_task(child2.wait()),
            );
            let (child1_ref, child2_ref) = (task1.task_ref(), task2.task_ref());
            let inner1 = cosched::create_task(cosched::shield(task1));
            let inner2 = cosched::create_task(cosched::shield(task2));
            let (inner1_ref, inner2_ref) = (inner1.task_ref(), inner2.task_ref());
            let parent = cosched::gather([inner1, inner2]);
            cosched::sleep(ms(5)).await;
            drop(parent); // `parent.cancel()`
            until_done(&inner1_ref).await;
            until_done(&inner2_ref).await;
            assert!(inner1_ref.is_cancelled());
            assert!(inner2_ref.is_cancelled());
            assert!(!child1_ref.is_done());
            assert!(!child2_ref.is_done());
            child1.set_result(1);
            child2.set_result(2);
            until_done(&child1_ref).await;
            until_done(&child2_ref).await;
            assert_eq!(child1_ref.state(), TaskState::Done);
            assert_eq!(child2_ref.state(), TaskState::Done);
        });
    });
}

/// `shield(coro)` schedules the coroutine on the running loop.
#[test]
fn test_shield_coroutine_use_running_loop() {
    within("test_shield_coroutine_use_running_loop", || {
        cosched::run(async {
            let inner: Promise<i32> = Promise::new();
            let outer = cosched::shield(inner.wait());
            assert_eq!(cosched::all_tasks().len(), 1, "scheduled at the call");
            inner.set_result(42);
            assert_eq!(outer.await, Ok(42));
        });
    });
}
