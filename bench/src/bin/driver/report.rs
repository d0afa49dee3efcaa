//! The report: the markdown the driver prints, with the goals it checks the
//! figures against (the tables of time and memory per backend, asyncio,
//! compile time).

use std::fmt::Write as _;
use std::process::Command;

use cosched_bench::{BACKEND, Variant};

use crate::asyncio::Python;
use crate::cli::Options;
use crate::compile_time::Compile;
use crate::measure::{Memory, Row, to_f64};
use crate::workspace::workspace_root;

/// The time and memory goals, as ratios against the raw runtime.
const GOAL_RATIO: f64 = 1.05;
/// How much faster per task than asyncio cosched must be, at least.
const GOAL_ASYNCIO_SPEED: f64 = 20.0;
/// Issue 17, goal 2: a `local` task against asyncio's `create_task`, both
/// on one thread.
const GOAL_LOCAL_SPEED: f64 = 50.0;
/// How much less memory than asyncio cosched must use, at least.
const GOAL_ASYNCIO_MEMORY: f64 = 5.0;
/// The most the macros may slow `cargo check` down.
const GOAL_COMPILE: f64 = 1.2;

pub(crate) fn report(
    options: &Options,
    rows: &[Row],
    python: &Result<Python, String>,
    compile: &Result<Compile, String>,
    elapsed_s: f64,
) -> String {
    let n = options.n;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# cosched benchmarks{}\n",
        if options.quick {
            " (quick smoke test)"
        } else {
            ""
        }
    );
    provenance(&mut out, options);
    let _ = writeln!(
        out,
        "- N = {n} tasks per run; time: best and median of {} runs per variant, taking turns; \
         memory: median of {} child processes per variant and workload; driver ran {elapsed_s:.0} s",
        options.reps, options.mem_reps
    );
    let _ = writeln!(
        out,
        "- ratios are against the raw runtime of the same backend, measured in the same process; \
         goal: every cosched variant ≤ {GOAL_RATIO:.2}× raw in time and in both peaks\n"
    );
    report_table(&mut out, n, rows);
    let _ = writeln!(out);
    report_python(&mut out, options, rows, python);
    report_compile(&mut out, options, compile);
    out
}

/// The lines that say how and where a run was made: the command, the
/// date, the machine, the commit and the backend.
pub(crate) fn provenance(out: &mut String, options: &Options) {
    let args = options.args.join(" ");
    let _ = writeln!(
        out,
        "- command: `cargo run --release -p cosched-bench --bin driver{}{args}`",
        if args.is_empty() { "" } else { " -- " }
    );
    let _ = writeln!(
        out,
        "- date: {}; cores (`nproc`): {}; {}",
        command_output("date", &["-u", "+%Y-%m-%d %H:%M UTC"]),
        std::thread::available_parallelism().map_or(0, std::num::NonZero::get),
        command_output("rustc", &["--version"]),
    );
    let root = workspace_root();
    let root = root.to_string_lossy();
    let dirty = command_output(
        "git",
        &["-C", &root, "status", "--porcelain", "runtime", "macros"],
    );
    let _ = writeln!(
        out,
        "- cosched at commit {}{}; backend of this build: {BACKEND}",
        command_output("git", &["-C", &root, "rev-parse", "--short", "HEAD"]),
        if dirty.is_empty() {
            ""
        } else {
            " with uncommitted changes in runtime/ or macros/"
        },
    );
    #[cfg(feature = "tracing")]
    let _ = writeln!(
        out,
        "- cosched's `tracing` feature on: {}",
        crate::subscriber::described()
    );
}

/// Whether the row is of the single-thread shape (its goal is against
/// asyncio, not against the threaded raw runtime).
fn is_local(row: &Row) -> bool {
    Variant::from_key(&row.variant).is_some_and(Variant::is_local)
}

