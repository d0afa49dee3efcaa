// A recursive `#[task]`, written as rustc advises for a recursive `async fn`: `Box::pin` the recursive
// call and await it.
#[cosched::task]
async fn fib(n: u64) -> u64 {
    if n < 2 {
        n
    } else {
        Box::pin(fib(n - 1)).await + Box::pin(fib(n - 2)).await
    }
}

#[cosched::task]
async fn countdown(n: u32) -> u32 {
    if n == 0 {
        return 0;
    }
    cosched::yield_now().await;
    1 + Box::pin(countdown(n - 1)).await
}

fn main() {
    cosched::run(async {
        assert_eq!(fib(10).await, 55);
        assert_eq!(fib(12).spawn().await, Ok(144));
        assert_eq!(cosched::create_task(countdown(20)).await, Ok(20));
    });
}
