// `every Duration::new(0, 0) => ..`: a zero period, an error at the period.
#[cosched::task]
async fn job() {}

fn main() {
    cosched::run(async {
        let _task = cosched::schedule!(every core::time::Duration::new(0, 0) => job());
    });
}
