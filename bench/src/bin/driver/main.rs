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
#![forbid(unsafe_code)]

use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::time::Instant;

use cosched_bench::{BACKEND, Variant, Workload, proc_status_kb};

const USAGE: &str = "\
usage: driver [--n N] [--quick] [--reps K] [--mem-reps K] [--fns N]
              [--this-backend] [--no-python] [--no-compile] [--no-peers]

  --n N           tasks per run (default 1000000; 20000 with --quick)
  --quick         smoke test: N = 20000, 3 reps, this backend only, no compile time
  --reps K        timed runs per variant (default 7; 3 with --quick)
  --mem-reps K    child processes per variant and workload (default 3; 1 with --quick)
  --fns N         #[task] fns in the compile-time crate (default 500)
  --this-backend  only cosched's backend of this build, not the other two
  --no-python     skip the asyncio comparison
  --no-compile    skip the compile-time comparison
  --no-peers      skip the raw runtimes other than this backend's
  --variants K,K  only these variants (keys as in `--child`: raw-async-std,
                  raw-smol, raw-tokio, create_task, ensure_future,
                  coroutine-spawn, task-spawn, schedule-create_task,
                  schedule-ensure_future); implies --this-backend";

const BACKENDS: [&str; 3] = ["async-std", "smol", "tokio"];

/// The time and memory goals, as ratios against the raw runtime.
const GOAL_RATIO: f64 = 1.05;
/// How much faster per task than asyncio cosched must be, at least.
const GOAL_ASYNCIO_SPEED: f64 = 20.0;
/// How much less memory than asyncio cosched must use, at least.
const GOAL_ASYNCIO_MEMORY: f64 = 5.0;
/// The most the macros may slow `cargo check` down.
const GOAL_COMPILE: f64 = 1.2;

#[derive(Debug, Clone)]
#[allow(clippy::struct_excessive_bools)] // independent command-line switches
struct Options {
    n: usize,
    reps: usize,
    mem_reps: usize,
    fns: usize,
    quick: bool,
    other_backends: bool,
    python: bool,
    compile: bool,
    peers: bool,
    emit_rows: bool,
    only: Option<Vec<Variant>>,
    args: Vec<String>,
}

impl Options {
    fn parse(args: Vec<String>) -> Result<Self, String> {
        let quick = args.iter().any(|arg| arg == "--quick");
        let mut options = Self {
            n: if quick { 20_000 } else { 1_000_000 },
            reps: if quick { 3 } else { 7 },
            mem_reps: if quick { 1 } else { 3 },
            fns: 500,
            quick,
            other_backends: !quick,
            python: true,
            compile: !quick,
            peers: true,
            emit_rows: false,
            only: None,
            args: args.clone(),
        };
        let mut args = args.into_iter();
        while let Some(arg) = args.next() {
            let mut number = |name: &str| -> Result<usize, String> {
                let value = args.next().ok_or(format!("{name} needs a number"))?;
                let parsed = value
                    .replace('_', "")
                    .parse()
                    .map_err(|_| format!("{name}: not a number: {value}"))?;
                if parsed == 0 {
                    return Err(format!("{name} must be at least 1"));
                }
                Ok(parsed)
            };
            match arg.as_str() {
                "--quick" => {}
                "--n" => options.n = number("--n")?,
                "--reps" => options.reps = number("--reps")?,
                "--mem-reps" => options.mem_reps = number("--mem-reps")?,
                "--fns" => options.fns = number("--fns")?,
                "--this-backend" => options.other_backends = false,
                "--no-python" => options.python = false,
                "--no-compile" => options.compile = false,
                "--no-peers" => options.peers = false,
                "--emit-rows" => options.emit_rows = true,
                "--variants" => {
                    let keys = args.next().ok_or("--variants needs a list")?;
                    let only = keys
                        .split(',')
                        .map(|key| Variant::from_key(key).ok_or(format!("no variant {key}")))
                        .collect::<Result<Vec<_>, _>>()?;
                    options.only = Some(only);
                    options.other_backends = false;
                }
                "-h" | "--help" => return Err(String::new()),
                other => return Err(format!("unknown argument: {other}")),
            }
        }
        Ok(options)
    }

