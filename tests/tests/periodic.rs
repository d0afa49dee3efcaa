//! `schedule!(every ..)`'s options: what happens to starts missed during a
//! slow run (`missed = skip | delay | burst`), `times = N` and its output,
//! `first = now | after_period`, `jitter`. Assertions are on counts and on
//! the order of events, never on how long something took.
//!
//! The order tests run every task on the loop's own thread
//! (`#[task(local)]`): there, a task runs only when the one before it
//! suspends. At the end of the slow run, an observer task is created; it
//! can only run once the periodic task suspends, so where its entry lands
//! in the log says which runs started *at once*, without waiting for a
//! timer, after the slow run.

use std::cell::RefCell;
use std::rc::Rc;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use cosched::{TaskError, schedule};

mod common;
use common::{FOREVER, ms, within};

type Log = Rc<RefCell<Vec<String>>>;

/// Run `n` of a periodic task: run 0 takes `slow` and, at its end, creates
/// the observer; the others return at once.
#[cosched::task(local)]
async fn run(n: usize, slow: Duration, log: Log) -> usize {
    log.borrow_mut().push(format!("start {n}"));
    if n == 0 {
        cosched::sleep(slow).await;
        log.borrow_mut().push("end 0".to_owned());
        let _observer = schedule!(observe(Rc::clone(&log)));
    }
    n
}

/// Notes that the periodic task has suspended (or ended).
#[cosched::task(local)]
async fn observe(log: Log) {
    log.borrow_mut().push("observer".to_owned());
}

/// The log of `times` runs of period `period` with `missed`, whose first
/// run lasts `slow`, and the task's output.
fn slow_first_run(
    missed: cosched::Missed,
    period: Duration,
    slow: Duration,
    times: usize,
) -> (Vec<String>, Result<usize, TaskError>) {
    cosched::run(async move {
        let log = Log::default();
        let mut n = 0;
        let runs = Rc::clone(&log);
        let every = cosched::Every::new(period).missed(missed);
        let task = cosched::create_task(every.times(times, move || {
            n += 1;
            run(n - 1, slow, Rc::clone(&runs))
        }));
        let output = task.await;
        // The observer has run by now, or runs at the next suspension.
        cosched::sleep(ms(1)).await;
        let log = log.borrow().clone();
        (log, output)
    })
}

fn strings(events: &[&str]) -> Vec<String> {
    events.iter().map(|event| (*event).to_owned()).collect()
}

#[test]
fn burst_runs_every_missed_start_at_once_after_a_slow_run() {
    // The first run lasts 10 periods, so at least 10 starts are missed:
    // the 5 runs left all start at once, back to back, before the
    // periodic task suspends.
    let (log, output) = within("burst", || {
        slow_first_run(cosched::Missed::Burst, ms(10), ms(100), 6)
    });
    assert_eq!(
        log,
        strings(&[
            "start 0", "end 0", "start 1", "start 2", "start 3", "start 4", "start 5", "observer"
        ])
    );
    assert_eq!(output, Ok(5));
}

#[test]
fn delay_runs_one_late_start_at_once_then_waits_a_period() {
    let (log, output) = within("delay", || {
        slow_first_run(cosched::Missed::Delay, ms(100), ms(300), 3)
    });
    assert_eq!(
        log,
        strings(&["start 0", "end 0", "start 1", "observer", "start 2"])
    );
    assert_eq!(output, Ok(2));
}

#[test]
fn skip_runs_no_missed_start_and_waits_for_the_next_boundary() {
    // The default: what `every` did before there was a choice.
    let (log, output) = within("skip", || {
        slow_first_run(cosched::Missed::Skip, ms(100), ms(300), 2)
    });
    assert_eq!(log, strings(&["start 0", "end 0", "observer", "start 1"]));
    assert_eq!(output, Ok(1));
}

/// Counts its calls; returns the number of this one.
#[cosched::task]
async fn count(counter: Arc<AtomicUsize>) -> usize {
    counter.fetch_add(1, Ordering::SeqCst) + 1
}

