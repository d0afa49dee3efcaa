//! Coroutine values, and the traits that say what can be scheduled.

use std::any::TypeId;
use std::fmt;
use std::future::{Future, IntoFuture};
use std::marker::PhantomData;
use std::panic::Location;
use std::pin::Pin;
use std::task::{Context, Poll};

use pin_project_lite::pin_project;

use crate::event_loop::{EventLoop, create_task, with_current_loop};
use crate::task::{Name, Origin, Task, TaskMeta, naming};

pin_project! {
    /// A call of a [`#[task]`](crate::task) fn: a coroutine, lazy like a Python
    /// coroutine object. Nothing runs until it is `.await`ed (or otherwise
    /// polled), passed to [`create_task`]/[`ensure_future`](crate::ensure_future),
    /// or [`spawn`](Coroutine::spawn)ed.
    ///
    /// `K` is [`Threaded`] for a `Send` body, which runs on the backend's thread
    /// pool, or [`Local`] for a `#[task(local)]` one, which runs on the thread
    /// that drives the loop; [`Eager`]`<K>` for a `#[task(eager)]` one, whose
    /// tasks start on the thread that schedules them.
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
    ///
    /// A threaded coroutine is a [`Future`], so whatever takes a future takes
    /// it: another runtime's `spawn`, `Box::pin` (which a recursive
    /// coroutine needs), `join!`/`select!`, [`std::future::poll_fn`]. Still
    /// nothing runs before its first poll, and its options hold wherever it
    /// runs (`limit = N` counts it while it runs there too):
    ///
    /// ```
    /// #[cosched::task]
    /// async fn sum_to(n: u64) -> u64 {
    ///     if n == 0 { 0 } else { n + Box::pin(sum_to(n - 1)).await }
    /// }
    ///
    /// # cosched::run(async {
    /// let boxed: std::pin::Pin<Box<dyn Future<Output = u64> + Send>> = Box::pin(sum_to(4));
    /// assert_eq!(boxed.await, 10);
    /// # });
    /// ```
    ///
    /// Scheduled by [`create_task`] (or [`ensure_future`](crate::ensure_future),
    /// [`Builder`](crate::Builder), a [`TaskGroup`](crate::TaskGroup),
    /// [`schedule!`](crate::schedule), ...), a threaded coroutine is the
    /// task's future, as any future would be; its task is named after its fn
    /// from the task's first poll on, and `Task-<id>` until then.
    /// [`spawn`](Coroutine::spawn) names it at once.
    ///
    /// ```
    /// #[cosched::task]
    /// async fn double(x: u32) -> u32 {
    ///     x * 2
    /// }
    ///
    /// # cosched::run(async {
    /// let task = cosched::create_task(double(3));
    /// let handle = task.task_ref();
    /// assert_eq!(task.await, Ok(6)); // it has run
    /// assert_eq!(handle.name(), format!("double-{}", handle.id()));
    /// # });
    /// ```
    ///
    /// A [`Local`] or [`Eager`] coroutine is only [`IntoFuture`]: `.await` takes it, and so
    /// does anything that takes `impl IntoFuture`; elsewhere pass
    /// `coroutine.into_future()`. This keeps it off every thread pool,
    /// another runtime's included.
    ///
    /// ```compile_fail
    /// #[cosched::task(local)]
    /// async fn on_the_loop() {}
    /// fn pool<F: Future + Send + 'static>(_: F) {}
    /// pool(on_the_loop()); // error: not a `Future`
    /// ```
    #[must_use = "a coroutine does nothing unless it is `.await`ed or scheduled with `create_task`, `ensure_future` or `.spawn()`"]
    pub struct Coroutine<F, K = Threaded> {
        made: Made,
        #[pin]
        future: F,
        kind: PhantomData<K>,
    }
}

/// Which fn a coroutine came from, and, until it is awaited, scheduled or
/// first polled, where it was created: dropped before that, in
/// [debug mode](crate::debug), it reports itself never awaited
/// ([`Report::CoroutineNeverAwaited`](crate::report::Report::CoroutineNeverAwaited)),
/// as asyncio's "coroutine 'f' was never awaited".
struct Made {
    meta: &'static TaskMeta,
    created: Option<&'static Location<'static>>,
}

impl Made {
    /// Its coroutine was awaited, scheduled or polled: nothing to report.
    #[inline]
    fn used(mut self) -> &'static TaskMeta {
        self.created = None;
        self.meta
    }
}

