//! Virtual time: `#[cosched::test(start_paused)]` and
//! `cosched::time::{pause, advance, resume}`. With a loop's clock paused,
//! every timer of cosched (`sleep`, `wait_for`, `timeout`, `after`, `at`, `every`,
//! cron schedules) runs on a clock that jumps to the next timer when no task of the loop
//! is running or woken. The assertions are on virtual instants, exactly;
//! none is on how long anything took in real time.

use std::cell::Cell;
use std::future::{Future as _, poll_fn};
use std::pin::pin;
use std::rc::Rc;
use std::sync::{Arc, Barrier, Mutex};
use std::task::Poll;
use std::time::{Duration, Instant, SystemTime};

use cosched::time::{self, Every, Missed};
use cosched::{Schedule, TaskError, TimeoutError, schedule};

mod common;
use common::{ms, within};

const HOUR: Duration = Duration::from_secs(3600);

fn secs(n: u64) -> Duration {
    Duration::from_secs(n)
}

/// The instants, after `start`, that a log of virtual instants holds.
fn since(start: Instant, log: &Mutex<Vec<Instant>>) -> Vec<Duration> {
    log.lock().unwrap().iter().map(|at| *at - start).collect()
}

/// A run of a periodic task: notes the virtual instant it starts at.
#[cosched::task]
async fn tick(log: Arc<Mutex<Vec<Instant>>>) {
    log.lock().unwrap().push(time::now());
}

/// Every hour for a day: 24 runs, each exactly on the hour, on the
/// virtual clock; the test takes milliseconds.
#[cosched::test(start_paused)]
async fn every_hour_for_a_day_runs_24_times_on_the_hour() {
    let start = time::now();
    let log = Arc::new(Mutex::new(Vec::new()));
    let runs = Arc::clone(&log);
    let task = schedule!(every HOUR => tick(Arc::clone(&runs)), times = 24);
    assert_eq!(task.await, Ok(()));
    let hours: Vec<Duration> = (0..24).map(|h| h * HOUR).collect();
    assert_eq!(since(start, &log), hours);
    assert_eq!(time::now() - start, 23 * HOUR);
}

/// The same day, run forever and stopped by a sleep of the test's own:
/// the periodic task and the test's timer interleave exactly.
#[cosched::test(start_paused)]
async fn a_periodic_task_and_a_sleep_interleave_exactly() {
    let start = time::now();
    let log = Arc::new(Mutex::new(Vec::new()));
    let runs = Arc::clone(&log);
    let task = schedule!(every HOUR => tick(Arc::clone(&runs)));
    // Half past: the 24th run (at 23 h) is the last one before.
    cosched::sleep(23 * HOUR + HOUR / 2).await;
    task.cancel();
    assert_eq!(task.await, Err(TaskError::Cancelled));
    let hours: Vec<Duration> = (0..24).map(|h| h * HOUR).collect();
    assert_eq!(since(start, &log), hours);
}

/// Sleeps end in the order of their deadlines, each at its deadline,
/// whatever order they were started in.
#[cosched::test(start_paused)]
async fn sleeps_end_in_deadline_order_at_their_deadlines() {
    let start = time::now();
    let log = Arc::new(Mutex::new(Vec::new()));
    let sleepers: Vec<_> = [(5, "e"), (1, "a"), (3, "c"), (2, "b"), (4, "d")]
        .into_iter()
        .map(|(n, name)| {
            let log = Arc::clone(&log);
            cosched::create_task(async move {
                cosched::sleep(secs(n)).await;
                log.lock().unwrap().push((name, time::now() - start));
            })
        })
        .collect();
    for sleeper in sleepers {
        assert_eq!(sleeper.await, Ok(()));
    }
    assert_eq!(
        *log.lock().unwrap(),
        [
            ("a", secs(1)),
            ("b", secs(2)),
            ("c", secs(3)),
            ("d", secs(4)),
            ("e", secs(5))
        ]
    );
}