    /// The variants this process measures.
    fn variants(&self) -> Vec<Variant> {
        Variant::all()
            .into_iter()
            .filter(|variant| self.peers || !variant.is_raw() || variant.runtime() == BACKEND)
            .filter(|variant| self.only.as_ref().is_none_or(|only| only.contains(variant)))
            .collect()
    }
}

fn main() -> ExitCode {
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

/// `--child VARIANT WORKLOAD N`: runs one workload once in this fresh
/// process and prints its memory high-water mark.
fn child(args: &[String]) -> ExitCode {
    let [variant, workload, n] = args else {
        eprintln!("driver --child VARIANT WORKLOAD N");
        return ExitCode::from(2);
    };
    let (Some(variant), Some(workload), Ok(n)) = (
        Variant::from_key(variant),
        Workload::from_key(workload),
        n.parse::<usize>(),
    ) else {
        eprintln!("driver --child: bad arguments {args:?}");
        return ExitCode::from(2);
    };
    // Start the runtime (threads, executor, loop) before taking the baseline.
    variant.run(workload, 1);
    let before = proc_status_kb("VmRSS").unwrap_or(0);
    let elapsed = variant.run(workload, n);
    let hwm = proc_status_kb("VmHWM").unwrap_or(0);
    println!("CHILD {hwm} {before} {}", elapsed.as_nanos());
    ExitCode::SUCCESS
}

/// One variant's figures.
#[derive(Debug, Clone, PartialEq)]
struct Row {
    /// cosched's backend in the process that measured the row.
    backend: String,
    variant: String,
    label: String,
    raw: bool,
    runtime: String,
    best_ns: f64,
    median_ns: f64,
    spawn: Memory,
    pending: Memory,
}

/// A child's memory figures, in kB.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Memory {
    hwm_kb: u64,
    before_kb: u64,
}

impl Memory {
    fn mib(self) -> f64 {
        to_f64(self.hwm_kb) / 1024.0
    }

    /// How much the run grew the resident set, at its peak.
    fn growth_kb(self) -> f64 {
        to_f64(self.hwm_kb.saturating_sub(self.before_kb))
    }

    fn bytes_per_task(self, n: usize) -> f64 {
        self.growth_kb() * 1024.0 / to_f64(n as u64)
    }
}

impl Row {
    fn to_line(&self) -> String {
        format!(
            "ROW\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}",
            self.backend,
            self.variant,
            self.label,
            self.raw,
            self.runtime,
            self.best_ns,
            self.median_ns,
            self.spawn.hwm_kb,
            self.spawn.before_kb,
            self.pending.hwm_kb,
            self.pending.before_kb,
        )
    }

    fn from_line(line: &str) -> Option<Self> {
        let fields: Vec<&str> = line.strip_prefix("ROW\t")?.split('\t').collect();
        let [
            backend,
            variant,
            label,
            raw,
            runtime,
            best,
            median,
            spawn_hwm,
            spawn_before,
            pending_hwm,
            pending_before,
        ] = fields[..]
        else {
            return None;
        };
        Some(Self {
            backend: backend.to_owned(),
            variant: variant.to_owned(),
            label: label.to_owned(),
            raw: raw.parse().ok()?,
            runtime: runtime.to_owned(),
            best_ns: best.parse().ok()?,
            median_ns: median.parse().ok()?,
            spawn: Memory {
                hwm_kb: spawn_hwm.parse().ok()?,
                before_kb: spawn_before.parse().ok()?,
            },
            pending: Memory {
                hwm_kb: pending_hwm.parse().ok()?,
                before_kb: pending_before.parse().ok()?,
            },
        })
    }
}

