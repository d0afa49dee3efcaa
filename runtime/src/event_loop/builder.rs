//! Creating tasks with options.

use std::borrow::Cow;

use super::EventLoop;
use super::context::with_current_loop;
use crate::coroutine::{IntoTask, Spawnable};
use crate::task::{Origin, Task};

/// Creates tasks with options: a name, a loop other than the current one.
///
/// ```
/// # cosched::run(async {
/// let event_loop = cosched::get_event_loop();
/// let task = cosched::Builder::new()
///     .name("fetcher")
///     .on(&event_loop)
///     .create_task(async { 5 });
/// assert_eq!(task.name(), "fetcher");
/// assert_eq!(task.await, Ok(5));
/// # });
/// ```
#[derive(Debug, Default)]
#[must_use = "a builder does nothing until `create_task` or `ensure_future` is called"]
pub struct Builder<'a> {
    name: Option<Cow<'static, str>>,
    event_loop: Option<&'a EventLoop>,
    eager: bool,
}

impl<'a> Builder<'a> {
    /// A builder with no options set.
    ///
    /// ```
    /// # cosched::run(async {
    /// let task = cosched::Builder::new().create_task(async {});
    /// assert!(task.name().starts_with("Task-"));
    /// # });
    /// ```
    pub fn new() -> Self {
        Self::default()
    }

    /// The task's name, in full (no id is appended).
    ///
    /// ```
    /// # cosched::run(async {
    /// let task = cosched::Builder::new().name(format!("job-{}", 3)).create_task(async {});
    /// assert_eq!(task.name(), "job-3");
    /// # });
    /// ```
    pub fn name(mut self, name: impl Into<Cow<'static, str>>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// Eager start, asyncio 3.14's `eager_start=True`: the coroutine runs
    /// at once, on this thread, until it first suspends. One that finishes
    /// without suspending gives a task that is already done and never
    /// reached the scheduler; one that suspends is scheduled as usual from
    /// there.
    ///
    /// As in asyncio, this changes the order of things: the coroutine's
    /// first steps run *before* `create_task` returns, ahead of whatever
    /// the caller does next and of tasks scheduled earlier; a coroutine
    /// that never suspends never yields to the others. Use it for
    /// coroutines that often finish at once (a cache hit, a ready value),
    /// where it saves the round trip through the scheduler.
    ///
    /// ```
    /// # cosched::run(async {
    /// use std::sync::atomic::{AtomicBool, Ordering};
    /// use std::sync::Arc;
    /// let ran = Arc::new(AtomicBool::new(false));
    /// let flag = Arc::clone(&ran);
    /// let task = cosched::Builder::new()
    ///     .eager()
    ///     .create_task(async move { flag.store(true, Ordering::Relaxed); 7 });
    /// assert!(ran.load(Ordering::Relaxed)); // it ran inside `create_task`
    /// assert!(task.is_done());
    /// assert_eq!(task.await, Ok(7));
    /// # });
    /// ```
    pub fn eager(mut self) -> Self {
        self.eager = true;
        self
    }

    /// The loop to schedule on, instead of the current one.
    ///
    /// ```
    /// let event_loop = cosched::EventLoop::new();
    /// let task = cosched::Builder::new().on(&event_loop).create_task(async { 1 });
    /// assert_eq!(event_loop.run_until_complete(task), Ok(1));
    /// ```
    pub fn on(mut self, event_loop: &'a EventLoop) -> Self {
        self.event_loop = Some(event_loop);
        self
    }

    /// [`create_task`](crate::create_task) with these options.
    ///
    /// ```
    /// # cosched::run(async {
    /// let task = cosched::Builder::new().name("x").create_task(async { 1 });
    /// assert_eq!(task.await, Ok(1));
    /// # });
    /// ```
    #[track_caller]
    pub fn create_task<C, T>(self, coroutine: C) -> Task<T>
    where
        C: Spawnable<Output = T>,
    {
        let mut origin = Origin::named(self.name);
        origin.eager = self.eager;
        match self.event_loop {
            Some(event_loop) => coroutine.spawn_on(event_loop, origin),
            None => with_current_loop(|event_loop| coroutine.spawn_on(event_loop, origin)),
        }
    }

    /// [`ensure_future`](crate::ensure_future) with these options; the name applies only if a new
    /// task is created.
    ///
    /// ```
    /// # cosched::run(async {
    /// let task = cosched::Builder::new().name("y").ensure_future(async { 1 });
    /// assert_eq!(task.name(), "y");
    /// let same = cosched::Builder::new().name("z").ensure_future(task);
    /// assert_eq!(same.name(), "y");
    /// # });
    /// ```
    #[track_caller]
    pub fn ensure_future<X, T>(self, x: X) -> Task<T>
    where
        X: IntoTask<Output = T>,
    {
        let mut origin = Origin::named(self.name);
        origin.eager = self.eager;
        match self.event_loop {
            Some(event_loop) => x.into_task(event_loop, origin),
            None => with_current_loop(|event_loop| x.into_task(event_loop, origin)),
        }
    }
}
