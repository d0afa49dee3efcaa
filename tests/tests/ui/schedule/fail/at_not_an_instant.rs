// `at DURATION => ..`: `at` takes an `Instant` (use `after` for a delay).
use std::time::Duration;

#[cosched::task]
async fn job() {}

fn main() {
    cosched::run(async {
        let _task = cosched::schedule!(at Duration::from_secs(1) => job());
    });
}
