//! cosched's own run queue for local (`!Send`) tasks, on async-std and smol.
//!
//! A local task runs on the thread that spawned it, and only while that
//! thread drives a loop (`block_on`). One thread, then, is all such a
//! queue ever serves, and it needs none of a shared executor's machinery:
//! the tasks ready to run wait in a `VecDeque` of the thread's own, which
//! only that thread touches. The only atomic operations on the way are
//! async-task's own, on the task's state word. (The backends' local
//! executors are their thread-pool executors made thread-local: a
//! lock-free queue, a mutex-guarded slab of the active tasks and a
//! search of other queues on every turn, 2.5 times this queue's cost per
//! task in a trivial spawn-and-await.)
//!
//! A task is woken on its own thread (by a task or the future the thread
//! drives, by the reactor or a timer) or on another one (a threaded task
//! it awaits finished there):
//!
//! ```text
//!   spawn, or a wake on this thread ──► ready: VecDeque, this thread only
//!                                          ▲  moved over when `ready` runs dry
//!   a wake on another thread ──► Shared { inbox, the driver's waker }: Mutex
//!                                 └─► wakes the driver
//! ```
//!
//! [`Drive`] wraps the future the thread drives: each of its polls polls
//! that future, then runs ready tasks until none is left, or until a
//! budget of them has run (then it wakes itself and yields, so that the
//! backend's `block_on` reaches its reactor and timers in between). A task
//! woken on this thread outside a `Drive` poll (by the reactor, which
//! `block_on` runs between polls) wakes the driver too.
//!
//! When the thread exits, its queue drops the tasks still in it there, on
//! their own thread, as it must: async-task's `spawn_local` checks that a
//! task is polled and dropped only by the thread that spawned it. A task
//! woken on another thread after that is never run nor dropped (it leaks),
//! and a handle awaiting it waits forever; cosched cancels a loop's local
//! tasks and waits for them before the loop returns, so only a task woken
//! after its thread exited, with its loop stopped by a panic, can get there.

use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::task::{Context, Poll, Waker};

use async_task::Runnable;
use pin_project_lite::pin_project;

/// How many tasks a [`Drive`] poll runs at most before it yields to the
/// backend's `block_on` (async-executor runs 200 between its yields).
const BUDGET: usize = 128;

thread_local! {
    static QUEUE: Queue = Queue::new();
}

/// A thread's queue.
struct Queue {
    /// What other threads reach.
    shared: Arc<Shared>,
    /// The tasks ready to run, oldest first.
    ready: RefCell<VecDeque<Runnable>>,
    /// Whether a [`Drive`] poll is running on this thread: it runs a task
    /// woken meanwhile before it returns, so nothing needs waking.
    driving: Cell<bool>,
    /// The waker of the last [`Drive`] poll on this thread (the same as in
    /// `shared`, kept here to be woken and compared without the lock).
    driver: RefCell<Option<Waker>>,
}

/// The part of a thread's queue that other threads reach.
#[derive(Default)]
struct Shared {
    remote: Mutex<Remote>,
}

#[derive(Default)]
struct Remote {
    /// Tasks woken on other threads, oldest first.
    inbox: Vec<Runnable>,
    /// The waker of the last [`Drive`] poll on the queue's thread.
    driver: Option<Waker>,
    /// The queue's thread has exited: nothing will run a task again.
    closed: bool,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, Remote> {
        // Nothing panics while the lock is held.
        self.remote.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// A task woken on another thread than its own (or on its own as that
    /// thread exits): into the inbox, and the driver woken.
    fn push_remote(&self, runnable: Runnable) {
        let mut remote = self.lock();
        if remote.closed {
            drop(remote);
            // Neither runnable nor droppable here: see the module's docs.
            std::mem::forget(runnable);
            return;
        }
        remote.inbox.push(runnable);
        let driver = remote.driver.clone();
        drop(remote);
        if let Some(driver) = driver {
            driver.wake();
        }
    }
}

impl Queue {
    fn new() -> Self {
        Self {
            shared: Arc::default(),
            ready: RefCell::new(VecDeque::new()),
            driving: Cell::new(false),
            driver: RefCell::new(None),
        }
    }

