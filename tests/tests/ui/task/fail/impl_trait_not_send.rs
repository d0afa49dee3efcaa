// An `impl Trait` argument that is not `Send`: rustc suggests `+ Send` on the user's `impl Debug`.
use std::fmt::Debug;

#[cosched::task]
async fn show(value: impl Debug) -> String {
    cosched::yield_now().await;
    format!("{value:?}")
}

fn main() {
    let _ = show(1_u8);
}
