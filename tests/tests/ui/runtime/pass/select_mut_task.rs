// `&mut task` is a `select!` branch, as tokio's `&mut JoinHandle` is: a loop awaits it again and again,
// a losing branch does not cancel the task, and `wait_for(&mut task, d)` takes it too.
use std::time::Duration;

#[cosched::task]
async fn slow(ticks: u32) -> u32 {
    for _ in 0..ticks {
        cosched::sleep(Duration::from_millis(1)).await;
    }
    ticks
}

fn main() {
    cosched::run(async {
        let mut task = cosched::create_task(slow(5));
        let mut losses = 0;
        let result = loop {
            tokio::select! {
                result = &mut task => break result,
                () = cosched::sleep(Duration::from_micros(100)) => losses += 1,
            }
        };
        assert_eq!(result, Ok(5), "never cancelled by a losing branch");
        assert!(losses > 0);
        assert!(task.is_done());

        // A hand-written select: the same without a macro.
        let mut task = cosched::create_task(slow(2));
        let mut timer = std::pin::pin!(cosched::sleep(Duration::from_secs(3600)));
        let mut join = std::pin::pin!(std::future::IntoFuture::into_future(&mut task));
        let winner = std::future::poll_fn(|cx| {
            use std::future::Future;
            use std::task::Poll;
            if let Poll::Ready(result) = join.as_mut().poll(cx) {
                return Poll::Ready(Some(result));
            }
            timer.as_mut().poll(cx).map(|()| None)
        })
        .await;
        assert_eq!(winner, Some(Ok(2)));

        let mut task = cosched::create_task(slow(3_600_000));
        let waited = cosched::wait_for(&mut task, Duration::from_millis(5)).await;
        assert_eq!(waited, Err(cosched::TimeoutError));
        assert!(task.is_cancelled(), "wait_for stops what it waited for");

        // A done task's result, read without consuming the handle.
        let mut task = cosched::create_task(async { String::from("kept") });
        while task.result().is_none() {
            cosched::yield_now().await;
        }
        assert_eq!(task.result(), Some(Ok(String::from("kept"))));
        assert_eq!(task.await, Ok(String::from("kept")));
    });
}
