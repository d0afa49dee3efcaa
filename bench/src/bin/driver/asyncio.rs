//! The asyncio comparison: `bench/asyncio_spawn.py` run with `python3`,
//! for its time (best and median per task) and its memory peaks; and one
//! fresh asyncio process's sample for the scale curve.

use std::collections::HashMap;
use std::path::Path;
use std::process::{Command, Stdio};

use cosched_bench::Workload;

use crate::cli::Options;
use crate::measure::{Memory, Sample};

/// asyncio's figures, from `bench/asyncio_spawn.py`.
#[derive(Debug, Clone)]
pub(crate) struct Python {
    pub(crate) version: String,
    pub(crate) best_ns: f64,
    pub(crate) median_ns: f64,
    pub(crate) spawn: Memory,
    pub(crate) pending: Memory,
}

/// Runs `bench/asyncio_spawn.py --mode MODE --n N --reps K` and returns its
/// `key=value` pairs.
fn run_script(mode: &str, n: usize, reps: usize) -> Result<HashMap<String, String>, String> {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("asyncio_spawn.py");
    let output = Command::new("python3")
        .arg(&script)
        .args(["--mode", mode, "--n", &n.to_string()])
        .args(["--reps", &reps.to_string()])
        .stderr(Stdio::inherit())
        .output()
        .map_err(|error| format!("python3 not run: {error}"))?;
    if !output.status.success() {
        return Err(format!(
            "{} --mode {mode} --n {n} failed: {}",
            script.display(),
            output.status
        ));
    }
    Ok(String::from_utf8_lossy(&output.stdout)
        .split_whitespace()
        .filter_map(|pair| pair.split_once('='))
        .map(|(key, value)| (key.to_owned(), value.to_owned()))
        .collect())
}

fn number(values: &HashMap<String, String>, key: &str) -> Result<f64, String> {
    values
        .get(key)
        .and_then(|value| value.parse().ok())
        .ok_or(format!("asyncio_spawn.py printed no {key}"))
}

/// One fresh asyncio process running `workload` once with `n` tasks: its
/// time and memory, as a `--child` reports a Rust variant's.
pub(crate) fn python_sample(workload: Workload, n: usize) -> Result<Sample, String> {
    let values = run_script(workload.key(), n, 1)?;
    Ok(Sample {
        memory: Memory {
            hwm_kb: as_count(number(&values, "hwm_kb")?),
            before_kb: as_count(number(&values, "before_kb")?),
        },
        elapsed_ns: as_count(number(&values, "ns")?),
        faults: number(&values, "minflt").map_or(0, as_count),
    })
}

/// The python version string (`CPython-3.11.7`), or why there is none.
pub(crate) fn python_version() -> Result<String, String> {
    let values = run_script("time", 1, 1)?;
    values
        .get("python")
        .cloned()
        .ok_or("asyncio_spawn.py printed no python".to_owned())
}

pub(crate) fn python(options: &Options) -> Result<Python, String> {
    let run = |mode: &str, reps: usize| run_script(mode, options.n, reps);
    let memory = |mode: &str| -> Result<Memory, String> {
        let mut samples = Vec::new();
        for _ in 0..options.mem_reps {
            let values = run(mode, 1)?;
            samples.push(Memory {
                hwm_kb: as_count(number(&values, "hwm_kb")?),
                before_kb: as_count(number(&values, "before_kb")?),
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

#[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)] // kB and ns counts
fn as_count(value: f64) -> u64 {
    value as u64
}
