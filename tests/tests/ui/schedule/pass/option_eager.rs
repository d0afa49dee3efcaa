// `schedule!(create_task EXPR, eager)` runs the coroutine at once, on the caller's thread, until it first suspends:
// one that never suspends is done when `schedule!` returns (asyncio's `eager_start=True`).
use cosched::schedule;

#[cosched::task]
async fn lookup(key: u32) -> u32 {
    key * 10 // a cache hit: no await
}

fn main() {
    cosched::run(async {
        let task = schedule!(create_task lookup(4), eager);
        assert!(task.is_done());
        assert_eq!(task.name(), format!("lookup-{}", task.id()));
        assert_eq!(task.await, Ok(40));

        let lp = cosched::get_event_loop();
        let task = schedule!(ensure_future lookup(5), name = "cached", on = &lp, eager);
        assert!(task.is_done());
        assert_eq!(task.name(), "cached");
        assert_eq!(task.await, Ok(50));

        // One that suspends is scheduled from its first await on (an hour:
        // a short sleep could end before the check on a loaded machine).
        let task = schedule!(create_task cosched::sleep(std::time::Duration::from_secs(3600)), eager);
        assert!(!task.is_done());
        assert!(task.cancel());
        assert_eq!(task.await, Err(cosched::TaskError::Cancelled));
    });
}
