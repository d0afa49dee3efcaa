//! What several integration tests share: a watchdog that turns a hang into
//! a failure, and a duration no test sees elapse.

use std::panic::{self, AssertUnwindSafe};
use std::sync::mpsc;
use std::time::Duration;

/// Long enough that a test never sees it elapse.
#[allow(dead_code)] // not every test file uses it
pub(crate) const FOREVER: Duration = Duration::from_secs(3600);

/// Runs `f` on a thread of its own and returns what it returns, or fails
/// the test if it has not returned after 60 s: a hang becomes a failure.
/// The deadline is a watchdog, never a timing a test asserts.
#[allow(dead_code)] // not every test file uses it
pub(crate) fn within<T: Send + 'static>(what: &str, f: impl FnOnce() -> T + Send + 'static) -> T {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let result = panic::catch_unwind(AssertUnwindSafe(f));
        let _ = tx.send(result);
    });
    match rx.recv_timeout(Duration::from_secs(60)) {
        Ok(Ok(value)) => value,
        Ok(Err(payload)) => panic::resume_unwind(payload),
        Err(mpsc::RecvTimeoutError::Timeout | mpsc::RecvTimeoutError::Disconnected) => {
            panic!("hung: {what} did not return within 60 s")
        }
    }
}

/// `n` milliseconds: the set-up times the ported tests use (never a
/// timing they assert).
#[allow(dead_code)] // not every test file uses it
pub(crate) fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

/// Waits until `task` has finished (its slot says so), whoever awaits it.
#[allow(dead_code)] // not every test file uses it
pub(crate) async fn until_done(task: &cosched::TaskRef) {
    while !task.is_done() {
        cosched::sleep(ms(1)).await;
    }
}