#[test]
fn times_stops_after_n_runs_and_outputs_the_last_runs_output() {
    within("times", || {
        cosched::run(async {
            let runs = Arc::new(AtomicUsize::new(0));
            let counter = Arc::clone(&runs);
            let task = schedule!(every ms(1) => count(Arc::clone(&counter)), times = 3);
            assert_eq!(task.await, Ok(3), "the third run's output");
            cosched::sleep(ms(20)).await;
            assert_eq!(runs.load(Ordering::SeqCst), 3, "no run after the third");

            // Runs that output nothing: the task outputs `()`.
            let unit = schedule!(every ms(1) => async {}, times = 2, missed = burst);
            assert_eq!(unit.await, Ok(()));
        });
    });
}

#[test]
fn times_computed_as_zero_ends_the_task_before_any_run() {
    // `times = 0` written as a literal is a compile error (see the UI
    // cases); a zero known only at run time is the task's error.
    let (error, runs) = within("times zero", || {
        cosched::run(async {
            let runs = Arc::new(AtomicUsize::new(0));
            let counter = Arc::clone(&runs);
            let times = runs.load(Ordering::SeqCst);
            let task = schedule!(every ms(1) => count(Arc::clone(&counter)), times = times);
            let error = task.await.expect_err("zero runs is an error");
            (error, runs.load(Ordering::SeqCst))
        })
    });
    assert!(
        matches!(&error, TaskError::Panicked(m) if m.contains("every: `times` is zero")),
        "{error}"
    );
    assert_eq!(runs, 0);
}

#[test]
fn first_now_runs_at_once_and_after_period_waits_a_period() {
    within("first", || {
        cosched::run(async {
            let now_runs = Arc::new(AtomicUsize::new(0));
            let later_runs = Arc::new(AtomicUsize::new(0));
            let (now_counter, later_counter) = (Arc::clone(&now_runs), Arc::clone(&later_runs));
            // A period no test sees elapse: only a first run at once runs.
            let later = schedule!(every FOREVER => count(Arc::clone(&later_counter)),
                first = after_period);
            let now = schedule!(every FOREVER => count(Arc::clone(&now_counter)),
                times = 1, first = now);
            assert_eq!(now.await, Ok(1));
            // Unnamed `first` is `now`, as before the option existed.
            let default_counter = Arc::clone(&now_runs);
            let default =
                schedule!(every FOREVER => count(Arc::clone(&default_counter)), times = 1);
            assert_eq!(default.await, Ok(2));
            cosched::sleep(ms(20)).await;
            assert_eq!(later_runs.load(Ordering::SeqCst), 0);
            assert!(later.cancel());
            assert_eq!(later.await, Err(TaskError::Cancelled));
            assert_eq!(now_runs.load(Ordering::SeqCst), 2);
        });
    });
}

#[test]
fn jitter_never_starts_a_run_early_nor_two_at_once() {
    let (starts, created, running_most) = within("jitter", || {
        cosched::run(async {
            let starts = Arc::new(std::sync::Mutex::new(Vec::new()));
            let running = Arc::new(AtomicUsize::new(0));
            let most = Arc::new(AtomicUsize::new(0));
            let (s, r, m) = (Arc::clone(&starts), Arc::clone(&running), Arc::clone(&most));
            let created = Instant::now();
            // A jitter longer than the period: runs are late, never early,
            // and still one at a time.
            let task = schedule!(every ms(2) => {
                let (starts, running, most) = (Arc::clone(&s), Arc::clone(&r), Arc::clone(&m));
                async move {
                    starts.lock().expect("no panic while locked").push(Instant::now());
                    let now = running.fetch_add(1, Ordering::SeqCst) + 1;
                    most.fetch_max(now, Ordering::SeqCst);
                    cosched::yield_now().await;
                    running.fetch_sub(1, Ordering::SeqCst);
                }
            }, jitter = ms(5), times = 8, missed = burst);
            assert_eq!(task.await, Ok(()));
            let starts = starts.lock().expect("no panic while locked").clone();
            (starts, created, most.load(Ordering::SeqCst))
        })
    });
    assert_eq!(starts.len(), 8);
    assert_eq!(running_most, 1, "two runs overlapped");
    for (k, start) in starts.iter().enumerate() {
        // Run k is scheduled k periods after the task's first poll, which
        // is after `created`; jitter only adds to that.
        let periods = u32::try_from(k).expect("few runs");
        assert!(*start >= created + ms(2) * periods, "run {k} started early");
    }
    assert!(starts.windows(2).all(|pair| pair[0] <= pair[1]));
}
