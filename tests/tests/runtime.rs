//! The runtime's semantics, each pinned by a test that fails if it breaks.
//! Runs on whichever backend the `cosched-tests` features select.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Duration;

use cosched::{Coroutine, Local, TaskError, TaskMeta, TaskState};

/// Long enough that a test never sees it elapse.
const FOREVER: Duration = Duration::from_secs(3600);

/// Waits until `done()` holds; fails the test after 10 s instead of hanging.
async fn eventually(what: &str, done: impl Fn() -> bool) {
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    while !done() {
        assert!(
            std::time::Instant::now() < deadline,
            "timed out waiting for {what}"
        );
        cosched::sleep(Duration::from_millis(1)).await;
    }
}

/// Counts its drops: a witness that a task's locals were destroyed.
struct DropCounter(Arc<AtomicUsize>);

impl Drop for DropCounter {
    fn drop(&mut self) {
        self.0.fetch_add(1, Ordering::SeqCst);
    }
}

fn flag() -> (Arc<AtomicBool>, Arc<AtomicBool>) {
    let flag = Arc::new(AtomicBool::new(false));
    (Arc::clone(&flag), flag)
}

// 1. create_task schedules at once; dropping the handle does not cancel.
#[test]
fn create_task_runs_without_being_awaited() {
    cosched::run(async {
        let (ran, seen) = flag();
        let task = cosched::create_task(async move {
            cosched::sleep(Duration::from_millis(5)).await;
            ran.store(true, Ordering::SeqCst);
        });
        drop(task);
        eventually("the dropped task to finish", || seen.load(Ordering::SeqCst)).await;
    });
}

// 2. ensure_future passes a task through and wraps a coroutine exactly once.
#[test]
fn ensure_future_passes_tasks_through_and_wraps_coroutines_once() {
    cosched::run(async {
        let runs = Arc::new(AtomicUsize::new(0));
        let counter = Arc::clone(&runs);
        let task = cosched::create_task(async move {
            counter.fetch_add(1, Ordering::SeqCst);
            7
        });
        let id = task.id();
        let live_before = cosched::all_tasks().len();
        let same = cosched::ensure_future(task);
        assert_eq!(same.id(), id);
        assert!(
            cosched::all_tasks().len() <= live_before,
            "ensure_future(task) scheduled a new task"
        );
        assert_eq!(same.await, Ok(7));
        assert_eq!(runs.load(Ordering::SeqCst), 1);

        let counter = Arc::clone(&runs);
        let wrapped = cosched::ensure_future(async move {
            counter.fetch_add(1, Ordering::SeqCst);
            8
        });
        assert_ne!(wrapped.id(), id);
        assert_eq!(wrapped.await, Ok(8));
        cosched::sleep(Duration::from_millis(5)).await;
        assert_eq!(runs.load(Ordering::SeqCst), 2);
    });
}

// 4. A panic reaches the awaiter as a value; the loop and the other tasks go on.
#[test]
fn panics_are_captured_and_the_loop_lives_on() {
    cosched::run(async {
        let survivor = cosched::create_task(async {
            cosched::sleep(Duration::from_millis(20)).await;
            "still here"
        });
        let doomed = cosched::create_task(async {
            cosched::sleep(Duration::from_millis(1)).await;
            panic!("boom at {}", 42);
        });
        let doomed_ref = doomed.task_ref();
        assert_eq!(doomed.await, Err(TaskError::Panicked("boom at 42".into())));
        assert_eq!(doomed_ref.state(), TaskState::Panicked);
        assert_eq!(survivor.await, Ok("still here"));
        // The loop still schedules new work.
        assert_eq!(cosched::create_task(async { 1 }).await, Ok(1));
    });
}

