//! `schedule!(cron ..)` and `cosched::Schedule` on a real clock: runs at
//! whole seconds, never early, `times = N` and its output, `tz`, names,
//! cancelling, and run-time parse errors. Fire times themselves (DST
//! included) are asserted on computed values, through `Schedule::upcoming`
//! and the unit tests of `runtime/src/cron.rs`, not by waiting.

use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use cosched::{Schedule, TaskError, schedule};

mod common;
use common::{ms, within};

type Log = Arc<Mutex<Vec<SystemTime>>>;

/// Notes when it ran, and outputs its run number (from 1).
#[cosched::task]
async fn tick(log: Log) -> usize {
    let mut log = log.lock().unwrap();
    log.push(SystemTime::now());
    log.len()
}

/// The whole second of the wall clock `at` is in.
fn second(at: SystemTime) -> u64 {
    at.duration_since(SystemTime::UNIX_EPOCH).unwrap().as_secs()
}

#[test]
fn every_second_runs_twice_at_whole_seconds() {
    let (output, runs, created) = within("cron every second", || {
        cosched::run(async {
            let log = Log::default();
            let created = SystemTime::now();
            let runs = Arc::clone(&log);
            let task = schedule!(cron "*/1 * * * * *" => tick(Arc::clone(&runs)), times = 2);
            (task.await, log.lock().unwrap().clone(), created)
        })
    });
    // `times = 2`: the last run's output.
    assert_eq!(output, Ok(2));
    assert_eq!(runs.len(), 2);
    // Fire times are whole seconds after the task started, and a run
    // never starts before its own: the runs are in two later seconds.
    assert!(second(runs[0]) > second(created), "{created:?} {runs:?}");
    assert!(second(runs[1]) > second(runs[0]), "{runs:?}");
}

#[test]
fn a_time_zone_and_a_name() {
    let (output, name) = within("cron in Berlin", || {
        cosched::run(async {
            let log = Log::default();
            let task = schedule!(cron "* * * * * *" => tick(Arc::clone(&log)),
                tz = "Europe/Berlin", times = 1, name = "berlin");
            let name = task.name().clone();
            (task.await, name)
        })
    });
    assert_eq!(output, Ok(1));
    assert_eq!(name, "berlin");
}

#[test]
fn a_cancelled_cron_task_runs_no_more() {
    let (result, runs) = within("cron cancelled", || {
        cosched::run(async {
            let log = Log::default();
            let runs = Arc::clone(&log); // moved into the hidden `move ||`
            // Once a year: never during the test.
            let task = schedule!(cron "@yearly" => tick(Arc::clone(&runs)));
            cosched::sleep(ms(20)).await;
            assert!(task.cancel());
            (task.await, log.lock().unwrap().len())
        })
    });
    assert_eq!(result, Err(TaskError::Cancelled));
    assert_eq!(runs, 0);
}

#[test]
fn a_schedule_parsed_at_run_time_runs_as_a_task() {
    let expr = String::from("* * * * * *"); // read from a config file, say
    let output = within("Schedule::times", move || {
        cosched::run(async move {
            let schedule = Schedule::parse(&expr, "UTC").unwrap();
            let task = cosched::create_task(schedule.times(1, || async { "ran" }));
            task.await
        })
    });
    assert_eq!(output, Ok("ran"));
}

#[test]
fn times_zero_is_the_tasks_error() {
    let error = within("times = 0", || {
        cosched::run(async {
            let schedule = Schedule::parse("* * * * * *", "UTC").unwrap();
            cosched::create_task(schedule.times(0, || async {}))
                .await
                .unwrap_err()
        })
    });
    assert!(error.to_string().contains("`times` is zero"), "{error}");
}

#[test]
fn run_time_errors_name_the_field() {
    let error = Schedule::parse("0 0 25 * * *", "UTC").unwrap_err();
    assert!(
        error.to_string().starts_with(
            "`25` is out of range for the hour field of the cron expression, which takes 0-23"
        ),
        "{error}"
    );
    let error = Schedule::parse("0 0 * * *", "UTC").unwrap_err();
    assert!(error.to_string().contains("`0 0 0 * * *`"), "{error}");
    let error = Schedule::parse("@daily", "Europe/Berln").unwrap_err();
    assert!(
        error
            .to_string()
            .starts_with("unknown time zone `Europe/Berln`"),
        "{error}"
    );
}

#[test]
fn upcoming_gives_the_next_fire_times() {
    // 2025-01-01T00:00:00Z.
    let new_year = SystemTime::UNIX_EPOCH + Duration::from_secs(1_735_689_600);
    let schedule = Schedule::parse("0 0 9 * * MON-FRI", "America/New_York").unwrap();
    let hours: Vec<u64> = schedule
        .upcoming(new_year)
        .take(3)
        .map(|at| (second(at) - second(new_year)) / 3600)
        .collect();
    // Wednesday the 1st, 09:00 EST (14:00 UTC), then Thursday and Friday.
    assert_eq!(hours, [14, 38, 62]);
}