    /// A task woken on this thread.
    fn push(&self, runnable: Runnable) {
        self.ready.borrow_mut().push_back(runnable);
        if !self.driving.get() {
            // Cloned out: no borrow is held while a waker runs.
            let driver = self.driver.borrow().clone();
            if let Some(driver) = driver {
                driver.wake();
            }
        }
    }

    /// The oldest ready task, taking those woken elsewhere when none is
    /// left of this thread's.
    fn pop(&self) -> Option<Runnable> {
        if let Some(runnable) = self.ready.borrow_mut().pop_front() {
            return Some(runnable);
        }
        let inbox = std::mem::take(&mut self.shared.lock().inbox);
        let mut ready = self.ready.borrow_mut();
        ready.extend(inbox);
        ready.pop_front()
    }

    /// Records the waker of the driving future's poll, for wakes outside
    /// of it; locks only when it changed.
    fn set_driver(&self, waker: &Waker) {
        let mut driver = self.driver.borrow_mut();
        if driver
            .as_ref()
            .is_some_and(|driver| driver.will_wake(waker))
        {
            return;
        }
        let old = driver.replace(waker.clone());
        drop(driver);
        let old_shared = self.shared.lock().driver.replace(waker.clone());
        // Dropped with no borrow or lock held: a waker's drop may run code.
        drop((old, old_shared));
    }
}

impl Drop for Queue {
    /// The thread exits: its tasks still queued are dropped here, on their
    /// thread, and so are those their destructors wake meanwhile (they come
    /// through the inbox: this thread's `QUEUE` is gone by now).
    fn drop(&mut self) {
        loop {
            let ready = std::mem::take(self.ready.get_mut());
            let inbox = {
                let mut remote = self.shared.lock();
                if ready.is_empty() && remote.inbox.is_empty() {
                    remote.closed = true;
                    remote.driver = None;
                    return;
                }
                std::mem::take(&mut remote.inbox)
            };
            drop(ready);
            drop(inbox);
        }
    }
}

/// Where a task of the queue `shared` goes when it is woken.
fn schedule(shared: &Arc<Shared>, runnable: Runnable) {
    let mut runnable = Some(runnable);
    // `try_with`: a task woken as this thread exits finds `QUEUE` gone.
    let _ = QUEUE.try_with(|queue| {
        if Arc::ptr_eq(&queue.shared, shared) {
            if let Some(runnable) = runnable.take() {
                queue.push(runnable);
            }
        }
    });
    if let Some(runnable) = runnable {
        shared.push_remote(runnable);
    }
}

/// Starts a `!Send` future on this thread's queue: it runs while this
/// thread drives a future with [`Drive`].
pub(super) fn spawn<F>(future: F) -> async_task::Task<F::Output>
where
    F: Future + 'static,
    F::Output: 'static,
{
    let shared = QUEUE.with(|queue| Arc::clone(&queue.shared));
    let (runnable, task) =
        async_task::spawn_local(future, move |runnable| schedule(&shared, runnable));
    runnable.schedule();
    task
}

pin_project! {
    /// A future driven on this thread together with this thread's local
    /// tasks: what the backends' `block_on` runs.
    pub(super) struct Drive<F> {
        #[pin]
        future: F,
    }
}

impl<F> Drive<F> {
    pub(super) fn new(future: F) -> Self {
        Self { future }
    }
}

impl<F: Future> Future for Drive<F> {
    type Output = F::Output;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        let mut future = self.project().future;
        QUEUE.with(|queue| {
            queue.set_driver(cx.waker());
            let _driving = Driving::enter(queue);
            if let Poll::Ready(output) = future.as_mut().poll(cx) {
                return Poll::Ready(output);
            }
            for _ in 0..BUDGET {
                let Some(runnable) = queue.pop() else {
                    return Poll::Pending;
                };
                runnable.run();
            }
            // More are ready: let the backend's `block_on` see to its
            // reactor and timers, then come back.
            cx.waker().wake_by_ref();
            Poll::Pending
        })
    }
}

