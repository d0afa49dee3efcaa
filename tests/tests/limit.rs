//! `#[task(limit = N)]`: at most N coroutines of one fn run at once; the
//! others wait for a slot, first come first served, and leaving the queue
//! (cancelled while waiting) or a slot (cancelled or panicking while
//! running) never loses a slot.

use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use cosched::TaskError;

static ORDER: Mutex<Vec<u32>> = Mutex::new(Vec::new());

/// Local tasks are first polled in the order they were spawned, so the
/// queue order is deterministic.
#[cosched::task(local, limit = 1)]
async fn one_at_a_time(n: u32) {
    ORDER.lock().expect("no panic while locked").push(n);
    cosched::sleep(Duration::from_millis(1)).await;
}

#[test]
fn waiting_coroutines_start_in_fifo_order() {
    cosched::run(async {
        let tasks: Vec<_> = (0..8).map(|n| one_at_a_time(n).spawn()).collect();
        for result in cosched::gather(tasks).await {
            assert_eq!(result, Ok(()));
        }
        assert_eq!(
            *ORDER.lock().expect("no panic while locked"),
            (0..8).collect::<Vec<_>>()
        );
    });
}

static RUNNING: AtomicUsize = AtomicUsize::new(0);
static MOST: AtomicUsize = AtomicUsize::new(0);
static FINISHED: AtomicUsize = AtomicUsize::new(0);

/// Counts a running coroutine until it stops, however it stops.
struct Running;

impl Running {
    fn enter() -> Self {
        let now = RUNNING.fetch_add(1, Ordering::SeqCst) + 1;
        MOST.fetch_max(now, Ordering::SeqCst);
        Self
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        RUNNING.fetch_sub(1, Ordering::SeqCst);
    }
}

#[cosched::task(limit = 2)]
async fn limited(fail: bool) {
    let _running = Running::enter();
    cosched::sleep(Duration::from_millis(2)).await;
    assert!(!fail, "planned failure");
    FINISHED.fetch_add(1, Ordering::SeqCst);
}

#[test]
fn cancelled_and_panicking_coroutines_give_their_slots_back() {
    cosched::run(async {
        let mut tasks: Vec<_> = (0..12).map(|n| limited(n % 4 == 1).spawn()).collect();
        // Cancel a few: some are running, some are still waiting for a slot.
        for task in tasks.iter().step_by(3) {
            task.cancel();
        }
        let extra = limited(false).spawn();
        tasks.push(extra);
        let results = cosched::gather(tasks).await;
        let ok = results.iter().filter(|r| r.is_ok()).count();
        let panicked = results
            .iter()
            .filter(|r| matches!(r, Err(TaskError::Panicked(_))))
            .count();
        let cancelled = results
            .iter()
            .filter(|r| matches!(r, Err(TaskError::Cancelled)))
            .count();
        assert_eq!(ok + panicked + cancelled, 13);
        assert_eq!(cancelled, 4, "{results:?}");
        assert_eq!(FINISHED.load(Ordering::SeqCst), ok);
        assert!(MOST.load(Ordering::SeqCst) <= 2, "more than 2 ran at once");
        // Every slot came back: two more can run at once now.
        let again: Vec<_> = (0..4).map(|_| limited(false).spawn()).collect();
        assert!(cosched::gather(again).await.iter().all(Result::is_ok));
        assert_eq!(RUNNING.load(Ordering::SeqCst), 0);
    });
}

// `Limiter`: the same FIFO semaphore as a value made at run time, for a
// call (`limiter.limit(fut)`), a group (`TaskGroup::with_limiter`) or
// anything that shares it.

mod common;

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll, Wake, Waker};

use common::{FOREVER, within};
use cosched::{Failure, Limiter, TaskGroup, TimeoutError};

/// How many run now, and the most that ever ran at once.
#[derive(Clone, Default)]
struct Gauge {
    running: Arc<AtomicUsize>,
    most: Arc<AtomicUsize>,
    started: Arc<AtomicUsize>,
}

/// One running body, counted until it is dropped, however it ends.
struct Entered(Gauge);

impl Gauge {
    fn enter(&self) -> Entered {
        self.started.fetch_add(1, Ordering::SeqCst);
        let now = self.running.fetch_add(1, Ordering::SeqCst) + 1;
        self.most.fetch_max(now, Ordering::SeqCst);
        Entered(self.clone())
    }