/// `wait_for` and `timeout` time out on the virtual clock, exactly at
/// their deadlines; what finishes first is not timed out.
#[cosched::test(start_paused)]
async fn wait_for_and_timeout_use_the_virtual_clock() {
    let start = time::now();
    let slow = cosched::wait_for(cosched::sleep(2 * HOUR), HOUR).await;
    assert_eq!(slow, Err(TimeoutError));
    assert_eq!(time::now() - start, HOUR);

    let task = cosched::create_task(cosched::sleep(10 * HOUR));
    let handle = task.task_ref();
    assert_eq!(cosched::wait_for(task, HOUR).await, Err(TimeoutError));
    assert!(handle.is_cancelled());
    assert_eq!(time::now() - start, 2 * HOUR);

    let fast = cosched::wait_for(cosched::sleep(HOUR), 2 * HOUR).await;
    assert_eq!(fast, Ok(()));
    assert_eq!(time::now() - start, 3 * HOUR);

    let block = cosched::timeout(secs(90), cosched::sleep(HOUR));
    let cm = block.handle();
    assert_eq!(block.await, Err(TimeoutError));
    assert!(cm.expired());
    assert_eq!(time::now() - start, 3 * HOUR + secs(90));
    assert_eq!(cm.when(), Some(start + 3 * HOUR + secs(90)));

    let moved = cosched::timeout_scope(HOUR, |cm| async move {
        cm.reschedule(time::now() + secs(7));
        cosched::sleep(HOUR).await;
    });
    assert_eq!(moved.await, Err(TimeoutError));
    assert_eq!(time::now() - start, 3 * HOUR + secs(97));
}

/// `after` and `at` start their coroutines at their instants.
#[cosched::test(start_paused)]
async fn after_and_at_start_on_the_virtual_clock() {
    let start = time::now();
    let later = cosched::create_task(cosched::after(90 * 60 * secs(1), async { time::now() }));
    let at = cosched::create_task(cosched::at(start + 2 * HOUR, async { time::now() }));
    assert_eq!(later.await.map(|t| t - start), Ok(90 * 60 * secs(1)));
    assert_eq!(at.await.map(|t| t - start), Ok(2 * HOUR));
}

/// `every`'s missed-start policies, with a first run that takes 2.5
/// periods: the starts come out exactly as `Missed`'s table says.
#[cosched::test(start_paused)]
async fn missed_start_policies_on_the_virtual_clock() {
    for (missed, starts) in [
        (Missed::Skip, vec![0, 30, 40, 50]),
        (Missed::Delay, vec![0, 25, 35, 45]),
        (Missed::Burst, vec![0, 25, 25, 30]),
    ] {
        let start = time::now();
        let log = Arc::new(Mutex::new(Vec::new()));
        let runs = Arc::clone(&log);
        let mut n = 0;
        let every = Every::new(secs(10)).missed(missed);
        let task = cosched::create_task(every.times(4, move || {
            let runs = Arc::clone(&runs);
            n += 1;
            async move {
                runs.lock().unwrap().push(time::now());
                if n == 1 {
                    cosched::sleep(secs(25)).await;
                }
            }
        }));
        assert_eq!(task.await, Ok(()));
        let expected: Vec<Duration> = starts.into_iter().map(secs).collect();
        assert_eq!(since(start, &log), expected, "{missed:?}");
    }
}

/// `advance` jumps at once: the timers due fire together, seeing the end
/// of the jump, and have run when it returns; later ones wait.
#[cosched::test(start_paused)]
async fn advance_jumps_and_fires_the_timers_due() {
    let start = time::now();
    let woke = |n| {
        cosched::create_task(async move {
            cosched::sleep(secs(n)).await;
            time::now()
        })
    };
    // Not yet started: `advance` lets them get to their timers first.
    let (ten, twenty, hundred) = (woke(10), woke(20), woke(100));
    time::advance(secs(60)).await;
    assert_eq!(time::now() - start, secs(60));
    assert!(
        ten.is_done() && twenty.is_done(),
        "run before advance returned"
    );
    assert!(!hundred.is_done());
    assert_eq!(ten.await.map(|t| t - start), Ok(secs(60)));
    assert_eq!(twenty.await.map(|t| t - start), Ok(secs(60)));
    time::advance(Duration::ZERO).await;
    assert_eq!(time::now() - start, secs(60));
    time::advance(secs(60)).await;
    assert_eq!(hundred.await.map(|t| t - start), Ok(secs(120)));
    assert_eq!(time::now() - start, secs(120));
}

/// `advance` from a task of the loop, not its main future.
#[cosched::test(start_paused)]
async fn advance_from_a_task() {
    let start = time::now();
    let sleeper = cosched::create_task(async move {
        cosched::sleep(secs(30)).await;
        time::now()
    });
    let advancer = cosched::create_task(async move {
        time::advance(secs(45)).await;
        time::now()
    });
    assert_eq!(advancer.await.map(|t| t - start), Ok(secs(45)));
    assert_eq!(sleeper.await.map(|t| t - start), Ok(secs(45)));
}

