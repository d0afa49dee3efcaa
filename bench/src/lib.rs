//! The workloads of cosched's benchmarks, shared by the criterion benches
//! (`benches/spawn.rs`) and the driver (`src/bin/driver/`).
//!
//! Every [`Variant`] runs the same two [`Workload`]s on one runtime: raw
//! async-std, raw smol, raw tokio, or cosched on the backend this build
//! selects ([`BACKEND`]) through one of its entry points. Each returns the
//! wall time of its own work, from the first spawn to the last result, so
//! runtime start-up and shutdown are not counted.
#![forbid(unsafe_code)]

use std::future::{Future, IntoFuture};
use std::hint::black_box;
use std::pin::Pin;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock, PoisonError};
use std::task::{Context, Poll, Waker};
use std::time::{Duration, Instant};

/// The backend cosched runs on in this build: `"async-std"`, `"smol"` or
/// `"tokio"`.
pub const BACKEND: &str = cosched::BACKEND;

/// A loop in debug mode, for [`Variant::CreateTaskDebug`] (a loop of its
/// own: the variants take turns in one process).
fn debug_loop() -> cosched::EventLoop {
    let event_loop = cosched::EventLoop::new();
    event_loop.set_debug(true);
    event_loop
}

/// One way of spawning a task.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Variant {
    /// `async_std::task::spawn` of a plain async fn.
    RawAsyncStd,
    /// `async_global_executor::spawn`: async-std's executor without
    /// async-std's per-task wrapper, which is what cosched's async-std
    /// backend spawns on. A peer, not the baseline.
    RawAsyncGlobalExecutor,
    /// `smol::Executor::spawn` on an executor run by one thread per core.
    RawSmol,
    /// `tokio::spawn` on a multi-thread runtime.
    RawTokio,
    /// `smol::LocalExecutor::spawn`, run by the spawning thread: the
    /// single-thread shape (asyncio's), raw. A peer of the local rows, in
    /// every build.
    RawLocal,
    /// `cosched::create_task` of a plain async fn.
    CreateTask,
    /// `cosched::create_task` of a plain async fn, on a loop in debug mode
    /// (`EventLoop::set_debug`): creation times and timed polls.
    CreateTaskDebug,
    /// `Builder::new().eager().create_task` of a plain async fn: run at
    /// once on the spawning thread (asyncio's `eager_start=True`); a task
    /// that never suspends is done without reaching the scheduler.
    CreateTaskEager,
    /// `cosched::ensure_future` of a plain async fn.
    EnsureFuture,
    /// `Coroutine::<_, Local>::new(&META, f(i)).spawn()`: a `local` task,
    /// run on the loop's own thread (what `#[task(local)]` lowers to).
    CreateTaskLocal,
    /// `Coroutine::new(&META, f(i)).spawn()`: what `#[task]` lowers to,
    /// written by hand.
    CoroutineSpawn,
    /// `#[cosched::task]` fn, `.spawn()`.
    #[cfg(feature = "macros")]
    TaskSpawn,
    /// `cosched::schedule!(create_task f(i))` of a `#[task]` fn.
    #[cfg(feature = "macros")]
    ScheduleCreateTask,
    /// `cosched::schedule!(ensure_future f(i))` of a `#[task]` fn.
    #[cfg(feature = "macros")]
    ScheduleEnsureFuture,
}

impl Variant {
    /// Every variant this build has, raw runtimes first.
    pub fn all() -> Vec<Self> {
        let plain = [
            Self::RawAsyncStd,
            Self::RawAsyncGlobalExecutor,
            Self::RawSmol,
            Self::RawTokio,
            Self::RawLocal,
            Self::CreateTask,
            Self::CreateTaskDebug,
            Self::CreateTaskEager,
            Self::EnsureFuture,
            Self::CreateTaskLocal,
            Self::CoroutineSpawn,
        ];
        #[cfg(feature = "macros")]
        let dsl = [
            Self::TaskSpawn,
            Self::ScheduleCreateTask,
            Self::ScheduleEnsureFuture,
        ];
        #[cfg(not(feature = "macros"))]
        let dsl: [Self; 0] = [];
        plain.into_iter().chain(dsl).collect()
    }