#[test]
fn a_panic_in_a_first_poll_and_a_panicking_destructor_are_both_captured() {
    struct PanicOnDrop;
    impl Drop for PanicOnDrop {
        fn drop(&mut self) {
            panic!("from a destructor");
        }
    }
    cosched::run(async {
        let immediate = cosched::create_task(async { panic!("at once") });
        assert_eq!(immediate.await, Err(TaskError::Panicked("at once".into())));
        let on_drop = cosched::create_task(async {
            let _bomb = PanicOnDrop;
            cosched::sleep(FOREVER).await;
        });
        cosched::sleep(Duration::from_millis(5)).await;
        on_drop.cancel();
        assert_eq!(
            on_drop.await,
            Err(TaskError::Panicked("from a destructor".into()))
        );
    });
}

// 5a. Cancelled before its first poll: the body never runs. A local task is
// not polled until this thread yields, so the order is deterministic.
#[test]
fn a_task_cancelled_before_its_first_poll_never_runs() {
    static META: TaskMeta = TaskMeta::new("never").local();
    cosched::run(async {
        let (ran, seen) = flag();
        let coroutine: Coroutine<_, Local> = Coroutine::new(&META, async move {
            ran.store(true, Ordering::SeqCst);
        });
        let task = coroutine.spawn();
        assert_eq!(task.task_ref().state(), TaskState::Pending);
        assert!(task.cancel());
        assert_eq!(task.await, Err(TaskError::Cancelled));
        assert!(
            !seen.load(Ordering::SeqCst),
            "the body of a task cancelled before it started ran"
        );
    });
}

// 5b. Cancelled while suspended: it stops at that await and drops its locals.
#[test]
fn a_suspended_task_stops_at_its_await_and_drops_its_locals() {
    cosched::run(async {
        let drops = Arc::new(AtomicUsize::new(0));
        let (started, seen_started) = flag();
        let (resumed, seen_resumed) = flag();
        let guard = DropCounter(Arc::clone(&drops));
        let task = cosched::create_task(async move {
            let _guard = guard;
            started.store(true, Ordering::SeqCst);
            cosched::sleep(FOREVER).await;
            resumed.store(true, Ordering::SeqCst);
        });
        eventually("the task to start", || seen_started.load(Ordering::SeqCst)).await;
        assert_eq!(task.task_ref().state(), TaskState::Running);
        assert!(task.cancel());
        let handle = task.task_ref();
        assert_eq!(task.await, Err(TaskError::Cancelled));
        assert!(handle.is_cancelled());
        assert_eq!(drops.load(Ordering::SeqCst), 1);
        assert!(!seen_resumed.load(Ordering::SeqCst));
    });
}

// 5c. cancel() after completion returns false and the result stays.
#[test]
fn cancel_after_completion_is_refused_and_keeps_the_result() {
    cosched::run(async {
        let task = cosched::create_task(async { "result" });
        let handle = task.task_ref();
        eventually("the task to finish", || handle.is_done()).await;
        assert!(!task.cancel());
        assert!(!task.is_cancelled());
        assert_eq!(task.await, Ok("result"));
    });
}

// 6. run leaves nothing pending, and the leftovers' destructors have run.
#[test]
fn run_cancels_leftovers_and_waits_for_their_destructors() {
    let drops = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&drops);
    let event_loop = cosched::run(async move {
        for _ in 0..100 {
            let guard = DropCounter(Arc::clone(&counter));
            // Detached, suspended forever, and each spawning a child.
            drop(cosched::create_task(async move {
                let _guard = guard;
                drop(cosched::create_task(cosched::sleep(FOREVER)));
                cosched::sleep(FOREVER).await;
            }));
        }
        let event_loop = cosched::get_event_loop();
        eventually("all 200 tasks to exist", || {
            event_loop.all_tasks().len() == 200
        })
        .await;
        event_loop
    });
    assert!(event_loop.all_tasks().is_empty());
    assert_eq!(drops.load(Ordering::SeqCst), 100);
}

