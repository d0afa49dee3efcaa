// `EventLoop::create_task` and `EventLoop::ensure_future` accept what the free functions accept, on that loop.
#[cosched::task]
async fn double(n: u32) -> u32 {
    n * 2
}

fn main() {
    let event_loop = cosched::EventLoop::new();
    let task = event_loop.create_task(double(4));
    let id = task.id();
    let same = event_loop.ensure_future(task);
    assert_eq!(same.id(), id);
    assert_eq!(event_loop.run_until_complete(same), Ok(8));
    let task = event_loop.ensure_future(async { 9 });
    assert_eq!(event_loop.run_until_complete(task), Ok(9));
}
