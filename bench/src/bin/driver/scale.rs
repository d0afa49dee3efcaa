//! `--scale`, the scale curve (issue 17, goal 6): per-task time and bytes
//! of both workloads as N grows, for cosched `create_task`, this backend's
//! raw runtime and asyncio. Every point is measured in fresh processes
//! (`--child`, or `asyncio_spawn.py`), each running the workload once; a
//! point whose memory would not fit is skipped, estimated from the
//! previous N's bytes per task. Prints markdown tables and writes an SVG
//! (two panels: ns per task and bytes per task against N).

use std::fmt::Write as _;
use std::time::Instant;

use cosched_bench::{BACKEND, Variant, Workload};

use crate::asyncio::{python_sample, python_version};
use crate::cli::Options;
use crate::measure::{Sample, child_sample, to_f64};
use crate::report::{command_output, provenance};
use crate::svg::{self, Line, PALETTE, Panel};
use crate::workspace::{target_dir, workspace_root};

/// A point is skipped when its estimated peak is more than this share of
/// the memory available when it would start: room for the estimate's
/// error and for whatever else the machine runs.
const FIT_SHARE: f64 = 0.75;
/// The estimate's margin over the previous N's bytes per task.
const GROWTH_MARGIN: f64 = 1.1;

/// What runs a series' tasks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Implementation {
    Rust(Variant),
    Asyncio,
}

impl Implementation {
    /// For the markdown (with backticks).
    fn label(self, python: &str) -> String {
        match self {
            Self::Rust(variant) if variant.is_raw() => variant.label().to_owned(),
            Self::Rust(variant) => format!("cosched: {}", variant.label()),
            Self::Asyncio => format!("asyncio `create_task` ({python})"),
        }
    }

    /// For progress lines.
    fn key(self) -> &'static str {
        match self {
            Self::Rust(variant) => variant.key(),
            Self::Asyncio => "asyncio",
        }
    }

    fn sample(self, workload: Workload, n: usize) -> Result<Sample, String> {
        match self {
            Self::Rust(variant) => child_sample(variant, workload, n),
            Self::Asyncio => python_sample(workload, n),
        }
    }
}

/// One N of one series.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Point {
    Measured {
        /// Best of the samples.
        ns_per_task: f64,
        /// Of the median sample (by growth): peak less the resident set
        /// before the run, per task.
        bytes_per_task: f64,
        /// That sample's minor page faults, per task.
        faults_per_task: f64,
        /// That sample's resident set before the run.
        before_kb: u64,
        samples: usize,
    },
    /// Not run: its estimated peak would not fit.
    Skipped {
        need_kb: u64,
        available_kb: u64,
    },
    Failed(String),
}

/// One implementation and workload across the Ns.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Series {
    pub(crate) implementation: Implementation,
    pub(crate) workload: Workload,
    pub(crate) points: Vec<(usize, Point)>,
}

/// A point being measured: its samples so far, the seconds they took, the
/// error that ended it.
#[derive(Debug, Default)]
struct Run {
    samples: Vec<Sample>,
    spent_s: f64,
    error: Option<String>,
}

/// Whether to run a series' point at `n` given its previous point: `None`
/// to run it, else the point to record instead.
fn plan(previous: Option<&(usize, Point)>, n: usize, available_kb: u64) -> Option<Point> {
    let (previous_n, previous) = previous?;
    let grown = to_f64(n as u64) / to_f64(*previous_n as u64);
    match previous {
        Point::Measured {
            bytes_per_task,
            before_kb,
            ..
        } => {
            let need_kb =
                to_f64(*before_kb) + bytes_per_task * to_f64(n as u64) * GROWTH_MARGIN / 1024.0;
            (need_kb > to_f64(available_kb) * FIT_SHARE).then(|| Point::Skipped {
                need_kb: as_kb(need_kb),
                available_kb,
            })
        }
        Point::Skipped { need_kb, .. } => Some(Point::Skipped {
            need_kb: as_kb(to_f64(*need_kb) * grown),
            available_kb,
        }),
        Point::Failed(_) => Some(Point::Failed(format!("not run: N = {previous_n} failed"))),
    }
}

