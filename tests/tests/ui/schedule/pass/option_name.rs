// `name = EXPR` gives the task its full name (no id appended), in every mode; the expression may be a `String`.
use std::time::{Duration, Instant};

use cosched::schedule;

#[cosched::task]
async fn job() -> u8 {
    1
}

fn main() {
    cosched::run(async {
        let task = schedule!(job(), name = "first");
        assert_eq!(task.name(), "first");
        assert_eq!(task.await, Ok(1));
        let task = schedule!(create_task job(), name = format!("job-{}", 2));
        assert_eq!(task.name(), "job-2");
        let task = schedule!(ensure_future job(), name = "third");
        assert_eq!(task.name(), "third");
        let task = schedule!(after Duration::ZERO => job(), name = "later");
        assert_eq!(task.name(), "later");
        let task = schedule!(at Instant::now() => job(), name = "at");
        assert_eq!(task.name(), "at");
        let task = schedule!(every Duration::from_millis(1) => job(), name = "ticker");
        assert_eq!(task.name(), "ticker");
        task.cancel();
        // `ensure_future` of a task keeps the task's own name.
        let named = schedule!(job(), name = "kept");
        let same = schedule!(ensure_future named, name = "ignored");
        assert_eq!(same.name(), "kept");
    });
}
