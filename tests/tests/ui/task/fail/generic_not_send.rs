// A type parameter without a `Send` bound: rustc suggests adding it.
#[cosched::task]
async fn keep<T>(value: T) -> usize {
    cosched::yield_now().await;
    std::mem::size_of_val(&value)
}

fn main() {
    let _ = keep(1_u8);
}
