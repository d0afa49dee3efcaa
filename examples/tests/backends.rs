//! Switching backends is a change of feature, not of code: the user-level
//! programs (the README's tour, every `schedule!` form, an echo server on
//! the backend's own TCP types, and on tokio, cosched inside
//! `#[tokio::main]`) run and say what they must on whichever backend the
//! `cosched-examples` features select. CI runs this on all three.
//!
//! The examples are the ones `cargo test -p cosched-examples` builds with
//! the same features (a `--test backends` filter builds none, and would
//! run whatever was built last: the echo test's backend check says so).

use std::path::PathBuf;
use std::process::Command;

/// The example `name`, which `cargo test` builds beside this test.
fn example(name: &str) -> PathBuf {
    cosched_examples::example_path(name)
}

/// Runs example `name` with `args`; its standard output, once it has
/// exited successfully.
fn run(name: &str, args: &[&str]) -> String {
    let output = Command::new(example(name))
        .args(args)
        .output()
        .unwrap_or_else(|error| panic!("the {name} example does not start: {error}"));
    assert!(
        output.status.success(),
        "{name}: exit status {}: {}",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).expect("the examples print UTF-8")
}

#[test]
fn the_tour_prints_dots_then_a_newline() {
    let stdout = run("tour", &["0.05", "0.01"]);
    let dots = stdout.strip_suffix('\n').expect("a final newline");
    assert!(
        !dots.is_empty() && dots.chars().all(|c| c == '.'),
        "{stdout:?}"
    );
}

#[test]
fn every_schedule_form_gives_its_result() {
    let stdout = run("schedule", &[]);
    for line in [
        "ensure_future: job-3 passed through unchanged: true",
        "gathered: [Ok(2), Ok(4), Ok(6)]",
        "named: answer -> Ok(8)",
        "eager: done at once: false and true -> Ok(10) Ok(12)",
        "after 50 ms: Ok(10)",
        "cancelled before its start: Err(Cancelled)",
        "every 30 ms, cancelled after 100 ms: Err(Cancelled)",
        "every 20 ms, 3 times: Ok(18)",
        "every 0 ms: Err(\"task panicked: every: the period is zero",
        "a block: Ok(16)",
        "every hour for a day, on a paused clock: runs at hours [0, 1, 2, 3, 4, 5, 6, 7, 8, \
         9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23] (",
    ] {
        assert!(stdout.contains(line), "no {line:?} in:\n{stdout}");
    }
    assert!(stdout.contains("  beat at "), "no heartbeat in:\n{stdout}");
    // The `missed` policies on a real clock: when each run starts depends
    // on the machine's load (the policies themselves are pinned by the
    // order of their runs' events in tests/tests/periodic.rs), but under
    // any load the first run, which sleeps 35 ms, holds back the second.
    for missed in ["Skip", "Delay", "Burst"] {
        let prefix = format!("  missed = {missed}: runs start at [");
        let starts: Vec<u128> = stdout
            .lines()
            .find_map(|line| line.strip_prefix(prefix.as_str())?.strip_suffix("] ms"))
            .unwrap_or_else(|| panic!("no {prefix:?} line in:\n{stdout}"))
            .split(", ")
            .map(|start| start.parse().expect("a number of ms"))
            .collect();
        assert_eq!(starts.len(), 5, "{missed}: {starts:?}");
        assert!(starts[1] >= starts[0] + 35, "{missed}: {starts:?}");
        assert!(starts.is_sorted(), "{missed}: {starts:?}");
    }
}

#[test]
fn the_echo_server_echoes_every_line_on_the_backends_own_tcp() {
    let stdout = run("echo", &["50"]);
    let expected = format!(
        "{} on 127.0.0.1: 50 of 50 lines echoed, 600 bytes\n",
        cosched::BACKEND
    );
    assert_eq!(stdout, expected);
}

#[cfg(feature = "tokio")]
#[test]
fn cosched_runs_inside_tokio_main() {
    let stdout = run("in_tokio", &[]);
    assert_eq!(
        stdout,
        "tokio task: Ok(1); cosched task: Ok(42); group: Ok([2, 4, 6]); timeout: Err(TimeoutError)\n"
    );
}
