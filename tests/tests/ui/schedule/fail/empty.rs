// `schedule!()` with no input at all.
fn main() {
    cosched::run(async {
        let _task = cosched::schedule!();
    });
}