    /// The raw variant of a runtime, by its name.
    pub fn raw(runtime: &str) -> Option<Self> {
        match runtime {
            "async-std" => Some(Self::RawAsyncStd),
            "smol" => Some(Self::RawSmol),
            "tokio" => Some(Self::RawTokio),
            _ => None,
        }
    }

    /// A short name, for command lines and file names.
    pub fn key(self) -> &'static str {
        match self {
            Self::RawAsyncStd => "raw-async-std",
            Self::RawAsyncGlobalExecutor => "raw-async-global-executor",
            Self::RawSmol => "raw-smol",
            Self::RawTokio => "raw-tokio",
            Self::RawLocal => "raw-local",
            Self::CreateTask => "create_task",
            Self::CreateTaskDebug => "create_task-debug",
            Self::CreateTaskEager => "create_task-eager",
            Self::EnsureFuture => "ensure_future",
            Self::CreateTaskLocal => "create_task-local",
            Self::CoroutineSpawn => "coroutine-spawn",
            #[cfg(feature = "macros")]
            Self::TaskSpawn => "task-spawn",
            #[cfg(feature = "macros")]
            Self::ScheduleCreateTask => "schedule-create_task",
            #[cfg(feature = "macros")]
            Self::ScheduleEnsureFuture => "schedule-ensure_future",
        }
    }

    /// The variant with this [`key`](Self::key).
    pub fn from_key(key: &str) -> Option<Self> {
        Self::all().into_iter().find(|variant| variant.key() == key)
    }

    /// What the variant does, for tables.
    pub fn label(self) -> &'static str {
        match self {
            Self::RawAsyncStd => "raw `async_std::task::spawn`",
            Self::RawAsyncGlobalExecutor => {
                "raw `async_global_executor::spawn` (async-std's executor, no task wrapper)"
            }
            Self::RawSmol => "raw `smol::Executor::spawn` (1 thread per core)",
            Self::RawTokio => "raw `tokio::spawn` (multi-thread)",
            Self::RawLocal => "raw `smol::LocalExecutor::spawn` (one thread)",
            Self::CreateTask => "`cosched::create_task(f(i))`",
            Self::CreateTaskDebug => "`cosched::create_task(f(i))`, debug mode on",
            Self::CreateTaskEager => "`Builder::new().eager().create_task(f(i))`",
            Self::EnsureFuture => "`cosched::ensure_future(f(i))`",
            Self::CreateTaskLocal => {
                "`local` task: `Coroutine::<_, Local>::new(&META, f(i)).spawn()`"
            }
            Self::CoroutineSpawn => "`Coroutine::new(&META, f(i)).spawn()` (by hand)",
            #[cfg(feature = "macros")]
            Self::TaskSpawn => "`#[task]` + `.spawn()`",
            #[cfg(feature = "macros")]
            Self::ScheduleCreateTask => "`schedule!(create_task f(i))`",
            #[cfg(feature = "macros")]
            Self::ScheduleEnsureFuture => "`schedule!(ensure_future f(i))`",
        }
    }

    /// The runtime the tasks run on: the raw runtime's name, or cosched's
    /// backend.
    pub fn runtime(self) -> &'static str {
        match self {
            Self::RawAsyncStd => "async-std",
            Self::RawAsyncGlobalExecutor => "async-global-executor",
            Self::RawSmol => "smol",
            Self::RawTokio => "tokio",
            Self::RawLocal => "smol-local",
            _ => BACKEND,
        }
    }

    /// Whether this is a raw runtime rather than cosched.
    pub fn is_raw(self) -> bool {
        matches!(
            self,
            Self::RawAsyncStd
                | Self::RawAsyncGlobalExecutor
                | Self::RawSmol
                | Self::RawTokio
                | Self::RawLocal
        )
    }

    /// Whether its tasks run on the spawning thread (the single-thread
    /// shape, compared with asyncio's and with each other).
    pub fn is_local(self) -> bool {
        matches!(self, Self::RawLocal | Self::CreateTaskLocal)
    }

    /// Runs `workload` with `n` tasks and returns its wall time.
    ///
    /// # Panics
    ///
    /// If a task fails, which none of these does.
    pub fn run(self, workload: Workload, n: usize) -> Duration {
        self.run_probed(workload, n, || 0).elapsed
    }

    /// [`run`](Self::run), also reading `probe` on the spawning thread just
    /// before the first spawn and just after the last: how much it grew
    /// while the `n` tasks were spawned (the tests count allocations so).
    ///
    /// # Panics
    ///
    /// If a task fails, which none of these does.
    pub fn run_probed(self, workload: Workload, n: usize, probe: fn() -> u64) -> Measured {
        match workload {
            Workload::SpawnAwait => self.spawn_await(n, probe),
            Workload::Pending => self.pending(n, probe),
        }
    }

    fn spawn_await(self, n: usize, probe: fn() -> u64) -> Measured {
        match self {
            Self::RawAsyncStd => async_std::task::block_on(async move {
                timed(
                    probe,
                    n,
                    |i| async_std::task::spawn(trivial(i)),
                    |handle| handle,
                )
                .await
            }),
            Self::RawAsyncGlobalExecutor => async_std::task::block_on(async move {
                timed(
                    probe,
                    n,
                    |i| async_global_executor::spawn(trivial(i)),
                    |handle| handle,
                )
                .await
            }),
            Self::RawSmol => smol::block_on(async move {
                timed(probe, n, |i| raw_smol().spawn(trivial(i)), |handle| handle).await
            }),
            Self::RawTokio => raw_tokio().block_on(async move {
                timed(
                    probe,
                    n,
                    |i| tokio::spawn(trivial(i)),
                    |handle| async move { handle.await.expect("a raw tokio task failed") },
                )
                .await
            }),
            Self::CreateTask => cosched::run(async move {
                timed(
                    probe,
                    n,
                    |i| cosched::create_task(trivial(i)),
                    cosched_result,
                )
                .await
            }),
            Self::RawLocal | Self::CreateTaskLocal => self.spawn_await_local(n, probe),
            Self::CreateTaskDebug => debug_loop().run_until_complete(async move {
                timed(
                    probe,
                    n,
                    |i| cosched::create_task(trivial(i)),
                    cosched_result,
                )
                .await
            }),
            Self::CreateTaskEager => cosched::run(async move {
                timed(
                    probe,
                    n,
                    |i| cosched::Builder::new().eager().create_task(trivial(i)),
                    cosched_result,
                )
                .await
            }),
            Self::EnsureFuture => cosched::run(async move {
                timed(
                    probe,
                    n,
                    |i| cosched::ensure_future(trivial(i)),
                    cosched_result,
                )
                .await
            }),
            Self::CoroutineSpawn => cosched::run(async move {
                timed(probe, n, |i| trivial_coroutine(i).spawn(), cosched_result).await
            }),
            #[cfg(feature = "macros")]
            Self::TaskSpawn => cosched::run(async move {
                timed(probe, n, |i| dsl::trivial(i).spawn(), cosched_result).await
            }),
            #[cfg(feature = "macros")]
            Self::ScheduleCreateTask => cosched::run(async move {
                timed(
                    probe,
                    n,
                    |i| cosched::schedule!(create_task dsl::trivial(i)),
                    cosched_result,
                )
                .await
            }),
            #[cfg(feature = "macros")]
            Self::ScheduleEnsureFuture => cosched::run(async move {
                timed(
                    probe,
                    n,
                    |i| cosched::schedule!(ensure_future dsl::trivial(i)),
                    cosched_result,
                )
                .await
            }),
        }
    }

    /// [`spawn_await`](Self::spawn_await) of the single-thread rows.
    fn spawn_await_local(self, n: usize, probe: fn() -> u64) -> Measured {
        if self == Self::RawLocal {
            let executor = smol::LocalExecutor::new();
            let executor = &executor;
            return smol::block_on(executor.run(async move {
                timed(probe, n, |i| executor.spawn(trivial(i)), |handle| handle).await
            }));
        }
        cosched::run(
            async move { timed(probe, n, |i| trivial_local(i).spawn(), cosched_result).await },
        )
    }

    /// [`pending`](Self::pending) of the single-thread rows.
    fn pending_local(self, n: usize, probe: fn() -> u64) -> Measured {
        let gate = Arc::new(Gate::default());
        let g = &gate;
        if self == Self::RawLocal {
            let executor = smol::LocalExecutor::new();
            let executor = &executor;
            return smol::block_on(executor.run(timed_gated(
                probe,
                g,
                n,
                |i| executor.spawn(parked(Arc::clone(g), i)),
                |handle| handle,
                true,
            )));
        }
        cosched::run(timed_gated(
            probe,
            g,
            n,
            |i| {
                cosched::Coroutine::<_, cosched::Local>::new(
                    &PARKED_LOCAL,
                    parked(Arc::clone(g), i),
                )
                .spawn()
            },
            cosched_result,
            true,
        ))
    }

    fn pending(self, n: usize, probe: fn() -> u64) -> Measured {
        let gate = Arc::new(Gate::default());
        let g = &gate;
        match self {
            Self::RawAsyncStd => async_std::task::block_on(timed_pending(
                probe,
                g,
                n,
                |i| async_std::task::spawn(parked(Arc::clone(g), i)),
                |handle| handle,
            )),
            Self::RawAsyncGlobalExecutor => async_std::task::block_on(timed_pending(
                probe,
                g,
                n,
                |i| async_global_executor::spawn(parked(Arc::clone(g), i)),
                |handle| handle,
            )),
            Self::RawSmol => smol::block_on(timed_pending(
                probe,
                g,
                n,
                |i| raw_smol().spawn(parked(Arc::clone(g), i)),
                |handle| handle,
            )),
            Self::RawTokio => raw_tokio().block_on(timed_pending(
                probe,
                g,
                n,
                |i| tokio::spawn(parked(Arc::clone(g), i)),
                |handle| async move { handle.await.expect("a raw tokio task failed") },
            )),
            Self::CreateTask => cosched::run(timed_pending(
                probe,
                g,
                n,
                |i| cosched::create_task(parked(Arc::clone(g), i)),
                cosched_result,
            )),
            Self::RawLocal | Self::CreateTaskLocal => self.pending_local(n, probe),
            Self::CreateTaskDebug => debug_loop().run_until_complete(timed_pending(
                probe,
                g,
                n,
                |i| cosched::create_task(parked(Arc::clone(g), i)),
                cosched_result,
            )),
            Self::CreateTaskEager => cosched::run(timed_pending(
                probe,
                g,
                n,
                |i| {
                    cosched::Builder::new()
                        .eager()
                        .create_task(parked(Arc::clone(g), i))
                },
                cosched_result,
            )),
            Self::EnsureFuture => cosched::run(timed_pending(
                probe,
                g,
                n,
                |i| cosched::ensure_future(parked(Arc::clone(g), i)),
                cosched_result,
            )),
            Self::CoroutineSpawn => cosched::run(timed_pending(
                probe,
                g,
                n,
                |i| parked_coroutine(Arc::clone(g), i).spawn(),
                cosched_result,
            )),
            #[cfg(feature = "macros")]
            Self::TaskSpawn => cosched::run(timed_pending(
                probe,
                g,
                n,
                |i| dsl::parked(Arc::clone(g), i).spawn(),
                cosched_result,
            )),
            #[cfg(feature = "macros")]
            Self::ScheduleCreateTask => cosched::run(timed_pending(
                probe,
                g,
                n,
                |i| cosched::schedule!(create_task dsl::parked(Arc::clone(g), i)),
                cosched_result,
            )),
            #[cfg(feature = "macros")]
            Self::ScheduleEnsureFuture => cosched::run(timed_pending(
                probe,
                g,
                n,
                |i| cosched::schedule!(ensure_future dsl::parked(Arc::clone(g), i)),
                cosched_result,
            )),
        }
    }
}

