// `#[cosched::test]` expands to a `#[test]` fn, with `Result`, `#[should_panic]`, `#[ignore]` and `crate = path`; outside `cargo test` the tests compile away (tests/tests/clean_expansion.rs runs such tests).
mod reexport {
    // Used only by a test, which compiles away here.
    #[allow(unused_imports)]
    pub use ::cosched as rt;
}

#[cosched::test]
async fn works() {
    assert_eq!(cosched::create_task(async { 1 }).await, Ok(1));
}

#[cosched::test]
async fn returns_result() -> Result<(), cosched::TaskError> {
    cosched::create_task(async {}).await
}

#[cosched::test]
#[should_panic(expected = "boom")]
async fn panics() {
    panic!("boom");
}

#[cosched::test(crate = reexport::rt)]
#[ignore = "only shows that the attributes combine"]
async fn ignored() {}

fn main() {}
