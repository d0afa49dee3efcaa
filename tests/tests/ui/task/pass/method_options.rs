// `limit`, `name` and `local` on methods: the `limit` semaphore is a `static` inside the method's body, one per method.
use std::rc::Rc;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

struct Pool {
    running: AtomicUsize,
    most: AtomicUsize,
}

impl Pool {
    #[cosched::task(limit = 2)]
    async fn work(self: Arc<Self>, n: u32) -> u32 {
        let now = self.running.fetch_add(1, Ordering::SeqCst) + 1;
        self.most.fetch_max(now, Ordering::SeqCst);
        cosched::sleep(Duration::from_millis(2)).await;
        self.running.fetch_sub(1, Ordering::SeqCst);
        n
    }

    #[cosched::task(name = "pool-report", limit = 1)]
    async fn report(self: Arc<Self>) -> usize {
        self.most.load(Ordering::SeqCst)
    }

    #[cosched::task(local)]
    async fn local(self: Rc<Self>) -> usize {
        cosched::yield_now().await;
        Rc::strong_count(&self)
    }
}

fn main() {
    let pool = Arc::new(Pool {
        running: AtomicUsize::new(0),
        most: AtomicUsize::new(0),
    });
    assert_eq!(pool.clone().work(0).meta().max_running(), Some(2));
    assert_eq!(pool.clone().work(0).meta().name(), "work");
    assert_eq!(pool.clone().report().meta().name(), "pool-report");
    assert_eq!(pool.clone().report().meta().max_running(), Some(1));
    cosched::run(async move {
        let tasks: Vec<_> = (0..6).map(|n| pool.clone().work(n).spawn()).collect();
        assert_eq!(cosched::gather(tasks).await, (0..6).map(Ok).collect::<Vec<_>>());
        let task = pool.clone().report().spawn();
        assert!(task.name().starts_with("pool-report-"), "{}", task.name());
        let most = task.await.expect("runs");
        assert!((1..=2).contains(&most), "at most 2 at once: {most}");

        let local = Rc::new(Pool {
            running: AtomicUsize::new(0),
            most: AtomicUsize::new(0),
        });
        let coroutine: cosched::Coroutine<_, cosched::Local> = local.clone().local();
        assert_eq!(coroutine.spawn().await, Ok(2));
    });
}