/// What a run measured.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Measured {
    /// Wall time from the first spawn to the last result.
    pub elapsed: Duration,
    /// How much the probe grew on the spawning thread while the tasks were
    /// spawned (see [`Variant::run_probed`]).
    pub probed: u64,
}

/// What the tasks of a run do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Workload {
    /// Spawn `n` trivial tasks, keeping their handles, then await each.
    SpawnAwait,
    /// Spawn `n` tasks that each wait on one shared gate, wait until all
    /// `n` are suspended at once, open the gate, then await each.
    Pending,
}

impl Workload {
    /// Both workloads.
    pub const ALL: [Self; 2] = [Self::SpawnAwait, Self::Pending];

    /// A short name, for command lines.
    pub fn key(self) -> &'static str {
        match self {
            Self::SpawnAwait => "spawn-await",
            Self::Pending => "pending",
        }
    }

    /// The workload with this [`key`](Self::key).
    pub fn from_key(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|workload| workload.key() == key)
    }
}

/// The body of every spawn-and-await task: a plain async fn that returns at
/// once.
#[allow(clippy::unused_async)] // the point: a task that never suspends
async fn trivial(i: u64) -> u64 {
    black_box(i)
}

/// The body of every pending task: wait for the gate, then return.
async fn parked(gate: Arc<Gate>, i: u64) -> u64 {
    gate.wait().await;
    black_box(i)
}

