//! The stress run: N tasks (1,000,000 by default) with planned fates,
//! scheduled every way the DSL has, then every one accounted for. Exits
//! non-zero, after the table and the first mismatches, if any task did not
//! end as planned; a watchdog aborts it if it hangs.
//!
//! ```text
//! cargo run --release -p cosched-tests --bin stress                 # 1,000,000 tasks
//! cargo run --release -p cosched-tests --bin stress -- 100000       # fewer
//! cargo run --release -p cosched-tests --bin stress -- 100000 --seed 7 --timeout 120
//! cargo run --release -p cosched-tests --no-default-features --features smol --bin stress -- 20000
//! ```
//!
//! A seeded xorshift gives each task a plan, the same plan for the same
//! seed. 10% panic; 10% are cancelled: before they start, while they are
//! suspended, while they run (a race: they may finish first), after they
//! have finished (`cancel()` must say false and the result stay), by a
//! `wait_for` timeout, or by `run` itself when the program ends; the rest
//! return a value. Tasks are scheduled with `schedule!(create_task ..)`,
//! `schedule!(ensure_future ..)` (a coroutine, or a task passed through),
//! `.spawn()`, `schedule!(.., name = ..)`, as `#[task(local)]` and
//! `#[task(limit = 8)]` coroutines, from inside other tasks, and from a few
//! OS threads onto the loop (`EventLoop::create_task`, `Builder::on`,
//! `schedule!(.., on = ..)`); some are members of `TaskGroup`s joined by
//! a task of their own (all-`Ok` groups, and groups where one member
//! panics and the others are cancelled unless they finished first), some
//! run with `schedule!(every .. => ..)` and are cancelled after a few ticks.
//!
//! Then each result must be what the plan said: `Ok` with the planned
//! value, `Cancelled`, or `Panicked` with the planned message, and the
//! task's state must agree. Every coroutine's arguments and locals must
//! have been dropped by the time its result is seen (each task holds
//! `Guard`s that record their destructors), no destructor may run twice,
//! a cancelled task must not have run past its await point, a task missing
//! from `all_tasks()` must be done, `all_tasks()` must drain after each
//! batch (but for the tasks left for `run`) and be empty once `run` has
//! returned. A watchdog thread aborts the process with a message if the
//! whole run outlasts its bound, so a hang is a failure, not a stuck CI job.
//!
//! Tasks run in batches (10,000 by default) so that memory stays bounded;
//! within a batch they all run at once.
//!
//! Whether a cancel lands before the first poll cannot be forced for a task
//! on the thread pool: an idle worker may poll it between `create_task`
//! and `cancel`. So "cancel before start" tasks first wait at a gate that
//! never opens (a one-hour sleep, or a future that never wakes): the result
//! must be `Cancelled` and the code after the gate must never have run,
//! whether or not the body had begun. The report counts both cases. Local
//! tasks, which only run when the loop's thread awaits, are cancelled
//! before the driver awaits anything: for them "never started" is exact.
//!
//! The modules, in the order a run uses them: `plan` (what each task is
//! meant to do), `guard` (what records its destructors), `work` (the
//! tasks' code), `driver` (the run, batch by batch), `check` and `report`
//! (each result against its plan, and the table), `watchdog` (against
//! hangs and the planned panics' noise).

use std::process::ExitCode;
use std::time::Duration;

mod check;
mod driver;
mod guard;
mod plan;
mod report;
mod watchdog;
mod work;

const USAGE: &str =
    "usage: stress [TASKS] [--seed N] [--threads N] [--batch N] [--timeout SECONDS]";

fn main() -> ExitCode {
    let mut config = driver::Config::new(1_000_000);
    let mut timeout = None;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = |name: &str| -> Result<u64, String> {
            let value = args
                .next()
                .ok_or_else(|| format!("`{name}` needs a value"))?;
            value
                .replace('_', "")
                .parse()
                .map_err(|_| format!("`{value}` is not a number for `{name}`"))
        };
        let parsed = match arg.as_str() {
            "--seed" => value("--seed").map(|seed| config.seed = seed),
            "--threads" => value("--threads").map(|n| config.threads = to_usize(n)),
            "--batch" => value("--batch").map(|n| config.batch = to_usize(n).max(1)),
            "--timeout" => value("--timeout").map(|s| timeout = Some(Duration::from_secs(s))),
            "-h" | "--help" => {
                println!("{USAGE}");
                return ExitCode::SUCCESS;
            }
            tasks => tasks
                .replace('_', "")
                .parse()
                .map(|tasks| {
                    let seed = config.seed;
                    let (threads, batch) = (config.threads, config.batch);
                    config = driver::Config::new(tasks);
                    (config.seed, config.threads, config.batch) = (seed, threads, batch);
                })
                .map_err(|_| format!("`{tasks}` is not a number of tasks")),
        };
        if let Err(message) = parsed {
            eprintln!("{USAGE}");
            eprintln!("error: {message}");
            return ExitCode::FAILURE;
        }
    }
    if let Some(timeout) = timeout {
        config.timeout = timeout;
    }
    println!(
        "stress: {} tasks on {}, seed {:#x}, {} scheduling threads, batches of {}, watchdog {:?}",
        config.tasks,
        cosched::BACKEND,
        config.seed,
        config.threads,
        config.batch,
        config.timeout
    );
    let report = driver::run(&config);
    print!("{report}");
    if report.is_ok() {
        println!("stress: ok");
        ExitCode::SUCCESS
    } else {
        eprintln!(
            "stress: FAILED: {} mismatches (the first are listed above)",
            report.mismatches
        );
        ExitCode::FAILURE
    }
}

fn to_usize(n: u64) -> usize {
    usize::try_from(n).unwrap_or(usize::MAX)
}
