//! The stress run as tests: a small one on every `cargo test`, the full
//! million when asked for (`cargo test --release -p cosched-examples --test
//! stress -- --ignored --nocapture`).

use cosched_examples::stress;

fn run(tasks: usize) {
    let report = stress::run(&stress::Config::new(tasks));
    println!("{report}");
    assert!(report.is_ok(), "stress run failed:\n{report}");
    assert_eq!(report.checked, tasks);
}

#[test]
fn stress_small() {
    run(20_000);
}

#[test]
#[ignore = "a million tasks: run it in release mode"]
fn stress_one_million() {
    run(1_000_000);
}
