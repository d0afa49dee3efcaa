//! Coroutine values, and the traits that say what can be scheduled.

use std::fmt;
use std::future::{Future, IntoFuture};
use std::marker::PhantomData;

use crate::event_loop::{EventLoop, create_task};
use crate::task::{Name, Origin, Task, TaskMeta};

/// A call of a [`#[task]`](crate::task) fn: a coroutine, lazy like a Python
/// coroutine object. Nothing runs until it is `.await`ed, passed to
/// [`create_task`]/[`ensure_future`](crate::ensure_future), or
/// [`spawn`](Coroutine::spawn)ed.
///
/// `K` is [`Threaded`] for a `Send` body, which runs on the backend's thread
/// pool, or [`Local`] for a `#[task(local)]` one, which runs on the thread
/// that drives the loop.
///
/// ```
/// #[cosched::task]
/// async fn double(x: u32) -> u32 {
///     x * 2
/// }
///
/// # cosched::run(async {
/// let coroutine: cosched::Coroutine<_> = double(2);
/// assert_eq!(coroutine.meta().name(), "double");
/// assert_eq!(coroutine.await, 4); // inline, like `await double(2)`
///
/// let task = double(3).spawn(); // scheduled, like `create_task(double(3))`
/// assert!(task.name().starts_with("double-"));
/// assert_eq!(task.await, Ok(6));
/// # });
/// ```
#[must_use = "a coroutine does nothing unless it is `.await`ed or scheduled with `create_task`, `ensure_future` or `.spawn()`"]
pub struct Coroutine<F, K = Threaded> {
    meta: &'static TaskMeta,
    future: F,
    kind: PhantomData<K>,
}

/// Marks a [`Coroutine`] whose body is `Send`: it runs on the backend's
/// thread pool.
///
/// ```
/// #[cosched::task]
/// async fn tick() {}
/// let _: cosched::Coroutine<_, cosched::Threaded> = tick();
/// ```
#[derive(Debug)]
pub enum Threaded {}

/// Marks a [`Coroutine`] whose body need not be `Send` (`#[task(local)]`):
/// it runs on the thread that drives the loop.
///
/// ```
/// #[cosched::task(local)]
/// async fn counter() -> usize {
///     let shared = std::rc::Rc::new(1);
///     cosched::sleep(std::time::Duration::ZERO).await;
///     *shared
/// }
/// # cosched::run(async {
/// let coroutine: cosched::Coroutine<_, cosched::Local> = counter();
/// assert_eq!(coroutine.spawn().await, Ok(1));
/// # });
/// ```
#[derive(Debug)]
pub enum Local {}

impl<F, K> Coroutine<F, K> {
    /// Wraps `future` with the metadata of the fn it came from; the
    /// [`#[task]`](crate::task) expansion calls this.
    ///
    /// ```
    /// static META: cosched::TaskMeta = cosched::TaskMeta::new("by_hand");
    /// let coroutine: cosched::Coroutine<_> = cosched::Coroutine::new(&META, async { 1 });
    /// assert_eq!(cosched::run(coroutine), 1);
    /// ```
    pub const fn new(meta: &'static TaskMeta, future: F) -> Self {
        Self {
            meta,
            future,
            kind: PhantomData,
        }
    }

    /// The metadata of the fn this coroutine came from.
    ///
    /// ```
    /// #[cosched::task(name = "ticker", limit = 2)]
    /// async fn tick() {}
    /// let coroutine = tick();
    /// assert_eq!(coroutine.meta().name(), "ticker");
    /// assert_eq!(coroutine.meta().max_running(), Some(2));
    /// # drop(coroutine);
    /// ```
    pub fn meta(&self) -> &'static TaskMeta {
        self.meta
    }

    /// Schedules this coroutine on the current loop: the same as
    /// [`create_task(self)`](create_task).
    ///
    /// ```
    /// #[cosched::task]
    /// async fn answer() -> u8 {
    ///     42
    /// }
    /// # cosched::run(async {
    /// assert_eq!(answer().spawn().await, Ok(42));
    /// # });
    /// ```
    #[track_caller]
    pub fn spawn(self) -> Task<F::Output>
    where
        F: Future,
        Self: Spawnable<Output = F::Output>,
    {
        create_task(self)
    }
}

impl<F, K> Coroutine<F, K> {
    pub(crate) fn into_parts(self) -> (&'static TaskMeta, F) {
        (self.meta, self.future)
    }
}

impl<F: Future, K> IntoFuture for Coroutine<F, K> {
    type Output = F::Output;
    type IntoFuture = F;

    fn into_future(self) -> F {
        self.future
    }
}

impl<F, K> fmt::Debug for Coroutine<F, K> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Coroutine")
            .field("meta", self.meta)
            .finish_non_exhaustive()
    }
}

/// The metadata of a plain future: its tasks are named `Task-<id>`.
static PLAIN: TaskMeta = TaskMeta::new("Task");

mod sealed {
    pub trait Sealed {}

    /// What a coroutine's kind says about where it runs.
    pub trait Kind {
        /// Whether it runs on the thread that drives its loop only.
        const LOCAL: bool;
    }

    impl Kind for super::Threaded {
        const LOCAL: bool = false;
    }

    impl Kind for super::Local {
        const LOCAL: bool = true;
    }
}

