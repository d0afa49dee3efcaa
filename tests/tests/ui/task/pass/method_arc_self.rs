// `self: Arc<Self>`: a shared service spawns one task per call (`service.clone().serve(..)`); the receiver lives until the task is done.
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

struct Service {
    served: AtomicUsize,
}

impl Service {
    #[cosched::task]
    async fn serve(self: Arc<Self>, request: String) -> usize {
        cosched::yield_now().await;
        self.served.fetch_add(1, Ordering::SeqCst);
        request.len()
    }

    /// Never uses `self`: the coroutine holds it anyway, as an `async fn` would.
    #[cosched::task]
    async fn idle(self: Arc<Self>) {
        cosched::sleep(std::time::Duration::from_secs(3600)).await;
    }
}

fn main() {
    cosched::run(async {
        let service = Arc::new(Service {
            served: AtomicUsize::new(0),
        });
        let tasks: Vec<_> = ["a", "bb", "ccc"]
            .into_iter()
            .map(|request| service.clone().serve(request.to_owned()).spawn())
            .collect();
        assert!(tasks[0].name().starts_with("serve-"), "{}", tasks[0].name());
        assert_eq!(cosched::gather(tasks).await, [Ok(1), Ok(2), Ok(3)]);
        assert_eq!(service.served.load(Ordering::SeqCst), 3);

        let idle = service.clone().idle();
        assert_eq!(Arc::strong_count(&service), 2, "the coroutine holds `self`");
        let task = idle.spawn();
        assert_eq!(Arc::strong_count(&service), 2, "the task holds `self`");
        task.cancel();
        assert_eq!(task.await, Err(cosched::TaskError::Cancelled));
        assert_eq!(Arc::strong_count(&service), 1, "dropped once the task is done");
    });
}