/// The point the samples of one N make.
fn summarize(samples: &mut [Sample], n: usize) -> Point {
    if samples.is_empty() {
        return Point::Failed("no process ran".to_owned());
    }
    let per_task = |value: u64| to_f64(value) / to_f64(n as u64);
    samples.sort_by_key(|sample| sample.memory.hwm_kb.saturating_sub(sample.memory.before_kb));
    let median = samples[samples.len() / 2];
    Point::Measured {
        ns_per_task: per_task(
            samples
                .iter()
                .map(|sample| sample.elapsed_ns)
                .min()
                .unwrap_or(0),
        ),
        bytes_per_task: median.memory.bytes_per_task(n),
        faults_per_task: per_task(median.faults),
        before_kb: median.memory.before_kb,
        samples: samples.len(),
    }
}

/// `MemAvailable` from `/proc/meminfo`, in kB; unbounded where there is
/// no such file.
fn available_kb() -> u64 {
    std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|meminfo| {
            meminfo.lines().find_map(|line| {
                line.strip_prefix("MemAvailable:")?
                    .trim()
                    .strip_suffix("kB")?
                    .trim()
                    .parse()
                    .ok()
            })
        })
        .unwrap_or(u64::MAX)
}

/// Measures every series at every N, in increasing N; at each N the
/// series take turns, one fresh process each, until each has `--reps`
/// samples or has spent `--scale-budget` seconds.
pub(crate) fn measure_scale(options: &Options, implementations: &[Implementation]) -> Vec<Series> {
    let mut series: Vec<Series> = implementations
        .iter()
        .flat_map(|&implementation| {
            Workload::ALL.map(|workload| Series {
                implementation,
                workload,
                points: Vec::new(),
            })
        })
        .collect();
    for &n in &options.scale_ns {
        let available = available_kb();
        // What each series still to run at this N has so far.
        let mut runs: Vec<Option<Run>> = series
            .iter_mut()
            .map(|one| match plan(one.points.last(), n, available) {
                Some(point) => {
                    eprintln!(
                        "driver: scale N = {n}: {} {}: {}",
                        one.implementation.key(),
                        one.workload.key(),
                        describe(&point)
                    );
                    one.points.push((n, point));
                    None
                }
                None => Some(Run::default()),
            })
            .collect();
        let active: Vec<usize> = (0..runs.len()).filter(|&i| runs[i].is_some()).collect();
        for rep in 0..options.reps {
            for offset in 0..active.len() {
                let index = active[(rep + offset) % active.len()];
                let Some(run) = &mut runs[index] else {
                    continue;
                };
                if run.error.is_some() || run.spent_s >= options.scale_budget_s {
                    continue;
                }
                let one = &series[index];
                eprintln!(
                    "driver: scale N = {n}: {} {} ({} of at most {})",
                    one.implementation.key(),
                    one.workload.key(),
                    rep + 1,
                    options.reps
                );
                let started = Instant::now();
                match one.implementation.sample(one.workload, n) {
                    Ok(sample) => run.samples.push(sample),
                    Err(why) => run.error = Some(why),
                }
                run.spent_s += started.elapsed().as_secs_f64();
            }
        }
        for (one, run) in series.iter_mut().zip(runs) {
            if let Some(mut run) = run {
                let point = match run.error {
                    Some(why) => Point::Failed(why),
                    None => summarize(&mut run.samples, n),
                };
                one.points.push((n, point));
            }
        }
    }
    series
}

fn describe(point: &Point) -> String {
    match point {
        Point::Measured { .. } => "measured".to_owned(),
        Point::Skipped {
            need_kb,
            available_kb,
        } => format!(
            "skipped: would need {:.1} GiB ({:.1} GiB available)",
            gib(*need_kb),
            gib(*available_kb)
        ),
        Point::Failed(why) => format!("failed: {why}"),
    }
}

fn gib(kb: u64) -> f64 {
    to_f64(kb) / (1024.0 * 1024.0)
}

#[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)] // kB counts
fn as_kb(value: f64) -> u64 {
    value as u64
}