fn report_table(out: &mut String, n: usize, rows: &[Row]) {
    let _ = writeln!(
        out,
        "| backend | variant | ns/task best (median) | time × raw | spawn+await peak MiB (B/task) | × raw | {n} pending peak MiB (B/task) | × raw | goals |"
    );
    let _ = writeln!(out, "|---|---|--:|--:|--:|--:|--:|--:|---|");
    let mut backends: Vec<&str> = rows.iter().map(|row| row.backend.as_str()).collect();
    backends.dedup();
    for backend in backends {
        let of_backend: Vec<&Row> = rows.iter().filter(|row| row.backend == backend).collect();
        let Some(raw) = of_backend
            .iter()
            .find(|row| row.raw && row.runtime == backend)
        else {
            continue;
        };
        // The baseline first, then cosched, then the peers.
        let mut ordered = vec![*raw];
        ordered.extend(of_backend.iter().filter(|row| !row.raw));
        ordered.extend(
            of_backend
                .iter()
                .filter(|row| row.raw && row.runtime != backend),
        );
        for row in ordered {
            let time = row.best_ns / raw.best_ns;
            let spawn = to_f64(row.spawn.hwm_kb) / to_f64(raw.spawn.hwm_kb);
            let pending = to_f64(row.pending.hwm_kb) / to_f64(raw.pending.hwm_kb);
            let goals = if row.raw {
                if row.runtime == backend {
                    "baseline"
                } else {
                    "peer"
                }
                .to_owned()
            } else if is_local(row) {
                "single thread: see asyncio".to_owned()
            } else {
                let missed: Vec<&str> = [
                    (time, "time"),
                    (spawn, "spawn peak"),
                    (pending, "pending peak"),
                ]
                .into_iter()
                .filter(|&(ratio, _)| ratio > GOAL_RATIO)
                .map(|(_, what)| what)
                .collect();
                if missed.is_empty() {
                    "met".to_owned()
                } else {
                    format!("**missed: {}**", missed.join(", "))
                }
            };
            let label = if row.raw {
                row.label.clone()
            } else {
                format!("cosched: {}", row.label)
            };
            let _ = writeln!(
                out,
                "| {backend} | {label} | {:.0} ({:.0}) | {time:.2} | {:.1} ({:.0}) | {spawn:.2} | {:.1} ({:.0}) | {pending:.2} | {goals} |",
                row.best_ns,
                row.median_ns,
                row.spawn.mib(),
                row.spawn.bytes_per_task(n),
                row.pending.mib(),
                row.pending.bytes_per_task(n),
            );
        }
    }
}

fn report_python(
    out: &mut String,
    options: &Options,
    rows: &[Row],
    python: &Result<Python, String>,
) {
    let n = options.n;
    let _ = writeln!(out, "## asyncio\n");
    let python = match python {
        Ok(python) => python,
        Err(why) => {
            let _ = writeln!(out, "Not measured: {why}\n");
            return;
        }
    };
    // Compare with cosched's worst threaded variant on each count, on this
    // build's backend; the local rows below. Debug mode is left out: it is
    // a diagnostic mode, measured against `create_task` (issue 14's ≤ 1.5×),
    // and asyncio's own debug mode is off in the asyncio row.
    let cosched: Vec<&Row> = rows
        .iter()
        .filter(|row| {
            !row.raw
                && row.backend == BACKEND
                && !is_local(row)
                && row.variant != Variant::CreateTaskDebug.key()
        })
        .collect();
    let worst = |key: fn(&Row) -> f64| cosched.iter().map(|row| key(row)).fold(f64::NAN, f64::max);
    let time = worst(|row| row.best_ns);
    let spawn = worst(|row| to_f64(row.spawn.hwm_kb));
    let pending = worst(|row| to_f64(row.pending.hwm_kb));
    let spawn_growth = worst(|row| row.spawn.growth_kb());
    let pending_growth = worst(|row| row.pending.growth_kb());
    let _ = writeln!(
        out,
        "| {n} tasks | ns/task best (median) | spawn+await peak MiB (B/task) | pending peak MiB (B/task) |"
    );
    let _ = writeln!(out, "|---|--:|--:|--:|");
    let _ = writeln!(
        out,
        "| asyncio `create_task` ({}) | {:.0} ({:.0}) | {:.1} ({:.0}) | {:.1} ({:.0}) |",
        python.version,
        python.best_ns,
        python.median_ns,
        python.spawn.mib(),
        python.spawn.bytes_per_task(n),
        python.pending.mib(),
        python.pending.bytes_per_task(n),
    );
    let _ = writeln!(
        out,
        "| cosched on {BACKEND}, worst variant | {time:.0} | {:.1} | {:.1} |",
        spawn / 1024.0,
        pending / 1024.0,
    );
    let verdict = |ratio: f64, goal: f64| {
        if ratio >= goal {
            format!("{ratio:.1}× (goal ≥ {goal:.0}×: met)")
        } else {
            format!("**{ratio:.1}× (goal ≥ {goal:.0}×: missed)**")
        }
    };
    let per_task = |python: Memory, cosched: f64| python.growth_kb() / cosched.max(1.0);
    let _ = writeln!(
        out,
        "| asyncio ÷ cosched | {} | {} | {} |",
        verdict(python.best_ns / time, GOAL_ASYNCIO_SPEED),
        verdict(to_f64(python.spawn.hwm_kb) / spawn, GOAL_ASYNCIO_MEMORY),
        verdict(to_f64(python.pending.hwm_kb) / pending, GOAL_ASYNCIO_MEMORY),
    );
    if let Some(local) = rows
        .iter()
        .find(|row| !row.raw && row.backend == BACKEND && is_local(row))
    {
        let _ = writeln!(
            out,
            "| cosched on {BACKEND}, a `local` task (one thread, as asyncio) | {:.0} | {:.1} | {:.1} |",
            local.best_ns,
            local.spawn.mib(),
            local.pending.mib(),
        );
        let _ = writeln!(
            out,
            "| asyncio ÷ cosched `local` | {} | {} | {} |",
            verdict(python.best_ns / local.best_ns, GOAL_LOCAL_SPEED),
            verdict(
                to_f64(python.spawn.hwm_kb) / to_f64(local.spawn.hwm_kb),
                GOAL_ASYNCIO_MEMORY
            ),
            verdict(
                to_f64(python.pending.hwm_kb) / to_f64(local.pending.hwm_kb),
                GOAL_ASYNCIO_MEMORY
            ),
        );
    }
    let _ = writeln!(
        out,
        "\nThe memory ratios are of the peaks; of the growth per task (peak less the \
         process's resident set before the run), asyncio ÷ cosched is {:.1}× (spawn+await) \
         and {:.1}× (pending).\n",
        per_task(python.spawn, spawn_growth),
        per_task(python.pending, pending_growth),
    );
}

