// Pattern arguments (tuples, structs, `_`) are destructured inside the coroutine, as in an `async fn`.
struct Point {
    x: i32,
    y: i32,
}

#[cosched::task]
async fn manhattan((a, b): (i32, i32), Point { x, y }: Point) -> i32 {
    cosched::yield_now().await;
    (a - x).abs() + (b - y).abs()
}

#[cosched::task]
async fn ignore_first(_: String, [first, .., last]: [u8; 4]) -> (u8, u8) {
    (first, last)
}

fn main() {
    cosched::run(async {
        assert_eq!(
            manhattan((1, 2), Point { x: 4, y: -2 }).spawn().await,
            Ok(7)
        );
        assert_eq!(ignore_first(String::new(), [1, 2, 3, 4]).await, (1, 4));
    });
}
