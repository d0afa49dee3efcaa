// `name` and `on` together, in either order, with a trailing comma: both take effect.
use std::time::Duration;

use cosched::{EventLoop, schedule};

#[cosched::task]
async fn which_loop() -> EventLoop {
    cosched::get_event_loop()
}

fn main() {
    let event_loop = EventLoop::new();
    let task = schedule!(which_loop(), name = "a", on = event_loop);
    assert_eq!(task.name(), "a");
    assert_eq!(event_loop.run_until_complete(task), Ok(event_loop.clone()));

    let task = schedule!(ensure_future which_loop(), on = &event_loop, name = "b",);
    assert_eq!(task.name(), "b");
    assert_eq!(event_loop.run_until_complete(task), Ok(event_loop.clone()));

    let task =
        schedule!(after Duration::from_millis(1) => which_loop(), on = event_loop, name = "c");
    assert_eq!(task.name(), "c");
    assert_eq!(event_loop.run_until_complete(task), Ok(event_loop.clone()));
}