fn report_compile(out: &mut String, options: &Options, compile: &Result<Compile, String>) {
    let _ = writeln!(out, "## Compile time\n");
    let compile = match compile {
        Ok(compile) => compile,
        Err(why) => {
            let _ = writeln!(out, "Not measured: {why}\n");
            return;
        }
    };
    let fns = options.fns;
    let ratio = compile.macros_s / compile.hand_s;
    let net = (compile.macros_s - compile.noop_s) / (compile.hand_s - compile.noop_s);
    let _ = writeln!(
        out,
        "`cargo check` of a generated crate (not incremental), after a warm-up that built its dependencies; best of {} (backend {BACKEND}).\n",
        compile.reps
    );
    let _ = writeln!(out, "| crate | `cargo check` s |\n|---|--:|");
    let _ = writeln!(
        out,
        "| {fns} `#[task]` fns, `.spawn()` helpers | {:.2} |",
        compile.macros_s
    );
    let _ = writeln!(
        out,
        "| {fns} plain async fns, `create_task` helpers | {:.2} |",
        compile.hand_s
    );
    let _ = writeln!(
        out,
        "| nothing to do (cargo's own cost) | {:.2} |",
        compile.noop_s
    );
    let _ = writeln!(
        out,
        "| ratio | {ratio:.2} (goal ≤ {GOAL_COMPILE:.1}: {}) |",
        if ratio <= GOAL_COMPILE {
            "met"
        } else {
            "**missed**"
        }
    );
    let _ = writeln!(out, "| ratio less cargo's own cost | {net:.2} |\n");
}

pub(crate) fn command_output(program: &str, args: &[&str]) -> String {
    Command::new(program)
        .args(args)
        .output()
        .ok()
        .filter(|output| output.status.success())
        .map_or_else(
            || format!("({program} unavailable)"),
            |output| String::from_utf8_lossy(&output.stdout).trim().to_owned(),
        )
}

#[cfg(test)]
mod tests {
    use cosched_bench::Variant;

    use super::*;

    fn args(line: &str) -> Vec<String> {
        line.split_whitespace().map(str::to_owned).collect()
    }

    #[test]
    fn the_report_has_a_baseline_ratio_of_one_and_flags_misses() {
        let options = Options::parse(args("--n 1000")).expect("options");
        let row = |variant: Variant, ns: f64, kb: u64| Row {
            backend: BACKEND.to_owned(),
            variant: variant.key().to_owned(),
            label: variant.label().to_owned(),
            raw: variant.is_raw(),
            runtime: variant.runtime().to_owned(),
            best_ns: ns,
            median_ns: ns,
            spawn: Memory {
                hwm_kb: kb,
                before_kb: 0,
            },
            pending: Memory {
                hwm_kb: kb,
                before_kb: 0,
            },
        };
        let raw = Variant::raw(BACKEND).expect("raw");
        let rows = [row(raw, 100.0, 1000), row(Variant::CreateTask, 200.0, 1000)];
        let text = report(
            &options,
            &rows,
            &Err("no".to_owned()),
            &Err("no".to_owned()),
            1.0,
        );
        assert!(text.contains("| 1.00 |"), "{text}");
        assert!(text.contains("**missed: time**"), "{text}");
        assert!(text.contains("Not measured: no"), "{text}");
    }
}
