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
        assert!(task.name().starts_with("fetcher-"), "{}", task.name());
        assert_eq!(task.name(), format!("fetcher-{}", task.id()));
        assert_eq!(task.await, Ok(1));
    });
}