fn drive(options: &Options) -> Result<(), String> {
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

/// Times every variant of this build in this process, then measures the
/// memory of each in child processes.
fn measure(options: &Options) -> Result<Vec<Row>, String> {
    let variants = options.variants();
    let n = options.n;
    eprintln!(
        "driver: cosched on {BACKEND}: {} variants, N = {n}, {} timed runs each",
        variants.len(),
        options.reps
    );
    for variant in &variants {
        variant.run(Workload::SpawnAwait, n); // warm-up
    }
    let mut times: HashMap<Variant, Vec<f64>> = HashMap::new();
    for rep in 0..options.reps {
        // Take turns, starting one further each round, so that no variant
        // always runs right after the same other one.
        for offset in 0..variants.len() {
            let variant = variants[(rep + offset) % variants.len()];
            let elapsed = variant.run(Workload::SpawnAwait, n);
            times.entry(variant).or_default().push(
                to_f64(u64::try_from(elapsed.as_nanos()).unwrap_or(u64::MAX)) / to_f64(n as u64),
            );
        }
    }
    let mut rows = Vec::new();
    for variant in variants {
        eprintln!("driver: memory of {} ({BACKEND} build)", variant.key());
        let mut samples = times.remove(&variant).unwrap_or_default();
        samples.sort_by(f64::total_cmp);
        rows.push(Row {
            backend: BACKEND.to_owned(),
            variant: variant.key().to_owned(),
            label: variant.label().to_owned(),
            raw: variant.is_raw(),
            runtime: variant.runtime().to_owned(),
            best_ns: samples.first().copied().unwrap_or(f64::NAN),
            median_ns: samples.get(samples.len() / 2).copied().unwrap_or(f64::NAN),
            spawn: memory(variant, Workload::SpawnAwait, options)?,
            pending: memory(variant, Workload::Pending, options)?,
        });
    }
    Ok(rows)
}

/// The median (by high-water mark) of `--mem-reps` child processes.
fn memory(variant: Variant, workload: Workload, options: &Options) -> Result<Memory, String> {
    let exe = std::env::current_exe().map_err(|error| format!("current_exe: {error}"))?;
    let mut samples = Vec::new();
    for _ in 0..options.mem_reps {
        let output = Command::new(&exe)
            .args(["--child", variant.key(), workload.key()])
            .arg(options.n.to_string())
            .stderr(Stdio::inherit())
            .output()
            .map_err(|error| format!("starting {}: {error}", exe.display()))?;
        let stdout = String::from_utf8_lossy(&output.stdout);
        let parsed = stdout.lines().find_map(|line| {
            let mut fields = line.strip_prefix("CHILD ")?.split(' ');
            Some(Memory {
                hwm_kb: fields.next()?.parse().ok()?,
                before_kb: fields.next()?.parse().ok()?,
            })
        });
        match parsed {
            Some(sample) if output.status.success() => samples.push(sample),
            _ => {
                return Err(format!(
                    "child {} {} failed: {}\n{stdout}",
                    variant.key(),
                    workload.key(),
                    output.status
                ));
            }
        }
    }
    samples.sort_by_key(|sample| sample.hwm_kb);
    Ok(samples[samples.len() / 2])
}

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf)
}

/// The target directory this binary was built in (`<target>/release/driver`).
fn target_dir() -> Result<PathBuf, String> {
    let exe = std::env::current_exe().map_err(|error| format!("current_exe: {error}"))?;
    exe.parent()
        .and_then(Path::parent)
        .map(Path::to_path_buf)
        .ok_or_else(|| format!("no target directory above {}", exe.display()))
}

