//! Waiting for many tasks: [`TaskGroup`], asyncio's `TaskGroup` as a
//! scope, and [`gather`] and [`try_gather`].
//!
//! `shared` is the state a group and its members share; `member` the
//! future a member's task runs, which reports to it; `error` what a group
//! returns when members fail.

mod error;
mod gather;
mod member;
mod shared;

use std::borrow::Cow;
use std::convert::Infallible;
use std::fmt;
use std::future::{Future, poll_fn};
use std::panic::{self, AssertUnwindSafe};
use std::pin::pin;
use std::sync::Arc;
use std::task::Poll;

use crate::event_loop::with_current_loop;
use crate::limit::Limiter;
use crate::task::{self, Origin, TaskRef};
use member::Report;
use shared::{Admission, Shared};

pub use error::{Failure, GroupError};
pub use gather::{Gather, TryGather, gather, try_gather};
pub use member::GroupMember;

/// Tasks that live and die together, like asyncio's `TaskGroup` (and
/// tokio's `JoinSet`, trio's nursery).
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
/// let error = group.join().await.unwrap_err();
/// assert_eq!(error.errors(), [cosched::Failure::Member(cosched::TaskError::Panicked("boom".into()))]);
/// assert!(sleeper.is_cancelled());
/// # });
/// ```
///
/// The guarantees are asyncio's:
///
/// * The first member that fails (panics, or, in a group made with
///   [`fallible`](TaskGroup::fallible), returns `Err`) cancels every other
///   member at once, from its own task: nothing needs to be awaiting the
///   group. The group is then closed: a member added later is cancelled
///   before it starts. [`scope`](TaskGroup::scope) cancels its body too.
/// * [`join`](TaskGroup::join) and [`scope`](TaskGroup::scope) return only
///   once every member has finished, the cancelled ones included, and
///   return every failure ([`GroupError`]), also those of members that
///   failed while being cancelled.
/// * A member cancelled on its own (`member.cancel()`) does not fail the
///   group; [`cancel`](TaskGroup::cancel) stops the whole group without
///   failing it.
/// * A finished member's task is let go at once, and only results not
///   yet taken are kept: a group can serve connections forever, taking
///   results as they come with [`join_next`](TaskGroup::join_next) or
///   keeping none in a [`scope`](TaskGroup::scope).
/// * Members add siblings through a [`GroupHandle`].
///
/// Where cosched differs: cancellation is a drop. Dropping a group (or the
/// future of its `join`) cancels its members; a destructor cannot await
/// them, but when the drop is part of cancelling the task that awaited the
/// group, that task counts as finished only once every member has ended
/// (awaiting the cancelled task waits for them too). A group dropped
/// otherwise (outside a task, or by a task that goes on) lets its
/// cancelled members end on their own.
pub struct TaskGroup<T, E = Infallible> {
    handle: GroupHandle<T, E>,
}

/// A cloneable handle to a [`TaskGroup`], for members (or anyone) to add
/// siblings to it or cancel it. A handle does not keep the group open: once
/// it has ended, failed or been cancelled, what a handle adds is cancelled
/// before it starts.
///
/// ```
/// # cosched::run(async {
/// let mut group = cosched::TaskGroup::new();
/// let handle = group.handle();
/// group.create_task(async move {
///     handle.create_task(async { 2 });
///     1
/// });
/// let mut outputs = group.join().await.unwrap();
/// outputs.sort();
/// assert_eq!(outputs, [1, 2]);
/// # });
/// ```
pub struct GroupHandle<T, E = Infallible> {
    shared: Arc<Shared<T, E>>,
}

impl<T> TaskGroup<T> {
    /// An empty group, whose members return `T` and fail only by panicking.
    ///
    /// ```
    /// let group = cosched::TaskGroup::<()>::new();
    /// assert!(group.is_empty());
    /// ```
    pub fn new() -> Self {
        Self::with_shared()
    }
}