    fn running(&self) -> usize {
        self.running.load(Ordering::SeqCst)
    }

    fn most(&self) -> usize {
        self.most.load(Ordering::SeqCst)
    }

    fn started(&self) -> usize {
        self.started.load(Ordering::SeqCst)
    }

    /// Returns once `n` bodies run at once (the watchdog fails a test in
    /// which that never happens).
    async fn until_running(&self, n: usize) {
        while self.running() < n {
            cosched::sleep(Duration::from_millis(1)).await;
        }
    }
}

impl Drop for Entered {
    fn drop(&mut self) {
        self.0.running.fetch_sub(1, Ordering::SeqCst);
    }
}

/// A body that runs until `gate` lets it through: it takes one of the
/// gate's permits and gives it back at once, so one `add_permits(1)`
/// lets every body through, one after the other.
async fn held_at(gate: Limiter, gauge: Gauge, n: usize) -> usize {
    let _entered = gauge.enter();
    drop(gate.acquire().await);
    n
}

/// `--jobs N`, parsed at run time.
fn jobs(args: &[&str]) -> usize {
    args.iter()
        .skip_while(|arg| **arg != "--jobs")
        .nth(1)
        .and_then(|n| n.parse().ok())
        .unwrap_or(1)
}

#[test]
fn a_limit_read_at_run_time_holds_tasks_of_any_fn() {
    within("a_limit_read_at_run_time_holds_tasks_of_any_fn", || {
        let jobs = jobs(&["prog", "--jobs", "3", "input.txt"]);
        assert_eq!(jobs, 3);
        cosched::run(async move {
            let limiter = Limiter::new(jobs);
            let gate = Limiter::new(0);
            let gauge = Gauge::default();
            let tasks: Vec<_> = (0..10)
                .map(|n| {
                    let body = held_at(gate.clone(), gauge.clone(), n);
                    cosched::create_task(limiter.limit(body))
                })
                .collect();
            gauge.until_running(jobs).await;
            // The others stay queued while the first three are held.
            for _ in 0..10 {
                cosched::yield_now().await;
            }
            assert_eq!(gauge.running(), jobs);
            assert_eq!(gauge.started(), jobs);
            assert_eq!(limiter.available(), 0);
            gate.add_permits(1);
            let results = cosched::gather(tasks).await;
            assert_eq!(results, (0..10).map(Ok).collect::<Vec<_>>());
            assert_eq!(gauge.most(), jobs, "never more than --jobs at once");
            assert_eq!(gauge.running(), 0);
            assert_eq!((limiter.available(), limiter.permits()), (jobs, jobs));
            assert_eq!(
                format!("{limiter:?}"),
                "Limiter { permits: 3, available: 3, waiting: 0 }"
            );
        });
    });
}

#[test]
fn two_limiters_share_nothing_and_clones_share_everything() {
    within(
        "two_limiters_share_nothing_and_clones_share_everything",
        || {
            cosched::run(async {
                let first = Limiter::new(1);
                let second = Limiter::new(1);
                let held = first.try_acquire().expect("a free permit");
                // Would wait forever if the two shared their permit.
                assert_eq!(second.limit(async { 2 }).await, 2);
                let task = cosched::create_task(second.limit(cosched::sleep(FOREVER)));
                while second.available() > 0 {
                    cosched::sleep(Duration::from_millis(1)).await;
                }
                assert_eq!(first.available(), 0);
                assert!(
                    first.clone().try_acquire().is_none(),
                    "a clone shares the permit"
                );
                drop(held);
                assert_eq!(first.clone().available(), 1);
                assert!(task.cancel());
                assert_eq!(task.await, Err(cosched::TaskError::Cancelled));
                assert_eq!(second.available(), 1);
            });
        },
    );
}

/// Counts its wakes.
#[derive(Default)]
struct CountingWaker(AtomicUsize);

impl Wake for CountingWaker {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        self.0.fetch_add(1, Ordering::SeqCst);
    }
}

type Boxed = Pin<Box<dyn Future<Output = ()>>>;

/// Futures polled by hand, in an order the test chooses: the queue's
/// order is that of first polls, whoever is polled later.
fn poll(future: &mut Boxed, waker: &Arc<CountingWaker>) -> Poll<()> {
    let waker = Waker::from(Arc::clone(waker));
    future.as_mut().poll(&mut Context::from_waker(&waker))
}

