// A type parameter bounded in a `where` clause, not `Send`: the suggestion extends the user's `where` clause.
use std::fmt::Debug;

#[cosched::task]
async fn show<T>(value: T) -> String
where
    T: Debug,
{
    cosched::yield_now().await;
    format!("{value:?}")
}

fn main() {
    let _ = show(1_u8);
}
