//! The stress run as tests: the `stress` binary (`src/bin/stress/`), small
//! on every `cargo test`, the full million when asked for (`cargo test
//! --release -p cosched-tests --test stress -- --ignored --nocapture`).

use std::process::Command;

fn run(tasks: usize) {
    let output = Command::new(env!("CARGO_BIN_EXE_stress"))
        .arg(tasks.to_string())
        .output()
        .expect("the stress binary starts");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    println!("{stdout}");
    assert!(
        output.status.success(),
        "stress run failed ({}):\n{stdout}\n{stderr}",
        output.status
    );
    assert!(
        stdout.contains(&format!("checked {tasks} of {tasks} tasks: 0 mismatches")),
        "not every task was checked:\n{stdout}"
    );
    assert!(stdout.lines().any(|line| line == "stress: ok"), "{stdout}");
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
