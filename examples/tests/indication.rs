//! Runs the seed's program with short times and counts its dots.

use std::path::PathBuf;
use std::process::Command;
use std::time::{Duration, Instant};

/// The `indication` example, which `cargo test` builds beside this test.
fn example() -> PathBuf {
    cosched_examples::example_path("indication")
}

/// Runs the example and checks what a person would see: only dots, then a
/// newline, then exit. Returns the number of dots.
fn run(args: &[&str], period: Duration) -> usize {
    let start = Instant::now();
    let output = Command::new(example())
        .args(args)
        .output()
        .expect("the example starts");
    let elapsed = start.elapsed();
    assert!(
        output.status.success(),
        "exit status {}: {}",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    let stdout = String::from_utf8(output.stdout).expect("dots are UTF-8");
    assert!(stdout.ends_with('\n'), "no final newline: {stdout:?}");
    let dots = stdout.trim_end_matches('\n');
    assert!(
        dots.chars().all(|c| c == '.'),
        "unexpected output: {stdout:?}"
    );
    // The first dot is immediate, and no two are closer than a period, so
    // a slow machine shows fewer dots, never more.
    let most = usize::try_from(elapsed.as_millis() / period.as_millis()).expect("small") + 1;
    assert!(
        (1..=most).contains(&dots.len()),
        "{} dots in {elapsed:?}",
        dots.len()
    );
    dots.len()
}

#[test]
fn create_task_prints_dots_then_exits() {
    let dots = run(&["0.3", "0.05"], Duration::from_millis(50));
    eprintln!("create_task: {dots} dots");
}

#[test]
fn ensure_future_prints_dots_then_exits() {
    let dots = run(
        &["--ensure-future", "0.3", "0.05"],
        Duration::from_millis(50),
    );
    eprintln!("ensure_future: {dots} dots");
}

#[test]
fn bad_arguments_are_refused_with_usage() {
    let output = Command::new(example())
        .arg("soon")
        .output()
        .expect("the example starts");
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("usage: indication"), "{stderr}");
    assert!(stderr.contains("`soon` is not a number"), "{stderr}");
}
