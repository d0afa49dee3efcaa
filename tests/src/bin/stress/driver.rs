//! A stress run of the scheduling layer: many tasks through the DSL, each
//! with a planned fate, and afterwards every one accounted for.
//!
//! ```text
//! cargo run --release -p cosched-tests --bin stress -- [N]     # N tasks, 1,000,000 by default
//! ```
//!
//! A seeded xorshift gives each task a plan, the same plan for the same
//! seed. 10% panic; 10% are cancelled: before they start, while they are
//! suspended, while they run (a race: they may finish first), after they
//! have finished (`cancel()` must say false and the result stay), by a
//! `wait_for` timeout, or by `run` itself when the program ends; the rest
//! return a value. Tasks are scheduled with `schedule!(create_task ..)`,
//! `schedule!(ensure_future ..)` (a coroutine, or a task passed through),
//! `.spawn()`, `schedule!(.., name = ..)`, as `#[task(local)]` and
//! `#[task(limit = 8)]` coroutines, from inside other tasks, and from a few
//! OS threads onto the loop (`EventLoop::create_task`, `Builder::on`,
//! `schedule!(.., on = ..)`); some are members of [`TaskGroup`]s joined by
//! a task of their own (all-`Ok` groups, and groups where one member
//! panics and the others are cancelled unless they finished first), some
//! run with `schedule!(every .. => ..)` and are cancelled after a few ticks.
//!
//! Then each result must be what the plan said: `Ok` with the planned
//! value, `Cancelled`, or `Panicked` with the planned message, and the
//! task's state must agree. Every coroutine's arguments and locals must
//! have been dropped by the time its result is seen (each task holds
//! [`Guard`]s that record their destructors), no destructor may run twice,
//! a cancelled task must not have run past its await point, a task missing
//! from `all_tasks()` must be done, `all_tasks()` must drain after each
//! batch (but for the tasks left for `run`) and be empty once `run` has
//! returned. A watchdog thread aborts the process with a message if the
//! whole run outlasts its bound, so a hang is a failure, not a stuck CI job.
//!
//! Tasks run in batches (10,000 by default) so that memory stays bounded;
//! within a batch they all run at once.
//!
//! Whether a cancel lands before the first poll cannot be forced for a task
//! on the thread pool: an idle worker may poll it between `create_task`
//! and `cancel`. So "cancel before start" tasks first wait at a gate that
//! never opens (a one-hour sleep, or a future that never wakes): the result
//! must be `Cancelled` and the code after the gate must never have run,
//! whether or not the body had begun. The report counts both cases. Local
//! tasks, which only run when the loop's thread awaits, are cancelled
//! before the driver awaits anything: for them "never started" is exact.

use std::collections::HashSet;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::sync::atomic::{AtomicU8, AtomicUsize, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, Mutex, PoisonError};
use std::task::Poll;
use std::time::{Duration, Instant};

use cosched::{
    EventLoop, Failure, GroupError, Task, TaskError, TaskGroup, TaskId, TaskRef, TaskState,
};

/// What a stress run does.
#[derive(Debug, Clone)]
pub(crate) struct Config {
    /// How many tasks, in all.
    pub(crate) tasks: usize,
    /// The seed of the plans.
    pub(crate) seed: u64,
    /// How many OS threads, besides the loop's, schedule tasks.
    pub(crate) threads: usize,
    /// How many tasks are in flight at once (roughly: a batch ends on a
    /// whole group).
    pub(crate) batch: usize,
    /// The watchdog's bound on the whole run.
    pub(crate) timeout: Duration,
    /// How long one wait inside a batch (for tasks to start, finish or
    /// tick, for the registry to drain) may take before it is reported.
    pub(crate) wait: Duration,
}

impl Config {
    /// `tasks` tasks with the default seed, 3 threads, batches of 10,000
    /// and a watchdog of 60 s plus 300 µs per task (5 minutes for 800,000).
    pub(crate) fn new(tasks: usize) -> Self {
        let per_task = Duration::from_micros(300);
        let scaled = per_task.saturating_mul(u32::try_from(tasks).unwrap_or(u32::MAX));
        Self {
            tasks,
            seed: 0x5EED_C05C_11ED_0001,
            threads: 3,
            batch: 10_000,
            timeout: Duration::from_secs(60).saturating_add(scaled),
            wait: Duration::from_secs(30),
        }
    }
}

/// How one task is meant to end.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Outcome {
    /// Returns [`value`] of its id.
    Ok,
    /// Panics with [`PANIC_PREFIX`] and its id.
    Panic,
    /// Cancelled right after it was created; waits at a gate meanwhile.
    CancelBeforeStart,
    /// Cancelled once it has reached its gate.
    CancelSuspended,
    /// Cancelled after it has finished: `cancel()` is false, the result stays.
    CancelAfterDone,
    /// Cancelled right after it was created, with no gate: it may finish
    /// first (`Ok`, and its body ran to the end) or not (`Cancelled`, and
    /// its body did not run to the end).
    CancelRacing,
    /// Awaited with `wait_for` and a 1 ms timeout while at its gate: the
    /// timeout drops the `Join`, which cancels the task.
    TimedOut,
    /// Detached at its gate, for `run` to cancel when the program ends.
    LeftRunning,
}

/// How a task gets onto the loop.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Route {
    /// `schedule!(create_task work(..))` on the loop's thread.
    CreateTask,
    /// `schedule!(ensure_future work(..))`.
    EnsureFuture,
    /// `schedule!(ensure_future task)` of a task: the same task back.
    PassThrough,
    /// `work(..).spawn()`.
    Spawn,
    /// `schedule!(work(..), name = ..)`.
    Named,
    /// A `#[task(local)]` coroutine, run on the loop's thread.
    Local,
    /// A `#[task(limit = 8)]` coroutine: at most 8 of them run at once,
    /// the others wait their turn (and may be cancelled while waiting).
    Limited,
    /// Scheduled by one of the OS threads onto the loop.
    Thread,
    /// Scheduled by another task (which counts as one more task).
    Nested,
    /// A member of a `TaskGroup`.
    Group,
    /// `schedule!(every .. => ..)`.
    Every,
}

const ROUTES: [Route; 11] = [
    Route::CreateTask,
    Route::EnsureFuture,
    Route::PassThrough,
    Route::Spawn,
    Route::Named,
    Route::Local,
    Route::Limited,
    Route::Thread,
    Route::Nested,
    Route::Group,
    Route::Every,
];

/// One task's plan.
#[derive(Debug, Clone, Copy)]
struct Plan {
    /// Its index in the run, 0..tasks.
    id: usize,
    outcome: Outcome,
    route: Route,
    /// `yield_now()`s before it does anything else.
    yields: u8,
    /// Milliseconds it sleeps before it returns or panics.
    sleep_ms: u8,
}

/// Scheduled together.
#[derive(Debug)]
enum Unit {
    Single(Plan),
    /// A spawner task (`parent`) that schedules `child`.
    Nested {
        parent: usize,
        child: Plan,
    },
    /// A `TaskGroup` joined by a task of its own (`owner`); if `failing`,
    /// its first member panics.
    Group {
        owner: usize,
        members: Vec<Plan>,
        failing: bool,
    },
    /// A periodic task, cancelled after `TICKS` ticks.
    Every {
        id: usize,
    },
}

