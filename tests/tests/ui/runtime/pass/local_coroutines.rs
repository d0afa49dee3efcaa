// A `#[task(local)]` coroutine (`!Send` body) is accepted by `create_task`, `ensure_future` and `Coroutine::spawn`.
use std::rc::Rc;

#[cosched::task(local)]
async fn local(n: u32) -> u32 {
    let shared = Rc::new(n);
    cosched::yield_now().await;
    *shared
}

fn main() {
    cosched::run(async {
        assert_eq!(cosched::create_task(local(1)).await, Ok(1));
        assert_eq!(cosched::ensure_future(local(2)).await, Ok(2));
        assert_eq!(local(3).spawn().await, Ok(3));
    });
}