#[test]
fn waiters_get_permits_in_the_order_they_first_asked() {
    let limiter = Limiter::new(1);
    let order = Arc::new(Mutex::new(Vec::new()));
    let waker = Arc::new(CountingWaker::default());
    let held = limiter.try_acquire().expect("a free permit");
    let mut futures: Vec<Boxed> = (0..8)
        .map(|n| {
            let order = Arc::clone(&order);
            Box::pin(limiter.limit(async move {
                order.lock().expect("no panic while locked").push(n);
            })) as Boxed
        })
        .collect();
    for future in &mut futures {
        assert_eq!(poll(future, &waker), Poll::Pending);
    }
    // Polled again, the last first: they keep their places.
    for future in futures.iter_mut().rev() {
        assert_eq!(poll(future, &waker), Poll::Pending);
    }
    assert_eq!(waker.0.load(Ordering::SeqCst), 0);
    drop(held);
    assert_eq!(
        waker.0.load(Ordering::SeqCst),
        1,
        "the first in line is woken"
    );
    assert!(
        limiter.try_acquire().is_none(),
        "a free permit the first in line was woken for is its"
    );
    let mut done = vec![false; futures.len()];
    while done.contains(&false) {
        for (future, done) in futures.iter_mut().zip(&mut done).rev() {
            if !*done {
                *done = poll(future, &waker).is_ready();
            }
        }
    }
    assert_eq!(
        *order.lock().expect("no panic while locked"),
        (0..8).collect::<Vec<_>>()
    );
    assert_eq!(limiter.available(), 1);
}

#[test]
fn waiters_cancelled_in_the_queue_take_no_permit_and_lose_none() {
    let limiter = Limiter::new(1);
    let first = Arc::new(CountingWaker::default());
    let second = Arc::new(CountingWaker::default());
    let third = Arc::new(CountingWaker::default());
    let held = limiter.try_acquire().expect("a free permit");
    let mut a: Boxed = Box::pin(limiter.limit(async {}));
    let mut b: Boxed = Box::pin(limiter.limit(async {}));
    let acquire = limiter.acquire();
    let mut c: Boxed = Box::pin(async move {
        drop(acquire.await);
    });
    assert!(poll(&mut a, &first).is_pending());
    assert!(poll(&mut b, &second).is_pending());
    assert!(poll(&mut c, &third).is_pending());
    // Cancelled in the middle of the queue: nothing is woken or given.
    drop(b);
    assert_eq!(limiter.available(), 0);
    assert_eq!(second.0.load(Ordering::SeqCst), 0);
    // The first in line is woken for the permit, and cancelled before it
    // takes it: the permit goes to the next in line, who is woken.
    drop(held);
    assert_eq!(first.0.load(Ordering::SeqCst), 1);
    assert_eq!(limiter.available(), 1);
    drop(a);
    assert_eq!(
        third.0.load(Ordering::SeqCst),
        1,
        "the next in line is woken"
    );
    assert_eq!(limiter.available(), 1);
    assert!(poll(&mut c, &third).is_ready());
    drop(c);
    assert_eq!((limiter.available(), limiter.permits()), (1, 1));
    assert_eq!(
        format!("{limiter:?}"),
        "Limiter { permits: 1, available: 1, waiting: 0 }"
    );
}

#[test]
fn acquire_cancelled_by_a_timeout_or_a_task_cancel_loses_no_permit() {
    within(
        "acquire_cancelled_by_a_timeout_or_a_task_cancel_loses_no_permit",
        || {
            cosched::run(async {
                let limiter = Limiter::new(2);
                let permits = [limiter.acquire().await, limiter.acquire().await];
                let timed_out =
                    cosched::wait_for(limiter.acquire(), Duration::from_millis(1)).await;
                assert!(matches!(timed_out, Err(TimeoutError)));
                let waiting: Vec<_> = (0..4)
                    .map(|_| cosched::create_task(limiter.acquire()))
                    .collect();
                let gauge = Gauge::default();
                let queued = {
                    let gauge = gauge.clone();
                    cosched::create_task(limiter.limit(async move {
                        let _entered = gauge.enter();
                    }))
                };
                cosched::sleep(Duration::from_millis(1)).await;
                for task in &waiting {
                    assert!(task.cancel());
                }
                for task in waiting {
                    assert!(task.await.unwrap_err().is_cancelled());
                }
                assert_eq!(limiter.available(), 0);
                assert_eq!(gauge.started(), 0);
                drop(permits);
                assert_eq!(queued.await, Ok(()));
                assert_eq!(gauge.started(), 1);
                assert_eq!(limiter.available(), 2);
                let both = [limiter.try_acquire(), limiter.try_acquire()];
                assert!(both.iter().all(Option::is_some), "both permits are back");
            });
        },
    );
}