fn cargo() -> Command {
    let mut command = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
    // `cargo run` describes this package to it; the cargo runs below are
    // about other packages.
    for (key, _) in std::env::vars_os() {
        if key.to_string_lossy().starts_with("CARGO_PKG_")
            || key == "CARGO_MANIFEST_DIR"
            || key == "CARGO_MANIFEST_PATH"
            || key == "CARGO_CRATE_NAME"
            || key == "CARGO_PRIMARY_PACKAGE"
        {
            command.env_remove(key);
        }
    }
    command
}

/// Builds this driver for `backend` (in `<target>/driver-backends`) and runs
/// it for that backend's rows: its raw runtime and the cosched variants.
fn other_backend(options: &Options, backend: &str) -> Result<Vec<Row>, String> {
    let target = target_dir()?.join("driver-backends");
    let mut features = backend.to_owned();
    if cfg!(feature = "macros") {
        features.push_str(",macros");
    }
    eprintln!("driver: building the driver for cosched on {backend}");
    let status = cargo()
        .args([
            "build",
            "--release",
            "--quiet",
            "-p",
            "cosched-bench",
            "--bin",
            "driver",
        ])
        .args(["--no-default-features", "--features", &features])
        .arg("--manifest-path")
        .arg(workspace_root().join("Cargo.toml"))
        .env("CARGO_TARGET_DIR", &target)
        .status()
        .map_err(|error| format!("starting cargo: {error}"))?;
    if !status.success() {
        return Err(format!("building the {backend} driver failed: {status}"));
    }
    let output = Command::new(target.join("release").join("driver"))
        .args([
            "--this-backend",
            "--no-python",
            "--no-compile",
            "--no-peers",
            "--emit-rows",
        ])
        .args(["--n", &options.n.to_string()])
        .args(["--reps", &options.reps.to_string()])
        .args(["--mem-reps", &options.mem_reps.to_string()])
        .stderr(Stdio::inherit())
        .output()
        .map_err(|error| format!("starting the {backend} driver: {error}"))?;
    if !output.status.success() {
        return Err(format!("the {backend} driver failed: {}", output.status));
    }
    Ok(String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter_map(Row::from_line)
        .collect())
}

/// asyncio's figures, from `bench/asyncio_spawn.py`.
#[derive(Debug, Clone)]
struct Python {
    version: String,
    best_ns: f64,
    median_ns: f64,
    spawn: Memory,
    pending: Memory,
}

fn python(options: &Options) -> Result<Python, String> {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("asyncio_spawn.py");
    let run = |mode: &str, reps: usize| -> Result<HashMap<String, String>, String> {
        let output = Command::new("python3")
            .arg(&script)
            .args(["--mode", mode, "--n", &options.n.to_string()])
            .args(["--reps", &reps.to_string()])
            .stderr(Stdio::inherit())
            .output()
            .map_err(|error| format!("python3 not run: {error}"))?;
        if !output.status.success() {
            return Err(format!(
                "{} --mode {mode} failed: {}",
                script.display(),
                output.status
            ));
        }
        Ok(String::from_utf8_lossy(&output.stdout)
            .split_whitespace()
            .filter_map(|pair| pair.split_once('='))
            .map(|(key, value)| (key.to_owned(), value.to_owned()))
            .collect())
    };
    let number = |values: &HashMap<String, String>, key: &str| -> Result<f64, String> {
        values
            .get(key)
            .and_then(|value| value.parse().ok())
            .ok_or(format!("asyncio_spawn.py printed no {key}"))
    };
    let memory = |mode: &str| -> Result<Memory, String> {
        let mut samples = Vec::new();
        for _ in 0..options.mem_reps {
            let values = run(mode, 1)?;
            samples.push(Memory {
                hwm_kb: as_kb(number(&values, "hwm_kb")?),
                before_kb: as_kb(number(&values, "before_kb")?),
            });
        }
        samples.sort_by_key(|sample| sample.hwm_kb);
        Ok(samples[samples.len() / 2])
    };
    eprintln!("driver: asyncio");
    // asyncio is slow enough that fewer timed runs do.
    let times = run("time", options.reps.min(3))?;
    Ok(Python {
        version: times.get("python").cloned().unwrap_or_default(),
        best_ns: number(&times, "best_ns")?,
        median_ns: number(&times, "median_ns")?,
        spawn: memory("spawn-await")?,
        pending: memory("pending")?,
    })
}

