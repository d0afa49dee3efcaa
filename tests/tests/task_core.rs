//! The faults of the task-core audit (issue "The task core, rebuilt"), each
//! ported as the reproducer that found it, named after its number there.
//! Every one of them hung, leaked or broke a promise on the core before
//! the rebuild; they run on whichever backend the `cosched-tests` features
//! select, and CI runs them on all three.
//!
//! A test that could hang runs under [`within`], which fails it after a
//! generous deadline instead: that deadline is a watchdog, never a timing
//! the test asserts.

use std::future::Future;
use std::panic;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Duration;

use cosched::{EventLoop, TaskError, TaskState};

mod common;
use common::{FOREVER, within};

/// A panic payload whose own destructor panics.
struct Bomb;

impl Drop for Bomb {
    fn drop(&mut self) {
        panic!("the payload's own destructor panicked");
    }
}

/// A local whose destructor panics with a [`Bomb`].
struct PanicsWithABomb;

impl Drop for PanicsWithABomb {
    fn drop(&mut self) {
        panic::panic_any(Bomb);
    }
}

// Fault 1, cancel path: the task's local panics with a `Bomb` when the
// cancellation drops it. The task ends (panicked: its destructor did), once,
// and `run` returns with nothing left.
#[test]
fn fault_1_cancelled_task_whose_local_panics_with_a_payload_that_panics_on_drop() {
    within("run", || {
        cosched::run(async {
            let task = cosched::create_task(async {
                let _local = PanicsWithABomb;
                cosched::sleep(FOREVER).await;
            });
            cosched::sleep(Duration::from_millis(5)).await;
            let handle = task.task_ref();
            assert!(task.cancel());
            let result = task.await;
            assert!(
                matches!(&result, Err(TaskError::Panicked(_))),
                "awaiting gave {result:?}"
            );
            assert_eq!(handle.state(), TaskState::Panicked);
            assert!(cosched::all_tasks().is_empty());
        });
    });
}

// Fault 1, completion path: the body returns, and dropping the finished
// future panics with a `Bomb`.
#[test]
fn fault_1_completed_future_whose_drop_panics_with_a_payload_that_panics_on_drop() {
    within("run", || {
        cosched::run(async {
            let task = cosched::create_task(async {
                let _local = PanicsWithABomb;
                7
            });
            let handle = task.task_ref();
            let result = task.await;
            assert!(
                matches!(&result, Err(TaskError::Panicked(_))),
                "awaiting gave {result:?}"
            );
            assert_eq!(handle.state(), TaskState::Panicked);
            assert!(cosched::all_tasks().is_empty());
        });
    });
}

// Fault 1, body path: the body itself panics with a `Bomb`. Awaiting gives
// the same `TaskError` on every backend (it re-raised on async-std and smol,
// and gave `Cancelled` on tokio while `state()` said `Panicked`).
#[test]
fn fault_1_body_that_panics_with_a_payload_that_panics_on_drop() {
    within("run", || {
        cosched::run(async {
            let task = cosched::create_task(async {
                cosched::yield_now().await;
                panic::panic_any(Bomb);
            });
            let handle = task.task_ref();
            let result: Result<(), TaskError> = task.await;
            assert_eq!(result, Err(TaskError::Panicked("Box<dyn Any>".into())));
            assert_eq!(handle.state(), TaskState::Panicked);
            assert!(cosched::all_tasks().is_empty());
        });
    });
}

// Fault 2: a task in a long poll spawns a child, then finishes, while `run`
// decides whether anything is left; the child must still be cancelled
// before `run` returns (it outlived `run` in 8 of 150 trials on async-std).
// The table is grown first, so that each scan of the old core took long
// enough for the window to be hit.
#[test]
fn fault_2_run_returns_only_once_a_child_spawned_during_shutdown_is_gone() {
    const TRIALS: usize = 150;
    within("the trials", || {
        // Grow the table: 50,000 tasks alive at once, then gone.
        cosched::run(async {
            let tasks: Vec<_> = (0..50_000)
                .map(|_| cosched::create_task(cosched::sleep(FOREVER)))
                .collect();
            cosched::yield_now().await;
            drop(tasks);
        });
        let mut escaped = 0;
        for _ in 0..TRIALS {
            let child_alive = Arc::new(AtomicBool::new(false));
            let main_done = Arc::new(AtomicBool::new(false));
            let (alive, done) = (Arc::clone(&child_alive), Arc::clone(&main_done));
            cosched::run(async move {
                drop(cosched::create_task(async move {
                    cosched::yield_now().await;
                    // One long poll: wait until `main` has returned, so that
                    // `run` is deciding what is left while this task spawns.
                    while !done.load(Ordering::SeqCst) {
                        std::hint::spin_loop();
                    }
                    std::thread::sleep(Duration::from_micros(200));
                    let alive = Arc::clone(&alive);
                    drop(cosched::create_task(async move {
                        alive.store(true, Ordering::SeqCst);
                        let _clear = OnDrop(move || alive.store(false, Ordering::SeqCst));
                        cosched::sleep(FOREVER).await;
                    }));
                }));
                cosched::yield_now().await;
                main_done.store(true, Ordering::SeqCst);
            });
            // `run` has returned: every task of its loop has been dropped.
            if child_alive.load(Ordering::SeqCst) {
                escaped += 1;
            }
        }
        assert_eq!(escaped, 0, "{escaped} of {TRIALS} children outlived run");
    });
}

