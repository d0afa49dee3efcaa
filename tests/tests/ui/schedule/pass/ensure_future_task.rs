// `schedule!(ensure_future TASK)` returns the same task (same id), scheduling nothing new.
use cosched::schedule;

#[cosched::task]
async fn double(n: u32) -> u32 {
    n * 2
}

fn main() {
    cosched::run(async {
        let task = schedule!(create_task double(5));
        let id = task.id();
        let live = cosched::all_tasks().len();
        let same: cosched::Task<u32> = schedule!(ensure_future task);
        assert_eq!(same.id(), id);
        assert!(
            cosched::all_tasks().len() <= live,
            "nothing new was scheduled"
        );
        assert_eq!(same.await, Ok(10));
    });
}