impl Drop for Made {
    #[inline]
    fn drop(&mut self) {
        if let Some(created) = self.created {
            crate::debug::never_awaited(self.meta, created);
        }
    }
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

/// Marks a [`Coroutine`] from a `#[task(eager)]` fn: however it is
/// scheduled (`create_task`, `ensure_future`, `.spawn()`, a `TaskGroup`,
/// `schedule!`), its task starts at once, on the scheduling thread, and
/// runs there until it first suspends, as with
/// [`Builder::eager`](crate::Builder::eager). One that finishes without
/// suspending gives a task that is done when the call returns and never
/// reached the scheduler.
///
/// `K` is where it runs once suspended: [`Threaded`] (the default) or
/// [`Local`] (`#[task(eager, local)]`). Like a local coroutine, an eager
/// one is not itself a `Future` (a `Future` would be scheduled by the
/// impls for plain futures, lazily): `.await` takes it through
/// `IntoFuture`, and runs it inline.
///
/// ```
/// #[cosched::task(eager)]
/// async fn lookup(key: u32) -> u32 {
///     key * 2 // never suspends
/// }
/// # cosched::run(async {
/// let coroutine: cosched::Coroutine<_, cosched::Eager> = lookup(21);
/// let task = cosched::create_task(coroutine);
/// assert!(task.is_done(), "it ran inside create_task");
/// assert_eq!(task.await, Ok(42));
/// # });
/// ```
pub struct Eager<K = Threaded> {
    never: std::convert::Infallible,
    kind: PhantomData<K>,
}

impl<K> fmt::Debug for Eager<K> {
    fn fmt(&self, _: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.never {}
    }
}

impl<F, K> Coroutine<F, K> {
    /// Wraps `future` with the metadata of the fn it came from; the
    /// [`#[task]`](crate::task) expansion calls this.
    ///
    /// ```
    /// static META: cosched::TaskMeta = cosched::TaskMeta::new("by_hand");
    /// let coroutine: cosched::Coroutine<_> = cosched::Coroutine::new(&META, async { 1 });
    /// assert_eq!(cosched::run(coroutine), 1);
    /// ```
    #[track_caller]
    pub const fn new(meta: &'static TaskMeta, future: F) -> Self {
        Self {
            made: Made {
                meta,
                created: Some(Location::caller()),
            },
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
        self.made.meta
    }

    /// Where this coroutine was created (the call of its `#[task]` fn),
    /// until it is awaited, scheduled or first polled; `None` after that.
    ///
    /// ```
    /// #[cosched::task]
    /// async fn tick() {}
    /// let line = line!() + 1;
    /// let coroutine = tick();
    /// assert_eq!(coroutine.created_at().map(|at| at.line()), Some(line));
    /// # cosched::run(coroutine);
    /// ```
    pub fn created_at(&self) -> Option<&'static Location<'static>> {
        self.made.created
    }
}

impl<F> Coroutine<F, Threaded> {
    /// Schedules this coroutine on the current loop, like
    /// [`create_task(self)`](create_task), and names its task after its fn
    /// at once (`create_task` names it from the task's first poll on).
    ///
    /// ```
    /// #[cosched::task]
    /// async fn answer() -> u8 {
    ///     42
    /// }
    /// # cosched::run(async {
    /// let task = answer().spawn();
    /// assert!(task.name().starts_with("answer-"));
    /// assert_eq!(task.await, Ok(42));
    /// # });
    /// ```
    #[track_caller]
    pub fn spawn(self) -> Task<F::Output>
    where
        F: Future + Send + 'static,
        F::Output: Send + 'static,
    {
        let site = Location::caller();
        let (meta, future) = self.into_parts();
        with_current_loop(|event_loop| event_loop.spawn(Name::new(meta, Origin::at(site)), future))
    }
}

impl<F> Coroutine<F, Local> {
    /// Schedules this coroutine on the current loop: the same as
    /// [`create_task(self)`](create_task). Its task runs on the thread that
    /// drives the loop; scheduled from any other thread, it fails with
    /// [`TaskError::NotOnLoopThread`](crate::TaskError::NotOnLoopThread).
    ///
    /// ```
    /// #[cosched::task(local)]
    /// async fn answer() -> u8 {
    ///     let shared = std::rc::Rc::new(42);
    ///     cosched::yield_now().await;
    ///     *shared
    /// }
    /// # cosched::run(async {
    /// let task = answer().spawn();
    /// assert!(task.name().starts_with("answer-"));
    /// assert_eq!(task.await, Ok(42));
    /// # });
    /// ```
    #[track_caller]
    pub fn spawn(self) -> Task<F::Output>
    where
        F: Future + 'static,
        F::Output: 'static,
    {
        create_task(self)
    }
}

impl<F, K> Coroutine<F, Eager<K>>
where
    Self: Spawnable,
{
    /// Schedules this coroutine on the current loop, eagerly: the same as
    /// [`create_task(self)`](create_task).
    ///
    /// ```
    /// #[cosched::task(eager)]
    /// async fn answer() -> u8 {
    ///     42
    /// }
    /// # cosched::run(async {
    /// let task = answer().spawn();
    /// assert!(task.is_done());
    /// assert!(task.name().starts_with("answer-"));
    /// assert_eq!(task.await, Ok(42));
    /// # });
    /// ```
    #[track_caller]
    pub fn spawn(self) -> Task<<Self as Spawnable>::Output> {
        create_task(self)
    }
}

impl<F, K> Coroutine<F, K> {
    /// Its fn's metadata and its future: it is being awaited or scheduled.
    #[inline]
    pub(crate) fn into_parts(self) -> (&'static TaskMeta, F) {
        let Self { made, future, .. } = self;
        (made.used(), future)
    }
}

// `'static`: the coroutine compares its own `TypeId` with the task
// future's (see `naming`). Every `#[task]` coroutine is `'static`; one
// made by hand around a borrowing future is not a `Future`.
impl<F: Future + 'static> Future for Coroutine<F, Threaded> {
    type Output = F::Output;

