//! The stress run: N tasks (1,000,000 by default) with planned fates,
//! scheduled every way the DSL has, then every one accounted for. Exits
//! non-zero, after the table and the first mismatches, if any task did not
//! end as planned; a watchdog aborts it if it hangs. See the `driver`
//! module for what is planned and checked.
//!
//! ```text
//! cargo run --release -p cosched-tests --bin stress                 # 1,000,000 tasks
//! cargo run --release -p cosched-tests --bin stress -- 100000       # fewer
//! cargo run --release -p cosched-tests --bin stress -- 100000 --seed 7 --timeout 120
//! cargo run --release -p cosched-tests --no-default-features --features smol --bin stress -- 20000
//! ```

use std::process::ExitCode;
use std::time::Duration;

mod driver;

use driver as stress;

const USAGE: &str =
    "usage: stress [TASKS] [--seed N] [--threads N] [--batch N] [--timeout SECONDS]";

fn main() -> ExitCode {
    let mut config = stress::Config::new(1_000_000);
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
                    config = stress::Config::new(tasks);
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
    let report = stress::run(&config);
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