/// `wall_now` moves with the virtual clock.
#[cosched::test(start_paused)]
async fn wall_now_moves_with_the_virtual_clock() {
    let before = time::wall_now();
    cosched::sleep(24 * HOUR).await;
    let after = time::wall_now();
    assert_eq!(after.duration_since(before).ok(), Some(24 * HOUR));
}

/// A run of a cron task: notes the wall-clock time and the virtual
/// instant it starts at, and outputs its run number (from 1).
#[cosched::task]
async fn cron_tick(log: Arc<Mutex<Vec<(SystemTime, Instant)>>>) -> usize {
    let mut log = log.lock().unwrap();
    log.push((time::wall_now(), time::now()));
    log.len()
}

/// Cron schedules run on the virtual clock too: every 15 minutes for a
/// day, in Berlin's time, fires at exactly the instants `Schedule`
/// computes from the paused clock's `wall_now`, and `now` moves by as
/// much as `wall_now` (the fire times are wall-clock times; each wait is
/// a timer on the loop's clock).
#[cosched::test(start_paused)]
async fn cron_fires_at_its_fire_times_on_the_virtual_clock() {
    let start_wall = time::wall_now();
    let start = time::now();
    let expected: Vec<SystemTime> = Schedule::parse("0 */15 * * * *", "Europe/Berlin")
        .unwrap()
        .upcoming(start_wall)
        .take(96)
        .collect();
    let log = Arc::new(Mutex::new(Vec::new()));
    let runs = Arc::clone(&log);
    let task = schedule!(cron "0 */15 * * * *" => cron_tick(Arc::clone(&runs)),
        tz = "Europe/Berlin", times = 96);
    assert_eq!(task.await, Ok(96));
    let log = log.lock().unwrap();
    let walls: Vec<SystemTime> = log.iter().map(|(wall, _)| *wall).collect();
    assert_eq!(walls, expected);
    for (wall, at) in log.iter() {
        assert_eq!(wall.duration_since(start_wall).ok(), Some(*at - start));
    }
    assert_eq!(time::wall_now(), expected[95]);
}

/// `advance` drives a cron schedule as it does `every`: a jump past
/// several fire times makes one late run (the ones it overran are
/// skipped), then the runs go on at the next fire time.
#[cosched::test(start_paused)]
async fn advance_past_cron_fire_times_runs_once_then_on_schedule() {
    let start_wall = time::wall_now();
    let expected: Vec<SystemTime> = Schedule::parse("0 0 * * * *", "UTC")
        .unwrap()
        .upcoming(start_wall)
        .take(5)
        .collect();
    let log = Arc::new(Mutex::new(Vec::new()));
    let runs = Arc::clone(&log);
    let task = schedule!(cron "0 0 * * * *" => cron_tick(Arc::clone(&runs)));
    // Past the first three fire times (the first is within the hour).
    time::advance(3 * HOUR).await;
    let jumped = time::wall_now();
    assert_eq!(jumped.duration_since(start_wall).ok(), Some(3 * HOUR));
    // A minute past the fifth (not on it: which of two timers due at one
    // instant runs first is not a thing to assert): the fourth and fifth
    // on their own instants.
    let until = expected[4].duration_since(time::wall_now()).unwrap();
    cosched::sleep(until + secs(60)).await;
    task.cancel();
    assert_eq!(task.await, Err(TaskError::Cancelled));
    let walls: Vec<SystemTime> = log.lock().unwrap().iter().map(|(wall, _)| *wall).collect();
    assert_eq!(walls, [jumped, expected[3], expected[4]]);
}

/// An eager task on a paused clock: its first part runs inside
/// `schedule!`, the rest on the virtual clock, exactly.
#[cosched::test(start_paused)]
async fn an_eager_task_sleeps_on_the_virtual_clock() {
    let start = time::now();
    let started = Arc::new(Mutex::new(None));
    let seen = Arc::clone(&started);
    let task = schedule!(create_task async move {
        *seen.lock().unwrap() = Some(time::now());
        cosched::sleep(HOUR).await;
        time::now()
    }, eager);
    assert_eq!(
        *started.lock().unwrap(),
        Some(start),
        "ran inside schedule!"
    );
    cosched::sleep(HOUR / 2).await;
    assert_eq!(time::now() - start, HOUR / 2);
    assert!(!task.is_done());
    assert_eq!(task.await.map(|at| at - start), Ok(HOUR));
}

