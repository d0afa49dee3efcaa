// `every Duration::from_millis(0) => ..` (or `from_secs`, `from_micros`, `from_nanos`, `from_secs_f64(0.0)`): a zero period, an error at the period.
#[cosched::task]
async fn job() {}

fn main() {
    cosched::run(async {
        let _task = cosched::schedule!(every std::time::Duration::from_millis(0) => job());
    });
}
