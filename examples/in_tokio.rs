//! cosched from inside `#[tokio::main]`, on the tokio backend: tasks,
//! a group and a timeout awaited in tokio's own runtime, beside a
//! `tokio::spawn`ed task. (`cosched::run` would refuse here, as
//! `asyncio.run` does inside a running loop: inside tokio, await.)
//!
//! ```text
//! cargo run --example in_tokio --no-default-features --features tokio
//! ```

use std::time::Duration;

#[cosched::task]
async fn double(n: u32) -> u32 {
    cosched::sleep(Duration::from_millis(1)).await;
    n * 2
}

#[tokio::main]
async fn main() {
    let from_tokio = tokio::spawn(async { 1 });
    let task = cosched::create_task(double(21));
    let mut group = cosched::TaskGroup::new();
    for n in 1..=3 {
        group.create_task(double(n));
    }
    let timed_out = cosched::timeout(
        Duration::from_millis(5),
        cosched::sleep(Duration::from_secs(3600)),
    )
    .await;
    println!(
        "tokio task: {:?}; cosched task: {:?}; group: {:?}; timeout: {:?}",
        from_tokio.await,
        task.await,
        group.join().await,
        timed_out
    );
}
