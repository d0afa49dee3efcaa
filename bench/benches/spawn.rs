//! Spawn and await 10 000 trivial tasks: raw async-std, smol and tokio
//! against cosched's entry points on the backend this build selects.
//!
//! `cargo bench -p cosched-bench` (add `--no-default-features --features
//! smol` or `tokio` for another backend). The driver (`src/bin/driver/`)
//! measures the same variants at N = 1 000 000, and their memory.
#![forbid(unsafe_code)]

use std::time::Duration;

use cosched_bench::{BACKEND, Variant, Workload};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};

const N: usize = 10_000;

fn spawn_await(c: &mut Criterion) {
    let mut group = c.benchmark_group(format!("spawn_await_10k/cosched_on_{BACKEND}"));
    group.throughput(Throughput::Elements(N as u64));
    for variant in Variant::all() {
        group.bench_function(variant.key(), |b| {
            b.iter_custom(|iters| {
                (0..iters)
                    .map(|_| variant.run(Workload::SpawnAwait, N))
                    .sum::<Duration>()
            });
        });
    }
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .sample_size(20)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3));
    targets = spawn_await
}
criterion_main!(benches);
