// A body holding an `Rc` across an `.await`, without `local`: rustc's error names the value and the await.
use std::rc::Rc;

#[cosched::task]
async fn shared_count() -> usize {
    let shared = Rc::new(vec![1, 2, 3]);
    cosched::yield_now().await;
    shared.len()
}

fn main() {
    let _ = shared_count();
}
