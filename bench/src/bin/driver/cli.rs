//! The command line: [`USAGE`] and the [`Options`] it parses into, with
//! `--quick`'s and `--scale`'s defaults.

use std::path::PathBuf;

use cosched_bench::{BACKEND, Variant};

use crate::measure::to_f64;

pub(crate) const USAGE: &str = "\
usage: driver [--n N] [--quick] [--reps K] [--mem-reps K] [--fns N]
              [--this-backend] [--no-python] [--no-compile] [--no-peers]
       driver --scale [--scale-ns N,N,..] [--reps K] [--scale-budget S]
              [--svg PATH] [--no-python] [--variants K,K]

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
                  raw-async-global-executor, raw-smol, raw-tokio, raw-local,
                  create_task, create_task-debug, create_task-eager,
                  ensure_future, create_task-local, coroutine-spawn,
                  task-spawn, schedule-create_task, schedule-ensure_future);
                  implies --this-backend

  --scale         the scale curve instead: per-task time and bytes of both
                  workloads as N grows, for cosched `create_task`, this
                  backend's raw runtime and asyncio (or --variants), each
                  point in fresh processes; skips a point whose memory
                  would not fit; prints markdown tables, writes an SVG
  --scale-ns N,N  the Ns of the curve (default 10000,100000,1000000,10000000);
                  implies --scale
  --reps K        with --scale: fresh processes per point, at most (default 5)
  --scale-budget S  with --scale: stop repeating a point once its processes
                  took S seconds in all (default 20; always at least one)
  --svg PATH      with --scale: where the plot goes (default <target>/scale.svg)";

/// The Ns of the scale curve unless `--scale-ns` says otherwise.
pub(crate) const SCALE_NS: [usize; 4] = [10_000, 100_000, 1_000_000, 10_000_000];

#[derive(Debug, Clone)]
#[allow(clippy::struct_excessive_bools)] // independent command-line switches
pub(crate) struct Options {
    pub(crate) n: usize,
    pub(crate) reps: usize,
    pub(crate) mem_reps: usize,
    pub(crate) fns: usize,
    pub(crate) quick: bool,
    pub(crate) other_backends: bool,
    pub(crate) python: bool,
    pub(crate) compile: bool,
    peers: bool,
    pub(crate) emit_rows: bool,
    only: Option<Vec<Variant>>,
    pub(crate) args: Vec<String>,
    /// `--scale`: the scale curve instead of the table.
    pub(crate) scale: bool,
    pub(crate) scale_ns: Vec<usize>,
    pub(crate) scale_budget_s: f64,
    pub(crate) svg: Option<PathBuf>,
}

impl Options {
    pub(crate) fn parse(args: Vec<String>) -> Result<Self, String> {
        let quick = args.iter().any(|arg| arg == "--quick");
        let scale = args
            .iter()
            .any(|arg| arg == "--scale" || arg == "--scale-ns");
        let mut options = Self {
            n: if quick { 20_000 } else { 1_000_000 },
            reps: if quick {
                3
            } else if scale {
                5
            } else {
                7
            },
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
            scale,
            scale_ns: SCALE_NS.to_vec(),
            scale_budget_s: 20.0,
            svg: None,
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
                // Read before the loop: they set the defaults.
                "--quick" | "--scale" => {}
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
                "--scale-ns" => {
                    let list = args.next().ok_or("--scale-ns needs a list")?;
                    options.scale_ns = parse_ns(&list)?;
                }
                "--scale-budget" => {
                    options.scale_budget_s = to_f64(number("--scale-budget")? as u64);
                }
                "--svg" => {
                    options.svg = Some(args.next().ok_or("--svg needs a path")?.into());
                }
                "-h" | "--help" => return Err(String::new()),
                other => return Err(format!("unknown argument: {other}")),
            }
        }
        Ok(options)
    }

    /// The Rust variants of the scale curve: `--variants`, or cosched
    /// `create_task` and this backend's raw runtime.
    pub(crate) fn scale_variants(&self) -> Vec<Variant> {
        self.only
            .clone()
            .unwrap_or_else(crate::scale::default_variants)
    }

    /// The variants this process measures.
    pub(crate) fn variants(&self) -> Vec<Variant> {
        Variant::all()
            .into_iter()
            .filter(|variant| {
                self.peers
                    || !variant.is_raw()
                    || variant.runtime() == BACKEND
                    || variant.is_local()
            })
            .filter(|variant| self.only.as_ref().is_none_or(|only| only.contains(variant)))
            .collect()
    }
}

/// `--scale-ns`'s list: positive numbers (`_` allowed), in increasing
/// order, since each point's memory is estimated from the one before.
fn parse_ns(list: &str) -> Result<Vec<usize>, String> {
    let ns = list
        .split(',')
        .map(|n| {
            n.trim()
                .replace('_', "")
                .parse::<usize>()
                .ok()
                .filter(|&n| n > 0)
                .ok_or(format!("--scale-ns: not a positive number: {n}"))
        })
        .collect::<Result<Vec<_>, _>>()?;
    if ns.windows(2).any(|pair| pair[0] >= pair[1]) {
        return Err(format!("--scale-ns must increase: {list}"));
    }
    Ok(ns)
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
    fn scale_defaults_and_list() {
        let scale = Options::parse(args("--scale")).expect("--scale");
        assert_eq!(
            (scale.scale, scale.scale_ns.as_slice(), scale.reps),
            (true, SCALE_NS.as_slice(), 5)
        );
        let listed = Options::parse(args("--scale-ns 1_000,10000 --reps 2")).expect("list");
        assert_eq!(
            (listed.scale, listed.scale_ns.as_slice(), listed.reps),
            (true, [1000, 10_000].as_slice(), 2)
        );
        assert!(!Options::parse(args("")).expect("none").scale);
    }

    #[test]
    fn bad_arguments_are_refused() {
        for line in [
            "--n",
            "--n x",
            "--n 0",
            "--bogus",
            "--help",
            "--scale-ns",
            "--scale-ns 10,0",
            "--scale-ns 100,10",
            "--scale-ns 10,x",
            "--svg",
        ] {
            assert!(Options::parse(args(line)).is_err(), "{line}");
        }
    }
}
