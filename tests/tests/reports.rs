//! The reports cosched prints about tasks (issue 14, items 3 and 5): a
//! panic nobody retrieved, and `#[cosched::test]` failing on one. The hook
//! is process-wide, so this file is a test binary of its own and its tests
//! take turns.

mod common;

use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use cosched::report::{self, Report};
use cosched::{TaskError, TaskGroup};

/// The reports made while the returned guard is held, in order.
struct Reports {
    seen: Arc<Mutex<Vec<Report>>>,
    _turn: MutexGuard<'static, ()>,
}

static TURN: Mutex<()> = Mutex::new(());

fn collect() -> Reports {
    let turn = TURN.lock().unwrap_or_else(PoisonError::into_inner);
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = Arc::clone(&seen);
    report::set_hook(move |report| log.lock().unwrap().push(report.clone()));
    Reports { seen, _turn: turn }
}

impl Reports {
    fn lines(&self) -> Vec<String> {
        self.seen
            .lock()
            .unwrap()
            .iter()
            .map(ToString::to_string)
            .collect()
    }
}

impl Drop for Reports {
    fn drop(&mut self) {
        drop(report::take_hook());
    }
}

async fn until_done(task: &cosched::Task<()>) {
    while !task.is_done() {
        cosched::yield_now().await;
    }
}

/// asyncio's "Task exception was never retrieved", as one line naming the
/// task and its spawn site, when the `Task` is dropped.
#[test]
fn a_panic_whose_task_is_dropped_unawaited_is_reported_once() {
    let reports = collect();
    let line = cosched::run(async {
        let builder = cosched::Builder::new().name("dropped");
        let line = line!() + 1;
        let task = builder.create_task(async { panic!("boom") });
        until_done(&task).await;
        assert!(
            reports.lines().is_empty(),
            "reported before the result was lost"
        );
        let clone = task.task_ref();
        drop(task);
        drop(clone);
        line
    });
    let lines = reports.lines();
    let start = format!("panic in task `dropped` (spawned at {}:{line}:", file!());
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert!(lines[0].starts_with(&start), "{lines:?}");
    assert!(
        lines[0].ends_with(") was never retrieved: boom"),
        "{lines:?}"
    );
}

/// A task whose handle was dropped before it panicked is reported when it
/// ends: nobody can take its result from then on.
#[test]
fn a_detached_task_that_panics_is_reported_when_it_ends() {
    let reports = collect();
    cosched::run(async {
        let gate = Arc::new(Mutex::new(()));
        let held = gate.lock().unwrap();
        let waiting = Arc::clone(&gate);
        let probe = cosched::Builder::new()
            .name("detached")
            .create_task(async move {
                cosched::yield_now().await;
                drop(waiting.lock());
                panic!("later");
            })
            .task_ref();
        drop(held);
        while !probe.is_done() {
            cosched::yield_now().await;
        }
        drop(probe);
    });
    let lines = reports.lines();
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert!(
        lines[0].starts_with("panic in task `detached` (spawned at "),
        "{lines:?}"
    );
    assert!(
        lines[0].ends_with("was never retrieved: later"),
        "{lines:?}"
    );
}

/// Awaiting the task, gathering it or making it a group member takes the
/// result: nothing is reported.
#[test]
fn a_retrieved_panic_is_not_reported() {
    let reports = collect();
    cosched::run(async {
        let task = cosched::create_task(async { panic!("awaited") });
        assert!(matches!(task.await, Err(TaskError::Panicked(_))));

        let results = cosched::gather([cosched::create_task(async { panic!("gathered") })]).await;
        assert!(matches!(&results[..], [Err(TaskError::Panicked(_))]));

        let mut group = TaskGroup::<()>::new();
        group.create_task(async { panic!("member") });
        assert!(group.join().await.is_err());
    });
    assert_eq!(reports.lines(), Vec::<String>::new());
}

/// The hook gets the report's parts, and the default one comes back.
#[test]
fn a_hook_gets_the_reports_parts() {
    let reports = collect();
    let site = cosched::run(async {
        let task = cosched::Builder::new()
            .name("parts")
            .create_task(async { panic!("why") });
        until_done(&task).await;
        let site = task.spawn_site();
        drop(task);
        site
    });
    let seen = reports.seen.lock().unwrap().clone();
    match &seen[..] {
        [
            Report::PanicNeverRetrieved {
                task,
                spawned_at,
                message,
            },
        ] => {
            assert_eq!(
                (task.as_str(), *spawned_at, message.as_str()),
                ("parts", site, "why")
            );
        }
        other => panic!("unexpected reports: {other:?}"),
    }
}

/// `#[cosched::test]` fails on a panic nobody retrieved, naming the task.
#[cosched::test]
#[should_panic(expected = "1 task panic(s) nobody retrieved")]
async fn a_cosched_test_fails_on_a_lost_panic() {
    let _turn = collect();
    let task = cosched::Builder::new()
        .name("lost")
        .create_task(async { panic!("in a test") });
    until_done(&task).await;
    drop(task);
}

