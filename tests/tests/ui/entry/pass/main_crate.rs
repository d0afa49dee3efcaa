// `#[cosched::main(crate = path)]` finds cosched through a re-export; docs and attributes are kept.
mod reexport {
    pub use ::cosched as rt;
}

/// The entry point.
#[cosched::main(crate = reexport::rt)]
#[allow(clippy::unused_async)]
async fn main() {
    assert_eq!(reexport::rt::create_task(async { 1 }).await, Ok(1));
}
