// `limit = EXPR`: any constant expression of type `usize`, evaluated at compile time.
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

const JOBS: usize = 3;
const CORES: usize = 2;

mod config {
    pub const fn jobs() -> usize {
        super::JOBS + 1
    }
}

static RUNNING: AtomicUsize = AtomicUsize::new(0);
static MOST: AtomicUsize = AtomicUsize::new(0);

#[cosched::task(limit = JOBS)]
async fn by_name() {}

#[cosched::task(limit = 2 * CORES)]
async fn by_arithmetic() {}

#[cosched::task(limit = { 4 })]
async fn by_block() {}

#[cosched::task(limit = config::jobs())]
async fn by_const_fn() {}

#[cosched::task(limit = CORES)]
async fn work(n: u32) -> u32 {
    let now = RUNNING.fetch_add(1, Ordering::SeqCst) + 1;
    MOST.fetch_max(now, Ordering::SeqCst);
    cosched::sleep(Duration::from_millis(2)).await;
    RUNNING.fetch_sub(1, Ordering::SeqCst);
    n
}

fn main() {
    assert_eq!(by_name().meta().max_running(), Some(3));
    assert_eq!(by_arithmetic().meta().max_running(), Some(4));
    assert_eq!(by_block().meta().max_running(), Some(4));
    assert_eq!(by_const_fn().meta().max_running(), Some(4));
    cosched::run(async {
        let tasks: Vec<_> = (0..6).map(|n| work(n).spawn()).collect();
        let results = cosched::gather(tasks).await;
        assert_eq!(results, (0..6).map(Ok).collect::<Vec<_>>());
        assert!(MOST.load(Ordering::SeqCst) <= CORES, "at most CORES at once");
        assert!(by_block().spawn().await.is_ok());
    });
}