static TRIVIAL: cosched::TaskMeta = cosched::TaskMeta::new("trivial");
static PARKED: cosched::TaskMeta = cosched::TaskMeta::new("parked");
static PARKED_LOCAL: cosched::TaskMeta = cosched::TaskMeta::new("parked").local();

/// [`trivial`] as a `#[task]` fn is meant to expand: a coroutine pointing
/// at its fn's static metadata.
fn trivial_coroutine(i: u64) -> cosched::Coroutine<impl Future<Output = u64>> {
    cosched::Coroutine::new(&TRIVIAL, trivial(i))
}

/// [`trivial`] as a `#[task(local)]` fn is meant to expand.
fn trivial_local(i: u64) -> cosched::Coroutine<impl Future<Output = u64>, cosched::Local> {
    cosched::Coroutine::new(&TRIVIAL_LOCAL, trivial(i))
}

static TRIVIAL_LOCAL: cosched::TaskMeta = cosched::TaskMeta::new("trivial").local();

fn parked_coroutine(gate: Arc<Gate>, i: u64) -> cosched::Coroutine<impl Future<Output = u64>> {
    cosched::Coroutine::new(&PARKED, parked(gate, i))
}

/// The same bodies, as `#[cosched::task]` fns.
#[cfg(feature = "macros")]
mod dsl {
    use std::hint::black_box;
    use std::sync::Arc;

