//! Delayed and periodic starts, and deadlines. Only lower bounds on time
//! are asserted (a timer never fires early); upper bounds are watchdogs.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use cosched::TaskError;

mod common;
use common::{FOREVER, within};

const WATCHDOG: Duration = Duration::from_secs(20);

#[test]
fn after_starts_the_body_no_earlier_than_the_delay() {
    cosched::run(async {
        let created = Instant::now();
        let task = cosched::create_task(cosched::after(Duration::from_millis(40), async {
            Instant::now()
        }));
        let started = task.await.expect("runs");
        assert!(started - created >= Duration::from_millis(40));
        assert!(started - created < WATCHDOG);
    });
}

#[test]
fn a_delayed_task_cancelled_before_its_start_never_runs_its_body() {
    cosched::run(async {
        let ran = Arc::new(AtomicBool::new(false));
        let flag = Arc::clone(&ran);
        let task = cosched::create_task(cosched::after(Duration::from_millis(200), async move {
            flag.store(true, Ordering::SeqCst);
        }));
        // The task exists at once.
        assert!(cosched::all_tasks().iter().any(|t| t.id() == task.id()));
        cosched::sleep(Duration::from_millis(10)).await;
        assert!(task.cancel());
        assert_eq!(task.await, Err(TaskError::Cancelled));
        cosched::sleep(Duration::from_millis(250)).await;
        assert!(!ran.load(Ordering::SeqCst));
    });
}

#[test]
fn at_starts_the_body_no_earlier_than_the_instant() {
    cosched::run(async {
        let deadline = Instant::now() + Duration::from_millis(30);
        let started = cosched::create_task(cosched::at(deadline, async { Instant::now() }))
            .await
            .expect("runs");
        assert!(started >= deadline);
        // An instant in the past starts at once.
        let past = Instant::now()
            .checked_sub(Duration::from_secs(1))
            .unwrap_or_else(Instant::now);
        assert_eq!(
            cosched::create_task(cosched::at(past, async { 1 })).await,
            Ok(1)
        );
    });
}

#[test]
fn every_ticks_until_cancelled() {
    cosched::run(async {
        let ticks = Arc::new(AtomicUsize::new(0));
        let counter = Arc::clone(&ticks);
        let task = cosched::create_task(cosched::every(Duration::from_millis(5), move || {
            let counter = Arc::clone(&counter);
            async move {
                counter.fetch_add(1, Ordering::SeqCst);
            }
        }));
        let deadline = Instant::now() + WATCHDOG;
        while ticks.load(Ordering::SeqCst) < 3 {
            assert!(Instant::now() < deadline, "fewer than 3 ticks");
            cosched::sleep(Duration::from_millis(1)).await;
        }
        assert!(task.cancel());
        assert_eq!(task.await, Err(TaskError::Cancelled));
        let after_cancel = ticks.load(Ordering::SeqCst);
        cosched::sleep(Duration::from_millis(30)).await;
        assert_eq!(
            ticks.load(Ordering::SeqCst),
            after_cancel,
            "ticked after cancel"
        );
    });
}

#[test]
fn every_never_overlaps_runs_that_outlast_the_period() {
    cosched::run(async {
        let running = Arc::new(AtomicUsize::new(0));
        let most = Arc::new(AtomicUsize::new(0));
        let starts = Arc::new(Mutex::new(Vec::new()));
        let (r, m, s) = (Arc::clone(&running), Arc::clone(&most), Arc::clone(&starts));
        let task = cosched::create_task(cosched::every(Duration::from_millis(5), move || {
            let (running, most, starts) = (Arc::clone(&r), Arc::clone(&m), Arc::clone(&s));
            async move {
                starts
                    .lock()
                    .expect("no panic while locked")
                    .push(Instant::now());
                let now = running.fetch_add(1, Ordering::SeqCst) + 1;
                most.fetch_max(now, Ordering::SeqCst);
                cosched::sleep(Duration::from_millis(12)).await;
                running.fetch_sub(1, Ordering::SeqCst);
            }
        }));
        let deadline = Instant::now() + WATCHDOG;
        while starts.lock().expect("no panic while locked").len() < 4 {
            assert!(Instant::now() < deadline, "fewer than 4 runs");
            cosched::sleep(Duration::from_millis(1)).await;
        }
        task.cancel();
        let _ = task.await;
        assert_eq!(most.load(Ordering::SeqCst), 1, "two runs overlapped");
        let starts = starts.lock().expect("no panic while locked");
        for pair in starts.windows(2) {
            // Each run starts after the previous one's 12 ms.
            assert!(pair[1] - pair[0] >= Duration::from_millis(12));
        }
    });
}

#[test]
fn a_panicking_periodic_run_ends_the_task_with_that_panic() {
    cosched::run(async {
        let runs = Arc::new(AtomicUsize::new(0));
        let counter = Arc::clone(&runs);
        let task = cosched::create_task(cosched::every(Duration::from_millis(1), move || {
            let n = counter.fetch_add(1, Ordering::SeqCst);
            async move {
                assert!(n < 2, "third run");
            }
        }));
        let error = task.await.expect_err("the third run panics");
        assert!(
            matches!(&error, TaskError::Panicked(m) if m.contains("third run")),
            "{error}"
        );
        assert_eq!(runs.load(Ordering::SeqCst), 3);
    });
}

#[test]
fn a_zero_period_computed_at_run_time_ends_the_task_instead_of_spinning() {
    // `schedule!(every Duration::ZERO => ..)` is a compile error (see the UI
    // cases); a zero only known at run time is the task's error. Before, it
    // ran back to back forever: this test hung (the watchdog fails it).
    let (error, made, runs) = within("every with a zero period", || {
        cosched::run(async {
            let made = Arc::new(AtomicUsize::new(0));
            let runs = Arc::new(AtomicUsize::new(0));
            let (made_in, runs_in) = (Arc::clone(&made), Arc::clone(&runs));
            let period = Duration::from_millis(u64::from(made.load(Ordering::SeqCst) > 0));
            let task = cosched::create_task(cosched::every(period, move || {
                made_in.fetch_add(1, Ordering::SeqCst);
                let runs = Arc::clone(&runs_in);
                async move {
                    runs.fetch_add(1, Ordering::SeqCst);
                }
            }));
            let error = task.await.expect_err("a zero period is an error");
            (
                error,
                made.load(Ordering::SeqCst),
                runs.load(Ordering::SeqCst),
            )
        })
    });
    assert!(
        matches!(&error, TaskError::Panicked(m) if m.contains("every: the period is zero")),
        "{error}"
    );
    // `make` is called once when the coroutine is created; its coroutine
    // never runs.
    assert_eq!(made, 1);
    assert_eq!(runs, 0);
}

#[test]
fn a_zero_period_fails_only_its_own_task() {
    cosched::run(async {
        let sleeper = cosched::create_task(cosched::sleep(FOREVER));
        let zero = cosched::create_task(cosched::every(Duration::ZERO, || async {}));
        let other = cosched::create_task(async { 7 });
        assert!(zero.await.is_err_and(|e| e.is_panic()));
        assert_eq!(other.await, Ok(7));
        // The loop and its other tasks go on.
        assert!(!sleeper.is_done());
        assert!(sleeper.cancel());
        assert_eq!(sleeper.await, Err(TaskError::Cancelled));
    });
}
