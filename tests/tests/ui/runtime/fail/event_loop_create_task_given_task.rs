// `Builder::create_task` and `EventLoop::create_task` refuse a `Task` like `create_task` does.
fn main() {
    let event_loop = cosched::EventLoop::new();
    let task = event_loop.create_task(async { 1 });
    let _again = event_loop.create_task(task);
}