    use super::Gate;

    #[cosched::task]
    #[allow(clippy::unused_async)] // the point: a task that never suspends
    pub(super) async fn trivial(i: u64) -> u64 {
        black_box(i)
    }

    #[cosched::task]
    pub(super) async fn parked(gate: Arc<Gate>, i: u64) -> u64 {
        gate.wait().await;
        black_box(i)
    }
}

/// Unwraps a cosched task's result.
async fn cosched_result<T>(task: cosched::Task<T>) -> T {
    task.await.expect("a cosched task failed")
}

/// Spawns `n` tasks with `spawn`, keeping the handles, then awaits each with
/// `join`; returns the time taken.
async fn timed<H, J>(
    probe: fn() -> u64,
    n: usize,
    spawn: impl FnMut(u64) -> H,
    join: impl FnMut(H) -> J,
) -> Measured
where
    J: IntoFuture<Output = u64>,
{
    let start = Instant::now();
    let (handles, probed) = spawn_all(probe, n, spawn);
    join_all(handles, join).await;
    Measured {
        elapsed: start.elapsed(),
        probed,
    }
}

/// [`timed`] for tasks that wait on `gate`: opens it once all `n` tasks are
/// suspended on it, so that all `n` are alive and pending at once. The
/// tasks run on the runtime's worker threads; this thread only waits.
async fn timed_pending<H, J>(
    probe: fn() -> u64,
    gate: &Gate,
    n: usize,
    spawn: impl FnMut(u64) -> H,
    join: impl FnMut(H) -> J,
) -> Measured
where
    J: IntoFuture<Output = u64>,
{
    timed_gated(probe, gate, n, spawn, join, false).await
}