impl Unit {
    fn tasks(&self) -> usize {
        match self {
            Self::Single(_) | Self::Every { .. } => 1,
            Self::Nested { .. } => 2,
            Self::Group { members, .. } => members.len() + 1,
        }
    }
}

/// The rows of the report: a kind of task and its expected outcome.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Row {
    Ok,
    Panic,
    CancelBeforeStart,
    CancelSuspended,
    CancelAfterDone,
    CancelRacing,
    TimedOut,
    LeftRunning,
    OkGroupMember,
    FailingGroupPanicker,
    FailingGroupOther,
    GroupOwner,
    Every,
    Spawner,
}

const ROWS: [(Row, &str, &str); 14] = [
    (Row::Ok, "ok", "Ok"),
    (Row::Panic, "panic", "Panicked"),
    (Row::CancelBeforeStart, "cancel before start", "Cancelled"),
    (Row::CancelSuspended, "cancel while suspended", "Cancelled"),
    (Row::CancelAfterDone, "cancel after completion", "Ok"),
    (Row::CancelRacing, "cancel while it runs", "Ok or Cancelled"),
    (Row::TimedOut, "wait_for timed out", "Cancelled"),
    (Row::LeftRunning, "left for run to cancel", "Cancelled"),
    (Row::OkGroupMember, "group member, all ok", "Ok"),
    (
        Row::FailingGroupPanicker,
        "group member, panics",
        "Panicked",
    ),
    (
        Row::FailingGroupOther,
        "group member, beside a panic",
        "Ok or Cancelled",
    ),
    (Row::GroupOwner, "task joining a group", "Ok"),
    (Row::Every, "every .. => .., cancelled", "Cancelled"),
    (Row::Spawner, "task scheduling a task", "Ok"),
];

impl Row {
    fn index(self) -> usize {
        ROWS.iter()
            .position(|(row, _, _)| *row == self)
            .unwrap_or_default()
    }

    fn of(outcome: Outcome) -> Self {
        match outcome {
            Outcome::Ok => Self::Ok,
            Outcome::Panic => Self::Panic,
            Outcome::CancelBeforeStart => Self::CancelBeforeStart,
            Outcome::CancelSuspended => Self::CancelSuspended,
            Outcome::CancelAfterDone => Self::CancelAfterDone,
            Outcome::CancelRacing => Self::CancelRacing,
            Outcome::TimedOut => Self::TimedOut,
            Outcome::LeftRunning => Self::LeftRunning,
        }
    }
}

/// What a result was.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Seen {
    Ok,
    Cancelled,
    Panicked,
}

impl Seen {
    fn of_state(state: TaskState) -> Option<Self> {
        match state {
            TaskState::Done => Some(Self::Ok),
            TaskState::Cancelled => Some(Self::Cancelled),
            TaskState::Panicked => Some(Self::Panicked),
            _ => None,
        }
    }

    fn of<T>(result: &Result<T, TaskError>) -> Self {
        match result {
            Ok(_) => Self::Ok,
            Err(error) if error.is_cancelled() => Self::Cancelled,
            Err(_) => Self::Panicked,
        }
    }
}

/// The message of a planned panic is this and the task's id.
pub(crate) const PANIC_PREFIX: &str = "cosched stress: planned panic of task ";

/// Ticks a periodic task runs before it is cancelled.
const TICKS: usize = 3;

/// The value task `id` returns.
fn value(id: usize) -> u64 {
    (id as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ 0xC05C
}

/// xorshift64*: small, fast, deterministic, good enough for plans.
#[derive(Debug, Clone)]
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Self {
        Self(seed | 1)
    }

    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// A number in `0..n`.
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    fn small(&mut self, n: u8) -> u8 {
        // Below `n`, so it fits.
        u8::try_from(self.below(u64::from(n))).unwrap_or(0)
    }
}

/// Makes the plans, unit by unit, until `tasks` tasks are planned.
struct Planner {
    rng: Rng,
    next_id: usize,
    tasks: usize,
}

impl Planner {
    fn remaining(&self) -> usize {
        self.tasks - self.next_id
    }

    fn id(&mut self) -> usize {
        let id = self.next_id;
        self.next_id += 1;
        id
    }

    fn unit(&mut self) -> Unit {
        let roll = self.rng.below(1000);
        let remaining = self.remaining();
        if roll < 2 {
            return Unit::Every { id: self.id() };
        }
        if roll < 14 && remaining >= 3 {
            // Groups of 2 to 8 and their owner; half of the groups with a
            // member that panics.
            let owner = self.id();
            let size = (2 + self.rng.below(7)).min(remaining as u64 - 1);
            let failing = self.rng.below(2) == 0;
            let members = (0..size)
                .map(|index| {
                    let panics = failing && index == 0;
                    Plan {
                        id: self.id(),
                        outcome: if panics { Outcome::Panic } else { Outcome::Ok },
                        route: Route::Group,
                        yields: self.rng.small(3),
                        // Beside a panic, most members are still sleeping
                        // when it comes (and are cancelled); some are done.
                        sleep_ms: match (failing, panics) {
                            (true, false) if self.rng.below(4) != 0 => 2 + self.rng.small(20),
                            (false, _) if self.rng.below(10) == 0 => 1,
                            _ => 0,
                        },
                    }
                })
                .collect();
            return Unit::Group {
                owner,
                members,
                failing,
            };
        }
        // 10% panic, 10% are cancelled: 2% at each of four points, 1% by
        // a timeout, 1% by `run`'s shutdown.
        let outcome = match self.rng.below(100) {
            0..10 => Outcome::Panic,
            10..12 => Outcome::CancelBeforeStart,
            12..14 => Outcome::CancelSuspended,
            14..16 => Outcome::CancelAfterDone,
            16..18 => Outcome::CancelRacing,
            18 => Outcome::TimedOut,
            19 => Outcome::LeftRunning,
            _ => Outcome::Ok,
        };
        let mut route = match self.rng.below(100) {
            0..8 => Route::Thread,
            8..10 if remaining >= 2 => Route::Nested,
            10..15 => Route::Local,
            15..30 => Route::EnsureFuture,
            30..35 => Route::PassThrough,
            35..55 => Route::Spawn,
            55..60 => Route::Named,
            60..66 => Route::Limited,
            _ => Route::CreateTask,
        };
        // A limited task waiting at a gate would hold one of the 8 slots
        // until it is cancelled, and starve the others meanwhile.
        if route == Route::Limited
            && matches!(
                outcome,
                Outcome::CancelSuspended | Outcome::TimedOut | Outcome::LeftRunning
            )
        {
            route = Route::CreateTask;
        }
        // Half the cancels-before-start on the loop's thread are local,
        // where "never started" can be checked exactly.
        if outcome == Outcome::CancelBeforeStart && route != Route::Thread && self.rng.below(2) == 0
        {
            route = Route::Local;
        }
        let parent = (route == Route::Nested).then(|| self.id());
        let child = Plan {
            id: self.id(),
            outcome,
            route,
            yields: self.rng.small(if outcome == Outcome::CancelRacing {
                8
            } else {
                3
            }),
            sleep_ms: u8::from(
                matches!(outcome, Outcome::Ok | Outcome::Panic) && self.rng.below(20) == 0,
            ),
        };
        match parent {
            Some(parent) => Unit::Nested { parent, child },
            None => Unit::Single(child),
        }
    }
}

