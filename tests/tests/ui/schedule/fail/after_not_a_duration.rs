// `after 5 => ..`: the delay must be a `Duration`, not a number of seconds.
#[cosched::task]
async fn job() {}

fn main() {
    cosched::run(async {
        let _task = cosched::schedule!(after 5 => job());
    });
}
