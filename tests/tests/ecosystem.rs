//! cosched fitting the rest of the Rust ecosystem (issue 16): a threaded
//! coroutine is a `Future` that another runtime, `Box::pin` and a
//! hand-written `select` take as it is; `&mut task` is a `select!` branch
//! and `Task::result` reads a finished task; the errors compose with
//! `std::error::Error` and `io::Error`. They run on the backend the
//! `cosched-tests` features select; CI runs them on all three.
//!
//! No test asserts a timing: a duration that must not pass is an hour
//! ([`FOREVER`]), and [`within`] fails a test that hangs.

use std::future::{Future, poll_fn};
use std::pin::pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::task::Poll;
use std::time::Duration;

use cosched::TaskError;

mod common;
use common::{FOREVER, within};

fn tokio_runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a tokio runtime")
}

#[cosched::task]
async fn job(x: u32) -> u32 {
    cosched::yield_now().await;
    x * 2
}

/// Counts its starts: what runs before the first poll shows here.
#[cosched::task]
async fn counted(starts: Arc<AtomicUsize>) -> usize {
    starts.fetch_add(1, Ordering::SeqCst) + 1
}

#[test]
fn tokio_spawn_takes_a_coroutine_as_it_is() {
    within("tokio_spawn_takes_a_coroutine_as_it_is", || {
        tokio_runtime().block_on(async {
            assert_eq!(tokio::spawn(job(5)).await.expect("no panic"), 10);
        });
    });
}

#[test]
fn a_coroutine_that_is_a_future_is_still_lazy() {
    within("a_coroutine_that_is_a_future_is_still_lazy", || {
        cosched::run(async {
            let starts = Arc::new(AtomicUsize::new(0));
            let coroutine = counted(Arc::clone(&starts));
            let pinned = Box::pin(coroutine);
            cosched::sleep(Duration::from_millis(5)).await;
            assert_eq!(
                starts.load(Ordering::SeqCst),
                0,
                "nothing ran before a poll"
            );
            assert_eq!(pinned.await, 1);
            drop(counted(Arc::clone(&starts)));
            assert_eq!(
                starts.load(Ordering::SeqCst),
                1,
                "a dropped coroutine never ran"
            );
        });
    });
}

// `limit = 2` holds for coroutines another runtime runs: the limit is the
// coroutine's own, not its scheduler's.
static RUNNING: AtomicUsize = AtomicUsize::new(0);
static MOST: AtomicUsize = AtomicUsize::new(0);

#[cosched::task(limit = 2)]
async fn limited(release: Arc<tokio::sync::Notify>) {
    let now = RUNNING.fetch_add(1, Ordering::SeqCst) + 1;
    MOST.fetch_max(now, Ordering::SeqCst);
    release.notified().await;
    RUNNING.fetch_sub(1, Ordering::SeqCst);
}

#[test]
fn a_coroutines_limit_holds_under_tokio_spawn() {
    within("a_coroutines_limit_holds_under_tokio_spawn", || {
        tokio_runtime().block_on(async {
            let release = Arc::new(tokio::sync::Notify::new());
            let handles: Vec<_> = (0..6)
                .map(|_| tokio::spawn(limited(Arc::clone(&release))))
                .collect();
            // Wait until two run; then let them go one at a time.
            while RUNNING.load(Ordering::SeqCst) < 2 {
                tokio::task::yield_now().await;
            }
            for _ in 0..6 {
                release.notify_one();
                tokio::task::yield_now().await;
            }
            // `notify_one` stores one permit if nobody waits: keep going
            // until every handle is done.
            for handle in handles {
                while !handle.is_finished() {
                    release.notify_one();
                    tokio::task::yield_now().await;
                }
                handle.await.expect("no panic");
            }
            assert_eq!(
                MOST.load(Ordering::SeqCst),
                2,
                "never more than the limit at once"
            );
        });
    });
}

