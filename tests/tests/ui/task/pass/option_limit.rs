// `limit = N`: at most N coroutines of the fn run at once; the rest wait and all finish.
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

static RUNNING: AtomicUsize = AtomicUsize::new(0);
static MOST: AtomicUsize = AtomicUsize::new(0);

#[cosched::task(limit = 2)]
async fn work(n: u32) -> u32 {
    let now = RUNNING.fetch_add(1, Ordering::SeqCst) + 1;
    MOST.fetch_max(now, Ordering::SeqCst);
    cosched::sleep(Duration::from_millis(2)).await;
    RUNNING.fetch_sub(1, Ordering::SeqCst);
    n
}

fn main() {
    assert_eq!(work(0).meta().max_running(), Some(2));
    cosched::run(async {
        let tasks: Vec<_> = (0..6).map(|n| work(n).spawn()).collect();
        let results = cosched::gather(tasks).await;
        assert_eq!(results, (0..6).map(Ok).collect::<Vec<_>>());
        assert!(MOST.load(Ordering::SeqCst) <= 2, "at most 2 at once");
        assert!(MOST.load(Ordering::SeqCst) >= 1);
    });
}