#[test]
fn a_group_with_a_limiter_never_runs_more_members_at_once() {
    within(
        "a_group_with_a_limiter_never_runs_more_members_at_once",
        || {
            cosched::run(async {
                let limiter = Limiter::new(3);
                let gate = Limiter::new(0);
                let gauge = Gauge::default();
                let mut group = TaskGroup::new().with_limiter(limiter.clone());
                for n in 0..20 {
                    group.create_task(held_at(gate.clone(), gauge.clone(), n));
                }
                gauge.until_running(3).await;
                for _ in 0..10 {
                    cosched::yield_now().await;
                }
                assert_eq!(gauge.running(), 3);
                assert_eq!(group.len(), 20, "members waiting for a permit are members");
                assert_eq!(limiter.available(), 0);
                gate.add_permits(1);
                assert_eq!(group.join().await, Ok((0..20).collect()));
                assert_eq!(gauge.most(), 3);
                assert_eq!(gauge.started(), 20);
                assert_eq!(limiter.available(), 3);
            });
        },
    );
}

/// Local tasks are first polled in the order they were spawned, so the
/// order of the queue is that of `create_task`.
#[cosched::task(local)]
async fn record(order: Arc<Mutex<Vec<u32>>>, n: u32) -> u32 {
    order.lock().expect("no panic while locked").push(n);
    cosched::yield_now().await;
    n
}

#[test]
fn group_members_get_permits_in_the_order_they_were_added() {
    within(
        "group_members_get_permits_in_the_order_they_were_added",
        || {
            cosched::run(async {
                let order = Arc::new(Mutex::new(Vec::new()));
                let mut group = TaskGroup::new().with_limiter(Limiter::new(1));
                for n in 0..8 {
                    let member = group.create_task(record(Arc::clone(&order), n));
                    assert!(
                        member.name().starts_with("record-"),
                        "a member keeps its name"
                    );
                }
                assert_eq!(group.join().await, Ok((0..8).collect()));
                assert_eq!(
                    *order.lock().expect("no panic while locked"),
                    (0..8).collect::<Vec<_>>()
                );
            });
        },
    );
}

#[test]
fn members_waiting_for_a_permit_are_cancelled_when_the_group_stops() {
    within(
        "members_waiting_for_a_permit_are_cancelled_when_the_group_stops",
        || {
            cosched::run(async {
                // Cancelled.
                let limiter = Limiter::new(1);
                let gauge = Gauge::default();
                let mut group = TaskGroup::<()>::new().with_limiter(limiter.clone());
                for _ in 0..5 {
                    let gauge = gauge.clone();
                    group.create_task(async move {
                        let _entered = gauge.enter();
                        cosched::sleep(FOREVER).await;
                    });
                }
                gauge.until_running(1).await;
                group.cancel();
                assert_eq!(group.join().await, Ok(vec![]));
                assert_eq!(gauge.started(), 1, "no waiting member started");
                assert_eq!(limiter.available(), 1);

                // Failed: the member holding the permit panics, once the others
                // are added (queued, or not yet polled: either way they must
                // not start).
                let gauge = Gauge::default();
                let gate = Limiter::new(0);
                let mut group = TaskGroup::<()>::new().with_limiter(limiter.clone());
                {
                    let (gauge, gate) = (gauge.clone(), gate.clone());
                    group.create_task(async move {
                        let _entered = gauge.enter();
                        drop(gate.acquire().await);
                        panic!("boom");
                    });
                }
                gauge.until_running(1).await;
                for _ in 0..4 {
                    let gauge = gauge.clone();
                    group.create_task(async move {
                        let _entered = gauge.enter();
                    });
                }
                gate.add_permits(1);
                let error = group.join().await.unwrap_err();
                assert_eq!(
                    error.errors(),
                    [Failure::Member(TaskError::Panicked("boom".into()))]
                );
                assert_eq!(gauge.started(), 1, "no waiting member started");
                assert_eq!(limiter.available(), 1);
            });
        },
    );
}