    #[inline]
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        // Is this coroutine its task's future, at the task's first poll?
        // Then the task is named after it (a plain future's task is
        // `Task-<id>` until then).
        naming::claim(
            std::ptr::from_ref(&*self).addr(),
            TypeId::of::<Self>,
            self.made.meta,
        );
        let this = self.project();
        this.made.created = None; // it runs: never "never awaited"
        this.future.poll(cx)
    }
}

// A local coroutine is no `Future` (a `Future` would take the blanket
// impls of `Spawnable` and `IntoTask` over `Send` futures, which run on a
// pool): this is what `.await` takes.
impl<F: Future> IntoFuture for Coroutine<F, Local> {
    type Output = F::Output;
    type IntoFuture = F;

    fn into_future(self) -> F {
        self.into_parts().1
    }
}

// Awaited rather than scheduled: run inline, as any coroutine awaited.
impl<F: Future, K> IntoFuture for Coroutine<F, Eager<K>> {
    type Output = F::Output;
    type IntoFuture = F;

    fn into_future(self) -> F {
        self.into_parts().1
    }
}

impl<F, K> fmt::Debug for Coroutine<F, K> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Coroutine")
            .field("meta", self.made.meta)
            .finish_non_exhaustive()
    }
}

/// The metadata of a plain future: its tasks are named `Task-<id>`.
static PLAIN: TaskMeta = TaskMeta::new("Task");

/// Whether `meta` is the metadata of a plain future.
#[inline]
pub(crate) fn is_plain(meta: &TaskMeta) -> bool {
    std::ptr::eq(meta, std::ptr::from_ref(&PLAIN))
}

/// The metadata [`Spawnable::into_coroutine`] gives a `Send` future, which
/// may be a threaded coroutine (the blanket impl cannot tell): a wrapper
/// made of it ([`after`](crate::after), a group member, ...) is named
/// `Task-<id>` until what it wraps is first polled, inside it ([`Named`]).
static UNNAMED: TaskMeta = TaskMeta::new("Task");

pin_project! {
    /// A future that a wrapper coroutine of [`UNNAMED`] runs: if that is
    /// its task's future, its task is named after this one on this one's
    /// first poll, when this one is a threaded coroutine.
    pub(crate) struct Named<F> {
        #[pin]
        future: F,
        first: bool,
    }
}

impl<F> Named<F> {
    pub(crate) fn new(future: F) -> Self {
        Self {
            future,
            first: true,
        }
    }
}

impl<F: Future + 'static> Future for Named<F> {
    type Output = F::Output;

    #[inline]
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        let this = self.project();
        if !std::mem::take(this.first) {
            return this.future.poll(cx);
        }
        let _window = name_after(&*this.future);
        this.future.poll(cx)
    }
}

