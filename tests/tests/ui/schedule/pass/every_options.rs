// `every`'s options, each form: `missed`, `jitter`, `times` (a literal or an expression), `first`, with `name`, `on` and `crate`, in any order.
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use cosched::{EventLoop, Task, schedule};

#[cosched::task]
async fn tick(counter: Arc<AtomicUsize>) -> usize {
    counter.fetch_add(1, Ordering::SeqCst) + 1
}

mod reexport {
    pub use cosched as rt;
}

fn main() {
    let event_loop = EventLoop::new();
    let output = event_loop.run_until_complete(async {
        let ticks = Arc::new(AtomicUsize::new(0));
        let (a, b, c, d, e) = (
            Arc::clone(&ticks),
            Arc::clone(&ticks),
            Arc::clone(&ticks),
            Arc::clone(&ticks),
            Arc::clone(&ticks),
        );
        let p = Duration::from_millis(1);
        let skip: Task<usize> = schedule!(every p => tick(Arc::clone(&a)), missed = skip, times = 1);
        let delay = schedule!(every p => tick(Arc::clone(&b)), times = 1, missed = delay);
        let runs = 2;
        let burst = schedule!(every p => tick(Arc::clone(&c)), missed = burst, times = runs,
            jitter = Duration::from_micros(100), first = after_period, name = "burst",);
        assert_eq!(burst.name(), "burst");
        let later = schedule!(every p => tick(Arc::clone(&d)), first = now, times = 1,
            on = cosched::get_event_loop(), crate = reexport::rt);
        // Without `times`, it runs until cancelled.
        let forever: Task<()> = schedule!(every p => tick(Arc::clone(&e)), jitter = p);
        let results = cosched::gather([skip, delay, burst, later]).await;
        assert!(results.iter().all(Result::is_ok), "{results:?}");
        assert!(forever.cancel());
        ticks.load(Ordering::SeqCst)
    });
    assert!(output >= 5);
}