/// `allow_lost_panics` opts out: the panic is still reported, the test
/// passes.
#[cosched::test(allow_lost_panics)]
async fn allow_lost_panics_lets_a_test_lose_a_panic() {
    let reports = collect();
    let task = cosched::Builder::new()
        .name("let go")
        .create_task(async { panic!("on purpose") });
    until_done(&task).await;
    drop(task);
    assert_eq!(reports.lines().len(), 1);
}

/// Debug mode reports a poll that holds its thread past the threshold,
/// naming the task and its spawn site; a loop out of debug mode does not
/// time its polls.
#[test]
fn debug_mode_reports_a_slow_poll() {
    let reports = collect();
    let blocking = || async {
        std::thread::sleep(cosched::debug::slow_poll_threshold() + common::ms(5));
    };
    let quiet = cosched::EventLoop::new();
    quiet.set_debug(false);
    if !cosched::debug::is_enabled() {
        quiet.run_until_complete(async { cosched::create_task(blocking()).await.unwrap() });
        assert_eq!(reports.lines(), Vec::<String>::new());
    }
    let debug = cosched::EventLoop::new();
    debug.set_debug(true);
    let line = debug.run_until_complete(async {
        let task = cosched::Builder::new()
            .name("blocker")
            .create_task(blocking());
        let line = task.spawn_site().line();
        task.await.unwrap();
        line
    });
    let seen = reports.seen.lock().unwrap().clone();
    match &seen[..] {
        [
            Report::SlowPoll {
                task,
                spawned_at,
                took,
            },
        ] => {
            assert_eq!((task.as_str(), spawned_at.line()), ("blocker", line));
            assert!(*took > cosched::debug::slow_poll_threshold());
        }
        other => panic!("unexpected reports: {other:?}"),
    }
    assert!(reports.lines()[0].starts_with("slow poll: task `blocker` (spawned at "));
}

/// Debug mode lists the tasks `run` is about to cancel.
#[test]
fn debug_mode_lists_the_tasks_pending_at_exit() {
    let reports = collect();
    cosched::debug::set_enabled(true);
    cosched::run(async {
        let _detached = cosched::Builder::new()
            .name("left behind")
            .create_task(cosched::sleep(common::FOREVER));
    });
    cosched::debug::set_enabled(false);
    let lines = reports.lines();
    assert_eq!(lines.len(), 1, "{lines:?}");
    let mut report = lines[0].lines();
    assert_eq!(
        report.next(),
        Some("1 task still pending when the main future returned, cancelled now:")
    );
    let task = report.next().unwrap();
    assert!(task.starts_with("  left behind (id "), "{task}");
    assert!(
        task.contains(", pending, spawned at ") || task.contains(", running, spawned at "),
        "{task}"
    );
    assert!(task.contains(", age "), "{task}");
}

#[cosched::task]
async fn forgotten(x: u32) -> u32 {
    x
}

#[cosched::task(local)]
async fn forgotten_here(x: u32) -> u32 {
    x
}

/// Debug mode reports a coroutine dropped unawaited, with where it was
/// created; awaited, spawned, scheduled (even if cancelled before it
/// starts) or polled ones are not reported, nor any out of debug mode.
#[test]
fn debug_mode_reports_a_coroutine_never_awaited() {
    let reports = collect();
    let quiet = cosched::EventLoop::new();
    if !cosched::debug::is_enabled() {
        quiet.run_until_complete(async { drop(forgotten(0)) });
        assert_eq!(reports.lines(), Vec::<String>::new());
    }
    let debug = cosched::EventLoop::new();
    debug.set_debug(true);
    let line = debug.run_until_complete(async {
        assert_eq!(forgotten(1).await, 1);
        assert_eq!(forgotten(2).spawn().await, Ok(2));
        assert_eq!(cosched::create_task(forgotten(3)).await, Ok(3));
        // A local task does not start before this main future yields.
        let cancelled = cosched::create_task(forgotten_here(4));
        assert!(cancelled.cancel());
        assert_eq!(cancelled.await, Err(TaskError::Cancelled));
        let mut polled = std::pin::pin!(forgotten(5));
        assert_eq!(std::future::poll_fn(|cx| polled.as_mut().poll(cx)).await, 5);
        assert_eq!(reports.lines(), Vec::<String>::new());

        let line = line!() + 1;
        let coroutine = forgotten(6);
        drop(coroutine);
        line
    });
    let seen = reports.seen.lock().unwrap().clone();
    match &seen[..] {
        [
            Report::CoroutineNeverAwaited {
                coroutine,
                created_at,
            },
        ] => {
            assert_eq!(
                (*coroutine, created_at.file(), created_at.line()),
                ("forgotten", file!(), line)
            );
        }
        other => panic!("unexpected reports: {other:?}"),
    }
    assert!(reports.lines()[0].starts_with("coroutine `forgotten` (created at "));
    assert!(reports.lines()[0].ends_with(") was never awaited"));
}
