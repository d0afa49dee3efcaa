// Every option at once, in any order: `limit`, `crate`, `local`, `name`.
use std::rc::Rc;

mod reexport {
    pub use ::cosched;
}

#[cosched::task(limit = 1, crate = reexport::cosched, local, name = "everything")]
async fn everything(n: u32) -> u32 {
    let shared = Rc::new(n);
    cosched::yield_now().await;
    *shared + 1
}

fn main() {
    let meta = *everything(0).meta();
    assert_eq!(meta.name(), "everything");
    assert!(meta.is_local());
    assert_eq!(meta.max_running(), Some(1));
    cosched::run(async {
        let task = everything(1).spawn();
        assert!(task.name().starts_with("everything-"));
        assert_eq!(task.await, Ok(2));
    });
}
