//! cosched's benchmark driver: every variant side by side in one run, as a
//! markdown table. See BENCHMARKS.md at the workspace root.
//!
//! ```text
//! cargo run --release -p cosched-bench --bin driver -- [--n N] [--quick]
//! ```
//!
//! * Time: each variant spawns and awaits N trivial tasks, `--reps` times,
//!   the variants taking turns so that a noisy neighbour hits them alike;
//!   the table gives the best and the median wall time per task.
//! * Memory: for each variant and workload the driver re-executes itself
//!   (`--child`), so that each `VmHWM` (the resident set's high-water mark,
//!   from `/proc/self/status`) is that variant's own.
//! * asyncio: `bench/asyncio_spawn.py`, when `python3` exists.
//! * Compile time: `cargo check` of a generated crate of `#[task]` fns
//!   against the same crate written by hand.
//! * Other backends: cosched's backend is chosen at compile time, so the
//!   driver builds itself for the other two (under the target directory)
//!   and merges their rows.
//!
//! `--quick` (N = 20 000, this backend only, no compile-time part) is the
//! smoke test for CI.
//!
//! `--scale` (or `--scale-ns N,N,..`) measures the scale curve instead:
//! per-task time and bytes of both workloads at each N, for cosched
//! `create_task`, this backend's raw runtime and asyncio, every point in
//! fresh processes; it prints the tables and writes an SVG plot.
//!
//! The modules, one concern each: `cli` (the options), `measure` (the
//! timed runs, the `--child` memory runs, the other backends' rows),
//! `asyncio`, `compile_time`, `report` (the markdown and its goals),
//! `scale` (the scale curve), `svg` (its plot),
//! `subscriber` (the `tracing` feature's listener) and `workspace` (paths
//! and the `cargo` command the others share). This file
//! is the program: parse, measure, compare, print.
#![forbid(unsafe_code)]

mod asyncio;
mod cli;
mod compile_time;
mod measure;
mod report;
mod scale;
#[cfg(feature = "tracing")]
mod subscriber;
mod svg;
mod workspace;

use std::process::ExitCode;
use std::time::Instant;

use cosched_bench::BACKEND;

use crate::asyncio::python;
use crate::cli::{Options, USAGE};
use crate::compile_time::compile_time;
use crate::measure::{child, measure, other_backend};
use crate::report::report;

/// cosched's backends: this build's is measured here, the others by this
/// driver built for each.
const BACKENDS: [&str; 3] = ["async-std", "smol", "tokio"];

fn main() -> ExitCode {
    #[cfg(feature = "tracing")]
    subscriber::install();
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().is_some_and(|arg| arg == "--child") {
        return child(&args[1..]);
    }
    let options = match Options::parse(args) {
        Ok(options) => options,
        Err(message) if message.is_empty() => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(message) => {
            eprintln!("driver: {message}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    match drive(&options) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("driver: {message}");
            ExitCode::FAILURE
        }
    }
}

fn drive(options: &Options) -> Result<(), String> {
    if options.scale {
        print!("{}", scale::scale(options)?);
        return Ok(());
    }
    let started = Instant::now();
    let mut rows = measure(options)?;
    if options.emit_rows {
        for row in &rows {
            println!("{}", row.to_line());
        }
        return Ok(());
    }
    if options.other_backends {
        for backend in BACKENDS.into_iter().filter(|&backend| backend != BACKEND) {
            rows.extend(other_backend(options, backend)?);
        }
    }
    let python = if options.python {
        python(options)
    } else {
        Err("skipped (--no-python)".to_owned())
    };
    let compile = if options.compile {
        compile_time(options)
    } else {
        Err("skipped (--quick or --no-compile)".to_owned())
    };
    print!(
        "{}",
        report(
            options,
            &rows,
            &python,
            &compile,
            started.elapsed().as_secs_f64()
        )
    );
    Ok(())
}
