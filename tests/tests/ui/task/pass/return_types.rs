// Any `Send + 'static` return type comes back as `Task<T>` when spawned, and as `T` when awaited inline.
use std::collections::HashMap;

#[cosched::task]
async fn unit() {}

#[cosched::task]
async fn text(n: u32) -> String {
    format!("n={n}")
}

#[cosched::task]
async fn table(keys: Vec<&'static str>) -> HashMap<&'static str, usize> {
    keys.into_iter().map(|key| (key, key.len())).collect()
}

#[cosched::task]
async fn pair() -> (u8, Option<Box<dyn std::any::Any + Send>>) {
    (1, None)
}

fn main() {
    cosched::run(async {
        let task: cosched::Task<()> = cosched::create_task(unit());
        assert_eq!(task.await, Ok(()));

        let task: cosched::Task<String> = text(7).spawn();
        assert_eq!(task.await.as_deref(), Ok("n=7"));
        assert_eq!(text(8).await, "n=8");

        let task: cosched::Task<HashMap<&str, usize>> =
            cosched::create_task(table(vec!["ab", "c"]));
        assert_eq!(task.await.expect("runs")["ab"], 2);

        let (one, none) = pair().spawn().await.expect("runs");
        assert_eq!(one, 1);
        assert!(none.is_none());
    });
}