/// `cargo check` times of the generated crates.
#[derive(Debug, Clone)]
struct Compile {
    macros_s: f64,
    hand_s: f64,
    noop_s: f64,
    reps: usize,
}

#[cfg(not(feature = "macros"))]
fn compile_time(_: &Options) -> Result<Compile, String> {
    Err("skipped: this build has no `macros` feature".to_owned())
}

#[cfg(feature = "macros")]
fn compile_time(options: &Options) -> Result<Compile, String> {
    let base = target_dir()?.join("compile-time");
    let target = base.join("target");
    let lock = workspace_root().join("Cargo.lock");
    let mut crates = Vec::new();
    for (kind, source) in [
        ("macros", generated_crate(options.fns, true)),
        ("hand", generated_crate(options.fns, false)),
    ] {
        let dir = base.join(kind);
        let src = dir.join("src");
        std::fs::create_dir_all(&src).map_err(|error| format!("{}: {error}", src.display()))?;
        let manifest = format!(
            "[package]\nname = \"cosched-compile-{kind}\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n\
             [dependencies]\ncosched = {{ path = {:?}, default-features = false, features = [\"{BACKEND}\"] }}\n\n\
             [workspace]\n",
            workspace_root().join("runtime").display().to_string()
        );
        write(&dir.join("Cargo.toml"), &manifest)?;
        if lock.exists() && !dir.join("Cargo.lock").exists() {
            std::fs::copy(&lock, dir.join("Cargo.lock"))
                .map_err(|error| format!("copying Cargo.lock: {error}"))?;
        }
        write(&src.join("lib.rs"), &source)?;
        crates.push((dir, source));
    }
    let check = |dir: &Path| -> Result<f64, String> {
        let start = Instant::now();
        let output = cargo()
            .args(["check", "--quiet"])
            .current_dir(dir)
            .env("CARGO_TARGET_DIR", &target)
            // A full check of the crate each time: incremental compilation
            // would reuse the previous check of the unchanged source.
            .env("CARGO_INCREMENTAL", "0")
            .output()
            .map_err(|error| format!("starting cargo: {error}"))?;
        let elapsed = start.elapsed().as_secs_f64();
        if !output.status.success() {
            return Err(format!(
                "cargo check in {} failed:\n{}",
                dir.display(),
                String::from_utf8_lossy(&output.stderr)
            ));
        }
        Ok(elapsed)
    };
    eprintln!("driver: compile time: warm-up (builds cosched and its dependencies)");
    for (dir, _) in &crates {
        check(dir)?;
    }
    let reps = options.reps.min(5);
    let mut best = [f64::INFINITY; 3];
    for _ in 0..reps {
        for (index, (dir, source)) in crates.iter().enumerate() {
            // Rewriting the file makes cargo check the crate again.
            write(&dir.join("src").join("lib.rs"), source)?;
            best[index] = best[index].min(check(dir)?);
        }
        // Nothing changed: cargo's own fixed cost.
        best[2] = best[2].min(check(&crates[1].0)?);
    }
    Ok(Compile {
        macros_s: best[0],
        hand_s: best[1],
        noop_s: best[2],
        reps,
    })
}

#[cfg(feature = "macros")]
fn write(path: &Path, contents: &str) -> Result<(), String> {
    std::fs::write(path, contents).map_err(|error| format!("{}: {error}", path.display()))
}

