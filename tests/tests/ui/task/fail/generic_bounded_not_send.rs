// A bounded type parameter that is not `Send`: rustc suggests adding `+ Send` after the user's bounds.
use std::fmt::Debug;

#[cosched::task]
async fn show<T: Debug>(value: T) -> String {
    cosched::yield_now().await;
    format!("{value:?}")
}

fn main() {
    let _ = show(1_u8);
}
