// `cron` with and without `tz`, `times` and `name`; a nickname; a schedule parsed at run time;
// the next fire times of a schedule.
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, SystemTime};

use cosched::{Schedule, Task, schedule};

#[cosched::task]
async fn tick(counter: Arc<AtomicUsize>) -> usize {
    counter.fetch_add(1, Ordering::SeqCst) + 1
}

fn main() {
    cosched::run(async {
        let ticks = Arc::new(AtomicUsize::new(0));
        let (a, b) = (Arc::clone(&ticks), Arc::clone(&ticks));
        // Every second, Berlin time, once.
        let once: Task<usize> = schedule!(cron "* * * * * *" => tick(Arc::clone(&a)),
            tz = "Europe/Berlin", times = 1, name = "once");
        assert_eq!(once.name(), "once");
        assert_eq!(once.await, Ok(1));
        // Without `times`, until cancelled.
        let daily: Task<()> = schedule!(cron "@daily" => tick(Arc::clone(&b)));
        assert!(daily.cancel());
        let schedule = Schedule::parse("0 */5 * * * *", "UTC").unwrap();
        let next: Vec<SystemTime> = schedule.upcoming(SystemTime::now()).take(2).collect();
        assert_eq!(next[1].duration_since(next[0]).unwrap(), Duration::from_secs(300));
    });
}