#[cosched::task(name = "generic")]
async fn generic<T: Send + 'static>(value: T) -> T {
    cosched::yield_now().await;
    value
}

/// The name `task` has once it has run: a threaded coroutine's task is
/// named after its fn from its first poll on.
async fn name_once_run<T: Send + 'static>(task: cosched::Task<T>) -> (String, String) {
    let handle = task.task_ref();
    let _ = task.await;
    (handle.name(), handle.id().to_string())
}

async fn named(task: cosched::Task<impl Send + 'static>, prefix: &str) -> bool {
    let (name, id) = name_once_run(task).await;
    name == format!("{prefix}-{id}")
}

// A threaded coroutine is a future, scheduled through the impls every
// future takes; its task is still named after its fn, by every way of
// scheduling it, while a plain future's is `Task-<id>`.
#[test]
fn a_coroutine_scheduled_as_a_future_keeps_its_fns_name() {
    within(
        "a_coroutine_scheduled_as_a_future_keeps_its_fns_name",
        || {
            cosched::run(async {
                assert!(named(cosched::create_task(job(1)), "job").await);
                assert!(named(cosched::ensure_future(job(1)), "job").await);
                assert!(named(cosched::Builder::new().create_task(job(1)), "job").await);
                assert!(named(cosched::get_event_loop().create_task(job(1)), "job").await);
                assert!(named(cosched::schedule!(job(1)), "job").await);
                let delayed = cosched::create_task(cosched::after(Duration::ZERO, job(1)));
                assert!(named(delayed, "job").await);
                let every = cosched::create_task(cosched::every(FOREVER, || job(1)));
                while every.task_ref().name().starts_with("Task-") {
                    cosched::yield_now().await;
                }
                assert!(every.name().starts_with("job-"), "{}", every.name());
                every.cancel();
                assert!(named(cosched::create_task(generic(1_u8)), "generic").await);
                assert!(named(cosched::create_task(generic("two")), "generic").await);
                assert!(named(job(1).spawn(), "job").await);
                let given = cosched::Builder::new().name("given").create_task(job(1));
                assert_eq!(name_once_run(given).await.0, "given");

                let mut group = cosched::TaskGroup::new();
                let member = group.create_task(job(2));
                assert_eq!(group.join().await, Ok(vec![4]));
                assert!(member.name().starts_with("job-"), "{}", member.name());
            });
        },
    );
}

// The coroutine renames only the task whose future it *is*: a future that
// contains it, even at the same address, is a plain future, and so is a
// task that awaits a coroutine inline, a box or a wrapper.
#[test]
fn a_coroutine_inside_another_future_does_not_name_the_task() {
    within(
        "a_coroutine_inside_another_future_does_not_name_the_task",
        || {
            cosched::run(async {
                assert!(named(cosched::create_task(async { job(1).await }), "Task").await);
                let wrapped = std::panic::AssertUnwindSafe(job(1));
                assert!(
                    named(cosched::create_task(wrapped), "Task").await,
                    "a wrapper at the same address, of another type"
                );
                let boxed: std::pin::Pin<Box<dyn Future<Output = u32> + Send>> = Box::pin(job(1));
                assert!(named(cosched::create_task(boxed), "Task").await);
                let inline = cosched::create_task(async {
                    cosched::after(Duration::ZERO, job(1)).await;
                    // One poll: its first run starts, inside this task.
                    let mut every = pin!(cosched::every(FOREVER, || job(1)));
                    poll_fn(|cx| {
                        let _ = every.as_mut().poll(cx);
                        Poll::Ready(())
                    })
                    .await;
                });
                assert!(named(inline, "Task").await);
                let limited = cosched::Limiter::new(1).limit(job(1));
                assert!(named(cosched::create_task(limited), "Task").await);
            });
        },
    );
}

