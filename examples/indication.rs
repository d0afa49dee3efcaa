//! The seed's program: a coroutine prints a dot every half second while
//! another sleeps for five, so about ten dots appear, one at a time.
//!
//! ```text
//! cargo run --example indication                    # create_task, 5 s, a dot every 0.5 s
//! cargo run --example indication -- --ensure-future # the same through ensure_future
//! cargo run --example indication -- 1 0.1           # 1 s, a dot every 0.1 s
//! cargo run --example indication -- --dump          # and halfway, cosched::dump() on stderr
//! ```

use std::io::Write;
use std::process::ExitCode;
use std::time::Duration;

/// Prints a dot every `timeout`, forever (the seed's `indication`).
#[cosched::task]
async fn indication(timeout: Duration) {
    loop {
        print!(".");
        // A dot must show when it is printed, not when the line ends.
        let _ = std::io::stdout().flush();
        cosched::sleep(timeout).await;
    }
}

/// How `sleep` puts `indication` on the loop: the seed's "choose one".
#[derive(Debug, Clone, Copy)]
enum Mode {
    CreateTask,
    EnsureFuture,
}

/// Sleeps `t` while `indication` shows that the program is alive (the
/// seed's `sleep`): create the coroutine, schedule it, wait.
#[cosched::task]
async fn sleep(t: Duration, indication_t: Duration, mode: Mode) {
    let coro = indication(indication_t); // 1: a coroutine, not running yet
    let _dots = match mode {
        // 2: schedule it; the task runs while this coroutine sleeps
        Mode::CreateTask => cosched::schedule!(create_task coro),
        Mode::EnsureFuture => cosched::schedule!(ensure_future coro),
    };
    cosched::sleep(t).await;
    // `cosched::run` cancels the dots task when this returns, as
    // `asyncio.run` would.
}

fn main() -> ExitCode {
    let mut mode = Mode::CreateTask;
    let mut dump = false;
    let mut seconds = Vec::new();
    for arg in std::env::args().skip(1) {
        match arg.as_str() {
            "--ensure-future" => mode = Mode::EnsureFuture,
            "--create-task" => mode = Mode::CreateTask,
            "--dump" => dump = true,
            number => {
                let Some(duration) = number
                    .parse::<f64>()
                    .ok()
                    .and_then(|s| Duration::try_from_secs_f64(s).ok())
                else {
                    eprintln!(
                        "usage: indication [--create-task | --ensure-future] [--dump] [TOTAL_SECONDS [PERIOD_SECONDS]]"
                    );
                    eprintln!("error: `{number}` is not a number of seconds");
                    return ExitCode::FAILURE;
                };
                seconds.push(duration);
            }
        }
    }
    let total = seconds.first().copied().unwrap_or(Duration::from_secs(5));
    let period = seconds
        .get(1)
        .copied()
        .unwrap_or(Duration::from_millis(500));
    if dump {
        // The same, as a task, with a look at the loop's tasks halfway.
        cosched::run(async {
            let main = cosched::schedule!(create_task sleep(total, period, mode));
            cosched::sleep(total / 2).await;
            eprintln!("\n{}", cosched::dump());
            let _ = main.await;
        });
    } else {
        cosched::run(sleep(total, period, mode));
    }
    println!();
    ExitCode::SUCCESS
}
