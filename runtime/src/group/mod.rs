//! Waiting for many tasks: `gather` and `TaskGroup`.

use std::fmt;
use std::future::{Future, IntoFuture};
use std::pin::Pin;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::task::{Context, Poll, Wake, Waker};

use crate::coroutine::Spawnable;
use crate::event_loop::create_task;
use crate::task::{Join, Task, TaskError, TaskRef};

/// Awaits every task and returns their results in the order given, like
/// `asyncio.gather(..., return_exceptions=True)`: a failed task is an `Err`
/// in its place and does not disturb the others.
///
/// ```
/// # cosched::run(async {
/// let tasks = (1..=3).map(|n| cosched::create_task(async move {
///     if n == 2 { panic!("two") }
///     n * 10
/// }));
/// let results = cosched::gather(tasks).await;
/// assert_eq!(results[0], Ok(10));
/// assert!(results[1].as_ref().unwrap_err().is_panic());
/// assert_eq!(results[2], Ok(30));
/// # });
/// ```
pub async fn gather<T, I>(tasks: I) -> Vec<Result<T, TaskError>>
where
    I: IntoIterator<Item = Task<T>>,
{
    let tasks: Vec<Task<T>> = tasks.into_iter().collect();
    let mut results = Vec::with_capacity(tasks.len());
    for task in tasks {
        results.push(task.await);
    }
    results
}

/// Tasks that live and die together, like `asyncio.TaskGroup` or tokio's
/// `JoinSet`.
///
/// [`join`](TaskGroup::join) waits for all of them. If one fails (panics, or
/// is cancelled), the others are cancelled, `join` waits until they have
/// stopped, and returns the first failure. Dropping a group without joining
/// cancels what is still running.
///
/// ```
/// # cosched::run(async {
/// let mut group = cosched::TaskGroup::new();
/// for n in 1..=3u64 {
///     group.create_task(async move { n * n });
/// }
/// assert_eq!(group.join().await, Ok(vec![1, 4, 9]));
///
/// let mut group = cosched::TaskGroup::new();
/// let sleeper = group.create_task(cosched::sleep(std::time::Duration::from_secs(3600)));
/// group.create_task(async { panic!("boom") });
/// assert_eq!(group.join().await, Err(cosched::TaskError::Panicked("boom".into())));
/// assert!(sleeper.is_cancelled());
/// # });
/// ```
pub struct TaskGroup<T> {
    tasks: Vec<Task<T>>,
}

impl<T> TaskGroup<T> {
    /// An empty group.
    ///
    /// ```
    /// let group = cosched::TaskGroup::<()>::new();
    /// assert!(group.is_empty());
    /// ```
    pub fn new() -> Self {
        Self { tasks: Vec::new() }
    }

    /// Schedules `coroutine` on the current loop as a member of this group.
    ///
    /// ```
    /// # cosched::run(async {
    /// let mut group = cosched::TaskGroup::new();
    /// let member = group.create_task(async { 1 });
    /// assert!(member.name().starts_with("Task-"));
    /// assert_eq!(group.join().await, Ok(vec![1]));
    /// # });
    /// ```
    pub fn create_task<C: Spawnable<Output = T>>(&mut self, coroutine: C) -> TaskRef {
        self.add(create_task(coroutine))
    }

    /// Makes an already scheduled task a member of this group.
    ///
    /// ```
    /// # cosched::run(async {
    /// let mut group = cosched::TaskGroup::new();
    /// group.add(cosched::create_task(async { 2 }));
    /// assert_eq!(group.join().await, Ok(vec![2]));
    /// # });
    /// ```
    pub fn add(&mut self, task: Task<T>) -> TaskRef {
        let member = task.task_ref();
        self.tasks.push(task);
        member
    }

    /// How many tasks the group holds.
    ///
    /// ```
    /// # cosched::run(async {
    /// let mut group = cosched::TaskGroup::new();
    /// group.create_task(async {});
    /// assert_eq!(group.len(), 1);
    /// # });
    /// ```
    pub fn len(&self) -> usize {
        self.tasks.len()
    }

