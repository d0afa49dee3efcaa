// `every "1s" => ..`: the period must be a `Duration`.
#[cosched::task]
async fn job() {}

fn main() {
    cosched::run(async {
        let _task = cosched::schedule!(every "1s" => job());
    });
}