/// `resume` starts the clock again where it stood, ahead of real time:
/// it never goes back, and timers run in real time from then on.
#[cosched::test(start_paused)]
async fn resume_goes_on_from_the_virtual_now() {
    assert!(time::is_paused());
    cosched::sleep(HOUR).await;
    let jumped = time::now();
    assert!(time::resume());
    assert!(!time::is_paused());
    assert!(time::now() >= jumped);
    let real = Instant::now();
    cosched::sleep(ms(5)).await;
    assert!(real.elapsed() >= ms(5), "slept in real time");
    assert!(time::now() >= jumped + ms(5));
    // And paused again: the clock stands at the resumed clock's now.
    assert!(time::pause());
    let paused = time::now();
    cosched::sleep(HOUR).await;
    assert_eq!(time::now() - paused, HOUR);
}

/// A task of the loop's thread: notes that it has started, then sleeps an
/// hour from then, and gives its deadline and when it woke.
#[cosched::task(local)]
async fn sleeper(started: Rc<Cell<bool>>) -> (Instant, Instant) {
    let deadline = time::now() + HOUR;
    started.set(true);
    cosched::sleep_until(deadline).await;
    (deadline, time::now())
}

/// A timer already waiting on the real clock when the clock is paused
/// moves to the paused clock: `pause` has the loop's tasks and its main
/// future polled again.
#[test]
fn a_timer_waiting_when_the_clock_is_paused_moves_to_it() {
    within("pause under waiting timers", || {
        cosched::run(async {
            let started = Rc::new(Cell::new(false));
            let task = schedule!(create_task sleeper(Rc::clone(&started)));
            while !started.get() {
                cosched::yield_now().await;
            }
            // The main future's own timer, armed on the real clock too.
            let deadline = time::now() + 2 * HOUR;
            let mut own = pin!(cosched::sleep_until(deadline));
            assert!(poll_fn(|cx| Poll::Ready(own.as_mut().poll(cx).is_pending())).await);
            // One thread: the task has suspended by now.
            assert!(time::pause());
            let (task_deadline, woke) = task.await.unwrap();
            assert_eq!(woke, task_deadline);
            own.await;
            assert_eq!(time::now(), deadline);
        });
    });
}

/// Loops paused on threads of one process at once each keep their own
/// clock, exactly; a loop that is not paused sleeps in real time.
#[test]
fn paused_loops_in_parallel_keep_their_own_clocks() {
    within("three loops at once", || {
        let barrier = Arc::new(Barrier::new(3));
        let paused = |period: Duration, runs: usize| {
            let barrier = Arc::clone(&barrier);
            std::thread::spawn(move || {
                cosched::run(async move {
                    assert!(time::pause());
                    barrier.wait();
                    let start = time::now();
                    let log = Arc::new(Mutex::new(Vec::new()));
                    let every = Every::new(period);
                    let runs_log = Arc::clone(&log);
                    let task = cosched::create_task(
                        every.times(runs, move || tick(Arc::clone(&runs_log))),
                    );
                    assert_eq!(task.await, Ok(()));
                    let expected: Vec<Duration> = (0..runs)
                        .map(|n| period * u32::try_from(n).unwrap())
                        .collect();
                    assert_eq!(since(start, &log), expected);
                });
            })
        };
        let hourly = paused(HOUR, 24);
        let sevenly = paused(secs(7 * 60), 50);
        let real = std::thread::spawn({
            let barrier = Arc::clone(&barrier);
            move || {
                cosched::run(async move {
                    barrier.wait();
                    assert!(!time::is_paused());
                    let before = Instant::now();
                    cosched::sleep(ms(20)).await;
                    assert!(before.elapsed() >= ms(20), "slept in real time");
                });
            }
        });
        for thread in [hourly, sevenly, real] {
            thread.join().expect("each loop's assertions hold");
        }
    });
}

/// Outside a paused test: `pause` and `resume` say what they did, and
/// `advance` on a running clock lets the time pass.
#[test]
fn pause_resume_and_advance_on_a_running_clock() {
    within("pause, resume, advance", || {
        cosched::run(async {
            assert!(!time::resume(), "not paused");
            let before = time::now();
            time::advance(ms(5)).await;
            assert!(time::now() >= before + ms(5));
            assert!(time::pause());
            assert!(!time::pause(), "paused already");
            assert!(time::resume());
        });
    });
}
