// `schedule!(every PERIOD => EXPR)` runs EXPR anew each period: it ticks at least twice, and stops ticking once cancelled.
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use cosched::schedule;

#[cosched::task]
async fn tick(counter: Arc<AtomicUsize>) {
    counter.fetch_add(1, Ordering::SeqCst);
}

fn main() {
    cosched::run(async {
        let ticks = Arc::new(AtomicUsize::new(0));
        let counter = Arc::clone(&ticks);
        let task: cosched::Task<()> =
            schedule!(every Duration::from_millis(2) => tick(Arc::clone(&counter)));
        while ticks.load(Ordering::SeqCst) < 2 {
            cosched::sleep(Duration::from_millis(1)).await;
        }
        // Named after the coroutine's fn from its first run on.
        assert!(task.name().starts_with("tick-"));
        assert!(task.cancel());
        assert!(task.await.unwrap_err().is_cancelled());
        let after_cancel = ticks.load(Ordering::SeqCst);
        cosched::sleep(Duration::from_millis(20)).await;
        assert_eq!(
            ticks.load(Ordering::SeqCst),
            after_cancel,
            "no tick after the cancel"
        );
    });
}