/// `--scale`: measures, writes the SVG, returns the markdown.
pub(crate) fn scale(options: &Options) -> Result<String, String> {
    let started = Instant::now();
    let mut implementations: Vec<Implementation> = options
        .scale_variants()
        .into_iter()
        .map(Implementation::Rust)
        .collect();
    let python = if options.python {
        python_version()
    } else {
        Err("skipped (--no-python)".to_owned())
    };
    if python.is_ok() {
        implementations.push(Implementation::Asyncio);
    }
    let available = available_kb();
    eprintln!(
        "driver: scale curve, N = {:?}, cosched on {BACKEND}, {:.1} GiB available",
        options.scale_ns,
        gib(available)
    );
    let series = measure_scale(options, &implementations);
    let python_name = python.clone().unwrap_or_default();
    let path = match &options.svg {
        Some(path) => path.clone(),
        None => target_dir()?.join("scale.svg"),
    };
    let commit = command_output(
        "git",
        &[
            "-C",
            &workspace_root().to_string_lossy(),
            "rev-parse",
            "--short",
            "HEAD",
        ],
    );
    let date = command_output("date", &["-u", "+%Y-%m-%d"]);
    let cores = std::thread::available_parallelism().map_or(0, std::num::NonZero::get);
    let subtitle = format!(
        "cosched at {commit} on {BACKEND}, {date}, {cores} cores; each point: best time and median \
         memory of up to {} fresh processes",
        options.reps
    );
    let picture = plot(&series, &python_name, &subtitle);
    std::fs::write(&path, picture).map_err(|error| format!("{}: {error}", path.display()))?;
    eprintln!("driver: wrote {}", path.display());

    let mut out = String::new();
    let _ = writeln!(out, "# cosched scale curve (issue 17, goal 6)\n");
    provenance(&mut out, options);
    let _ = writeln!(
        out,
        "- memory available at the start (`MemAvailable`): {:.1} GiB; a point is skipped when its \
         estimated peak (the resident set before the previous N's run plus its bytes per task × N, \
         + {:.0} %) is more than {:.0} % of what is available when it would start",
        gib(available),
        (GROWTH_MARGIN - 1.0) * 100.0,
        FIT_SHARE * 100.0
    );
    let _ = writeln!(
        out,
        "- each point: up to {} fresh processes, the series of one N taking turns (fewer once a \
         point's processes took {:.0} s in all), each running the workload once after a one-task \
         warm-up; time: the best, from the first spawn to the last result, ÷ N; bytes: the median \
         process's peak resident set (`VmHWM`) less its resident set before the run, ÷ N",
        options.reps, options.scale_budget_s
    );
    match &python {
        Ok(_) => {}
        Err(why) => {
            let _ = writeln!(out, "- asyncio not measured: {why}");
        }
    }
    let _ = writeln!(
        out,
        "- plot: `{}`; driver ran {:.0} s\n",
        path.display(),
        started.elapsed().as_secs_f64()
    );
    out.push_str(&tables(options, &series, &python_name));
    Ok(out)
}

/// The two tables (ns and bytes per task, one column per N) and the notes
/// on skipped, failed and thinly sampled points.
pub(crate) fn tables(options: &Options, series: &[Series], python: &str) -> String {
    let mut out = String::new();
    let header: Vec<String> = options
        .scale_ns
        .iter()
        .map(|&n| svg::compact(to_f64(n as u64)))
        .collect();
    let columns: [(&str, Value); 3] = [
        ("ns per task (best)", ns_per_task),
        ("bytes per task (peak growth ÷ N)", bytes_per_task),
        (
            "minor page faults per 1000 tasks (of the median-memory process)",
            faults_per_1000,
        ),
    ];
    for (title, value) in columns {
        let _ = writeln!(out, "### {title}\n");
        let _ = writeln!(
            out,
            "| implementation | workload | {} | largest N ÷ smallest |",
            header.join(" | ")
        );
        let _ = writeln!(
            out,
            "|---|---|{}--:|",
            "--:|".repeat(options.scale_ns.len())
        );
        for one in series {
            let cells: Vec<String> = one
                .points
                .iter()
                .map(|(_, point)| match (value(point), point) {
                    (Some(value), _) => format!("{value:.0}"),
                    (None, Point::Skipped { need_kb, .. }) => {
                        format!("skipped (needs {:.1} GiB)", gib(*need_kb))
                    }
                    (None, _) => "failed".to_owned(),
                })
                .collect();
            let measured: Vec<f64> = one
                .points
                .iter()
                .filter_map(|(_, point)| value(point))
                .collect();
            let ratio = match (measured.first(), measured.last()) {
                (Some(first), Some(last)) if measured.len() > 1 => format!("{:.2}", last / first),
                _ => "–".to_owned(),
            };
            let _ = writeln!(
                out,
                "| {} | {} | {} | {ratio} |",
                one.implementation.label(python),
                workload_label(one.workload),
                cells.join(" | ")
            );
        }
        let _ = writeln!(out);
    }
    for one in series {
        for (n, point) in &one.points {
            let what = match point {
                Point::Measured { samples, .. } if *samples < options.reps => {
                    format!("{samples} process(es), the time budget spent")
                }
                Point::Measured { .. } => continue,
                other => describe(other),
            };
            let _ = writeln!(
                out,
                "- {}, {}, N = {n}: {what}",
                one.implementation.label(python),
                workload_label(one.workload)
            );
        }
    }
    out
}

