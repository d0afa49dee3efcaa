//! `#[task(limit = N)]`: at most N coroutines of one fn run at once; the
//! others wait for a slot, first come first served, and leaving the queue
//! (cancelled while waiting) or a slot (cancelled or panicking while
//! running) never loses a slot.

use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use cosched::TaskError;

static ORDER: Mutex<Vec<u32>> = Mutex::new(Vec::new());

/// Local tasks are first polled in the order they were spawned, so the
/// queue order is deterministic.
#[cosched::task(local, limit = 1)]
async fn one_at_a_time(n: u32) {
    ORDER.lock().expect("no panic while locked").push(n);
    cosched::sleep(Duration::from_millis(1)).await;
}

#[test]
fn waiting_coroutines_start_in_fifo_order() {
    cosched::run(async {
        let tasks: Vec<_> = (0..8).map(|n| one_at_a_time(n).spawn()).collect();
        for result in cosched::gather(tasks).await {
            assert_eq!(result, Ok(()));
        }
        assert_eq!(
            *ORDER.lock().expect("no panic while locked"),
            (0..8).collect::<Vec<_>>()
        );
    });
}

static RUNNING: AtomicUsize = AtomicUsize::new(0);
static MOST: AtomicUsize = AtomicUsize::new(0);
static FINISHED: AtomicUsize = AtomicUsize::new(0);

/// Counts a running coroutine until it stops, however it stops.
struct Running;

impl Running {
    fn enter() -> Self {
        let now = RUNNING.fetch_add(1, Ordering::SeqCst) + 1;
        MOST.fetch_max(now, Ordering::SeqCst);
        Self
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        RUNNING.fetch_sub(1, Ordering::SeqCst);
    }
}

#[cosched::task(limit = 2)]
async fn limited(fail: bool) {
    let _running = Running::enter();
    cosched::sleep(Duration::from_millis(2)).await;
    assert!(!fail, "planned failure");
    FINISHED.fetch_add(1, Ordering::SeqCst);
}

#[test]
fn cancelled_and_panicking_coroutines_give_their_slots_back() {
    cosched::run(async {
        let mut tasks: Vec<_> = (0..12).map(|n| limited(n % 4 == 1).spawn()).collect();
        // Cancel a few: some are running, some are still waiting for a slot.
        for task in tasks.iter().step_by(3) {
            task.cancel();
        }
        let extra = limited(false).spawn();
        tasks.push(extra);
        let results = cosched::gather(tasks).await;
        let ok = results.iter().filter(|r| r.is_ok()).count();
        let panicked = results
            .iter()
            .filter(|r| matches!(r, Err(TaskError::Panicked(_))))
            .count();
        let cancelled = results
            .iter()
            .filter(|r| matches!(r, Err(TaskError::Cancelled)))
            .count();
        assert_eq!(ok + panicked + cancelled, 13);
        assert_eq!(cancelled, 4, "{results:?}");
        assert_eq!(FINISHED.load(Ordering::SeqCst), ok);
        assert!(MOST.load(Ordering::SeqCst) <= 2, "more than 2 ran at once");
        // Every slot came back: two more can run at once now.
        let again: Vec<_> = (0..4).map(|_| limited(false).spawn()).collect();
        assert!(cosched::gather(again).await.iter().all(Result::is_ok));
        assert_eq!(RUNNING.load(Ordering::SeqCst), 0);
    });
}