/// [`timed_pending`], waiting for the `n` tasks to park either by sleeping
/// (they run on the runtime's worker threads) or, `on_this_thread`, by
/// yielding to them.
async fn timed_gated<H, J>(
    probe: fn() -> u64,
    gate: &Gate,
    n: usize,
    spawn: impl FnMut(u64) -> H,
    join: impl FnMut(H) -> J,
    on_this_thread: bool,
) -> Measured
where
    J: IntoFuture<Output = u64>,
{
    let start = Instant::now();
    let (handles, probed) = spawn_all(probe, n, spawn);
    while gate.parked() < n {
        if on_this_thread {
            YieldOnce(false).await;
        } else {
            std::thread::sleep(Duration::from_micros(100));
        }
    }
    gate.open();
    join_all(handles, join).await;
    Measured {
        elapsed: start.elapsed(),
        probed,
    }
}

/// Pending once, waking itself: lets the executor of this thread run its
/// other tasks.
struct YieldOnce(bool);

impl Future for YieldOnce {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if self.0 {
            return Poll::Ready(());
        }
        self.0 = true;
        cx.waker().wake_by_ref();
        Poll::Pending
    }
}

/// Spawns `n` tasks, keeping their handles; also returns how much `probe`
/// grew meanwhile.
fn spawn_all<H>(probe: fn() -> u64, n: usize, mut spawn: impl FnMut(u64) -> H) -> (Vec<H>, u64) {
    let mut handles = Vec::with_capacity(n);
    let before = probe();
    for i in 0..n as u64 {
        handles.push(spawn(i));
    }
    let probed = probe().wrapping_sub(before);
    (handles, probed)
}

async fn join_all<H, J>(handles: Vec<H>, mut join: impl FnMut(H) -> J)
where
    J: IntoFuture<Output = u64>,
{
    let mut sum = 0u64;
    for handle in handles {
        sum = sum.wrapping_add(join(handle).await);
    }
    black_box(sum);
}

/// The raw smol baseline: one process-wide `smol::Executor` run by one
/// thread per core, as cosched's smol backend runs its own.
fn raw_smol() -> &'static smol::Executor<'static> {
    static EXECUTOR: OnceLock<smol::Executor<'static>> = OnceLock::new();
    EXECUTOR.get_or_init(|| {
        let threads = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
        for n in 1..=threads {
            std::thread::Builder::new()
                .name(format!("raw-smol-{n}"))
                .spawn(|| smol::block_on(raw_smol().run(std::future::pending::<()>())))
                .expect("the OS refused to start a smol executor thread");
        }
        smol::Executor::new()
    })
}

/// The raw tokio baseline: a multi-thread runtime with tokio's default
/// worker count (one per core), as cosched's tokio backend starts its own.
fn raw_tokio() -> &'static tokio::runtime::Runtime {
    static RUNTIME: OnceLock<tokio::runtime::Runtime> = OnceLock::new();
    RUNTIME.get_or_init(|| {
        tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .thread_name("raw-tokio")
            .build()
            .expect("the OS refused to start tokio's runtime")
    })
}

/// A latch that any number of tasks wait on, opened once for all: the
/// "channel" the pending workload's tasks wait on. The same code under every
/// variant, so it costs every variant the same.
#[derive(Debug, Default)]
pub struct Gate {
    state: Mutex<GateState>,
    parked: AtomicUsize,
}

#[derive(Debug, Default)]
struct GateState {
    open: bool,
    wakers: Vec<Waker>,
}

impl Gate {
    /// Waits until the gate is opened.
    pub fn wait(&self) -> impl Future<Output = ()> + '_ {
        Wait {
            gate: self,
            registered: None,
        }
    }

    /// How many waiters have suspended on the gate so far.
    pub fn parked(&self) -> usize {
        self.parked.load(Ordering::Acquire)
    }

    /// Opens the gate and wakes every waiter.
    pub fn open(&self) {
        let wakers = {
            let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
            state.open = true;
            std::mem::take(&mut state.wakers)
        };
        for waker in wakers {
            waker.wake();
        }
    }
}

struct Wait<'a> {
    gate: &'a Gate,
    /// Where its waker is in the gate's list, once it suspended.
    registered: Option<usize>,
}