impl<T, E> TaskGroup<T, E> {
    /// An empty group whose members may also fail by returning `Err(E)`
    /// ([`try_create_task`](TaskGroup::try_create_task)), which stops the
    /// group as a panic does.
    ///
    /// ```
    /// # cosched::run(async {
    /// let mut group = cosched::TaskGroup::<u32, std::num::ParseIntError>::fallible();
    /// group.try_create_task(async { "1".parse::<u32>() });
    /// group.try_create_task(async { "x".parse::<u32>() });
    /// let error = group.join().await.unwrap_err();
    /// assert!(matches!(error.errors(), [cosched::Failure::Err(_)]));
    /// # });
    /// ```
    pub fn fallible() -> Self {
        Self::with_shared()
    }

    fn with_shared() -> Self {
        Self {
            handle: GroupHandle {
                shared: Arc::new(Shared::new()),
            },
        }
    }

    /// This group, whose members (those added from now on, through any
    /// handle) each wait for a permit of `limiter` before they start, and
    /// give it back once they have finished or been cancelled: at most
    /// [`limiter.permits()`](Limiter::permits) of them run at once, the
    /// others waiting their turn in the order they started waiting (for
    /// `local` members, the order they were added). The limiter may be
    /// shared with other groups or calls, which then share its permits.
    ///
    /// A member waiting for its permit counts in [`len`](TaskGroup::len),
    /// and is cancelled like any other when the group stops. A member of a
    /// [`#[task(limit = N)]`](macro@crate::task) fn waits for the group's permit
    /// first, then for its fn's. The body of a [`scope`](TaskGroup::scope)
    /// takes no permit.
    ///
    /// ```
    /// use std::sync::Arc;
    /// use std::sync::atomic::{AtomicUsize, Ordering};
    /// # cosched::run(async {
    /// let jobs = 2; // `--jobs 2`
    /// let mut group = cosched::TaskGroup::new().with_limiter(cosched::Limiter::new(jobs));
    /// let running = Arc::new(AtomicUsize::new(0));
    /// for n in 0..6 {
    ///     let running = Arc::clone(&running);
    ///     group.create_task(async move {
    ///         assert!(running.fetch_add(1, Ordering::SeqCst) < jobs);
    ///         cosched::sleep(std::time::Duration::from_millis(1)).await;
    ///         running.fetch_sub(1, Ordering::SeqCst);
    ///         n
    ///     });
    /// }
    /// assert_eq!(group.join().await, Ok(vec![0, 1, 2, 3, 4, 5]));
    /// # });
    /// ```
    #[must_use]
    pub fn with_limiter(self, limiter: Limiter) -> Self {
        self.handle.shared.set_limiter(limiter);
        self
    }

    /// A handle to this group, to add members from elsewhere (a member
    /// adding a sibling) or to cancel it.
    ///
    /// ```
    /// # cosched::run(async {
    /// let group = cosched::TaskGroup::<()>::new();
    /// let handle = group.handle();
    /// handle.cancel();
    /// assert!(group.is_closed());
    /// # });
    /// ```
    pub fn handle(&self) -> GroupHandle<T, E> {
        self.handle.clone()
    }

    /// Schedules `coroutine` on the current loop as a member of this group,
    /// like asyncio's `TaskGroup.create_task`. If the group is closed
    /// (failed, cancelled, or ended), the task is cancelled before it
    /// starts.
    ///
    /// ```
    /// # cosched::run(async {
    /// let mut group = cosched::TaskGroup::new();
    /// let member = group.create_task(async { 1 });
    /// assert!(member.name().starts_with("Task-"));
    /// assert_eq!(group.join().await, Ok(vec![1]));
    /// # });
    /// ```
    #[track_caller]
    pub fn create_task<C>(&mut self, coroutine: C) -> TaskRef
    where
        C: GroupMember<T, E, Output = T>,
    {
        self.handle.create_task(coroutine)
    }

