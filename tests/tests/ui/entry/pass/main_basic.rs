// `#[cosched::main]` runs an `async fn main` on a new loop, with tasks it spawns and awaits.
use std::sync::atomic::{AtomicBool, Ordering};

static RAN: AtomicBool = AtomicBool::new(false);

#[cosched::task]
async fn job() -> u8 {
    RAN.store(true, Ordering::SeqCst);
    7
}

#[cosched::main]
async fn main() {
    assert!(cosched::current_task().is_none(), "main is not a task");
    assert_eq!(cosched::schedule!(job()).await, Ok(7));
    assert!(RAN.load(Ordering::SeqCst));
}
