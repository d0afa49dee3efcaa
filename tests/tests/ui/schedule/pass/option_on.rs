// `on = EXPR` schedules on that `EventLoop` instead of the current one, given by value, by reference or in an `Arc`.
use cosched::{EventLoop, schedule};

#[cosched::task]
async fn which_loop() -> EventLoop {
    cosched::get_event_loop()
}

fn main() {
    let event_loop = EventLoop::new();
    let other = EventLoop::new();
    let task = schedule!(which_loop(), on = event_loop);
    // Whether or not it has finished yet, it was never `other`'s.
    assert!(other.all_tasks().is_empty());
    assert_eq!(event_loop.run_until_complete(task), Ok(event_loop.clone()));

    let task = schedule!(ensure_future which_loop(), on = &other);
    assert_eq!(other.run_until_complete(task), Ok(other.clone()));

    // Anything that derefs to an `EventLoop` will do.
    let borrowed: &EventLoop = &event_loop;
    let task = schedule!(which_loop(), on = borrowed);
    assert_eq!(event_loop.run_until_complete(task), Ok(event_loop.clone()));
    let shared = std::sync::Arc::new(other.clone());
    let task = schedule!(which_loop(), on = shared);
    assert_eq!(other.run_until_complete(task), Ok(other.clone()));

    // Inside a running loop, `on` still picks the given one.
    let seen = other.run_until_complete(async {
        let task = schedule!(create_task which_loop(), on = event_loop);
        task.await
    });
    assert_eq!(seen, Ok(event_loop.clone()));
}
