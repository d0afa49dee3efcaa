// An argument the body never uses (a guard) is moved into the coroutine and dropped when it finishes, as in an `async fn`.
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

struct Guard(Arc<AtomicBool>);

impl Drop for Guard {
    fn drop(&mut self) {
        self.0.store(true, Ordering::SeqCst);
    }
}

#[cosched::task]
async fn hold(_guard: Guard, dropped: Arc<AtomicBool>) -> bool {
    cosched::yield_now().await;
    dropped.load(Ordering::SeqCst)
}

fn main() {
    cosched::run(async {
        let dropped = Arc::new(AtomicBool::new(false));
        let coroutine = hold(Guard(Arc::clone(&dropped)), Arc::clone(&dropped));
        assert!(
            !dropped.load(Ordering::SeqCst),
            "the coroutine holds the guard"
        );
        let dropped_while_running = coroutine.spawn().await.expect("runs");
        assert!(!dropped_while_running);
        assert!(
            dropped.load(Ordering::SeqCst),
            "dropped once the task is done"
        );
    });
}
