// `self: Box<Self>` and `self: Pin<Box<Self>>` move into the coroutine like any owning pointer; `&'static self` is accepted too.
use std::pin::Pin;

struct Job {
    input: Vec<u32>,
}

impl Job {
    #[cosched::task]
    async fn sum(self: Box<Self>) -> u32 {
        cosched::yield_now().await;
        self.input.iter().sum()
    }

    #[cosched::task]
    async fn count(self: Pin<Box<Self>>) -> usize {
        cosched::yield_now().await;
        self.input.len()
    }

    #[cosched::task]
    async fn first(&'static self) -> Option<u32> {
        self.input.first().copied()
    }
}

static JOB: Job = Job { input: Vec::new() };

fn main() {
    cosched::run(async {
        let job = Box::new(Job { input: vec![1, 2, 3] });
        assert_eq!(job.sum().spawn().await, Ok(6));
        let job = Box::pin(Job { input: vec![4, 5] });
        assert_eq!(job.count().await, 2);
        assert_eq!(JOB.first().spawn().await, Ok(None));
    });
}
