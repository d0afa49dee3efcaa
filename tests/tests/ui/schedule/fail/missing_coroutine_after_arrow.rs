// `every PERIOD =>` with nothing after the arrow.
fn main() {
    cosched::run(async {
        let _task = cosched::schedule!(every std::time::Duration::from_secs(1) =>);
    });
}