/// Runs a closure when dropped.
struct OnDrop<F: FnMut()>(F);

impl<F: FnMut()> Drop for OnDrop<F> {
    fn drop(&mut self) {
        (self.0)();
    }
}

/// The message of a `run` refused because a loop is already running.
const NESTED: &str = "cosched::run() cannot be called from a running event loop";

// Fault 3: `run` inside a task is refused, with the same clear error on
// every backend (it put the nested program's tasks on the outer loop, or
// panicked with tokio's message).
#[test]
fn fault_3_run_inside_a_task_is_refused() {
    within("run", || {
        cosched::run(async {
            let task = cosched::create_task(async { cosched::run(async { 1 }) });
            match task.await {
                Err(TaskError::Panicked(message)) => {
                    assert!(message.contains(NESTED), "refused with {message:?}");
                }
                other => panic!("a nested run gave {other:?}"),
            }
        });
    });
}

// Fault 3: `run` inside `run`'s own main future is refused too.
#[test]
fn fault_3_run_inside_run_is_refused() {
    within("run", || {
        let refused = cosched::run(async {
            panic::catch_unwind(|| cosched::run(async { 1 })).map_err(|payload| {
                payload
                    .downcast_ref::<String>()
                    .cloned()
                    .or_else(|| payload.downcast_ref::<&str>().map(ToString::to_string))
                    .unwrap_or_default()
            })
        });
        match refused {
            Err(message) => assert!(message.contains(NESTED), "refused with {message:?}"),
            Ok(output) => panic!("a nested run returned {output}"),
        }
    });
}

// Fault 3: eight tasks each calling `run` deadlocked the pool; now each is
// refused at once, and the outer loop goes on.
#[test]
fn fault_3_eight_tasks_calling_run_are_all_refused() {
    within("run", || {
        cosched::run(async {
            let tasks: Vec<_> = (0..8)
                .map(|i| {
                    cosched::create_task(async move {
                        cosched::run(async move {
                            cosched::sleep(Duration::from_millis(10)).await;
                            i
                        })
                    })
                })
                .collect();
            for result in cosched::gather(tasks).await {
                assert!(result.is_err_and(|error| error.is_panic()));
            }
        });
    });
}

// Fault 3: after a refused `run`, `run` works again on the same thread.
#[test]
fn fault_3_run_works_after_a_nested_one_was_refused() {
    within("run", || {
        let _ = cosched::run(async { panic::catch_unwind(|| cosched::run(async {})) });
        assert_eq!(cosched::run(async { 5 }), 5);
    });
}

// Fault 4: a spawn pattern of period 32 (one long-lived task, 31 short) grew
// the table to about 32 times the live tasks. The table must follow the
// peak of live tasks whatever the pattern: the pattern of period 32 costs
// no more memory than the one of period 31 (whose slots it can reuse).
#[cfg(target_os = "linux")]
#[test]
fn fault_4_table_size_follows_live_tasks_whatever_the_spawn_pattern() {
    within("the spawn patterns", || {
        const LIVE: usize = 20_000;
        let growth = |period: usize| {
            let before = resident_kib();
            cosched::run(async move {
                let mut long_lived = Vec::with_capacity(LIVE);
                for i in 0..LIVE * period {
                    let task = cosched::create_task(async move {
                        if i % period == 0 {
                            cosched::sleep(FOREVER).await;
                        }
                    });
                    if i % period == 0 {
                        long_lived.push(task);
                    } else if i % 256 == 1 {
                        // Now and then wait for the workers to catch up; the
                        // other short tasks end on their own, detached.
                        let _ = task.await;
                    }
                }
                for task in &long_lived {
                    task.cancel();
                }
            });
            resident_kib().saturating_sub(before)
        };
        let period_31 = growth(31);
        let period_32 = growth(32);
        // Generous: allocator slack, and the other backends' threads. The old
        // table grew by some 28 MB here.
        assert!(
            period_32 <= period_31 + 8 * 1024,
            "period 32 grew the process by {period_32} KiB, period 31 by {period_31} KiB"
        );
    });
}