// Per-task flags.
/// The body began.
const ENTERED: u8 = 1;
/// The body ran to its end (past its gate, if any).
const FINISHED: u8 = 1 << 1;
/// The guard moved in as an argument was dropped.
const ARGUMENT_DROPPED: u8 = 1 << 2;
/// The guard the body made for itself was dropped.
const LOCAL_DROPPED: u8 = 1 << 3;
/// A guard was dropped twice.
const DOUBLE_DROP: u8 = 1 << 4;

/// What the tasks of a run share with the driver.
#[derive(Debug)]
pub(crate) struct Shared {
    flags: Vec<AtomicU8>,
    guards_made: AtomicUsize,
    guards_dropped: AtomicUsize,
}

impl Shared {
    fn new(tasks: usize) -> Self {
        Self {
            flags: (0..tasks).map(|_| AtomicU8::new(0)).collect(),
            guards_made: AtomicUsize::new(0),
            guards_dropped: AtomicUsize::new(0),
        }
    }

    fn set(&self, id: usize, flag: u8) -> u8 {
        self.flags[id].fetch_or(flag, Ordering::AcqRel)
    }

    fn flags(&self, id: usize) -> u8 {
        self.flags[id].load(Ordering::Acquire)
    }
}

/// Records its own destruction in its task's flags.
#[derive(Debug)]
pub(crate) struct Guard {
    shared: Arc<Shared>,
    id: usize,
    flag: u8,
}

impl Guard {
    fn new(shared: &Arc<Shared>, id: usize, flag: u8) -> Self {
        shared.guards_made.fetch_add(1, Ordering::Relaxed);
        Self {
            shared: Arc::clone(shared),
            id,
            flag,
        }
    }
}

impl Drop for Guard {
    fn drop(&mut self) {
        let before = self.shared.set(self.id, self.flag);
        if before & self.flag != 0 {
            self.shared.set(self.id, DOUBLE_DROP);
        }
        self.shared.guards_dropped.fetch_add(1, Ordering::Relaxed);
    }
}

/// The body every planned task runs.
async fn body(plan: Plan, shared: &Arc<Shared>) -> u64 {
    shared.set(plan.id, ENTERED);
    let _local = Guard::new(shared, plan.id, LOCAL_DROPPED);
    for _ in 0..plan.yields {
        cosched::yield_now().await;
    }
    if plan.sleep_ms > 0 {
        cosched::sleep(Duration::from_millis(plan.sleep_ms.into())).await;
    }
    match plan.outcome {
        Outcome::Ok | Outcome::CancelAfterDone | Outcome::CancelRacing => {}
        Outcome::Panic => panic!("{PANIC_PREFIX}{}", plan.id),
        Outcome::CancelBeforeStart
        | Outcome::CancelSuspended
        | Outcome::TimedOut
        | Outcome::LeftRunning => {
            // A gate that never opens: only cancellation ends the task.
            if plan.id % 2 == 0 {
                cosched::sleep(Duration::from_secs(3600)).await;
            } else {
                std::future::pending::<()>().await;
            }
        }
    }
    shared.set(plan.id, FINISHED);
    value(plan.id)
}

/// A planned task.
#[cosched::task]
async fn work(plan: Plan, shared: Arc<Shared>, _guard: Guard) -> u64 {
    body(plan, &shared).await
}

/// A planned task whose body is not `Send`.
#[cosched::task(local)]
async fn work_local(plan: Plan, shared: Arc<Shared>, _guard: Guard) -> u64 {
    let not_send = Rc::new(plan.id);
    let value = body(plan, &shared).await;
    assert_eq!(*not_send, plan.id);
    value
}

/// A planned task that runs only while it holds one of 8 slots.
#[cosched::task(limit = 8)]
async fn work_limited(plan: Plan, shared: Arc<Shared>, _guard: Guard) -> u64 {
    body(plan, &shared).await
}

/// A task that schedules `child`, cancels it at once if that is its plan,
/// and returns it with what `cancel()` said.
#[cosched::task]
async fn spawner(child: Plan, shared: Arc<Shared>, _own: Guard, child_guard: Guard) -> Spawned {
    let task = cosched::schedule!(create_task work(child, Arc::clone(&shared), child_guard));
    let cancel_said = cancel_at_once(child, &task);
    (task, cancel_said)
}

/// Cancels `task` if its plan says to do it right after scheduling (all
/// cancels before start, a third of the cancels while it runs); what
/// `cancel()` said.
fn cancel_at_once(plan: Plan, task: &Task<u64>) -> Option<bool> {
    let at_once = match plan.outcome {
        Outcome::CancelBeforeStart => true,
        Outcome::CancelRacing => plan.id % 3 == 0 || plan.route == Route::Thread,
        _ => false,
    };
    at_once.then(|| task.cancel())
}

/// One run of a periodic task.
#[cosched::task]
async fn tick(ticks: Arc<AtomicUsize>) {
    ticks.fetch_add(1, Ordering::SeqCst);
}

/// A scheduled single task.
struct Single {
    plan: Plan,
    task: Task<u64>,
    /// What `cancel()` said, if it was called right after scheduling.
    cancel_said: Option<bool>,
}

/// Tasks an OS thread is asked to schedule.
struct Job {
    plans: Vec<(Plan, Guard)>,
    /// The tasks, and what the thread found wrong.
    reply: mpsc::Sender<(Vec<Single>, Vec<String>)>,
}

/// An OS thread that schedules tasks onto `event_loop`, by every route a
/// thread has, cancels those planned to be cancelled at once, and checks
/// the registry from its side.
fn scheduler_thread(event_loop: &EventLoop, shared: &Arc<Shared>, jobs: &mpsc::Receiver<Job>) {
    while let Ok(Job { plans, reply }) = jobs.recv() {
        let tasks: Vec<Single> = plans
            .into_iter()
            .map(|(plan, guard)| {
                let coroutine = work(plan, Arc::clone(shared), guard);
                let task = match plan.id % 4 {
                    0 => event_loop.create_task(coroutine),
                    1 => cosched::Builder::new()
                        .on(event_loop)
                        .create_task(coroutine),
                    2 => cosched::schedule!(coroutine, name = "from-a-thread", on = event_loop),
                    _ => cosched::schedule!(ensure_future coroutine, on = event_loop),
                };
                let cancel_said = cancel_at_once(plan, &task);
                Single {
                    plan,
                    task,
                    cancel_said,
                }
            })
            .collect();
        let problems = unregistered_live_tasks(event_loop, tasks.iter().map(|single| &single.task));
        if reply.send((tasks, problems)).is_err() {
            return;
        }
    }
}

/// The registry's promise, checked from any thread: a task leaves
/// `all_tasks()` only after it has finished. So each of `tasks` missing
/// from a snapshot must be done by now.
fn unregistered_live_tasks<'a>(
    event_loop: &EventLoop,
    tasks: impl Iterator<Item = &'a Task<u64>>,
) -> Vec<String> {
    let live: HashSet<TaskId> = event_loop.all_tasks().iter().map(TaskRef::id).collect();
    tasks
        .filter(|task| !live.contains(&task.id()) && !task.is_done())
        .map(|task| format!("task {task:?} is missing from all_tasks() but not done"))
        .collect()
}

/// The counts of one row of the report.
#[derive(Debug, Default, Clone, Copy)]
struct Tally {
    planned: usize,
    ok: usize,
    cancelled: usize,
    panicked: usize,
}

impl Tally {
    fn see(&mut self, seen: Seen) {
        match seen {
            Seen::Ok => self.ok += 1,
            Seen::Cancelled => self.cancelled += 1,
            Seen::Panicked => self.panicked += 1,
        }
    }
}

