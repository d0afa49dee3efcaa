// `?` takes each of cosched's errors (`TaskError`, `TimeoutError`, `GroupError`, `Cancelled`) into
// `Box<dyn Error + Send + Sync>`, `anyhow::Result` and `io::Result`, in `#[task]` fns; each cause is named once.
use std::error::Error;
use std::io;
use std::time::Duration;

type BoxError = Box<dyn Error + Send + Sync>;

#[cosched::task]
async fn parse(text: String) -> Result<u32, BoxError> {
    Ok(text.parse::<u32>()?)
}

#[cosched::task]
async fn boxed(text: String) -> Result<u32, BoxError> {
    let parsed = parse(text).spawn().await??; // `TaskError`, then the body's own error
    let two = cosched::wait_for(async { 2 }, Duration::from_secs(60)).await?; // `TimeoutError`
    let mut group = cosched::TaskGroup::<u32, io::Error>::fallible();
    group.try_create_task(async { Ok(0) });
    let zero: u32 = group.join().await?.into_iter().sum(); // `GroupError<io::Error>`
    let one = cosched::on_cancel(async { 1 }, async {}).await?; // `Cancelled`
    Ok(parsed + two + zero + one)
}

#[cosched::task]
async fn with_anyhow(cancel: bool) -> anyhow::Result<u32> {
    let one = if cancel {
        let task = cosched::create_task(async {
            cosched::sleep(Duration::from_secs(3600)).await;
            1
        });
        task.cancel();
        task.await? // `TaskError`
    } else {
        cosched::create_task(async { 1 }).await?
    };
    let two = cosched::wait_for(async { 2 }, Duration::from_secs(60)).await?;
    let mut group = cosched::TaskGroup::<u32, io::Error>::fallible();
    group.try_create_task(async { Err(io::Error::other("peer reset")) });
    let _ = group.join().await?;
    let three = cosched::on_cancel(async { 3 }, async {}).await?;
    Ok(one + two + three)
}

#[cosched::task]
async fn with_io() -> io::Result<u32> {
    let one = cosched::create_task(async { 1 }).await?;
    let two = cosched::wait_for(async { 2 }, Duration::from_secs(60)).await?;
    let mut group = cosched::TaskGroup::<u32, io::Error>::fallible();
    group.try_create_task(async { Ok(3) });
    let three: u32 = group.join().await?.into_iter().sum();
    let four = cosched::on_cancel(async { 4 }, async {}).await?;
    Ok(one + two + three + four)
}

fn main() {
    cosched::run(async {
        assert_eq!(boxed("40".into()).await.unwrap(), 43);
        let error = boxed("forty".into()).await.unwrap_err();
        assert_eq!(error.to_string(), "invalid digit found in string");

        let error = with_anyhow(true).await.unwrap_err();
        assert_eq!(format!("{error:#}"), "task was cancelled");
        let error = with_anyhow(false).await.unwrap_err();
        assert_eq!(
            format!("{error:#}"),
            "task group failed (1 error); the first: task failed: peer reset",
        );
        assert_eq!(error.chain().count(), 1, "no cause repeated");
        assert!(error.downcast_ref::<cosched::GroupError<io::Error>>().is_some());

        assert_eq!(with_io().await.unwrap(), 10);
    });
}