/// Opens the naming window for `future`, which a wrapper coroutine made
/// by [`Spawnable::into_coroutine`] polls for the first time: see
/// [`Named`], whose poll this is (a group member's is its own).
#[inline]
pub(crate) fn name_after<F: 'static>(future: &F) -> Option<naming::Open> {
    naming::open_inner(future, &UNNAMED)
}

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

    impl<K: Kind> Kind for super::Eager<K> {
        const LOCAL: bool = K::LOCAL;
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
    type Future: Future<Output = Self::Output> + 'static;

    #[doc(hidden)]
    fn into_coroutine(self) -> Coroutine<Self::Future, Self::Kind>;

    #[doc(hidden)]
    fn spawn_on(self, event_loop: &EventLoop, origin: Origin) -> Task<Self::Output>;
}

impl<F> sealed::Sealed for F where F: Future {}

impl<F> Spawnable for F
where
    F: Future + Send + 'static + SendOutput,
{
    type Output = F::Output;
    type Kind = Threaded;
    type Future = F;

    fn into_coroutine(self) -> Coroutine<F, Threaded> {
        Coroutine::new(&UNNAMED, self)
    }

    fn spawn_on(self, event_loop: &EventLoop, origin: Origin) -> Task<F::Output> {
        event_loop.spawn(Name::new(&PLAIN, origin), self)
    }
}

/// A future whose output can cross threads, as a task's result does: what
/// [`Spawnable`]'s impl over `Send` futures asks of the output, as a bound
/// on the future itself, so that a coroutine whose output is not `Send`
/// is reported with [`Spawnable`]'s own notes (`#[task(local)]` among
/// them) rather than as a bare "cannot be sent between threads safely".
#[doc(hidden)]
#[diagnostic::on_unimplemented(
    message = "the output of `{Self}` cannot be a task's result: it is not `Send`",
    note = "a task's result crosses threads; a coroutine whose output is not `Send` can run as a `#[cosched::task(local)]` fn"
)]
pub trait SendOutput: Future<Output: Send + 'static> {}

#[diagnostic::do_not_recommend]
impl<F> SendOutput for F
where
    F: Future,
    F::Output: Send + 'static,
{
}

impl<F> sealed::Sealed for Coroutine<F, Local> {}

// Not offered as the one impl there is when something else is refused
// ("the trait `Spawnable` is implemented for `Coroutine<F, Local>`"): that
// reads as if only local coroutines could be scheduled. (A threaded
// coroutine is a `Send` future: the blanket impl above takes it.)
#[diagnostic::do_not_recommend]
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
        let (meta, future) = self.into_parts();
        event_loop.spawn_local(Name::new(meta, origin), future)
    }
}

impl<F, K> sealed::Sealed for Coroutine<F, Eager<K>> {}

#[diagnostic::do_not_recommend]
impl<F> Spawnable for Coroutine<F, Eager<Threaded>>
where
    F: Future + Send + 'static,
    F::Output: Send + 'static,
{
    type Output = F::Output;
    type Kind = Eager<Threaded>;
    type Future = F;

    fn into_coroutine(self) -> Self {
        self
    }

    fn spawn_on(self, event_loop: &EventLoop, mut origin: Origin) -> Task<F::Output> {
        origin.eager = true;
        let (meta, future) = self.into_parts();
        event_loop.spawn(Name::new(meta, origin), future)
    }
}

#[diagnostic::do_not_recommend]
impl<F> Spawnable for Coroutine<F, Eager<Local>>
where
    F: Future + 'static,
    F::Output: 'static,
{
    type Output = F::Output;
    type Kind = Eager<Local>;
    type Future = F;

    fn into_coroutine(self) -> Self {
        self
    }

    fn spawn_on(self, event_loop: &EventLoop, mut origin: Origin) -> Task<F::Output> {
        origin.eager = true;
        let (meta, future) = self.into_parts();
        event_loop.spawn_local(Name::new(meta, origin), future)
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

// Not listed among "the other types that implement `IntoTask`" when
// something else is refused: the local coroutine's and `Task`'s entries say
// enough.
#[diagnostic::do_not_recommend]
impl<F, K> IntoTask for Coroutine<F, Eager<K>>
where
    Self: Spawnable,
{
    type Output = <Self as Spawnable>::Output;

    fn into_task(self, event_loop: &EventLoop, origin: Origin) -> Task<Self::Output> {
        self.spawn_on(event_loop, origin)
    }
}

impl<T> IntoTask for Task<T> {
    type Output = T;

    fn into_task(self, _: &EventLoop, _: Origin) -> Task<T> {
        self
    }
}