/// What a run saw; [`Report::is_ok`] says whether it all matched the plans.
#[derive(Debug)]
pub(crate) struct Report {
    /// The backend the run used.
    pub(crate) backend: &'static str,
    /// Tasks planned.
    pub(crate) tasks: usize,
    /// Tasks whose result was seen and checked.
    pub(crate) checked: usize,
    /// How long the run took.
    pub(crate) elapsed: Duration,
    rows: [Tally; ROWS.len()],
    routes: [usize; ROUTES.len()],
    /// Cancels-before-start that came before the body began (before the
    /// first poll, or while a limited task waited for its slot).
    pub(crate) never_started: usize,
    /// Cancels-before-start that came after a pool thread had already
    /// begun the body (it was stopped at its gate).
    pub(crate) started_first: usize,
    /// Cancels "while it runs" that `cancel()` said were in time (true)
    /// but that came during the task's last poll: it finished all the same.
    pub(crate) cancel_too_late: usize,
    /// Failing-group members, besides the panicking one, that had finished
    /// before the group was cancelled.
    pub(crate) group_finished_first: usize,
    /// Guards made, and dropped.
    pub(crate) guards: (usize, usize),
    /// `all_tasks()` of the loop once `run` had returned.
    pub(crate) live_after_run: usize,
    /// References to the shared state left once `run` had returned (1:
    /// only the driver's).
    pub(crate) shared_refs_after_run: usize,
    /// How many checks failed, and the first ones.
    pub(crate) mismatches: usize,
    /// The first mismatches, described.
    pub(crate) first_mismatches: Vec<String>,
}

impl Report {
    fn new(tasks: usize) -> Self {
        Self {
            backend: cosched::BACKEND,
            tasks,
            checked: 0,
            elapsed: Duration::ZERO,
            rows: [Tally::default(); ROWS.len()],
            routes: [0; ROUTES.len()],
            never_started: 0,
            started_first: 0,
            cancel_too_late: 0,
            group_finished_first: 0,
            guards: (0, 0),
            live_after_run: 0,
            shared_refs_after_run: 0,
            mismatches: 0,
            first_mismatches: Vec::new(),
        }
    }

    /// Whether every task ended as planned and everything was cleaned up.
    pub(crate) fn is_ok(&self) -> bool {
        self.mismatches == 0
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Counts below 2^52 convert exactly.
        #[allow(clippy::cast_precision_loss)]
        let rate = self.checked as f64 / self.elapsed.as_secs_f64().max(1e-9);
        writeln!(
            f,
            "stress: {} tasks on {} in {:.2} s ({rate:.0} tasks/s)",
            self.tasks,
            self.backend,
            self.elapsed.as_secs_f64()
        )?;
        writeln!(
            f,
            "{:<30} {:>9} {:>9} {:>9} {:>9}  expected",
            "task", "planned", "Ok", "Cancelled", "Panicked"
        )?;
        let mut total = Tally::default();
        for ((_, label, expected), tally) in ROWS.iter().zip(&self.rows) {
            writeln!(
                f,
                "{label:<30} {:>9} {:>9} {:>9} {:>9}  {expected}",
                tally.planned, tally.ok, tally.cancelled, tally.panicked
            )?;
            total.planned += tally.planned;
            total.ok += tally.ok;
            total.cancelled += tally.cancelled;
            total.panicked += tally.panicked;
        }
        writeln!(
            f,
            "{:<30} {:>9} {:>9} {:>9} {:>9}",
            "total", total.planned, total.ok, total.cancelled, total.panicked
        )?;
        writeln!(
            f,
            "cancel before start: {} before the body began, {} stopped at the gate after it had",
            self.never_started, self.started_first
        )?;
        writeln!(
            f,
            "cancel while it runs: {} cancelled, {} finished first ({} of them after cancel() had said true)",
            self.rows[Row::CancelRacing.index()].cancelled,
            self.rows[Row::CancelRacing.index()].ok,
            self.cancel_too_late
        )?;
        writeln!(
            f,
            "group members beside a panic: {} had finished, {} were cancelled",
            self.group_finished_first,
            self.rows[Row::FailingGroupOther.index()].cancelled
        )?;
        let routes: Vec<String> = ROUTES
            .iter()
            .zip(&self.routes)
            .map(|(route, count)| format!("{route:?} {count}"))
            .collect();
        writeln!(f, "routes: {}", routes.join(", "))?;
        writeln!(
            f,
            "destructors: {} guards made, {} dropped; all_tasks() after run: {}; shared state references after run: {}",
            self.guards.0, self.guards.1, self.live_after_run, self.shared_refs_after_run
        )?;
        writeln!(
            f,
            "checked {} of {} tasks: {} mismatches",
            self.checked, self.tasks, self.mismatches
        )?;
        for mismatch in &self.first_mismatches {
            writeln!(f, "  mismatch: {mismatch}")?;
        }
        Ok(())
    }
}

/// Where the run is, for the watchdog's message.
#[derive(Debug, Default)]
struct Progress {
    batch: AtomicUsize,
    checked: AtomicUsize,
    phase: Mutex<&'static str>,
}

impl Progress {
    fn phase(&self, phase: &'static str) {
        *self.phase.lock().unwrap_or_else(PoisonError::into_inner) = phase;
    }
}

/// Checks results against plans and counts them.
struct Checker {
    shared: Arc<Shared>,
    progress: Arc<Progress>,
    report: Report,
}

impl Checker {
    fn mismatch(&mut self, message: String) {
        self.report.mismatches += 1;
        if self.report.first_mismatches.len() < 20 {
            self.report.first_mismatches.push(message);
        }
    }

    fn checked(&mut self) {
        self.report.checked += 1;
        self.progress.checked.fetch_add(1, Ordering::Relaxed);
    }

    /// What holds for every result: the coroutine, its arguments and its
    /// locals are gone, each exactly once.
    fn check_cleanup(&mut self, id: usize, what: &str) {
        let flags = self.shared.flags(id);
        if flags & ARGUMENT_DROPPED == 0 {
            self.mismatch(format!(
                "task {id} ({what}): result seen before its coroutine was dropped"
            ));
        }
        if flags & ENTERED != 0 && flags & LOCAL_DROPPED == 0 {
            self.mismatch(format!(
                "task {id} ({what}): result seen before its body's locals were dropped"
            ));
        }
        if flags & DOUBLE_DROP != 0 {
            self.mismatch(format!("task {id} ({what}): a destructor ran twice"));
        }
    }

