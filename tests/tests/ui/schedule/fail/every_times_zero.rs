// `times = 0`: no run, so no output; an error at the 0.

#[cosched::task]
async fn job() {}

fn main() {
    cosched::run(async {
        let _task = cosched::schedule!(every std::time::Duration::from_secs(1) => job(), times = 0);
    });
}