    /// [`create_task`](TaskGroup::create_task), with the task's name.
    ///
    /// ```
    /// # cosched::run(async {
    /// let mut group = cosched::TaskGroup::new();
    /// let member = group.create_task_named("worker-1", async { 1 });
    /// assert_eq!(member.name(), "worker-1");
    /// # group.join().await.unwrap();
    /// # });
    /// ```
    #[track_caller]
    pub fn create_task_named<C>(
        &mut self,
        name: impl Into<Cow<'static, str>>,
        coroutine: C,
    ) -> TaskRef
    where
        C: GroupMember<T, E, Output = T>,
    {
        self.handle.create_task_named(name, coroutine)
    }

    /// Schedules a member that returns `Result<T, E>`: an `Err` fails the
    /// group, as a panic does.
    ///
    /// ```
    /// # cosched::run(async {
    /// let mut group = cosched::TaskGroup::<u8, &str>::fallible();
    /// group.try_create_task(async { Ok(1) });
    /// assert_eq!(group.join().await, Ok(vec![1]));
    /// # });
    /// ```
    #[track_caller]
    pub fn try_create_task<C>(&mut self, coroutine: C) -> TaskRef
    where
        C: GroupMember<T, E, Output = Result<T, E>>,
    {
        self.handle.try_create_task(coroutine)
    }

    /// [`try_create_task`](TaskGroup::try_create_task), with the task's name.
    ///
    /// ```
    /// # cosched::run(async {
    /// let mut group = cosched::TaskGroup::<u8, &str>::fallible();
    /// let member = group.try_create_task_named("fetch", async { Ok(1) });
    /// assert_eq!(member.name(), "fetch");
    /// # group.join().await.unwrap();
    /// # });
    /// ```
    #[track_caller]
    pub fn try_create_task_named<C>(
        &mut self,
        name: impl Into<Cow<'static, str>>,
        coroutine: C,
    ) -> TaskRef
    where
        C: GroupMember<T, E, Output = Result<T, E>>,
    {
        self.handle.try_create_task_named(name, coroutine)
    }

    /// How many members have not finished.
    ///
    /// ```
    /// # cosched::run(async {
    /// let mut group = cosched::TaskGroup::new();
    /// group.create_task(cosched::sleep(std::time::Duration::from_secs(60)));
    /// assert_eq!(group.len(), 1);
    /// group.cancel();
    /// # });
    /// ```
    pub fn len(&self) -> usize {
        self.handle.shared.running()
    }

    /// Whether every member has finished (or there is none).
    ///
    /// ```
    /// assert!(cosched::TaskGroup::<u8>::default().is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Whether the group takes no more members: it failed, was cancelled,
    /// or ended.
    ///
    /// ```
    /// # cosched::run(async {
    /// let mut group = cosched::TaskGroup::<()>::new();
    /// assert!(!group.is_closed());
    /// group.create_task(async { panic!("boom") });
    /// let handle = group.handle();
    /// let _ = group.join().await;
    /// assert!(handle.is_closed());
    /// # });
    /// ```
    pub fn is_closed(&self) -> bool {
        self.handle.is_closed()
    }

    /// Cancels the group, like asyncio's `TaskGroup.cancel()`: every member
    /// and a [`scope`](TaskGroup::scope)'s body are cancelled, no member can
    /// be added, and the group ends without an error of its own (members
    /// that fail while being cancelled are still reported). Calling it
    /// again, or after the group ended, does nothing.
    ///
    /// ```
    /// # cosched::run(async {
    /// let mut group = cosched::TaskGroup::<()>::new();
    /// let member = group.create_task(cosched::sleep(std::time::Duration::from_secs(3600)));
    /// group.cancel();
    /// assert_eq!(group.join().await, Ok(vec![]));
    /// assert!(member.is_cancelled());
    /// # });
    /// ```
    pub fn cancel(&self) {
        self.handle.cancel();
    }

