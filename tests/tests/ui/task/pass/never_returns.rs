// `-> !`: a task that never returns is cancelled; its `Task` is `Task<Never>`, awaited as an error.
use std::time::Duration;

#[cosched::task]
async fn forever(period: Duration) -> ! {
    loop {
        cosched::sleep(period).await;
    }
}

fn main() {
    cosched::run(async {
        let task = forever(Duration::from_millis(1)).spawn();
        cosched::sleep(Duration::from_millis(5)).await;
        assert!(task.cancel());
        assert!(task.await.unwrap_err().is_cancelled());
    });
}