    /// A single task's end against its plan: its result if it was
    /// awaited (`None` for one ended by a timeout or by `run`, seen through
    /// a `TaskRef`), what `cancel()` said if it was called at once, and its
    /// state once it has ended.
    fn check(
        &mut self,
        plan: Plan,
        cancel_said: Option<bool>,
        result: Option<&Result<u64, TaskError>>,
        state: TaskState,
    ) {
        let id = plan.id;
        let what = format!("{:?} via {:?}", plan.outcome, plan.route);
        self.checked();
        let Some(from_state) = Seen::of_state(state) else {
            self.mismatch(format!(
                "task {id} ({what}): still {state:?} after it ended"
            ));
            return;
        };
        let seen = result.map_or(from_state, Seen::of);
        if seen != from_state {
            self.mismatch(format!(
                "task {id} ({what}): result {result:?} but state {state:?}"
            ));
        }
        self.report.rows[Row::of(plan.outcome).index()].see(seen);
        let expected: Result<u64, TaskError> = match plan.outcome {
            Outcome::Ok | Outcome::CancelAfterDone => Ok(value(id)),
            Outcome::CancelRacing if seen == Seen::Ok => Ok(value(id)),
            Outcome::Panic => Err(TaskError::Panicked(format!("{PANIC_PREFIX}{id}").into())),
            _ => Err(TaskError::Cancelled),
        };
        let as_expected = result.map_or(seen == Seen::of(&expected), |result| *result == expected);
        if !as_expected {
            self.mismatch(format!(
                "task {id} ({what}): expected {expected:?}, got {:?}",
                result.map_or_else(|| format!("{state:?}"), |result| format!("{result:?}"))
            ));
        }
        let flags = self.shared.flags(id);
        let finished = flags & FINISHED != 0;
        // A cancel racing the body's end may land after the body returned
        // and before the task ended: `cancel()` then said true, and the
        // task ends cancelled as it promised.
        let cancelled_at_its_end = plan.outcome == Outcome::CancelRacing
            && finished
            && seen == Seen::Cancelled
            && cancel_said == Some(true);
        if finished != expected.is_ok() && !cancelled_at_its_end {
            self.mismatch(format!(
                "task {id} ({what}): body ran to its end: {finished}, yet {seen:?}"
            ));
        }
        match plan.outcome {
            Outcome::CancelBeforeStart => {
                if flags & ENTERED == 0 {
                    self.report.never_started += 1;
                } else if plan.route == Route::Local {
                    self.mismatch(format!(
                        "task {id} ({what}): a local task cancelled before the loop's thread \
                         awaited anything has run"
                    ));
                } else {
                    self.report.started_first += 1;
                }
                if cancel_said != Some(true) {
                    self.mismatch(format!(
                        "task {id} ({what}): cancel() at once said {cancel_said:?}"
                    ));
                }
            }
            Outcome::CancelRacing => match (seen, cancel_said) {
                (Seen::Cancelled, Some(false)) => self.mismatch(format!(
                    "task {id} ({what}): cancel() said it had finished, yet it was cancelled"
                )),
                // `cancel()` said true, so the task must end cancelled.
                (Seen::Ok, Some(true)) => {
                    self.report.cancel_too_late += 1;
                    self.mismatch(format!(
                        "task {id} ({what}): cancel() said true, yet it returned"
                    ));
                }
                _ => {}
            },
            Outcome::CancelSuspended | Outcome::Panic if flags & ENTERED == 0 => {
                self.mismatch(format!("task {id} ({what}): the body never began"));
            }
            _ => {}
        }
        self.check_cleanup(id, &what);
    }
}

/// A group and the task that joins it.
struct GroupInFlight {
    owner: usize,
    members: Vec<Plan>,
    refs: Vec<TaskRef>,
    failing: bool,
    joined: Task<GroupResult>,
}

/// What joining a group of the stress run gives.
type GroupResult = Result<Vec<u64>, GroupError<std::convert::Infallible>>;

/// Joins `group`: a task owning a group, as a program would have.
#[cosched::task]
async fn join_group(group: TaskGroup<u64>, _guard: Guard) -> GroupResult {
    group.join().await
}

/// What a spawner task returns: its child, and what `cancel()` said if it
/// cancelled it at once.
type Spawned = (Task<u64>, Option<bool>);

/// What a batch has in flight.
#[derive(Default)]
struct Batch {
    singles: Vec<Single>,
    spawners: Vec<(usize, Plan, Task<Spawned>)>,
    groups: Vec<GroupInFlight>,
    periodic: Vec<(usize, Arc<AtomicUsize>, Task<()>)>,
}

/// Awaits all of `futures` at once; their outputs, in order.
async fn join_all<F: Future>(futures: Vec<F>) -> Vec<F::Output> {
    let mut futures: Vec<Pin<Box<F>>> = futures.into_iter().map(Box::pin).collect();
    let mut outputs: Vec<Option<F::Output>> = futures.iter().map(|_| None).collect();
    std::future::poll_fn(|cx| {
        let mut pending = false;
        for (future, output) in futures.iter_mut().zip(&mut outputs) {
            if output.is_none() {
                match future.as_mut().poll(cx) {
                    Poll::Ready(value) => *output = Some(value),
                    Poll::Pending => pending = true,
                }
            }
        }
        if pending {
            Poll::Pending
        } else {
            Poll::Ready(())
        }
    })
    .await;
    outputs.into_iter().flatten().collect()
}

/// The loop-side driver of a run.
struct Driver {
    config: Config,
    planner: Planner,
    checker: Checker,
    jobs: Vec<mpsc::Sender<Job>>,
    /// Tasks left running for `run` to cancel.
    lingering: Vec<(Plan, TaskRef)>,
    lingering_ids: HashSet<TaskId>,
}

impl Driver {
    fn shared(&self) -> Arc<Shared> {
        Arc::clone(&self.checker.shared)
    }

    fn guard(&self, id: usize) -> Guard {
        Guard::new(&self.checker.shared, id, ARGUMENT_DROPPED)
    }

    fn route(&mut self, route: Route) {
        if let Some(index) = ROUTES.iter().position(|r| *r == route) {
            self.checker.report.routes[index] += 1;
        }
    }

    fn plan(&mut self, row: Row) {
        self.checker.report.rows[row.index()].planned += 1;
    }

    async fn run(&mut self) {
        let mut batch_number = 0;
        while self.planner.remaining() > 0 {
            batch_number += 1;
            self.checker
                .progress
                .batch
                .store(batch_number, Ordering::Relaxed);
            self.batch().await;
        }
    }

    /// Schedules one batch, cancels what is to be cancelled, checks every
    /// result, and waits for the registry to drain.
    async fn batch(&mut self) {
        let progress = Arc::clone(&self.checker.progress);
        progress.phase("scheduling");
        let mut batch = Batch::default();
        let mut thread_jobs: Vec<Vec<(Plan, Guard)>> =
            (0..self.jobs.len()).map(|_| Vec::new()).collect();
        let mut planned = 0;
        while planned < self.config.batch && self.planner.remaining() > 0 {
            let unit = self.planner.unit();
            planned += unit.tasks();
            self.schedule(unit, &mut batch, &mut thread_jobs);
        }
        progress.phase("waiting for the OS threads' tasks");
        self.collect_from_threads(thread_jobs, &mut batch).await;
        progress.phase("waiting for nested spawners");
        self.collect_from_spawners(&mut batch).await;
        let event_loop = cosched::get_event_loop();
        for problem in unregistered_live_tasks(&event_loop, batch.singles.iter().map(|s| &s.task)) {
            self.checker.mismatch(problem);
        }

        progress.phase("cancelling running tasks");
        for single in &mut batch.singles {
            if single.plan.outcome == Outcome::CancelRacing && single.cancel_said.is_none() {
                single.cancel_said = Some(single.task.cancel());
            }
        }
        progress.phase("cancelling suspended tasks");
        self.cancel_suspended(&batch).await;
        progress.phase("cancelling finished tasks");
        self.cancel_finished(&batch).await;
        progress.phase("cancelling periodic tasks");
        self.cancel_periodic(&batch).await;
        progress.phase("timing out");
        self.time_out(&mut batch).await;
        self.leave_running(&mut batch);

        progress.phase("awaiting results");
        for Single {
            plan,
            task,
            cancel_said,
        } in std::mem::take(&mut batch.singles)
        {
            let handle = task.task_ref();
            let result = task.await;
            self.checker
                .check(plan, cancel_said, Some(&result), handle.state());
        }
        self.await_groups(&mut batch).await;
        let ticks_at_result = self.await_periodic(&mut batch).await;

        progress.phase("waiting for all_tasks() to drain");
        self.drain().await;
        for (id, ticks, count) in ticks_at_result {
            if ticks.load(Ordering::SeqCst) != count {
                self.checker
                    .mismatch(format!("periodic task {id}: ticked after its cancellation"));
            }
        }
    }

