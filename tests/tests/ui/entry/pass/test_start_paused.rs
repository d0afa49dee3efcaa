// `#[cosched::test(start_paused)]` runs a test on a paused clock (alone, or
// with the other options); outside `cargo test` the tests compile away, so
// `main` checks what the option does: `cosched::time::pause` first.
use std::time::Duration;

mod reexport {
    // Used only by a test, which compiles away here.
    #[allow(unused_imports)]
    pub use ::cosched as rt;
}

#[cosched::test(start_paused)]
async fn a_day_in_no_time() {
    let start = cosched::time::now();
    cosched::sleep(Duration::from_secs(86_400)).await;
    assert_eq!(cosched::time::now() - start, Duration::from_secs(86_400));
}

#[cosched::test(allow_lost_panics, start_paused, crate = reexport::rt)]
async fn with_every_option() -> Result<(), cosched::TaskError> {
    cosched::create_task(cosched::sleep(Duration::from_secs(60))).await
}

fn main() {
    cosched::run(async {
        assert!(cosched::time::pause());
        let start = cosched::time::now();
        cosched::sleep(Duration::from_secs(86_400)).await;
        assert_eq!(cosched::time::now() - start, Duration::from_secs(86_400));
    });
}
