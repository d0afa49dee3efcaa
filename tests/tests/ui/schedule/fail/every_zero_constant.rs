// `every Duration::ZERO => ..`: a zero period would run back to back forever; the error is at the period.
#[cosched::task]
async fn job() {}

fn main() {
    cosched::run(async {
        let _task = cosched::schedule!(every std::time::Duration::ZERO => job());
    });
}