/// rustc's own advice for a recursive `async fn`: `Box::pin` the recursive
/// call. It needs the coroutine to be a future.
#[cosched::task]
async fn fib(n: u64) -> u64 {
    if n < 2 {
        n
    } else {
        Box::pin(fib(n - 1)).await + Box::pin(fib(n - 2)).await
    }
}

#[test]
fn a_recursive_task_boxes_its_recursive_call() {
    within("a_recursive_task_boxes_its_recursive_call", || {
        cosched::run(async {
            assert_eq!(fib(10).await, 55);
            assert_eq!(fib(12).spawn().await, Ok(144));
            assert_eq!(cosched::create_task(fib(11)).await, Ok(89));
        });
    });
}

/// Sets its flag when dropped: a coroutine dropped unfinished.
struct Dropped(Arc<AtomicBool>);

impl Drop for Dropped {
    fn drop(&mut self) {
        self.0.store(true, Ordering::SeqCst);
    }
}

#[cosched::task]
async fn sleeps_forever(dropped: Arc<AtomicBool>) -> u32 {
    let _guard = Dropped(dropped);
    cosched::sleep(FOREVER).await;
    0
}

#[test]
fn a_hand_written_select_polls_coroutines_as_futures() {
    within("a_hand_written_select_polls_coroutines_as_futures", || {
        cosched::run(async {
            let dropped = Arc::new(AtomicBool::new(false));
            let winner = {
                let mut slow = pin!(sleeps_forever(Arc::clone(&dropped)));
                let mut fast = pin!(job(21));
                poll_fn(|cx| {
                    if let Poll::Ready(value) = slow.as_mut().poll(cx) {
                        return Poll::Ready(("slow", value));
                    }
                    fast.as_mut().poll(cx).map(|value| ("fast", value))
                })
                .await
            };
            assert_eq!(winner, ("fast", 42));
            assert!(
                dropped.load(Ordering::SeqCst),
                "the loser was dropped, unfinished"
            );
        });
    });
}

#[cosched::task(local)]
async fn local_one() -> u32 {
    let one = std::rc::Rc::new(1);
    cosched::yield_now().await;
    *one
}

// A local coroutine is no `Future` (only `IntoFuture`), so no thread pool
// takes it: `create_task` still schedules it on the loop's thread, and from
// a pool thread still refuses it.
#[test]
fn a_local_coroutine_is_still_scheduled_locally() {
    within("a_local_coroutine_is_still_scheduled_locally", || {
        cosched::run(async {
            let task = cosched::create_task(local_one());
            assert!(task.name().starts_with("local_one-"), "{}", task.name());
            assert_eq!(task.await, Ok(1));
            let from_the_pool =
                cosched::create_task(async { cosched::create_task(local_one()).await });
            assert_eq!(from_the_pool.await, Ok(Err(TaskError::NotOnLoopThread)));
        });
    });
}
// ---------------------------------------------------------------------------
// `&mut Task` in `select!` loops, and `Task::result`.

/// A task that returns `x * 2` once `go` says so.
fn released(go: tokio::sync::oneshot::Receiver<u32>) -> cosched::Task<u32> {
    cosched::create_task(async move { go.await.expect("the test sends") * 2 })
}

#[test]
fn a_task_is_a_select_branch_that_survives_losing() {
    within("a_task_is_a_select_branch_that_survives_losing", || {
        tokio_runtime().block_on(async {
            let (go, wait) = tokio::sync::oneshot::channel();
            let mut task = released(wait);
            let mut go = Some(go);
            let mut ticks = 0;
            let result = loop {
                tokio::select! {
                    result = &mut task => break result,
                    () = tokio::time::sleep(Duration::from_millis(1)) => {
                        ticks += 1;
                        if ticks == 3 {
                            go.take().expect("sent once").send(21).expect("the task waits");
                        }
                    }
                }
            };
            // Two losing branches dropped `&mut task`'s future: had that
            // cancelled the task, this would be `Err(Cancelled)`.
            assert_eq!(result, Ok(42));
            assert!(ticks >= 3);
            assert_eq!((&mut task).await, Err(TaskError::ResultTaken));
            assert_eq!(task.result(), Some(Err(TaskError::ResultTaken)));
            assert_eq!(task.await, Err(TaskError::ResultTaken));
        });
    });
}

