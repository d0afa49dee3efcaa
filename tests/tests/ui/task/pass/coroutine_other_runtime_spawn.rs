// A threaded `#[task]` coroutine is a `Future`: `tokio::spawn(job(5))` and async-std's `spawn` take it as
// it is, it runs only once polled, and its `limit` holds wherever it runs.
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

static STARTED: AtomicUsize = AtomicUsize::new(0);

#[cosched::task(limit = 1)]
async fn job(x: u32) -> u32 {
    STARTED.fetch_add(1, Ordering::SeqCst);
    x * 2
}

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .build()
        .expect("a tokio runtime");
    let coroutine = job(5);
    assert_eq!(STARTED.load(Ordering::SeqCst), 0, "lazy: nothing ran yet");
    let doubled = runtime.block_on(async { tokio::spawn(coroutine).await });
    assert_eq!(doubled.expect("no panic"), 10);
    assert_eq!(STARTED.load(Ordering::SeqCst), 1);

    let handle = async_std::task::spawn(job(6));
    assert_eq!(async_std::task::block_on(handle), 12);

    // `create_task` takes it too, and names its task after the fn once it ran.
    let seen = Arc::new(AtomicUsize::new(0));
    cosched::run(async move {
        let task = cosched::create_task(job(7));
        let handle = task.task_ref();
        assert_eq!(task.await, Ok(14));
        assert!(handle.name().starts_with("job-"), "{}", handle.name());
        seen.fetch_add(1, Ordering::SeqCst);
    });
}