    async fn collect_from_spawners(&mut self, batch: &mut Batch) {
        for (parent, child, spawner) in std::mem::take(&mut batch.spawners) {
            let result = spawner.await;
            self.checker.report.rows[Row::Spawner.index()].see(Seen::of(&result));
            self.checker.checked();
            self.checker.check_cleanup(parent, "spawner");
            match result {
                Ok((task, cancel_said)) => batch.singles.push(Single {
                    plan: child,
                    task,
                    cancel_said,
                }),
                Err(error) => {
                    self.checker
                        .mismatch(format!("spawner task {parent}: expected Ok, got {error:?}"));
                    // The child's coroutine went down with the spawner.
                    self.checker.report.rows[Row::of(child.outcome).index()].see(Seen::Cancelled);
                    self.checker.checked();
                }
            }
        }
    }

    /// Awaits the `TimedOut` tasks with a 1 ms `wait_for`, all at once;
    /// each must time out, and so be cancelled.
    async fn time_out(&mut self, batch: &mut Batch) {
        let (timed, rest): (Vec<Single>, Vec<Single>) = std::mem::take(&mut batch.singles)
            .into_iter()
            .partition(|single| single.plan.outcome == Outcome::TimedOut);
        batch.singles = rest;
        let handles: Vec<(Plan, TaskRef)> = timed
            .iter()
            .map(|single| (single.plan, single.task.task_ref()))
            .collect();
        let waits = timed
            .into_iter()
            .map(|single| cosched::wait_for(single.task, Duration::from_millis(1)))
            .collect();
        for ((plan, _), waited) in handles.iter().zip(join_all(waits).await) {
            if waited.is_ok() {
                self.checker.mismatch(format!(
                    "task {}: wait_for of a task at its gate gave {waited:?}",
                    plan.id
                ));
            }
        }
        for (plan, handle) in handles {
            if !self.wait_until(|| handle.is_done()).await {
                self.checker.mismatch(format!(
                    "task {}: not stopped by its wait_for timeout",
                    plan.id
                ));
            }
            self.checker.check(plan, None, None, handle.state());
        }
    }

    /// Detaches the `LeftRunning` tasks: `run` will cancel them.
    fn leave_running(&mut self, batch: &mut Batch) {
        let (left, rest): (Vec<Single>, Vec<Single>) = std::mem::take(&mut batch.singles)
            .into_iter()
            .partition(|single| single.plan.outcome == Outcome::LeftRunning);
        batch.singles = rest;
        for single in left {
            self.lingering_ids.insert(single.task.id());
            self.lingering.push((single.plan, single.task.task_ref()));
        }
    }

    async fn await_groups(&mut self, batch: &mut Batch) {
        for group in std::mem::take(&mut batch.groups) {
            let GroupInFlight {
                owner,
                members,
                refs,
                failing,
                joined,
            } = group;
            let joined = joined.await;
            self.checker.report.rows[Row::GroupOwner.index()].see(Seen::of(&joined));
            self.checker.checked();
            self.checker.check_cleanup(owner, "group owner");
            match joined {
                Ok(result) => self.check_group(&members, &refs, failing, &result),
                Err(error) => self
                    .checker
                    .mismatch(format!("group owner {owner}: expected Ok, got {error:?}")),
            }
        }
    }

    /// Awaits the periodic tasks; their tick counts at that moment.
    async fn await_periodic(&mut self, batch: &mut Batch) -> Vec<(usize, Arc<AtomicUsize>, usize)> {
        let mut ticks_at_result = Vec::new();
        for (id, ticks, task) in std::mem::take(&mut batch.periodic) {
            let result = task.await;
            self.checker.report.rows[Row::Every.index()].see(Seen::of(&result));
            self.checker.checked();
            self.checker.check_cleanup(id, "every");
            if result != Err(TaskError::Cancelled) {
                self.checker.mismatch(format!(
                    "periodic task {id}: expected Err(Cancelled), got {result:?}"
                ));
            }
            let count = ticks.load(Ordering::SeqCst);
            if count < TICKS {
                self.checker.mismatch(format!(
                    "periodic task {id}: cancelled after {count} ticks, before {TICKS}"
                ));
            }
            if Arc::strong_count(&ticks) != 1 {
                self.checker.mismatch(format!(
                    "periodic task {id}: its closure outlived its result"
                ));
            }
            ticks_at_result.push((id, ticks, count));
        }
        ticks_at_result
    }

    /// Waits until `all_tasks()` holds only the tasks left for `run`.
    async fn drain(&mut self) {
        let deadline = Instant::now() + self.config.wait;
        loop {
            let live = cosched::all_tasks();
            let others: Vec<&TaskRef> = live
                .iter()
                .filter(|task| !self.lingering_ids.contains(&task.id()))
                .collect();
            if others.is_empty() {
                break;
            }
            if Instant::now() > deadline {
                self.checker.mismatch(format!(
                    "{} tasks still in all_tasks() {:?} after their results were seen, e.g. {:?}",
                    others.len(),
                    self.config.wait,
                    others[0]
                ));
                break;
            }
            cosched::sleep(Duration::from_millis(1)).await;
        }
    }

    /// Schedules one unit (or hands it to an OS thread).
    fn schedule(&mut self, unit: Unit, batch: &mut Batch, thread_jobs: &mut [Vec<(Plan, Guard)>]) {
        let shared = self.shared();
        match unit {
            Unit::Single(plan) => {
                self.plan(Row::of(plan.outcome));
                self.route(plan.route);
                if plan.route == Route::Thread && !thread_jobs.is_empty() {
                    let thread = plan.id % thread_jobs.len();
                    thread_jobs[thread].push((plan, self.guard(plan.id)));
                    return;
                }
                let task = self.schedule_single(plan, shared);
                let cancel_said = cancel_at_once(plan, &task);
                batch.singles.push(Single {
                    plan,
                    task,
                    cancel_said,
                });
            }
            Unit::Nested { parent, child } => {
                self.plan(Row::Spawner);
                self.plan(Row::of(child.outcome));
                self.route(Route::Nested);
                let own = self.guard(parent);
                let child_guard = self.guard(child.id);
                let task = cosched::schedule!(create_task spawner(child, shared, own, child_guard));
                batch.spawners.push((parent, child, task));
            }
            Unit::Group {
                owner,
                members,
                failing,
            } => {
                self.plan(Row::GroupOwner);
                let mut group = TaskGroup::new();
                let mut refs = Vec::with_capacity(members.len());
                for plan in &members {
                    self.plan(match (failing, plan.outcome) {
                        (false, _) => Row::OkGroupMember,
                        (true, Outcome::Panic) => Row::FailingGroupPanicker,
                        (true, _) => Row::FailingGroupOther,
                    });
                    self.route(Route::Group);
                    let guard = self.guard(plan.id);
                    refs.push(group.create_task(work(*plan, Arc::clone(&shared), guard)));
                }
                let guard = self.guard(owner);
                let joined = cosched::schedule!(create_task join_group(group, guard));
                batch.groups.push(GroupInFlight {
                    owner,
                    members,
                    refs,
                    failing,
                    joined,
                });
            }
            Unit::Every { id } => {
                self.plan(Row::Every);
                self.route(Route::Every);
                let ticks = Arc::new(AtomicUsize::new(0));
                let counter = Arc::clone(&ticks);
                // The closure owns the guard: it must go when the task does.
                let guard = self.guard(id);
                let task = cosched::schedule!(every Duration::from_millis(1) => {
                    let _owned = &guard;
                    tick(Arc::clone(&counter))
                });
                batch.periodic.push((id, ticks, task));
            }
        }
    }

