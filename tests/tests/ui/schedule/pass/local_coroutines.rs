// A `#[task(local)]` coroutine (`!Send` body) can be scheduled in every mode, on the loop's thread.
use std::rc::Rc;
use std::time::{Duration, Instant};

use cosched::schedule;

#[cosched::task(local)]
async fn shared(n: u32) -> u32 {
    let value = Rc::new(n);
    cosched::yield_now().await;
    *value
}

fn main() {
    cosched::run(async {
        assert_eq!(schedule!(shared(1)).await, Ok(1));
        assert_eq!(schedule!(ensure_future shared(2)).await, Ok(2));
        assert_eq!(schedule!(after Duration::ZERO => shared(3)).await, Ok(3));
        assert_eq!(schedule!(at Instant::now() => shared(4)).await, Ok(4));
        let task = schedule!(every Duration::from_millis(1) => shared(5), name = "local ticker");
        cosched::sleep(Duration::from_millis(3)).await;
        assert!(task.cancel());
    });
}