#[test]
fn a_timeout_on_mut_task_leaves_it_running() {
    within("a_timeout_on_mut_task_leaves_it_running", || {
        cosched::run(async {
            let (go, wait) = tokio::sync::oneshot::channel();
            let mut task = released(wait);
            let waited = cosched::timeout(Duration::from_millis(1), &mut task).await;
            assert_eq!(waited, Err(cosched::TimeoutError));
            assert!(!task.is_done(), "not cancelled");
            go.send(2).expect("the task waits");
            assert_eq!(task.await, Ok(4));
        });
    });
}

#[test]
fn result_reads_a_finished_task_without_consuming_it() {
    within("result_reads_a_finished_task_without_consuming_it", || {
        cosched::run(async {
            let (go, wait) = tokio::sync::oneshot::channel();
            let mut task = released(wait);
            assert_eq!(task.result(), None, "still running");
            go.send(5).expect("the task waits");
            let result = loop {
                if let Some(result) = task.result() {
                    break result;
                }
                cosched::yield_now().await;
            };
            assert_eq!(result, Ok(10));
            assert_eq!(task.result(), Some(Ok(10)), "read again");
            assert!(task.is_done());
            assert_eq!(task.await, Ok(10), "and still there for the await");

            let mut cancelled = cosched::create_task(cosched::sleep(FOREVER));
            cancelled.cancel();
            while cancelled.result().is_none() {
                cosched::yield_now().await;
            }
            assert_eq!(cancelled.result(), Some(Err(TaskError::Cancelled)));

            let mut panicked = cosched::create_task(async { panic!("boom") });
            while panicked.result().is_none() {
                cosched::yield_now().await;
            }
            assert_eq!(
                panicked.result(),
                Some(Err(TaskError::Panicked("boom".into())))
            );
        });
    });
}

#[test]
fn a_task_awaiting_mut_itself_gets_await_cycle() {
    within("a_task_awaiting_mut_itself_gets_await_cycle", || {
        cosched::run(async {
            let (send, receive) = tokio::sync::oneshot::channel::<cosched::Task<TaskError>>();
            let task = cosched::create_task(async move {
                let mut myself = receive.await.expect("the test sends");
                (&mut myself).await.expect_err("a cycle")
            });
            let handle = task.task_ref();
            send.send(task).expect("the task waits");
            while !handle.is_done() {
                cosched::yield_now().await;
            }
            assert_eq!(
                handle.state(),
                cosched::TaskState::Done,
                "it returned AwaitCycle"
            );
        });
    });
}

// `&mut b`'s future records "A awaits B" while pending, as `b.await` does;
// dropped by a losing branch, it must forget that, or B, awaiting A later,
// would be told `AwaitCycle` about a wait that is over.
#[test]
fn a_dropped_mut_task_future_forgets_that_it_awaited() {
    within("a_dropped_mut_task_future_forgets_that_it_awaited", || {
        cosched::run(async {
            use tokio::sync::oneshot;
            let (send_b, receive_b) = oneshot::channel::<cosched::Task<()>>();
            let (send_a, receive_a) = oneshot::channel::<cosched::Task<u32>>();
            let (a_polled_b, a_has_polled_b) = oneshot::channel::<()>();
            let (b_polled_a, b_has_polled_a) = oneshot::channel::<()>();
            let (b_result, b_ended) = oneshot::channel();
            let b = cosched::create_task(async move {
                let a = receive_a.await.expect("the test sends");
                let mut join = std::future::IntoFuture::into_future(a);
                let mut polled = Some(b_polled_a);
                let result = poll_fn(|cx| {
                    let poll = std::pin::Pin::new(&mut join).poll(cx);
                    if let Some(polled) = polled.take() {
                        polled.send(()).expect("A waits");
                    }
                    poll
                })
                .await;
                b_result.send(result).expect("the test waits");
            });
            let a = cosched::create_task(async move {
                let mut b = receive_b.await.expect("the test sends");
                let waited = cosched::timeout(Duration::ZERO, &mut b).await;
                assert_eq!(waited, Err(cosched::TimeoutError));
                a_polled_b.send(()).expect("the test waits");
                b_has_polled_a.await.expect("B sends");
                1
            });
            send_b.send(b).expect("A waits");
            a_has_polled_b.await.expect("A sends");
            send_a.send(a).expect("B waits");
            assert_eq!(b_ended.await.expect("B sends"), Ok(1));
        });
    });
}

