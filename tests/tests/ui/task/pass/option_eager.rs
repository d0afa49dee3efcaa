// `eager` gives a `Coroutine<_, Eager>` that every scheduling call starts at once, on the caller's thread;
// awaited, with or without a timeout, it runs inline; periodic and delayed schedules take it too.
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

#[cosched::task(eager)]
async fn count(counter: Arc<AtomicUsize>) -> usize {
    counter.fetch_add(1, Ordering::Relaxed) + 1
}

#[cosched::task(eager, local)]
async fn local_count(counter: std::rc::Rc<AtomicUsize>) -> usize {
    cosched::yield_now().await;
    counter.fetch_add(1, Ordering::Relaxed) + 1
}

fn main() {
    let caller = std::thread::current().id();
    cosched::run(async move {
        let counter = Arc::new(AtomicUsize::new(0));
        let coroutine: cosched::Coroutine<_, cosched::Eager> = count(Arc::clone(&counter));
        let task = cosched::create_task(coroutine);
        assert!(task.is_done());
        assert_eq!(task.await, Ok(1));

        assert_eq!(count(Arc::clone(&counter)).await, 2);
        let within = cosched::wait_for(count(Arc::clone(&counter)), Duration::from_secs(60)).await;
        assert_eq!(within, Ok(3));
        let all = cosched::gather([count(Arc::clone(&counter)), count(Arc::clone(&counter))]).await;
        assert_eq!(all.len(), 2);

        let ticking = Arc::clone(&counter);
        let ticks = cosched::schedule!(every Duration::from_millis(1) => count(Arc::clone(&ticking)), times = 2);
        assert!(ticks.await.is_ok());
        let later = cosched::schedule!(after Duration::from_millis(1) => count(Arc::clone(&counter)));
        assert!(later.await.is_ok());

        let local: cosched::Coroutine<_, cosched::Eager<cosched::Local>> =
            local_count(std::rc::Rc::new(AtomicUsize::new(0)));
        let task = local.spawn();
        assert!(!task.is_done(), "suspended at its yield");
        assert_eq!(task.await, Ok(1));
        assert_eq!(std::thread::current().id(), caller);
    });
}