// 7. wait_for cancels a coroutine that misses its deadline.
#[test]
fn wait_for_cancels_a_coroutine_past_its_deadline() {
    cosched::run(async {
        let drops = Arc::new(AtomicUsize::new(0));
        let (finished, seen) = flag();
        let guard = DropCounter(Arc::clone(&drops));
        let result = cosched::wait_for(
            async move {
                let _guard = guard;
                cosched::sleep(FOREVER).await;
                finished.store(true, Ordering::SeqCst);
            },
            Duration::from_millis(10),
        )
        .await;
        assert_eq!(result, Err(cosched::TimeoutError));
        assert_eq!(drops.load(Ordering::SeqCst), 1);
        assert!(!seen.load(Ordering::SeqCst));
        assert_eq!(cosched::wait_for(async { 3 }, FOREVER).await, Ok(3));
    });
}

#[test]
fn wait_for_on_a_task_cancels_the_task() {
    cosched::run(async {
        let task = cosched::create_task(cosched::sleep(FOREVER));
        let handle = task.task_ref();
        let waited = cosched::wait_for(task, Duration::from_millis(5)).await;
        assert_eq!(waited, Err(cosched::TimeoutError));
        assert!(
            handle.is_cancelled(),
            "wait_for returns once the task stopped"
        );
    });
}

// 8. Tasks created from several OS threads at once all complete, with distinct ids.
#[test]
fn tasks_created_from_many_threads_complete_with_distinct_ids() {
    const THREADS: u64 = 4;
    const PER_THREAD: u64 = 500;
    let event_loop = cosched::EventLoop::new();
    let results: Vec<(cosched::TaskId, u64)> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..THREADS)
            .map(|t| {
                let event_loop = &event_loop;
                scope.spawn(move || {
                    let tasks: Vec<_> = (0..PER_THREAD)
                        .map(|i| event_loop.create_task(async move { t * PER_THREAD + i }))
                        .collect();
                    event_loop.run_until_complete(async {
                        let mut out = Vec::new();
                        for task in tasks {
                            let id = task.id();
                            out.push((id, task.await.expect("no task fails")));
                        }
                        out
                    })
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|w| w.join().expect("no worker panics"))
            .collect()
    });
    let mut ids: Vec<_> = results.iter().map(|(id, _)| *id).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(
        ids.len(),
        usize::try_from(THREADS * PER_THREAD).expect("small"),
        "ids were reused"
    );
    let mut values: Vec<_> = results.iter().map(|(_, v)| *v).collect();
    values.sort_unstable();
    assert_eq!(values, (0..THREADS * PER_THREAD).collect::<Vec<_>>());
}

#[test]
fn names_default_to_prefix_and_id_and_can_be_given() {
    cosched::run(async {
        let task = cosched::create_task(async {});
        assert_eq!(task.name(), format!("Task-{}", task.id()));
        let named = cosched::Builder::new().name("worker").create_task(async {});
        assert_eq!(named.name(), "worker");
        let inner = cosched::Builder::new()
            .name("me")
            .create_task(async { cosched::current_task().map(|t| t.name()) });
        assert_eq!(inner.await, Ok(Some("me".to_owned())));
    });
}

#[test]
fn all_tasks_lists_live_tasks_of_the_current_loop_only() {
    let other = cosched::EventLoop::new();
    let elsewhere = other.create_task(cosched::sleep(FOREVER));
    cosched::run(async {
        let task = cosched::Builder::new()
            .name("listed")
            .create_task(cosched::sleep(FOREVER));
        let live = cosched::all_tasks();
        assert_eq!(live.len(), 1);
        assert_eq!(live[0].name(), "listed");
        assert_eq!(live[0].id(), task.id());
        task.cancel();
        let _ = task.await;
        assert!(cosched::all_tasks().is_empty());
    });
    assert_eq!(other.all_tasks().len(), 1);
    elsewhere.cancel();
}

