// `schedule!(create_task EXPR)` schedules a `#[task]` call or a plain future at once and returns its `Task<T>`.
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use cosched::schedule;

#[cosched::task]
async fn double(n: u32) -> u32 {
    n * 2
}

fn main() {
    cosched::run(async {
        let task: cosched::Task<u32> = schedule!(create_task double(21));
        assert!(task.name().starts_with("double-"));
        assert_eq!(task.await, Ok(42));

        // It runs without being awaited.
        let ran = Arc::new(AtomicBool::new(false));
        let flag = Arc::clone(&ran);
        let task = schedule!(create_task async move { flag.store(true, Ordering::SeqCst) });
        while !task.is_done() {
            cosched::yield_now().await;
        }
        assert!(ran.load(Ordering::SeqCst));
    });
}
