// `jitter = 5`: a jitter is a `Duration`; rustc points at the 5.

#[cosched::task]
async fn job() {}

fn main() {
    cosched::run(async {
        let _task = cosched::schedule!(every std::time::Duration::from_secs(1) => job(), jitter = 5);
    });
}