    /// Whether the group holds no task.
    ///
    /// ```
    /// assert!(cosched::TaskGroup::<u8>::default().is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.tasks.is_empty()
    }

    /// Asks every member to stop.
    ///
    /// ```
    /// # cosched::run(async {
    /// let mut group = cosched::TaskGroup::new();
    /// group.create_task(cosched::sleep(std::time::Duration::from_secs(3600)));
    /// group.cancel_all();
    /// assert!(group.join().await.unwrap_err().is_cancelled());
    /// # });
    /// ```
    pub fn cancel_all(&self) {
        for task in &self.tasks {
            task.cancel();
        }
    }

    /// Waits for every member; their outputs in the order they were added.
    ///
    /// # Errors
    ///
    /// The first member's failure ([`TaskError::Panicked`] or
    /// [`TaskError::Cancelled`]), once the rest have been cancelled and have
    /// stopped.
    ///
    /// ```
    /// # cosched::run(async {
    /// let mut group = cosched::TaskGroup::new();
    /// group.create_task(async { "a" });
    /// group.create_task(async { "b" });
    /// assert_eq!(group.join().await, Ok(vec!["a", "b"]));
    /// # });
    /// ```
    pub async fn join(mut self) -> Result<Vec<T>, TaskError> {
        let tasks = std::mem::take(&mut self.tasks);
        let members: Vec<TaskRef> = tasks.iter().map(Task::task_ref).collect();
        let mut joins: Vec<Option<Join<T>>> = tasks
            .into_iter()
            .map(|task| Some(task.into_future()))
            .collect();
        let mut outputs: Vec<Option<T>> = joins.iter().map(|_| None).collect();
        let mut failure: Option<TaskError> = None;
        // Each member is polled with a waker of its own, which records the
        // member's index: a wake polls only the members that woke, so the
        // group costs O(1) per member that finishes, not O(members).
        let woken = Arc::new(Woken::default());
        let wakers: Vec<Waker> = (0..joins.len())
            .map(|index| {
                Waker::from(Arc::new(MemberWaker {
                    index,
                    woken: Arc::clone(&woken),
                }))
            })
            .collect();
        let mut unfinished = joins.len();
        let mut due: Vec<usize> = (0..joins.len()).collect();
        std::future::poll_fn(|cx| {
            woken.set_group(cx.waker());
            due.append(&mut woken.take());
            for index in due.drain(..) {
                let Some(join) = joins[index].as_mut() else {
                    continue; // woken again after it finished
                };
                #[cfg(test)]
                tests::MEMBER_POLLS.with(|polls| polls.set(polls.get() + 1));
                let mut member_cx = Context::from_waker(&wakers[index]);
                let Poll::Ready(result) = Pin::new(join).poll(&mut member_cx) else {
                    continue;
                };
                joins[index] = None;
                unfinished -= 1;
                match result {
                    Ok(value) => outputs[index] = Some(value),
                    Err(error) => {
                        if failure.is_none() {
                            failure = Some(error);
                            for member in &members {
                                member.cancel();
                            }
                        }
                    }
                }
            }
            if unfinished == 0 {
                Poll::Ready(())
            } else {
                Poll::Pending
            }
        })
        .await;
        match failure {
            Some(error) => Err(error),
            None => Ok(outputs.into_iter().flatten().collect()),
        }
    }
}

/// What the members of a joining [`TaskGroup`] share: which of them woke
/// since the group's last poll, and the waker of the task that joins.
#[derive(Default)]
struct Woken {
    indices: Mutex<Vec<usize>>,
    group: Mutex<Option<Waker>>,
}

impl Woken {
    fn set_group(&self, waker: &Waker) {
        let mut group = lock(&self.group);
        if !group.as_ref().is_some_and(|stored| stored.will_wake(waker)) {
            *group = Some(waker.clone());
        }
    }

    fn take(&self) -> Vec<usize> {
        std::mem::take(&mut *lock(&self.indices))
    }
}

/// The waker a member of a joining group is polled with.
struct MemberWaker {
    index: usize,
    woken: Arc<Woken>,
}

impl Wake for MemberWaker {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        lock(&self.woken.indices).push(self.index);
        // Cloned out of the lock: waking may run the joining task at once.
        let group = lock(&self.woken.group).clone();
        if let Some(group) = group {
            group.wake();
        }
    }
}

/// A lock that a panic elsewhere does not poison: the data is a list of
/// numbers and a waker, valid at every step.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

impl<T> Default for TaskGroup<T> {
    fn default() -> Self {
        Self::new()
    }
}

impl<T> Drop for TaskGroup<T> {
    fn drop(&mut self) {
        self.cancel_all();
    }
}

impl<T> fmt::Debug for TaskGroup<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TaskGroup")
            .field("tasks", &self.tasks)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use std::cell::Cell;

    thread_local! {
        /// How many times `join` has polled a member, on this thread.
        pub(super) static MEMBER_POLLS: Cell<usize> = const { Cell::new(0) };
    }

    /// Members finishing one by one: each wake polls the members that woke,
    /// not all that are left (which would be about n²/2 polls in all).
    #[test]
    fn a_wake_polls_only_the_members_that_woke() {
        const N: usize = 300;
        let polls = crate::run(async {
            let mut group = super::TaskGroup::new();
            for n in 0..N {
                group.create_task(async move {
                    for _ in 0..n {
                        crate::yield_now().await;
                    }
                    n
                });
            }
            MEMBER_POLLS.with(|polls| polls.set(0));
            let outputs = group.join().await.expect("no member fails");
            assert_eq!(outputs, (0..N).collect::<Vec<_>>());
            MEMBER_POLLS.with(Cell::get)
        });
        // Once at the start, then about once per member (more when a member
        // wakes without finishing); polling every unfinished member on each
        // wake would be tens of thousands.
        assert!(polls <= 4 * N, "{polls} polls of {N} members");
    }
}
