//! `run` returning while thousands of tasks are suspended: every one is
//! cancelled and has dropped its locals by the time `run` returns.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

struct DropCounter(Arc<AtomicUsize>);

impl Drop for DropCounter {
    fn drop(&mut self) {
        self.0.fetch_add(1, Ordering::SeqCst);
    }
}

#[test]
fn run_cancels_ten_thousand_suspended_tasks_and_runs_their_destructors() {
    const TASKS: usize = 10_000;
    let drops = Arc::new(AtomicUsize::new(0));
    let started = Arc::new(AtomicUsize::new(0));
    let (counter, progress) = (Arc::clone(&drops), Arc::clone(&started));
    let event_loop = cosched::run(async move {
        for i in 0..TASKS {
            let guard = DropCounter(Arc::clone(&counter));
            let started = Arc::clone(&progress);
            drop(cosched::create_task(async move {
                let _guard = guard;
                started.fetch_add(1, Ordering::SeqCst);
                // Half wait on a timer, half on a channel that never sends.
                if i % 2 == 0 {
                    cosched::sleep(Duration::from_secs(3600)).await;
                } else {
                    std::future::pending::<()>().await;
                }
            }));
        }
        let deadline = std::time::Instant::now() + Duration::from_secs(30);
        while progress.load(Ordering::SeqCst) < TASKS {
            assert!(std::time::Instant::now() < deadline, "tasks did not start");
            cosched::sleep(Duration::from_millis(1)).await;
        }
        cosched::get_event_loop()
    });
    assert_eq!(started.load(Ordering::SeqCst), TASKS);
    assert_eq!(
        drops.load(Ordering::SeqCst),
        TASKS,
        "some task's locals outlived run"
    );
    assert!(event_loop.all_tasks().is_empty());
}
