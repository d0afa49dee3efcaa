// A `#[task]` call can be awaited inline, spawned, or passed to `create_task`, `ensure_future` and `schedule!`.
#[cosched::task]
async fn double(n: u32) -> u32 {
    n * 2
}

fn main() {
    cosched::run(async {
        assert_eq!(double(1).await, 2);
        assert_eq!(double(2).spawn().await, Ok(4));
        assert_eq!(cosched::create_task(double(3)).await, Ok(6));
        assert_eq!(cosched::ensure_future(double(4)).await, Ok(8));
        assert_eq!(cosched::schedule!(double(5)).await, Ok(10));
        let coroutine = double(6);
        assert_eq!(coroutine.meta().name(), "double");
        assert_eq!(
            cosched::get_event_loop().create_task(coroutine).await,
            Ok(12)
        );
    });
}