#[test]
fn tasks_created_inside_a_task_join_its_loop() {
    let event_loop = cosched::EventLoop::new();
    let outer = event_loop.create_task(async {
        let inner = cosched::create_task(async { cosched::get_event_loop() });
        inner.await
    });
    let seen = event_loop.run_until_complete(outer);
    assert_eq!(seen, Ok(Ok(event_loop)));
}

#[test]
fn gather_keeps_input_order() {
    cosched::run(async {
        let tasks = (0..10u64).map(|n| {
            cosched::create_task(async move {
                cosched::sleep(Duration::from_millis(10 - n)).await;
                n
            })
        });
        let results = cosched::gather(tasks).await;
        assert_eq!(results, (0..10).map(Ok).collect::<Vec<_>>());
    });
}

#[test]
fn a_task_group_cancels_the_rest_on_the_first_panic() {
    cosched::run(async {
        let drops = Arc::new(AtomicUsize::new(0));
        let mut group = cosched::TaskGroup::new();
        let mut sleepers = Vec::new();
        for _ in 0..5 {
            let guard = DropCounter(Arc::clone(&drops));
            sleepers.push(group.create_task(async move {
                let _guard = guard;
                cosched::sleep(FOREVER).await;
            }));
        }
        group.create_task(async {
            cosched::sleep(Duration::from_millis(5)).await;
            panic!("first failure");
        });
        let error = group.join().await.unwrap_err();
        assert_eq!(
            error.errors(),
            [cosched::Failure::Member(TaskError::Panicked(
                "first failure".into()
            ))]
        );
        // join returned only after the others had stopped.
        assert_eq!(drops.load(Ordering::SeqCst), 5);
        assert!(sleepers.iter().all(cosched::TaskRef::is_cancelled));
    });
}

#[test]
fn dropping_a_task_group_cancels_its_members() {
    cosched::run(async {
        let mut group = cosched::TaskGroup::new();
        let member = group.create_task(cosched::sleep(FOREVER));
        drop(group);
        eventually("the member to be cancelled", || member.is_cancelled()).await;
    });
}

#[test]
fn run_returns_main_output_and_accepts_into_future() {
    assert_eq!(cosched::run(async { 5 }), 5);
    let event_loop = cosched::EventLoop::new();
    let task = event_loop.create_task(async { 6 });
    assert_eq!(cosched::run(task), Ok(6));
}

/// A `#[task(local)]` coroutine runs on the thread that drives its loop.
#[cosched::task(local)]
async fn on_the_loop_thread() -> std::thread::ThreadId {
    cosched::yield_now().await;
    std::thread::current().id()
}

#[cosched::task(local)]
async fn local_parent() -> Result<std::thread::ThreadId, TaskError> {
    on_the_loop_thread().spawn().await
}

#[test]
fn local_tasks_run_on_the_loop_thread() {
    let loop_thread = std::thread::current().id();
    cosched::run(async move {
        assert_eq!(on_the_loop_thread().spawn().await, Ok(loop_thread));
        // A local task may schedule another.
        assert_eq!(local_parent().spawn().await, Ok(Ok(loop_thread)));
    });
}

// A local task scheduled where nothing would ever poll it fails at once
// instead of hanging `run`'s shutdown.
#[test]
fn a_local_task_scheduled_off_the_loop_thread_is_refused_not_lost() {
    cosched::run(async {
        let from_the_pool = cosched::create_task(async {
            let task = on_the_loop_thread().spawn();
            let handle = task.task_ref();
            (task.await, handle.state())
        });
        assert_eq!(
            from_the_pool.await,
            Ok((Err(TaskError::NotOnLoopThread), TaskState::Cancelled))
        );

        let event_loop = cosched::get_event_loop();
        let from_a_thread = std::thread::spawn(move || {
            let task = event_loop.create_task(on_the_loop_thread());
            assert!(task.is_done());
            task
        })
        .join()
        .expect("the thread does not panic");
        assert_eq!(from_a_thread.await, Err(TaskError::NotOnLoopThread));
        assert!(cosched::all_tasks().is_empty());
    });
}
