//! The library side of cosched's examples: what an example binary and a
//! test both run.
//!
//! * [`stress`]: many tasks with planned fates, every one accounted for
//!   (`cargo run --release --example stress -- [N]`, and
//!   `examples/tests/stress.rs`).

pub mod stress;