    /// Schedules a single task from the loop's thread, by its route.
    fn schedule_single(&mut self, plan: Plan, shared: Arc<Shared>) -> Task<u64> {
        let guard = self.guard(plan.id);
        match plan.route {
            Route::EnsureFuture => cosched::schedule!(ensure_future work(plan, shared, guard)),
            Route::PassThrough => {
                let task = cosched::schedule!(create_task work(plan, shared, guard));
                let id = task.id();
                let same = cosched::schedule!(ensure_future task);
                if same.id() != id {
                    self.checker.mismatch(format!(
                        "task {}: ensure_future of a task gave another task",
                        plan.id
                    ));
                }
                same
            }
            Route::Spawn => work(plan, shared, guard).spawn(),
            Route::Named => {
                let name = format!("stress-{}", plan.id);
                let task = cosched::schedule!(work(plan, shared, guard), name = name.clone());
                if task.name() != name {
                    self.checker.mismatch(format!(
                        "task {}: named {name:?}, called {:?}",
                        plan.id,
                        task.name()
                    ));
                }
                task
            }
            Route::Local => cosched::schedule!(create_task work_local(plan, shared, guard)),
            Route::Limited => work_limited(plan, shared, guard).spawn(),
            _ => cosched::schedule!(create_task work(plan, shared, guard)),
        }
    }

    /// Hands the threads their tasks and waits (without blocking the
    /// loop's thread) for the handles.
    async fn collect_from_threads(
        &mut self,
        thread_jobs: Vec<Vec<(Plan, Guard)>>,
        batch: &mut Batch,
    ) {
        let (reply, replies) = mpsc::channel();
        let mut expected = 0;
        for (jobs, plans) in self.jobs.iter().zip(thread_jobs) {
            if plans.is_empty() {
                continue;
            }
            let job = Job {
                plans,
                reply: reply.clone(),
            };
            if jobs.send(job).is_err() {
                self.checker
                    .mismatch("a scheduling thread has died".to_owned());
                continue;
            }
            expected += 1;
        }
        drop(reply);
        let deadline = Instant::now() + self.config.wait;
        while expected > 0 {
            match replies.try_recv() {
                Ok((tasks, problems)) => {
                    batch.singles.extend(tasks);
                    for problem in problems {
                        self.checker.mismatch(problem);
                    }
                    expected -= 1;
                }
                Err(mpsc::TryRecvError::Empty) if Instant::now() < deadline => {
                    cosched::sleep(Duration::from_millis(1)).await;
                }
                Err(_) => {
                    self.checker
                        .mismatch("a scheduling thread did not answer".to_owned());
                    return;
                }
            }
        }
    }

    /// Waits until `ready`, sleeping a millisecond at a time; false after
    /// the configured wait.
    async fn wait_until(&self, mut ready: impl FnMut() -> bool) -> bool {
        let deadline = Instant::now() + self.config.wait;
        while !ready() {
            if Instant::now() > deadline {
                return false;
            }
            cosched::sleep(Duration::from_millis(1)).await;
        }
        true
    }

    async fn cancel_suspended(&mut self, batch: &Batch) {
        for Single { plan, task, .. } in &batch.singles {
            if plan.outcome != Outcome::CancelSuspended {
                continue;
            }
            let shared = self.shared();
            if !self
                .wait_until(|| shared.flags(plan.id) & ENTERED != 0)
                .await
            {
                self.checker
                    .mismatch(format!("task {}: never started", plan.id));
            }
            if !task.cancel() {
                self.checker.mismatch(format!(
                    "task {}: cancel() of a suspended task said it had finished",
                    plan.id
                ));
            }
        }
    }

    async fn cancel_finished(&mut self, batch: &Batch) {
        for Single { plan, task, .. } in &batch.singles {
            if plan.outcome != Outcome::CancelAfterDone {
                continue;
            }
            if !self.wait_until(|| task.is_done()).await {
                self.checker
                    .mismatch(format!("task {}: never finished", plan.id));
            }
            if task.cancel() {
                self.checker.mismatch(format!(
                    "task {}: cancel() of a finished task said it was not finished",
                    plan.id
                ));
            }
        }
    }

    async fn cancel_periodic(&mut self, batch: &Batch) {
        for (id, ticks, task) in &batch.periodic {
            if !self
                .wait_until(|| ticks.load(Ordering::SeqCst) >= TICKS)
                .await
            {
                self.checker
                    .mismatch(format!("periodic task {id}: fewer than {TICKS} ticks"));
            }
            if !task.cancel() {
                self.checker
                    .mismatch(format!("periodic task {id}: finished by itself"));
            }
        }
    }

    fn check_group(
        &mut self,
        members: &[Plan],
        refs: &[TaskRef],
        failing: bool,
        result: &GroupResult,
    ) {
        let ids: Vec<usize> = members.iter().map(|plan| plan.id).collect();
        if failing {
            // The one panic, and no other failure: the others were
            // cancelled (or had finished) and fail nothing.
            let panic = TaskError::Panicked(format!("{PANIC_PREFIX}{}", ids[0]).into());
            let matches = result
                .as_ref()
                .is_err_and(|error| error.errors() == [Failure::Member(panic.clone())]);
            if !matches {
                self.checker.mismatch(format!(
                    "group {ids:?}: expected the one failure {:?}, got {result:?}",
                    Failure::<()>::Member(panic)
                ));
            }
        } else {
            let expected: GroupResult = Ok(ids.iter().map(|&id| value(id)).collect());
            if *result != expected {
                self.checker.mismatch(format!(
                    "group {ids:?}: expected {expected:?}, got {result:?}"
                ));
            }
        }
        for (plan, member) in members.iter().zip(refs) {
            let id = plan.id;
            let state = member.state();
            let seen = match state {
                TaskState::Done => Seen::Ok,
                TaskState::Cancelled => Seen::Cancelled,
                TaskState::Panicked => Seen::Panicked,
                other => {
                    self.checker.mismatch(format!(
                        "group member {id}: still {other:?} after the group's join"
                    ));
                    continue;
                }
            };
            let row = match (failing, plan.outcome) {
                (false, _) => Row::OkGroupMember,
                (true, Outcome::Panic) => Row::FailingGroupPanicker,
                (true, _) => Row::FailingGroupOther,
            };
            self.checker.report.rows[row.index()].see(seen);
            self.checker.checked();
            let flags = self.checker.shared.flags(id);
            let finished = flags & FINISHED != 0;
            let ok = match row {
                Row::OkGroupMember => seen == Seen::Ok && finished,
                Row::FailingGroupPanicker => seen == Seen::Panicked && !finished,
                _ => {
                    if seen == Seen::Ok {
                        self.checker.report.group_finished_first += 1;
                    }
                    // Cancelled with its body finished: the sibling's
                    // failure cancelled it between its body's return (the
                    // report to the group) and its task's end, so
                    // `cancel()` said true and the task ended cancelled,
                    // as `cancel()` promises.
                    (seen == Seen::Ok && finished) || seen == Seen::Cancelled
                }
            };
            if !ok {
                self.checker.mismatch(format!(
                    "group member {id} ({row:?}): {seen:?}, body finished: {finished}"
                ));
            }
            self.checker.check_cleanup(id, "group member");
        }
    }
}

