//! The driver of a run: [`run`] starts the scheduling OS threads, the
//! watchdog and the loop, on which the [`Driver`] plans, schedules,
//! cancels and checks the tasks batch by batch; then come the checks that
//! hold only once `run` has returned (nothing left in `all_tasks()`, every
//! guard dropped).

use std::collections::HashSet;
use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError, mpsc};
use std::task::Poll;
use std::time::{Duration, Instant};

use cosched::{EventLoop, Failure, Task, TaskError, TaskGroup, TaskId, TaskRef, TaskState};

use crate::check::{Checker, unregistered_live_tasks};
use crate::guard::{ARGUMENT_DROPPED, ENTERED, FINISHED, Guard, Shared};
use crate::plan::{Outcome, PANIC_PREFIX, Plan, Planner, ROUTES, Rng, Route, TICKS, Unit, value};
use crate::report::{Report, Row, Seen};
use crate::watchdog::{Progress, QuietPlannedPanics, Watchdog};
use crate::work::{
    GroupResult, Spawned, cancel_at_once, join_group, spawner, tick, work, work_limited, work_local,
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

/// A group and the task that joins it.
struct GroupInFlight {
    owner: usize,
    members: Vec<Plan>,
    refs: Vec<TaskRef>,
    failing: bool,
    joined: Task<GroupResult>,
}

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