impl Future for Wait<'_> {
    type Output = ();

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let this = self.get_mut();
        let mut state = this
            .gate
            .state
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if state.open {
            return Poll::Ready(());
        }
        // The waker of the latest poll is the one to wake: an eagerly
        // started task is polled first with a no-op waker, then by its
        // executor.
        if let Some(at) = this.registered {
            state.wakers[at].clone_from(cx.waker());
        } else {
            this.registered = Some(state.wakers.len());
            state.wakers.push(cx.waker().clone());
            this.gate.parked.fetch_add(1, Ordering::Release);
        }
        Poll::Pending
    }
}

/// A field of `/proc/self/status` in kB, such as `VmHWM` (the resident set's
/// high-water mark) or `VmRSS`; `None` where there is no such file.
pub fn proc_status_kb(field: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status.lines().find_map(|line| {
        let rest = line.strip_prefix(field)?.strip_prefix(':')?;
        rest.trim().strip_suffix("kB")?.trim().parse().ok()
    })
}

/// The process's minor page faults so far (field 10 of `/proc/self/stat`);
/// `None` where there is no such file.
pub fn minor_faults() -> Option<u64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // After the command name, which may hold spaces, in parentheses: the
    // state (field 3), then ..., minflt (field 10).
    let (_, rest) = stat.rsplit_once(')')?;
    rest.split_whitespace().nth(7)?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_variant_runs_both_workloads_to_the_end() {
        for variant in Variant::all() {
            for workload in Workload::ALL {
                for n in [0, 1, 100] {
                    // Returning at all is the test: `pending` waits for all
                    // `n` tasks to park, then for all `n` results.
                    variant.run(workload, n);
                }
            }
        }
    }

    #[test]
    fn the_probe_brackets_the_spawns() {
        use std::sync::atomic::AtomicU64;
        static CALLS: AtomicU64 = AtomicU64::new(0);
        fn probe() -> u64 {
            // 0 before the spawns, 5 after.
            CALLS.fetch_add(5, Ordering::Relaxed)
        }
        let measured = Variant::CreateTask.run_probed(Workload::SpawnAwait, 3, probe);
        assert_eq!(measured.probed, 5);
    }

    #[test]
    fn keys_name_variants_and_workloads_one_to_one() {
        for variant in Variant::all() {
            assert_eq!(Variant::from_key(variant.key()), Some(variant));
        }
        for workload in Workload::ALL {
            assert_eq!(Workload::from_key(workload.key()), Some(workload));
        }
        for runtime in ["async-std", "smol", "tokio"] {
            let raw = Variant::raw(runtime).expect("a raw variant per runtime");
            assert!(raw.is_raw());
            assert_eq!(raw.runtime(), runtime);
        }
        assert!(
            Variant::all()
                .iter()
                .any(|variant| !variant.is_raw() && variant.runtime() == BACKEND)
        );
    }

    #[test]
    fn the_gate_holds_its_waiters_until_opened() {
        let gate = Arc::new(Gate::default());
        let waiter = {
            let gate = Arc::clone(&gate);
            std::thread::spawn(move || smol::block_on(gate.wait()))
        };
        while gate.parked() < 1 {
            std::thread::yield_now();
        }
        assert!(!waiter.is_finished());
        gate.open();
        waiter.join().expect("the waiter finished");
        // Opened, it lets everyone through at once.
        smol::block_on(gate.wait());
    }

    #[test]
    fn proc_status_has_a_high_water_mark() {
        if std::path::Path::new("/proc/self/status").exists() {
            // The resident set only ever reaches the high-water mark read after it.
            let rss = proc_status_kb("VmRSS").expect("VmRSS in /proc/self/status");
            let hwm = proc_status_kb("VmHWM").expect("VmHWM in /proc/self/status");
            assert!(hwm >= rss && rss > 0);
        }
        assert_eq!(proc_status_kb("NoSuchField"), None);
    }

    #[test]
    fn touching_fresh_pages_faults() {
        let Some(before) = minor_faults() else {
            return; // no /proc
        };
        // 64 MiB, written: at least one fault per 2 MiB (huge pages) and in
        // practice one per 4 KiB page.
        let mut pages = vec![0u8; 64 << 20];
        for page in pages.chunks_mut(4096) {
            page[0] = 1;
        }
        black_box(&pages);
        let after = minor_faults().expect("still there");
        assert!(after >= before + 32, "{before} -> {after}");
    }
}