/// Panics whose message starts with [`PANIC_PREFIX`] are not printed while
/// this is alive; the others go to the hook that was installed before.
struct QuietPlannedPanics {
    previous: Arc<Hook>,
}

type Hook = Box<dyn Fn(&std::panic::PanicHookInfo<'_>) + Sync + Send + 'static>;

impl QuietPlannedPanics {
    fn install() -> Self {
        let previous: Arc<Hook> = Arc::new(std::panic::take_hook());
        let fallback = Arc::clone(&previous);
        std::panic::set_hook(Box::new(move |info| {
            let payload = info.payload();
            let message = payload
                .downcast_ref::<String>()
                .map(String::as_str)
                .or_else(|| payload.downcast_ref::<&str>().copied());
            if !message.is_some_and(|message| message.starts_with(PANIC_PREFIX)) {
                fallback(info);
            }
        }));
        Self { previous }
    }
}

impl Drop for QuietPlannedPanics {
    fn drop(&mut self) {
        let previous = Arc::clone(&self.previous);
        std::panic::set_hook(Box::new(move |info| previous(info)));
    }
}

/// Aborts the process if it is not dropped within `bound`.
struct Watchdog {
    done: Option<mpsc::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Watchdog {
    fn start(bound: Duration, tasks: usize, progress: Arc<Progress>) -> Self {
        let (done, finished) = mpsc::channel::<()>();
        let thread = std::thread::Builder::new()
            .name("stress-watchdog".to_owned())
            .spawn(move || {
                if let Err(mpsc::RecvTimeoutError::Timeout) = finished.recv_timeout(bound) {
                    let phase = *progress
                        .phase
                        .lock()
                        .unwrap_or_else(PoisonError::into_inner);
                    eprintln!(
                        "stress: WATCHDOG: the run did not finish within {bound:?}: batch {}, \
                         {} of {tasks} tasks checked, {phase}; aborting",
                        progress.batch.load(Ordering::Relaxed),
                        progress.checked.load(Ordering::Relaxed),
                    );
                    std::process::abort();
                }
            })
            .expect("the OS starts the watchdog thread");
        Self {
            done: Some(done),
            thread: Some(thread),
        }
    }
}

impl Drop for Watchdog {
    fn drop(&mut self) {
        drop(self.done.take());
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// One stress run at a time per process: they share the panic hook.
static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

/// Runs the stress test `config` describes and reports what it saw. A
/// mismatch does not stop the run; see [`Report::is_ok`]. A hang aborts
/// the process (after a message on stderr) once `config.timeout` has
/// passed.
///
/// # Panics
///
/// If the OS refuses to start a thread.
pub(crate) fn run(config: &Config) -> Report {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(PoisonError::into_inner);
    let progress = Arc::new(Progress::default());
    let _watchdog = Watchdog::start(config.timeout, config.tasks, Arc::clone(&progress));
    let _quiet = QuietPlannedPanics::install();
    let shared = Arc::new(Shared::new(config.tasks));
    let start = Instant::now();
    let report = Report::new(config.tasks);
    let mut driver = Driver {
        config: config.clone(),
        planner: Planner {
            rng: Rng::new(config.seed),
            next_id: 0,
            tasks: config.tasks,
        },
        checker: Checker {
            shared: Arc::clone(&shared),
            progress: Arc::clone(&progress),
            report,
        },
        jobs: Vec::new(),
        lingering: Vec::new(),
        lingering_ids: HashSet::new(),
    };
    let mut threads = Vec::new();
    let (event_loop, mut driver) = cosched::run(async move {
        let event_loop = cosched::get_event_loop();
        for n in 0..config.threads {
            let (jobs, incoming) = mpsc::channel();
            driver.jobs.push(jobs);
            let (event_loop, shared) = (event_loop.clone(), driver.shared());
            threads.push(
                std::thread::Builder::new()
                    .name(format!("stress-scheduler-{n}"))
                    .spawn(move || scheduler_thread(&event_loop, &shared, &incoming))
                    .expect("the OS starts a scheduling thread"),
            );
        }
        driver.run().await;
        driver.jobs.clear();
        for thread in threads {
            if thread.join().is_err() {
                driver
                    .checker
                    .mismatch("a scheduling thread panicked".to_owned());
            }
        }
        driver.checker.progress.phase("run's shutdown");
        (event_loop, driver)
    });
    // Left for `run`: cancelled by its shutdown, their locals dropped.
    for (plan, handle) in std::mem::take(&mut driver.lingering) {
        driver.checker.check(plan, None, None, handle.state());
    }
    let mut report = std::mem::replace(&mut driver.checker.report, Report::new(0));
    drop(driver);
    report.elapsed = start.elapsed();
    report.live_after_run = event_loop.all_tasks().len();
    report.shared_refs_after_run = Arc::strong_count(&shared);
    report.guards = (
        shared.guards_made.load(Ordering::SeqCst),
        shared.guards_dropped.load(Ordering::SeqCst),
    );
    let mut late = Vec::new();
    if report.live_after_run != 0 {
        late.push(format!(
            "{} tasks left in all_tasks() after run returned",
            report.live_after_run
        ));
    }
    if report.shared_refs_after_run != 1 {
        late.push(format!(
            "{} references to the shared state outlived run (a coroutine or guard was not dropped)",
            report.shared_refs_after_run - 1
        ));
    }
    if report.guards.0 != report.guards.1 {
        late.push(format!(
            "{} guards made, {} dropped",
            report.guards.0, report.guards.1
        ));
    }
    if report.checked != config.tasks {
        late.push(format!(
            "{} results checked for {} tasks",
            report.checked, config.tasks
        ));
    }
    for (id, flags) in shared.flags.iter().enumerate() {
        if flags.load(Ordering::SeqCst) & ARGUMENT_DROPPED == 0 {
            late.push(format!("task {id}: its coroutine was never dropped"));
            break;
        }
    }
    for message in late {
        report.mismatches += 1;
        report.first_mismatches.push(message);
    }
    report
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plans_are_deterministic_and_count_every_task() {
        let plan = |seed| {
            let mut planner = Planner {
                rng: Rng::new(seed),
                next_id: 0,
                tasks: 5_000,
            };
            let mut units = Vec::new();
            while planner.remaining() > 0 {
                units.push(format!("{:?}", planner.unit()));
            }
            units
        };
        assert_eq!(plan(7), plan(7));
        assert_ne!(plan(7), plan(8));
        let mut planner = Planner {
            rng: Rng::new(1),
            next_id: 0,
            tasks: 5_000,
        };
        let mut tasks = 0;
        while planner.remaining() > 0 {
            tasks += planner.unit().tasks();
        }
        assert_eq!(tasks, 5_000);
    }
}
