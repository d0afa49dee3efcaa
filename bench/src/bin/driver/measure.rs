//! The measurements: every variant of this build timed in this process,
//! taking turns; the memory of each in child processes (`--child`, which
//! runs one workload in a fresh process and prints its high-water mark);
//! and the rows of the other backends, from this driver built for each.
//! A [`Row`] crosses processes as one tab-separated line (`--emit-rows`).

use std::collections::HashMap;
use std::process::{Command, ExitCode, Stdio};

use cosched_bench::{BACKEND, Variant, Workload, minor_faults, proc_status_kb};

use crate::cli::Options;
use crate::workspace::{cargo, target_dir, workspace_root};

/// `--child VARIANT WORKLOAD N`: runs one workload once in this fresh
/// process and prints its memory high-water mark, the resident set before
/// the run, the run's wall time and its minor page faults.
pub(crate) fn child(args: &[String]) -> ExitCode {
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
    let faults = minor_faults().unwrap_or(0);
    let elapsed = variant.run(workload, n);
    let faults = minor_faults().unwrap_or(0).saturating_sub(faults);
    let hwm = proc_status_kb("VmHWM").unwrap_or(0);
    println!("CHILD {hwm} {before} {} {faults}", elapsed.as_nanos());
    ExitCode::SUCCESS
}

/// One variant's figures.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Row {
    /// cosched's backend in the process that measured the row.
    pub(crate) backend: String,
    pub(crate) variant: String,
    pub(crate) label: String,
    pub(crate) raw: bool,
    pub(crate) runtime: String,
    pub(crate) best_ns: f64,
    pub(crate) median_ns: f64,
    pub(crate) spawn: Memory,
    pub(crate) pending: Memory,
}

/// A child's memory figures, in kB.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Memory {
    pub(crate) hwm_kb: u64,
    pub(crate) before_kb: u64,
}

impl Memory {
    pub(crate) fn mib(self) -> f64 {
        to_f64(self.hwm_kb) / 1024.0
    }

    /// How much the run grew the resident set, at its peak.
    pub(crate) fn growth_kb(self) -> f64 {
        to_f64(self.hwm_kb.saturating_sub(self.before_kb))
    }

    pub(crate) fn bytes_per_task(self, n: usize) -> f64 {
        self.growth_kb() * 1024.0 / to_f64(n as u64)
    }
}

impl Row {
    pub(crate) fn to_line(&self) -> String {
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

    pub(crate) fn from_line(line: &str) -> Option<Self> {
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

/// Times every variant of this build in this process, then measures the
/// memory of each in child processes.
pub(crate) fn measure(options: &Options) -> Result<Vec<Row>, String> {
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
    let mut samples = Vec::new();
    for _ in 0..options.mem_reps {
        samples.push(child_sample(variant, workload, options.n)?.memory);
    }
    samples.sort_by_key(|sample| sample.hwm_kb);
    Ok(samples[samples.len() / 2])
}

/// What one fresh process measured of one run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Sample {
    pub(crate) memory: Memory,
    /// Wall time from the first spawn to the last result.
    pub(crate) elapsed_ns: u64,
    /// Minor page faults during the run (0 where unknown).
    pub(crate) faults: u64,
}

/// Runs `driver --child VARIANT WORKLOAD N` and reads what it printed.
pub(crate) fn child_sample(
    variant: Variant,
    workload: Workload,
    n: usize,
) -> Result<Sample, String> {
    let exe = std::env::current_exe().map_err(|error| format!("current_exe: {error}"))?;
    let output = Command::new(&exe)
        .args(["--child", variant.key(), workload.key()])
        .arg(n.to_string())
        .stderr(Stdio::inherit())
        .output()
        .map_err(|error| format!("starting {}: {error}", exe.display()))?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    let parsed = stdout.lines().find_map(|line| {
        let mut fields = line.strip_prefix("CHILD ")?.split(' ');
        Some(Sample {
            memory: Memory {
                hwm_kb: fields.next()?.parse().ok()?,
                before_kb: fields.next()?.parse().ok()?,
            },
            elapsed_ns: fields.next()?.parse().ok()?,
            faults: fields
                .next()
                .and_then(|faults| faults.parse().ok())
                .unwrap_or(0),
        })
    });
    match parsed {
        Some(sample) if output.status.success() => Ok(sample),
        _ => Err(format!(
            "child {} {} {n} failed: {}\n{stdout}",
            variant.key(),
            workload.key(),
            output.status
        )),
    }
}

/// Builds this driver for `backend` (in `<target>/driver-backends`) and runs
/// it for that backend's rows: its raw runtime and the cosched variants.
pub(crate) fn other_backend(options: &Options, backend: &str) -> Result<Vec<Row>, String> {
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

#[allow(clippy::cast_precision_loss)] // counts and nanoseconds far below 2^52
pub(crate) fn to_f64(value: u64) -> f64 {
    value as f64
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