// ---------------------------------------------------------------------------
// Errors compose: `std::error::Error`, `io::Error`, chains naming each cause
// once.

#[test]
fn every_error_converts_into_an_io_error_that_gives_it_back() {
    use std::io;
    fn round_trip<E: std::error::Error + Send + Sync + 'static>(
        error: E,
        kind: io::ErrorKind,
    ) -> String
    where
        io::Error: From<E>,
    {
        let message = error.to_string();
        let converted = io::Error::from(error);
        assert_eq!(converted.kind(), kind);
        assert_eq!(converted.to_string(), message);
        let inner = converted.get_ref().expect("the error is inside");
        assert!(inner.is::<E>(), "the error is inside");
        message
    }
    assert_eq!(
        round_trip(TaskError::Cancelled, io::ErrorKind::Other),
        "task was cancelled"
    );
    round_trip(TaskError::Panicked("boom".into()), io::ErrorKind::Other);
    round_trip(TaskError::AwaitCycle, io::ErrorKind::Other);
    round_trip(TaskError::ResultTaken, io::ErrorKind::Other);
    round_trip(cosched::TimeoutError, io::ErrorKind::TimedOut);
    round_trip(cosched::Cancelled::default(), io::ErrorKind::Other);
}

/// An error with a cause of its own, as I/O errors often have.
#[derive(Debug)]
struct Refused(std::io::Error);

impl std::fmt::Display for Refused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("connection refused")
    }
}

impl std::error::Error for Refused {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.0)
    }
}

#[test]
fn a_group_errors_chain_names_each_cause_once() {
    within("a_group_errors_chain_names_each_cause_once", || {
        cosched::run(async {
            let mut group = cosched::TaskGroup::<(), Refused>::fallible();
            group.try_create_task(async { Err(Refused(std::io::Error::other("port 80 closed"))) });
            let error: Box<dyn std::error::Error + Send + Sync> =
                group.join().await.expect_err("the member failed").into();
            let mut chain = vec![error.to_string()];
            let mut cause = error.source();
            while let Some(next) = cause {
                chain.push(next.to_string());
                cause = next.source();
            }
            assert_eq!(
                chain,
                [
                    "task group failed (1 error); the first: task failed: connection refused",
                    "port 80 closed",
                ]
            );
        });
    });
}

#[test]
fn wait_for_takes_mut_task_and_stops_it() {
    within("wait_for_takes_mut_task_and_stops_it", || {
        cosched::run(async {
            let mut task = cosched::create_task(cosched::sleep(FOREVER));
            let waited = cosched::wait_for(&mut task, Duration::from_millis(1)).await;
            assert_eq!(waited, Err(cosched::TimeoutError));
            assert!(
                task.is_cancelled(),
                "cancelled and ended before wait_for returned"
            );
            let mut fast = cosched::create_task(async { 3 });
            assert_eq!(cosched::wait_for(&mut fast, FOREVER).await, Ok(Ok(3)));
            assert_eq!(fast.await, Err(TaskError::ResultTaken));
        });
    });
}