/// A figure of a point, if it was measured.
type Value = fn(&Point) -> Option<f64>;

fn ns_per_task(point: &Point) -> Option<f64> {
    match point {
        Point::Measured { ns_per_task, .. } => Some(*ns_per_task),
        _ => None,
    }
}

fn bytes_per_task(point: &Point) -> Option<f64> {
    match point {
        Point::Measured { bytes_per_task, .. } => Some(*bytes_per_task),
        _ => None,
    }
}

fn faults_per_1000(point: &Point) -> Option<f64> {
    match point {
        Point::Measured {
            faults_per_task, ..
        } => Some(faults_per_task * 1000.0),
        _ => None,
    }
}

fn workload_label(workload: Workload) -> &'static str {
    match workload {
        Workload::SpawnAwait => "spawn+await",
        Workload::Pending => "pending at once",
    }
}

/// The SVG: ns per task and bytes per task against N, one line per series
/// (a colour per implementation, solid for spawn+await, dashed for
/// pending), notes for the points not measured.
fn plot(series: &[Series], python: &str, subtitle: &str) -> String {
    let mut implementations: Vec<Implementation> = Vec::new();
    for one in series {
        if !implementations.contains(&one.implementation) {
            implementations.push(one.implementation);
        }
    }
    let lines = |value: Value| -> Vec<Line> {
        series
            .iter()
            .map(|one| {
                let colour = implementations
                    .iter()
                    .position(|&implementation| implementation == one.implementation)
                    .map_or(PALETTE[0], |index| PALETTE[index % PALETTE.len()]);
                Line {
                    label: format!(
                        "{}, {}",
                        one.implementation.label(python).replace('`', ""),
                        workload_label(one.workload)
                    ),
                    color: colour,
                    dashed: one.workload == Workload::Pending,
                    points: one
                        .points
                        .iter()
                        .filter_map(|(n, point)| Some((to_f64(*n as u64), value(point)?)))
                        .collect(),
                }
            })
            .collect()
    };
    let panels = [
        Panel {
            title: "time per task".to_owned(),
            y_label: "ns per task (best; log scale)".to_owned(),
            x_label: "N, tasks per run (log scale)".to_owned(),
            lines: lines(ns_per_task),
        },
        Panel {
            title: "memory per task".to_owned(),
            y_label: "bytes per task (peak RSS growth ÷ N; log scale)".to_owned(),
            x_label: "N, tasks per run (log scale)".to_owned(),
            lines: lines(bytes_per_task),
        },
    ];
    let notes: Vec<String> = series
        .iter()
        .flat_map(|one| {
            one.points.iter().filter_map(move |(n, point)| match point {
                Point::Measured { .. } => None,
                other => Some(format!(
                    "{}, {}, N = {}: {}",
                    one.implementation.label(python).replace('`', ""),
                    workload_label(one.workload),
                    svg::compact(to_f64(*n as u64)),
                    describe(other)
                )),
            })
        })
        .collect();
    svg::plot(
        "Scale curve: per-task cost as N grows",
        subtitle,
        &panels,
        &notes,
    )
}

