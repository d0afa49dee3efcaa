//! Every form of `schedule!`, with what each one prints.
//!
//! ```text
//! cargo run --example schedule
//! ```

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use cosched::{Every, Missed, Schedule, schedule};

/// Waits `ms` milliseconds, then returns `n * 2`.
#[cosched::task]
async fn job(n: u32, ms: u64) -> u32 {
    cosched::sleep(Duration::from_millis(ms)).await;
    n * 2
}

/// Answers from a cache without suspending; declared `eager`, so each of
/// its tasks starts inside the call that schedules it.
#[cosched::task(eager)]
async fn cached(key: u32) -> u32 {
    key * 2
}

/// One heartbeat of a periodic task.
#[cosched::task(name = "beat")]
async fn heartbeat(start: Instant) {
    println!("  beat at {:>3} ms", start.elapsed().as_millis());
}

#[cosched::main]
async fn main() {
    let start = Instant::now();

    // create_task: schedule this coroutine, give me its task.
    let a = schedule!(create_task job(1, 10));
    let b = schedule!(job(2, 10)); // the same: create_task is the default

    // ensure_future: a coroutine is scheduled, a task passes through.
    let c = schedule!(ensure_future job(3, 10));
    let id = c.id();
    let c = schedule!(ensure_future c);
    let passed_through = c.id() == id;

    // A task is named after its coroutine's fn once it has started.
    let (a_ref, b_ref, c_ref) = (a.task_ref(), b.task_ref(), c.task_ref());
    let results = cosched::gather([a, b, c]).await;
    println!("create_task: {} and {} ran", a_ref.name(), b_ref.name());
    println!(
        "ensure_future: {} passed through unchanged: {passed_through}",
        c_ref.name()
    );
    println!("gathered: {results:?}");

    // Options: a name, and the loop to schedule on.
    let event_loop = cosched::get_event_loop();
    let named = schedule!(job(4, 0), name = "answer", on = event_loop);
    println!("named: {} -> {:?}", named.name(), named.await);

    // eager (asyncio's eager_start=True): the coroutine runs at once, here,
    // until it first suspends; one that never does is done on return.
    let now = schedule!(create_task job(5, 20), eager); // suspends in its sleep
    let declared = schedule!(cached(6));
    println!(
        "eager: done at once: {} and {} -> {:?} {:?}",
        now.is_done(),
        declared.is_done(),
        now.await,
        declared.await
    );

    // after / at: the task exists now, its body starts later.
    let later = schedule!(after Duration::from_millis(50) => job(5, 0));
    let deadline = Instant::now() + Duration::from_millis(80);
    let at = schedule!(at deadline => job(6, 0));
    println!("after 50 ms: {:?}", later.await);
    println!(
        "at +80 ms: {:?} ({} ms in)",
        at.await,
        start.elapsed().as_millis()
    );

    // A delayed task cancelled before its start never runs its body.
    let never = schedule!(after Duration::from_secs(60) => job(7, 0));
    never.cancel();
    println!("cancelled before its start: {:?}", never.await);

    // every: a new coroutine each period, until cancelled.
    let beat_start = Instant::now();
    let ticker = schedule!(every Duration::from_millis(30) => heartbeat(beat_start));
    cosched::sleep(Duration::from_millis(100)).await;
    ticker.cancel();
    println!("every 30 ms, cancelled after 100 ms: {:?}", ticker.await);

    // every's options: three runs, the first a period in, each delayed by
    // up to 5 ms at random; the task's output is the last run's.
    let three = schedule!(every Duration::from_millis(20) => job(9, 0),
        times = 3, first = after_period, jitter = Duration::from_millis(5), missed = delay);
    println!("every 20 ms, 3 times: {:?}", three.await);

    // `missed = skip | delay | burst`, with the type the option lowers to:
    // a 10 ms period whose first run takes 35 ms. The starts it overran are
    // dropped (skip, the default), one is run at once (delay), or all are
    // (burst).
    for missed in [Missed::Skip, Missed::Delay, Missed::Burst] {
        let (t0, starts) = (Instant::now(), Arc::new(Mutex::new(Vec::new())));
        let log = Arc::clone(&starts);
        let every = Every::new(Duration::from_millis(10)).missed(missed);
        let task = cosched::create_task(every.times(5, move || {
            let log = Arc::clone(&log);
            async move {
                let first = {
                    let mut starts = log.lock().expect("no panic while locked");
                    starts.push(t0.elapsed().as_millis());
                    starts.len() == 1
                };
                if first {
                    cosched::sleep(Duration::from_millis(35)).await;
                }
            }
        }));
        let _ = task.await;
        let starts = starts.lock().expect("no panic while locked");
        println!("  missed = {missed:?}: runs start at {starts:?} ms");
    }

    // cron: six fields, seconds first, checked at compile time; in a time
    // zone, with DST as Vixie cron. A schedule's next fire times, without
    // waiting for them: 02:30 daily in Berlin, from noon UTC the day before
    // the clocks spring forward (02:30 does not exist that night, so it
    // runs once at 03:00). `schedule!(cron "0 30 2 * * *" => job(..), tz =
    // "Europe/Berlin")` runs a task at these times.
    let nightly = Schedule::parse("0 30 2 * * *", "Europe/Berlin").expect("a valid schedule");
    let from: jiff::Timestamp = "2025-03-29T12:00:00Z".parse().expect("an instant");
    let berlin = jiff::tz::TimeZone::get("Europe/Berlin").expect("a known zone");
    let next: Vec<String> = nightly
        .upcoming(from.into())
        .take(3)
        .map(|at| {
            let at = jiff::Timestamp::try_from(at)
                .expect("in range")
                .to_zoned(berlin.clone());
            at.strftime("%a %d %b %H:%M %Z").to_string()
        })
        .collect();
    println!(
        "cron {nightly}, the next 3 after {from}: {}",
        next.join(", ")
    );

    // A zero period would spin: written `Duration::ZERO` it does not
    // compile; computed, it ends the task with an error (a panic, printed
    // by the panic hook) before any run.
    let period = Duration::from_millis(u64::from(start.elapsed() < Duration::ZERO));
    let zero = schedule!(every period => heartbeat(beat_start));
    println!("every 0 ms: {:?}", zero.await.map_err(|e| e.to_string()));

    // A block is an expression: the mode word is still the mode.
    let block = schedule!(create_task {
        let n = 8;
        job(n, 0)
    });
    println!("a block: {:?}", block.await);

    // Virtual time, which `#[cosched::test(start_paused)]` gives a test:
    // on a paused clock, the clock jumps to the next timer whenever no
    // task runs, so a day of hourly runs takes no real time, and its runs
    // start exactly on the hour (`cosched::time::now()`).
    cosched::time::pause();
    let (t0, real) = (cosched::time::now(), Instant::now());
    let hours = Arc::new(Mutex::new(Vec::new()));
    let log = Arc::clone(&hours);
    let day = Every::new(Duration::from_secs(3600)).times(24, move || {
        let log = Arc::clone(&log);
        async move {
            let hour = (cosched::time::now() - t0).as_secs() / 3600;
            log.lock().expect("no panic while locked").push(hour);
        }
    });
    let _ = cosched::create_task(day).await;
    println!(
        "every hour for a day, on a paused clock: runs at hours {:?} ({} ms of real time)",
        hours.lock().expect("no panic while locked"),
        real.elapsed().as_millis()
    );
}