/// A crate of `fns` async fns in three shapes, each with a spawn helper:
/// `#[cosched::task]` fns and `.spawn()`, or plain async fns and
/// `cosched::create_task`.
#[cfg(feature = "macros")]
fn generated_crate(fns: usize, macros: bool) -> String {
    let mut source = format!(
        "//! Generated by cosched-bench's driver: {fns} {} fns.\n\n",
        if macros {
            "`#[cosched::task]`"
        } else {
            "plain async"
        }
    );
    for i in 0..fns {
        let (params, ret, body, args) = match i % 3 {
            0 => (
                "x: u64",
                "u64",
                format!("cosched::yield_now().await;\n    x.wrapping_mul({i})"),
                "1",
            ),
            1 => (
                "name: String, times: usize",
                "usize",
                format!(
                    "let mut total = 0;\n    for _ in 0..times {{\n        cosched::yield_now().await;\n        total += name.len() + {i};\n    }}\n    total"
                ),
                "String::new(), 2",
            ),
            _ => (
                "bytes: Vec<u8>",
                "Option<u8>",
                format!(
                    "cosched::sleep(std::time::Duration::from_millis({i})).await;\n    bytes.iter().copied().max()"
                ),
                "vec![1, 2, 3]",
            ),
        };
        if macros {
            let _ = write!(
                source,
                "#[cosched::task]\npub async fn task_{i}({params}) -> {ret} {{\n    {body}\n}}\n\n\
                 pub fn spawn_task_{i}() -> cosched::Task<{ret}> {{\n    task_{i}({args}).spawn()\n}}\n\n"
            );
        } else {
            let _ = write!(
                source,
                "pub async fn task_{i}({params}) -> {ret} {{\n    {body}\n}}\n\n\
                 pub fn spawn_task_{i}() -> cosched::Task<{ret}> {{\n    cosched::create_task(task_{i}({args}))\n}}\n\n"
            );
        }
    }
    source
}

// ---------------------------------------------------------------------------
// The report.

fn report(
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
    // Compare with cosched's worst variant on each count, on this build's backend.
    let cosched: Vec<&Row> = rows
        .iter()
        .filter(|row| !row.raw && row.backend == BACKEND)
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

fn command_output(program: &str, args: &[&str]) -> String {
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

#[allow(clippy::cast_precision_loss)] // counts and nanoseconds far below 2^52
fn to_f64(value: u64) -> f64 {
    value as f64
}

#[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)] // kB counts
fn as_kb(value: f64) -> u64 {
    value as u64
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(line: &str) -> Vec<String> {
        line.split_whitespace().map(str::to_owned).collect()
    }

    #[test]
    fn full_and_quick_defaults() {
        let full = Options::parse(args("")).expect("no arguments");
        assert_eq!(
            (full.n, full.quick, full.compile, full.other_backends),
            (1_000_000, false, true, true)
        );
        let quick = Options::parse(args("--quick")).expect("--quick");
        assert_eq!(
            (quick.n, quick.compile, quick.other_backends),
            (20_000, false, false)
        );
        let both = Options::parse(args("--n 1_000 --quick --reps 2 --no-python")).expect("options");
        assert_eq!((both.n, both.reps, both.python), (1000, 2, false));
    }

    #[test]
    fn bad_arguments_are_refused() {
        for line in ["--n", "--n x", "--n 0", "--bogus", "--help"] {
            assert!(Options::parse(args(line)).is_err(), "{line}");
        }
    }

    #[test]
    fn rows_cross_process_boundaries_intact() {
        let row = Row {
            backend: "smol".to_owned(),
            variant: "create_task".to_owned(),
            label: "`cosched::create_task(f(i))`".to_owned(),
            raw: false,
            runtime: "smol".to_owned(),
            best_ns: 412.5,
            median_ns: 500.0,
            spawn: Memory {
                hwm_kb: 300_000,
                before_kb: 3_000,
            },
            pending: Memory {
                hwm_kb: 400_000,
                before_kb: 3_100,
            },
        };
        assert_eq!(Row::from_line(&row.to_line()), Some(row));
        assert_eq!(Row::from_line("ROW\tshort"), None);
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