/// Marks a [`Drive`] poll as running on this thread while it lives.
struct Driving<'a> {
    queue: &'a Queue,
    outer: bool,
}

impl<'a> Driving<'a> {
    fn enter(queue: &'a Queue) -> Self {
        let outer = queue.driving.replace(true);
        Self { queue, outer }
    }
}

impl Drop for Driving<'_> {
    fn drop(&mut self) {
        self.queue.driving.set(self.outer);
    }
}

#[cfg(all(test, not(loom)))]
mod tests {
    use super::*;
    use std::rc::Rc;

    /// Polls `future` on this thread, parking it in between.
    fn park_on<F: Future>(future: F) -> F::Output {
        struct Unpark(std::thread::Thread);
        impl std::task::Wake for Unpark {
            fn wake(self: Arc<Self>) {
                self.0.unpark();
            }
        }
        let waker = Waker::from(Arc::new(Unpark(std::thread::current())));
        let mut cx = Context::from_waker(&waker);
        let mut future = std::pin::pin!(future);
        loop {
            if let Poll::Ready(output) = future.as_mut().poll(&mut cx) {
                return output;
            }
            std::thread::park();
        }
    }

    /// What a backend's `block_on` does.
    fn block_on<F: Future>(future: F) -> F::Output {
        park_on(Drive::new(future))
    }

    /// Tasks run in the order they were woken, interleaved with the driven
    /// future, on this thread.
    #[test]
    fn runs_local_tasks_in_order_while_driving() {
        let log = Rc::new(RefCell::new(Vec::new()));
        let tasks: Vec<_> = (0..3)
            .map(|i| {
                let log = Rc::clone(&log);
                spawn(async move {
                    log.borrow_mut().push(i);
                    i * 10
                })
            })
            .collect();
        assert!(log.borrow().is_empty(), "nothing runs before it is driven");
        let outputs = block_on(async {
            let mut outputs = Vec::new();
            for task in tasks {
                outputs.push(task.await);
            }
            outputs
        });
        assert_eq!(outputs, [0, 10, 20]);
        assert_eq!(*log.borrow(), [0, 1, 2]);
    }

    /// A task woken on another thread comes back through the inbox and
    /// runs on its own thread; the driver, parked meanwhile, is woken.
    #[test]
    fn a_task_woken_on_another_thread_runs_on_its_own() {
        let (sender, receiver) = std::sync::mpsc::channel::<Waker>();
        let here = std::thread::current().id();
        let woken = Rc::new(Cell::new(0));
        let counted = Rc::clone(&woken);
        let mut parked = false;
        let task = spawn(std::future::poll_fn(move |cx| {
            assert_eq!(std::thread::current().id(), here);
            counted.set(counted.get() + 1);
            if parked {
                return Poll::Ready("done");
            }
            parked = true;
            sender.send(cx.waker().clone()).unwrap();
            Poll::Pending
        }));
        let waker = std::thread::spawn(move || {
            let waker = receiver.recv().unwrap();
            std::thread::sleep(std::time::Duration::from_millis(20));
            waker.wake();
        });
        assert_eq!(block_on(task), "done");
        assert_eq!(woken.get(), 2);
        waker.join().unwrap();
    }

