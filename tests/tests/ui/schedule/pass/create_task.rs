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
        let handle = task.task_ref();
        assert_eq!(task.await, Ok(42));
        // Named after the coroutine's fn from the task's first poll on.
        assert!(handle.name().starts_with("double-"));

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
