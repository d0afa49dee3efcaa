// Type parameters with bounds, an unbounded one (`local`), `where` clauses and const generics; each gets a `'static` bound.
use std::fmt::Display;

#[cosched::task]
async fn show<T: Display + Send>(value: T) -> String {
    cosched::yield_now().await;
    value.to_string()
}

#[cosched::task(local)]
async fn wrap<T>(value: T) -> Vec<T> {
    vec![value]
}

#[cosched::task]
async fn sum<I, const N: usize>(items: [I; N]) -> u64
where
    I: Into<u64> + Copy + Send,
{
    cosched::yield_now().await;
    items.iter().map(|item| (*item).into()).sum()
}

fn main() {
    cosched::run(async {
        assert_eq!(show(42).spawn().await.as_deref(), Ok("42"));
        assert_eq!(show("text").await, "text");
        assert_eq!(wrap(1_u8).spawn().await, Ok(vec![1]));
        assert_eq!(sum([1_u8, 2, 3]).spawn().await, Ok(6));
        assert_eq!(sum::<u32, 2>([10, 20]).await, 30);
    });
}
