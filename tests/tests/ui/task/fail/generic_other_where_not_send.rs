// An unbounded type parameter beside a `where` clause for another one: rustc's suggestion extends the user's `where` clause.
#[cosched::task]
async fn pair<T, U>(value: T, other: U) -> usize
where
    U: Clone + Send,
{
    cosched::yield_now().await;
    std::mem::size_of_val(&value) + std::mem::size_of_val(&other.clone())
}

fn main() {
    let _ = pair(1_u8, 2_u8);
}
