// `schedule!(after DURATION => EXPR)` returns a task at once whose body starts no earlier than the delay.
use std::time::{Duration, Instant};

use cosched::schedule;

#[cosched::task]
async fn now() -> Instant {
    Instant::now()
}

fn main() {
    cosched::run(async {
        let delay = Duration::from_millis(30);
        let created = Instant::now();
        let task: cosched::Task<Instant> = schedule!(after delay => now());
        let handle = task.task_ref();
        let started = task.await.expect("runs");
        assert!(started - created >= delay);
        assert!(
            handle.name().starts_with("now-"),
            "named after the coroutine once it has started"
        );

        // The delay may be any expression; parentheses make it a mode too.
        let created = Instant::now();
        let started = schedule!(after (delay / 2) => now()).await.expect("runs");
        assert!(started - created >= delay / 2);
        let started = schedule!(after Duration::from_millis(5) => async { Instant::now() });
        assert!(started.await.expect("runs") - created >= Duration::from_millis(5));
    });
}
