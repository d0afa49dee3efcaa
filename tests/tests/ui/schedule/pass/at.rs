// `schedule!(at INSTANT => EXPR)` starts the body no earlier than the instant.
use std::time::{Duration, Instant};

use cosched::schedule;

#[cosched::task]
async fn now() -> Instant {
    Instant::now()
}

fn main() {
    cosched::run(async {
        let deadline = Instant::now() + Duration::from_millis(30);
        let task: cosched::Task<Instant> = schedule!(at deadline => now());
        assert!(task.await.expect("runs") >= deadline);
        // An instant in the past starts at once.
        let past = Instant::now();
        assert!(schedule!(at past => now()).await.expect("runs") >= past);
    });
}