/// The process's resident set, in KiB (Linux).
#[cfg(target_os = "linux")]
fn resident_kib() -> usize {
    let status = std::fs::read_to_string("/proc/self/status").expect("/proc/self/status");
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmRSS:"))
        .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
        .expect("a VmRSS line")
}

// Fault 6: a local task's handle awaited on another thread after its loop
// thread left `run_until_complete` hung forever. It ends instead: the local
// tasks a thread leaves pending are cancelled when it stops driving them.
#[test]
fn fault_6_a_local_task_awaited_after_its_loop_thread_left_does_not_hang() {
    #[cosched::task(local)]
    async fn local_sleeper() {
        let _not_send = std::rc::Rc::new(());
        cosched::sleep(FOREVER).await;
    }
    let result = within("awaiting the local task", || {
        let event_loop = EventLoop::new();
        let task = event_loop.run_until_complete(async {
            let task = local_sleeper().spawn();
            cosched::yield_now().await;
            task
        });
        std::thread::spawn(move || EventLoop::new().run_until_complete(task))
            .join()
            .expect("the awaiting thread")
    });
    assert_eq!(result, Err(TaskError::Cancelled));
}

// Fault 6, from the same thread: the next `run_until_complete` sees the
// local task cancelled too, not half-run.
#[test]
fn fault_6_local_tasks_left_pending_are_cancelled_when_the_loop_thread_leaves() {
    let dropped = Arc::new(AtomicUsize::new(0));
    let witness = Arc::clone(&dropped);
    within("run_until_complete", move || {
        let event_loop = EventLoop::new();
        let task = event_loop.run_until_complete(async move {
            let task = cosched::Coroutine::<_, cosched::Local>::new(&LOCAL_META, async move {
                let _guard = OnDrop(move || {
                    witness.fetch_add(1, Ordering::SeqCst);
                });
                cosched::sleep(FOREVER).await;
            })
            .spawn();
            cosched::yield_now().await;
            task
        });
        assert_eq!(
            event_loop.run_until_complete(task),
            Err(TaskError::Cancelled)
        );
    });
    assert_eq!(dropped.load(Ordering::SeqCst), 1);
}

static LOCAL_META: cosched::TaskMeta = cosched::TaskMeta::new("local").local();

// Fault 8: a zero timeout times out a future that is not ready, on every
// backend (tokio returned `Ok` where async-std and smol timed out). Since
// `wait_for` follows asyncio's `timeout <= 0` (issue 13), a zero timeout
// does not poll a future at all, ready or not: the same on every backend.
// tests/waitfor.rs pins the rest.
#[test]
fn fault_8_wait_for_zero_times_out_a_pending_future_on_every_backend() {
    within("run", || {
        cosched::run(async {
            let result = cosched::wait_for(cosched::yield_now(), Duration::ZERO).await;
            assert_eq!(result, Err(cosched::TimeoutError));
            let result = cosched::wait_for(async { 3 }, Duration::ZERO).await;
            assert_eq!(
                result,
                Err(cosched::TimeoutError),
                "not started, as in asyncio"
            );
        });
    });
}

// Fault 8: `sleep(ZERO)` and a deadline in the past are ready at once on
// every backend.
#[test]
fn fault_8_a_timer_already_due_is_ready_on_its_first_poll() {
    within("run", || {
        cosched::run(async {
            let mut sleep = std::pin::pin!(cosched::sleep(Duration::ZERO));
            let ready = std::future::poll_fn(|cx| {
                std::task::Poll::Ready(sleep.as_mut().poll(cx).is_ready())
            })
            .await;
            assert!(ready, "sleep(ZERO) was not ready on its first poll");
            let past = std::time::Instant::now()
                .checked_sub(Duration::from_secs(1))
                .expect("a second ago");
            let mut sleep = std::pin::pin!(cosched::sleep_until(past));
            let ready = std::future::poll_fn(|cx| {
                std::task::Poll::Ready(sleep.as_mut().poll(cx).is_ready())
            })
            .await;
            assert!(ready, "sleep_until(past) was not ready on its first poll");
        });
    });
}