pub(crate) use sealed::Kind;

/// A coroutine that [`create_task`] can schedule: a `Send + 'static` future,
/// or a [`Coroutine`] from a [`#[task]`](crate::task) fn. Sealed.
///
/// A [`Task`] is not one: it is already scheduled.
///
/// ```
/// fn schedule<C: cosched::Spawnable>(coroutine: C) -> cosched::Task<C::Output> {
///     cosched::create_task(coroutine)
/// }
/// # cosched::run(async {
/// assert_eq!(schedule(async { 1 }).await, Ok(1));
/// # });
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a coroutine that cosched can schedule",
    label = "not an unscheduled coroutine",
    note = "`create_task` takes a `Send + 'static` future or a call of a `#[cosched::task]` fn",
    note = "a `Task` is already scheduled: `.await` it, or pass it to `ensure_future`, which returns it as it is",
    note = "a future that is not `Send` can run as a `#[cosched::task(local)]` fn"
)]
pub trait Spawnable: Sized + sealed::Sealed {
    /// What the coroutine returns.
    type Output;
    #[doc(hidden)]
    type Kind: sealed::Kind;
    #[doc(hidden)]
    type Future: Future<Output = Self::Output>;

    #[doc(hidden)]
    fn into_coroutine(self) -> Coroutine<Self::Future, Self::Kind>;

    #[doc(hidden)]
    fn spawn_on(self, event_loop: &EventLoop, origin: Origin) -> Task<Self::Output>;
}

impl<F> sealed::Sealed for F where F: Future {}

impl<F> Spawnable for F
where
    F: Future + Send + 'static,
    F::Output: Send + 'static,
{
    type Output = F::Output;
    type Kind = Threaded;
    type Future = F;

    fn into_coroutine(self) -> Coroutine<F, Threaded> {
        Coroutine::new(&PLAIN, self)
    }

    fn spawn_on(self, event_loop: &EventLoop, origin: Origin) -> Task<F::Output> {
        event_loop.spawn(Name::new(&PLAIN, origin), self)
    }
}

impl<F, K> sealed::Sealed for Coroutine<F, K> {}

impl<F> Spawnable for Coroutine<F, Threaded>
where
    F: Future + Send + 'static,
    F::Output: Send + 'static,
{
    type Output = F::Output;
    type Kind = Threaded;
    type Future = F;

    fn into_coroutine(self) -> Self {
        self
    }

    fn spawn_on(self, event_loop: &EventLoop, origin: Origin) -> Task<F::Output> {
        event_loop.spawn(Name::new(self.meta, origin), self.future)
    }
}

impl<F> Spawnable for Coroutine<F, Local>
where
    F: Future + 'static,
    F::Output: 'static,
{
    type Output = F::Output;
    type Kind = Local;
    type Future = F;

    fn into_coroutine(self) -> Self {
        self
    }

    fn spawn_on(self, event_loop: &EventLoop, origin: Origin) -> Task<F::Output> {
        event_loop.spawn_local(Name::new(self.meta, origin), self.future)
    }
}

/// What [`ensure_future`](crate::ensure_future) accepts: a [`Task`], passed
/// through as it is, or a coroutine ([`Spawnable`]), which it schedules.
/// Sealed.
///
/// ```
/// fn make_sure<X: cosched::IntoTask>(x: X) -> cosched::Task<X::Output> {
///     cosched::ensure_future(x)
/// }
/// # cosched::run(async {
/// let task = make_sure(async { 1 });
/// assert_eq!(make_sure(task).await, Ok(1));
/// # });
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` is neither a `Task` nor a coroutine that cosched can schedule",
    label = "not a task or coroutine",
    note = "`ensure_future` takes a `Task`, which it returns as it is, or a `Send + 'static` future or `#[cosched::task]` call, which it schedules"
)]
pub trait IntoTask: Sized {
    /// What the task returns.
    type Output;

    #[doc(hidden)]
    fn into_task(self, event_loop: &EventLoop, origin: Origin) -> Task<Self::Output>;
}

// One impl per kind of coroutine rather than a blanket impl over
// `Spawnable`: then a type that is neither gets `IntoTask`'s own message,
// not "is not a future" from the blanket impl's bounds.
impl<F> IntoTask for F
where
    F: Future + Send + 'static,
    F::Output: Send + 'static,
{
    type Output = F::Output;

    fn into_task(self, event_loop: &EventLoop, origin: Origin) -> Task<F::Output> {
        self.spawn_on(event_loop, origin)
    }
}

impl<F> IntoTask for Coroutine<F, Threaded>
where
    F: Future + Send + 'static,
    F::Output: Send + 'static,
{
    type Output = F::Output;

    fn into_task(self, event_loop: &EventLoop, origin: Origin) -> Task<F::Output> {
        self.spawn_on(event_loop, origin)
    }
}

impl<F> IntoTask for Coroutine<F, Local>
where
    F: Future + 'static,
    F::Output: 'static,
{
    type Output = F::Output;

    fn into_task(self, event_loop: &EventLoop, origin: Origin) -> Task<F::Output> {
        self.spawn_on(event_loop, origin)
    }
}

impl<T> IntoTask for Task<T> {
    type Output = T;

    fn into_task(self, _: &EventLoop, _: Origin) -> Task<T> {
        self
    }
}