    /// The next member to finish, as it finishes, like tokio's
    /// `JoinSet::join_next`: `Ok` with its output, or why it gave none (a
    /// member cancelled on its own is `Err(Failure::Member(TaskError::Cancelled))`
    /// here, though it does not fail the group); `None` once every member
    /// has finished and every result is taken. A result taken here is not
    /// returned by [`join`](TaskGroup::join).
    ///
    /// ```
    /// # cosched::run(async {
    /// use std::time::Duration;
    /// let mut group = cosched::TaskGroup::new();
    /// group.create_task(async { cosched::sleep(Duration::from_millis(20)).await; "slow" });
    /// group.create_task(async { "fast" });
    /// assert_eq!(group.join_next().await, Some(Ok("fast")));
    /// assert_eq!(group.join_next().await, Some(Ok("slow")));
    /// assert_eq!(group.join_next().await, None);
    /// # });
    /// ```
    pub async fn join_next(&mut self) -> Option<Result<T, Failure<E>>> {
        let shared = &self.handle.shared;
        poll_fn(|cx| shared.poll_next(cx))
            .await
            .map(|(_, outcome)| outcome)
    }

    /// Waits until every member has finished, and closes the group; the
    /// outputs in the order the members were added (those not taken by
    /// [`join_next`](TaskGroup::join_next)). A member cancelled on its own
    /// has no output and is left out.
    ///
    /// # Errors
    ///
    /// Every failure, the first one first, once every member has stopped.
    ///
    /// ```
    /// # cosched::run(async {
    /// let mut group = cosched::TaskGroup::new();
    /// group.create_task(async { "a" });
    /// group.create_task(async { "b" });
    /// assert_eq!(group.join().await, Ok(vec!["a", "b"]));
    /// # });
    /// ```
    pub async fn join(self) -> Result<Vec<T>, GroupError<E>> {
        let shared = &self.handle.shared;
        poll_fn(|cx| shared.poll_all_done(cx)).await;
        shared.close();
        let mut outputs = Vec::new();
        let mut errors = Vec::new();
        for (key, outcome) in shared.take_done() {
            match outcome {
                Ok(output) => outputs.push((key, output)),
                Err(failure) if failure.is_cancelled() => {}
                Err(failure) => errors.push(failure),
            }
        }
        // Outputs in the order of adding; failures in the order they came.
        outputs.sort_unstable_by_key(|&(key, _)| key);
        let outputs = outputs.into_iter().map(|(_, output)| output).collect();
        if errors.is_empty() {
            Ok(outputs)
        } else {
            Err(GroupError::new(errors))
        }
    }
}

impl<E> TaskGroup<(), E> {
    /// Runs `body` with a handle to the group, then waits for every member,
    /// like asyncio's `async with TaskGroup() as group:`. Members' `()`
    /// outputs are not kept, so a scope can serve connections forever.
    ///
    /// When a member fails or the group is [cancelled](GroupHandle::cancel),
    /// the body is cancelled too (dropped at its current await point) and
    /// the others are cancelled; the scope returns once all have stopped.
    /// A panic of the body is a failure of the group
    /// ([`Failure::Body`]).
    ///
    /// # Errors
    ///
    /// Every failure, the first one first. `Ok(Some(output))` is the body's
    /// output; `Ok(None)` says that the group was cancelled before the body
    /// finished, and none failed.
    ///
    /// ```
    /// # cosched::run(async {
    /// use std::time::Duration;
    /// let group = cosched::TaskGroup::<(), String>::fallible();
    /// let result = group
    ///     .scope(|group| async move {
    ///         group.create_task(cosched::sleep(Duration::from_secs(3600)));
    ///         group.try_create_task(async { Err("no route".to_owned()) });
    ///         cosched::sleep(Duration::from_secs(3600)).await; // cancelled
    ///         "body done"
    ///     })
    ///     .await;
    /// let error = result.unwrap_err();
    /// assert_eq!(error.errors(), [cosched::Failure::Err("no route".to_owned())]);
    /// # });
    /// ```
    pub async fn scope<F, Fut, R>(self, body: F) -> Result<Option<R>, GroupError<E>>
    where
        F: FnOnce(GroupHandle<(), E>) -> Fut,
        Fut: Future<Output = R>,
    {
        let shared = &self.handle.shared;
        shared.keep_failures_only();
        let mut body = pin!(Some(body(self.handle())));
        let mut output = None;
        poll_fn(|cx| {
            if let Some(running) = body.as_mut().as_pin_mut() {
                shared.register(cx);
                if shared.is_stopping() {
                    let dropped = panic::catch_unwind(AssertUnwindSafe(|| body.set(None)));
                    if let Err(payload) = dropped {
                        shared.fail(Failure::Body(task::error::contain(payload)));
                    }
                } else {
                    match panic::catch_unwind(AssertUnwindSafe(|| running.poll(cx))) {
                        Ok(Poll::Pending) => return Poll::Pending,
                        Ok(Poll::Ready(done)) => {
                            output = Some(done);
                            body.set(None);
                        }
                        Err(payload) => {
                            shared.fail(Failure::Body(task::error::contain(payload)));
                            let dropped = panic::catch_unwind(AssertUnwindSafe(|| body.set(None)));
                            if let Err(payload) = dropped {
                                shared.fail(Failure::Body(task::error::contain(payload)));
                            }
                        }
                    }
                }
            }
            shared.poll_all_done(cx)
        })
        .await;
        shared.close();
        let errors: Vec<_> = shared
            .take_done()
            .into_iter()
            .filter_map(|(_, outcome)| outcome.err())
            .filter(|failure| !failure.is_cancelled())
            .collect();
        if errors.is_empty() {
            Ok(output)
        } else {
            Err(GroupError::new(errors))
        }
    }
}

