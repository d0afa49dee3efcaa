//! trybuild UI tests: what users of the macros and of the runtime's traits
//! see. Every `pass/` case is built and run (each asserts what it pins);
//! every `fail/` case must fail to compile with exactly its checked-in
//! `.stderr`.
//!
//! Regenerate the `.stderr` files after a deliberate change of a message
//! with `TRYBUILD=overwrite cargo test -p cosched-tests --test ui`, then read
//! the diff: each error should point at the offending token, say what is
//! wrong once, and carry a `help:` naming the fix.
//!
//! The cases do not depend on the backend: CI runs this test on async-std,
//! smol and tokio alike.

#[test]
fn ui() {
    let cases = trybuild::TestCases::new();
    for dir in ["task", "schedule", "entry", "runtime"] {
        cases.pass(format!("tests/ui/{dir}/pass/*.rs"));
        cases.compile_fail(format!("tests/ui/{dir}/fail/*.rs"));
    }
}
