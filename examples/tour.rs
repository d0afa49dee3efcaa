//! The README's tour, as a program: a coroutine prints a dot every half
//! second while `main` awaits a task's `Result` and sleeps for five, then
//! cancels the dots. The times are arguments, so a test can run it short.
//!
//! ```text
//! cargo run --example tour [-- TOTAL_SECONDS PERIOD_SECONDS]
//! ```

use std::io::Write;
use std::time::Duration;

use cosched::schedule;

/// Prints a dot every `timeout`, forever.
#[cosched::task]
async fn indication(timeout: Duration) {
    loop {
        print!(".");
        let _ = std::io::stdout().flush(); // one dot at a time
        cosched::sleep(timeout).await;
    }
}

#[cosched::task]
async fn answer() -> u32 {
    42
}

/// The `n`th argument as seconds, or `default`.
fn seconds(n: usize, default: f64) -> Result<Duration, String> {
    std::env::args()
        .nth(n)
        .map_or(Ok(Duration::from_secs_f64(default)), |arg| {
            arg.parse::<f64>()
                .ok()
                .and_then(|seconds| Duration::try_from_secs_f64(seconds).ok())
                .ok_or_else(|| format!("not a number of seconds: {arg:?}"))
        })
}

#[cosched::main]
async fn main() -> Result<(), String> {
    let total = seconds(1, 5.0)?;
    let period = seconds(2, 0.5)?;
    let coro = indication(period); // a coroutine: nothing runs yet
    let dots = schedule!(create_task coro); // ::cosched::create_task(coro)
    let task = schedule!(ensure_future answer()); // ::cosched::ensure_future(answer())
    assert_eq!(task.await, Ok(42)); // a task's result is a `Result`
    cosched::sleep(total).await;
    dots.cancel(); // stops at its next await
    assert_eq!(dots.await, Err(cosched::TaskError::Cancelled));
    println!();
    Ok(())
}