    /// A task woken on its own thread between two polls of the driver (as
    /// the reactor does, which `block_on` runs between polls) wakes the
    /// driver: nothing else would poll it again.
    #[test]
    fn a_wake_between_polls_wakes_the_driver() {
        struct Count(std::sync::atomic::AtomicUsize);
        impl std::task::Wake for Count {
            fn wake(self: Arc<Self>) {
                self.0.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            }
        }
        let stash: Rc<RefCell<Option<Waker>>> = Rc::default();
        let stashed = Rc::clone(&stash);
        let _parked = spawn(std::future::poll_fn(move |cx| {
            *stashed.borrow_mut() = Some(cx.waker().clone());
            Poll::<()>::Pending
        }));
        let count = Arc::new(Count(std::sync::atomic::AtomicUsize::new(0)));
        let waker = Waker::from(Arc::clone(&count));
        let mut drive = std::pin::pin!(Drive::new(std::future::pending::<()>()));
        assert!(
            drive
                .as_mut()
                .poll(&mut Context::from_waker(&waker))
                .is_pending()
        );
        let driver_wakes = || count.0.load(std::sync::atomic::Ordering::Relaxed);
        assert_eq!(driver_wakes(), 0, "nothing to do: the driver sleeps");
        let task_waker = stash.borrow_mut().take().expect("the task ran");
        task_waker.wake();
        assert_eq!(driver_wakes(), 1, "the driver is woken to run the task");
    }

    /// A task woken on another thread after its own thread exited can be
    /// neither run nor dropped there (async-task would panic): it is left
    /// alone, and the wake returns.
    #[test]
    fn a_wake_after_the_thread_exited_leaves_the_task_alone() {
        let (sender, receiver) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let not_send = Rc::new(());
            let sent = sender.clone();
            let task = spawn(std::future::poll_fn(move |cx| {
                let _ = &not_send;
                sent.send(Some(cx.waker().clone())).unwrap();
                Poll::<()>::Pending
            }));
            task.detach();
            block_on(crate::yield_now());
            // The task is suspended, not queued, as the thread exits.
            drop(sender);
        })
        .join()
        .unwrap();
        let waker = receiver.recv().unwrap().expect("the task ran once");
        waker.wake();
    }

    /// A task that keeps waking itself does not starve the driven future:
    /// each poll runs at most `BUDGET` tasks.
    #[test]
    fn a_busy_task_leaves_the_driven_future_its_turn() {
        let spins = Rc::new(Cell::new(0_usize));
        let counted = Rc::clone(&spins);
        let _busy = spawn(std::future::poll_fn(move |cx| {
            counted.set(counted.get() + 1);
            cx.waker().wake_by_ref();
            Poll::<()>::Pending
        }));
        let mut polls = 0;
        block_on(std::future::poll_fn(|cx| {
            polls += 1;
            if polls == 3 {
                return Poll::Ready(());
            }
            cx.waker().wake_by_ref();
            Poll::Pending
        }));
        assert!(spins.get() <= 2 * BUDGET, "{} spins", spins.get());
        assert!(spins.get() >= 2, "{} spins", spins.get());
    }

    /// A thread that exits drops its queued tasks there (async-task checks
    /// the thread), and their handles report them gone.
    #[test]
    fn an_exiting_thread_drops_its_queued_tasks_there() {
        /// Says on which thread it was dropped.
        struct Witness(std::sync::mpsc::Sender<std::thread::ThreadId>);
        impl Drop for Witness {
            fn drop(&mut self) {
                self.0.send(std::thread::current().id()).unwrap();
            }
        }
        let (dropped, on) = std::sync::mpsc::channel();
        let (sender, receiver) = std::sync::mpsc::channel();
        let exited = std::thread::spawn(move || {
            let witness = (Witness(dropped), Rc::new(()));
            let task = spawn(async move {
                let (witness, not_send) = witness;
                drop((witness, not_send));
            });
            sender.send(task.fallible()).unwrap();
            // Never driven: the task is still queued when the thread exits.
        });
        let exited_id = exited.thread().id();
        exited.join().unwrap();
        assert_eq!(on.recv().unwrap(), exited_id);
        let task = receiver.recv().unwrap();
        assert_eq!(park_on(task), None);
    }
}