impl<T, E> GroupHandle<T, E> {
    /// [`TaskGroup::create_task`], through the handle.
    ///
    /// ```
    /// # cosched::run(async {
    /// let mut group = cosched::TaskGroup::new();
    /// group.handle().create_task(async { 3 });
    /// assert_eq!(group.join().await, Ok(vec![3]));
    /// # });
    /// ```
    #[track_caller]
    pub fn create_task<C>(&self, coroutine: C) -> TaskRef
    where
        C: GroupMember<T, E, Output = T>,
    {
        self.add(None, coroutine, Ok)
    }

    /// [`TaskGroup::create_task_named`], through the handle.
    ///
    /// ```
    /// # cosched::run(async {
    /// let mut group = cosched::TaskGroup::new();
    /// let member = group.handle().create_task_named("w", async { 3 });
    /// assert_eq!(member.name(), "w");
    /// # group.join().await.unwrap();
    /// # });
    /// ```
    #[track_caller]
    pub fn create_task_named<C>(&self, name: impl Into<Cow<'static, str>>, coroutine: C) -> TaskRef
    where
        C: GroupMember<T, E, Output = T>,
    {
        self.add(Some(name.into()), coroutine, Ok)
    }

    /// [`TaskGroup::try_create_task`], through the handle.
    ///
    /// ```
    /// # cosched::run(async {
    /// let mut group = cosched::TaskGroup::<u8, &str>::fallible();
    /// group.handle().try_create_task(async { Err("no") });
    /// assert!(group.join().await.is_err());
    /// # });
    /// ```
    #[track_caller]
    pub fn try_create_task<C>(&self, coroutine: C) -> TaskRef
    where
        C: GroupMember<T, E, Output = Result<T, E>>,
    {
        self.add(None, coroutine, std::convert::identity)
    }

    /// [`TaskGroup::try_create_task_named`], through the handle.
    ///
    /// ```
    /// # cosched::run(async {
    /// let mut group = cosched::TaskGroup::<u8, &str>::fallible();
    /// let member = group.handle().try_create_task_named("t", async { Ok(1) });
    /// assert_eq!(member.name(), "t");
    /// # group.join().await.unwrap();
    /// # });
    /// ```
    #[track_caller]
    pub fn try_create_task_named<C>(
        &self,
        name: impl Into<Cow<'static, str>>,
        coroutine: C,
    ) -> TaskRef
    where
        C: GroupMember<T, E, Output = Result<T, E>>,
    {
        self.add(Some(name.into()), coroutine, std::convert::identity)
    }

    /// [`TaskGroup::cancel`], through the handle: a member can stop its
    /// group.
    ///
    /// ```
    /// # cosched::run(async {
    /// let mut group = cosched::TaskGroup::<()>::new();
    /// let handle = group.handle();
    /// group.create_task(cosched::sleep(std::time::Duration::from_secs(3600)));
    /// group.create_task(async move { handle.cancel() });
    /// assert_eq!(group.join().await, Ok(vec![()]));
    /// # });
    /// ```
    pub fn cancel(&self) {
        self.shared.cancel();
    }

    /// [`TaskGroup::len`], through the handle.
    ///
    /// ```
    /// # cosched::run(async {
    /// let group = cosched::TaskGroup::<()>::new();
    /// let handle = group.handle();
    /// handle.create_task(cosched::sleep(std::time::Duration::from_secs(60)));
    /// assert_eq!(handle.len(), 1);
    /// # });
    /// ```
    pub fn len(&self) -> usize {
        self.shared.running()
    }

    /// [`TaskGroup::is_empty`], through the handle.
    ///
    /// ```
    /// let group = cosched::TaskGroup::<()>::new();
    /// assert!(group.handle().is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// [`TaskGroup::is_closed`], through the handle.
    ///
    /// ```
    /// let group = cosched::TaskGroup::<()>::new();
    /// assert!(!group.handle().is_closed());
    /// ```
    pub fn is_closed(&self) -> bool {
        self.shared.is_closed()
    }

    #[track_caller]
    fn add<C>(
        &self,
        name: Option<Cow<'static, str>>,
        coroutine: C,
        convert: fn(C::Output) -> Result<T, E>,
    ) -> TaskRef
    where
        C: GroupMember<T, E>,
    {
        let origin = Origin::named(name);
        with_current_loop(|event_loop| match self.shared.admit() {
            Admission::Member(key, limiter) => {
                let report = Report::new(Arc::clone(&self.shared), key, convert);
                let task = coroutine.spawn_member(event_loop, origin, report, limiter.as_ref());
                self.shared.scheduled(key, &task);
                task
            }
            // Scheduled and cancelled before it starts, as asyncio's closed
            // group refuses it: the handle says so.
            Admission::Closed => coroutine.spawn_refused(event_loop, origin),
        })
    }
}

impl<T, E> Clone for GroupHandle<T, E> {
    fn clone(&self) -> Self {
        Self {
            shared: Arc::clone(&self.shared),
        }
    }
}

impl<T> Default for TaskGroup<T> {
    fn default() -> Self {
        Self::new()
    }
}

impl<T, E> Drop for TaskGroup<T, E> {
    /// Cancels the members still running and closes the group. A drop
    /// cannot wait for them; but when it is part of the cancellation of
    /// the task it runs in (the task awaiting `join` or `scope` was
    /// cancelled), that task ends only once every member has ended.
    fn drop(&mut self) {
        self.handle.shared.cancel_owned();
    }
}

impl<T, E> fmt::Debug for TaskGroup<T, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TaskGroup")
            .field("running", &self.len())
            .field("closed", &self.is_closed())
            .finish_non_exhaustive()
    }
}

impl<T, E> fmt::Debug for GroupHandle<T, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("GroupHandle")
            .field("running", &self.shared.running())
            .field("closed", &self.is_closed())
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::TaskGroup;

    /// A server's group: many short members whose outputs are not kept.
    /// What the group holds stays at the members running now, not at all
    /// it ever had (the old group kept every finished member's task:
    /// 400,000 connections grew the process by 68 MB).
    #[test]
    fn a_scope_keeps_nothing_of_finished_members() {
        const CONNECTIONS: usize = 20_000;
        crate::run(async {
            let group = TaskGroup::<()>::new();
            let shared = std::sync::Arc::clone(&group.handle.shared);
            group
                .scope(|g| async move {
                    for n in 0..CONNECTIONS {
                        g.create_task(async {});
                        if n % 100 == 99 {
                            while !g.is_empty() {
                                crate::yield_now().await;
                            }
                            // 100 members ran at once; what is kept is
                            // bounded by the sweep, not by 20,000.
                            let kept = shared.kept();
                            assert!(kept <= 2 * 16, "{kept} kept after {n}");
                        }
                    }
                })
                .await
                .unwrap();
        });
    }
}
