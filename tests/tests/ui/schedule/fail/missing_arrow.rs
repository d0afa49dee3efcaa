// `after DELAY EXPR` without `=>`: the error is where `=>` is expected.
use std::time::Duration;

#[cosched::task]
async fn job() {}

fn main() {
    cosched::run(async {
        let delay = Duration::from_secs(1);
        let _task = cosched::schedule!(after delay job());
    });
}
