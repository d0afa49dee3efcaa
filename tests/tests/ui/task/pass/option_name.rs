// `name = "..."` sets the task-name prefix: `task.name()` starts with it.
#[cosched::task(name = "fetcher")]
async fn fetch_page(n: u32) -> u32 {
    n
}

fn main() {
    cosched::run(async {
        let coroutine = fetch_page(1);
        assert_eq!(coroutine.meta().name(), "fetcher");
        let task = cosched::create_task(coroutine);
        let handle = task.task_ref();
        assert_eq!(task.await, Ok(1));
        // Named after the coroutine's fn from the task's first poll on;
        // `.spawn()` names it at once.
        assert!(handle.name().starts_with("fetcher-"), "{}", handle.name());
        assert_eq!(handle.name(), format!("fetcher-{}", handle.id()));
        let task = fetch_page(2).spawn();
        assert_eq!(task.name(), format!("fetcher-{}", task.id()));
    });
}
