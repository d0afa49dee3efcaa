// Without `name`, tasks are named after the fn: `<fn name>-<id>`.
#[cosched::task]
async fn fetch_page() -> u8 {
    1
}

fn main() {
    cosched::run(async {
        let task = fetch_page().spawn();
        assert_eq!(task.name(), format!("fetch_page-{}", task.id()));
        assert_eq!(task.await, Ok(1));
    });
}
