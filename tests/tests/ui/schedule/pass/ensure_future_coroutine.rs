// `schedule!(ensure_future COROUTINE)` schedules a `#[task]` call or a plain future, like `create_task`.
use cosched::schedule;

#[cosched::task(name = "doubler")]
async fn double(n: u32) -> u32 {
    n * 2
}

fn main() {
    cosched::run(async {
        let task: cosched::Task<u32> = schedule!(ensure_future double(3));
        let handle = task.task_ref();
        assert_eq!(task.await, Ok(6));
        // Named after the coroutine's fn from the task's first poll on.
        assert!(handle.name().starts_with("doubler-"));
        let task = schedule!(ensure_future async { 7 });
        assert!(task.name().starts_with("Task-"));
        assert_eq!(task.await, Ok(7));
    });
}
