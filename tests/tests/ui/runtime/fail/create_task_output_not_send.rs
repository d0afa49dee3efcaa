// A coroutine whose output is not `Send` (an `Rc`) cannot be a task: its result crosses threads.
use std::rc::Rc;

#[cosched::task]
async fn make() -> Rc<u32> {
    Rc::new(1)
}

fn main() {
    cosched::run(async {
        let _task = cosched::create_task(make());
    });
}
