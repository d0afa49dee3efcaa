// `Spawnable` accepts a `Send + 'static` future, a `#[task]` call and a boxed `dyn Future`, in generic code too.
use std::future::Future;
use std::pin::Pin;

#[cosched::task]
async fn double(n: u32) -> u32 {
    n * 2
}

fn schedule<C: cosched::Spawnable>(coroutine: C) -> cosched::Task<C::Output> {
    cosched::create_task(coroutine)
}

fn main() {
    cosched::run(async {
        assert_eq!(schedule(async { 1 }).await, Ok(1));
        assert_eq!(schedule(double(1)).await, Ok(2));
        let boxed: Pin<Box<dyn Future<Output = u8> + Send>> = Box::pin(async { 3 });
        assert_eq!(cosched::create_task(boxed).await, Ok(3));
    });
}