/// The default series' variants, for [`Options::scale_variants`].
pub(crate) fn default_variants() -> Vec<Variant> {
    let mut variants = vec![Variant::CreateTask];
    variants.extend(Variant::raw(BACKEND));
    variants
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::measure::Memory;

    fn args(line: &str) -> Vec<String> {
        line.split_whitespace().map(str::to_owned).collect()
    }

    fn measured(bytes_per_task: f64) -> Point {
        Point::Measured {
            ns_per_task: 800.0,
            bytes_per_task,
            faults_per_task: 0.04,
            before_kb: 4096,
            samples: 3,
        }
    }

    #[test]
    fn a_point_that_would_not_fit_is_skipped_and_so_are_larger_ones() {
        // 1000 B/task at 1M: 10M needs about 10 GiB.
        let previous = (1_000_000, measured(1000.0));
        assert_eq!(plan(None, 10, 1), None);
        assert_eq!(plan(Some(&previous), 10_000_000, 32 << 20), None);
        let Some(Point::Skipped {
            need_kb,
            available_kb,
        }) = plan(Some(&previous), 10_000_000, 8 << 20)
        else {
            panic!("10 GiB does not fit in 8");
        };
        assert_eq!(available_kb, 8 << 20);
        assert!((10.0..11.0).contains(&gib(need_kb)), "{}", gib(need_kb));
        let skipped = (
            10_000_000,
            Point::Skipped {
                need_kb,
                available_kb,
            },
        );
        let Some(Point::Skipped {
            need_kb: larger, ..
        }) = plan(Some(&skipped), 100_000_000, 64 << 20)
        else {
            panic!("larger than a skipped point");
        };
        assert_eq!(larger / 10, need_kb);
        let failed = (10, Point::Failed("no".to_owned()));
        assert!(matches!(
            plan(Some(&failed), 100, 1 << 30),
            Some(Point::Failed(_))
        ));
    }

    #[test]
    fn a_point_is_the_best_time_and_the_median_memory() {
        let sample = |ns: u64, hwm_kb: u64| Sample {
            memory: Memory {
                hwm_kb,
                before_kb: 1000,
            },
            elapsed_ns: ns,
            faults: hwm_kb / 4,
        };
        let mut samples = [sample(9000, 1100), sample(7000, 1300), sample(8000, 1200)];
        let Point::Measured {
            ns_per_task,
            bytes_per_task,
            faults_per_task,
            samples,
            ..
        } = summarize(&mut samples, 10)
        else {
            panic!("measured");
        };
        assert!((ns_per_task - 700.0).abs() < 1e-9);
        // The median growth, 200 kB, over 10 tasks.
        assert!((bytes_per_task - 200.0 * 1024.0 / 10.0).abs() < 1e-9);
        // That process's faults.
        assert!((faults_per_task - 30.0).abs() < 1e-9);
        assert_eq!(samples, 3);
    }

    #[test]
    fn the_tables_show_every_point_and_say_why_one_is_missing() {
        let options = Options::parse(args("--scale-ns 10000,100000 --reps 3")).expect("options");
        let series = [Series {
            implementation: Implementation::Asyncio,
            workload: Workload::Pending,
            points: vec![
                (10_000, measured(1000.0)),
                (
                    100_000,
                    Point::Skipped {
                        need_kb: 3 << 20,
                        available_kb: 1 << 20,
                    },
                ),
            ],
        }];
        let text = tables(&options, &series, "CPython");
        assert!(text.contains("| 10k | 100k |"), "{text}");
        // Time, bytes, faults (0.04 a task).
        for value in [800, 1000, 40] {
            let row = format!("| {value} | skipped (needs 3.0 GiB) | – |");
            assert!(text.contains(&row), "{row} in {text}");
        }
        assert!(
            text.contains("N = 100000: skipped: would need 3.0 GiB (1.0 GiB available)"),
            "{text}"
        );
        let picture = plot(&series, "CPython", "sub");
        assert!(picture.contains("skipped: would need 3.0 GiB"), "{picture}");
    }
}
