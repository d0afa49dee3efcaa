//! The command line: [`USAGE`] and the [`Options`] it parses into, with
//! `--quick`'s defaults.

use cosched_bench::{BACKEND, Variant};

pub(crate) const USAGE: &str = "\
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
}

impl Options {
    pub(crate) fn parse(args: Vec<String>) -> Result<Self, String> {
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
}
