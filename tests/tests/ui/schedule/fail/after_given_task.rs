// `after` given a `Task`: a task cannot be delayed, it is already running.
use std::time::Duration;

#[cosched::task]
async fn job() -> u8 {
    1
}

fn main() {
    cosched::run(async {
        let task = job().spawn();
        let _later = cosched::schedule!(after Duration::from_secs(1) => task);
    });
}
