//! Seeing a loop's tasks: each task's name, id, state, spawn site, age and
//! what it awaits ([`TaskInfo`]); every live task of a loop as a tree
//! ([`dump`], [`EventLoop::dump`]) in text or Graphviz DOT; and one task
//! with who awaits it, transitively ([`capture_call_graph`]), asyncio
//! 3.14's `capture_call_graph`/`print_call_graph` and `python -m asyncio
//! pstree`.
//!
//! Edges: a task awaiting a [`Task`](crate::Task) (directly, or through
//! [`wait_for`](crate::wait_for) or [`shield`](crate::shield)) awaits that
//! task; one awaiting a [`gather`](crate::gather), [`wait`](crate::wait)
//! or [`as_completed`](crate::as_completed) awaits each of its tasks; one
//! awaiting a [`TaskGroup`](crate::TaskGroup)'s `join`, `join_next` or
//! `scope` awaits each member. Nothing here costs a task that nobody
//! looks at: the graph is read from the task table when asked.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::{self, Write as _};
use std::panic::Location;
use std::time::{Duration, Instant};

use crate::event_loop::EventLoop;
use crate::task::{SlotRef, TaskId, TaskRef, TaskState};

/// What a task is doing: a row of a [`Dump`].
///
/// ```
/// # cosched::run(async {
/// let task = cosched::Builder::new().name("sleeper").create_task(cosched::sleep(std::time::Duration::from_secs(60)));
/// let info = cosched::TaskInfo::of(&task.task_ref());
/// assert_eq!(info.name(), "sleeper");
/// assert_eq!(info.id(), task.id());
/// assert_eq!(info.spawned_at().line(), line!() - 4);
/// task.cancel();
/// # });
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaskInfo {
    id: TaskId,
    name: String,
    state: TaskState,
    spawned_at: &'static Location<'static>,
    created: Option<Instant>,
    awaits: Vec<TaskId>,
}

impl TaskInfo {
    /// What `task` is doing now.
    ///
    /// ```
    /// # cosched::run(async {
    /// let task = cosched::create_task(async {});
    /// assert_eq!(cosched::TaskInfo::of(&task.task_ref()).id(), task.id());
    /// # });
    /// ```
    pub fn of(task: &TaskRef) -> Self {
        Self::read(&task.slot, Vec::new())
    }

    fn read(slot: &SlotRef, awaits: Vec<TaskId>) -> Self {
        Self {
            id: slot.id(),
            name: slot.name(),
            state: slot.state(),
            spawned_at: slot.spawn_site(),
            created: slot.created(),
            awaits,
        }
    }

    /// The task's id.
    ///
    /// ```
    /// # cosched::run(async {
    /// let task = cosched::create_task(async {});
    /// assert_eq!(cosched::TaskInfo::of(&task.task_ref()).id(), task.id());
    /// # });
    /// ```
    pub fn id(&self) -> TaskId {
        self.id
    }

    /// The task's name.
    ///
    /// ```
    /// # cosched::run(async {
    /// let task = cosched::Builder::new().name("n").create_task(async {});
    /// assert_eq!(cosched::TaskInfo::of(&task.task_ref()).name(), "n");
    /// # });
    /// ```
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Where the task was in its life when this was read.
    ///
    /// ```
    /// # cosched::run(async {
    /// let task = cosched::create_task(cosched::sleep(std::time::Duration::from_secs(60)));
    /// assert_ne!(cosched::TaskInfo::of(&task.task_ref()).state(), cosched::TaskState::Done);
    /// task.cancel();
    /// # });
    /// ```
    pub fn state(&self) -> TaskState {
        self.state
    }

    /// Where the task was scheduled.
    ///
    /// ```
    /// # cosched::run(async {
    /// let task = cosched::create_task(async {});
    /// assert_eq!(cosched::TaskInfo::of(&task.task_ref()).spawned_at(), task.spawn_site());
    /// # });
    /// ```
    pub fn spawned_at(&self) -> &'static Location<'static> {
        self.spawned_at
    }

    /// How long ago the task was created, if its loop was in
    /// [debug mode](crate::debug) then (recording it costs a clock read per
    /// spawn, which cosched spares a loop that is not).
    ///
    /// ```
    /// # cosched::run(async {
    /// let task = cosched::create_task(async {});
    /// let info = cosched::TaskInfo::of(&task.task_ref());
    /// assert_eq!(info.age().is_some(), cosched::debug::is_enabled());
    /// # });
    /// ```
    pub fn age(&self) -> Option<Duration> {
        self.created.map(|created| created.elapsed())
    }

    /// The ids of the live tasks this one awaits (empty from
    /// [`TaskInfo::of`], which reads one task; filled in a [`Dump`]).
    ///
    /// ```
    /// # cosched::run(async {
    /// let inner = cosched::create_task(cosched::sleep(std::time::Duration::from_secs(60)));
    /// let id = inner.id();
    /// let outer = cosched::create_task(async move { inner.await });
    /// cosched::sleep(std::time::Duration::from_millis(10)).await;
    /// let dump = cosched::dump();
    /// let row = dump.tasks().iter().find(|row| row.id() == outer.id()).unwrap();
    /// assert_eq!(row.awaits(), [id]);
    /// outer.cancel();
    /// # });
    /// ```
    pub fn awaits(&self) -> &[TaskId] {
        &self.awaits
    }

    /// One line: name, id, state, spawn site and, if known, age.
    fn line(&self) -> String {
        let mut line = format!(
            "{} (id {}, {}, spawned at {}",
            self.name,
            self.id,
            state_word(self.state),
            self.spawned_at
        );
        if let Some(age) = self.age() {
            let _ = write!(line, ", age {age:.3?}");
        }
        line.push(')');
        line
    }
}

impl fmt::Display for TaskInfo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.line())
    }
}

fn state_word(state: TaskState) -> &'static str {
    match state {
        TaskState::Pending => "pending",
        TaskState::Running => "running",
        TaskState::Cancelling => "cancelling",
        TaskState::Done => "done",
        TaskState::Cancelled => "cancelled",
        TaskState::Panicked => "panicked",
    }
}

/// Every live task of a loop, and what each awaits: asyncio's `python -m
/// asyncio pstree`. Its `Display` is a tree (each task under the tasks
/// awaiting it; await cycles named as such), [`to_dot`](Dump::to_dot) a
/// Graphviz picture.
///
/// ```
/// # cosched::run(async {
/// use std::time::Duration;
/// let worker = cosched::Builder::new().name("worker").create_task(cosched::sleep(Duration::from_secs(60)));
/// let boss = cosched::Builder::new().name("boss").create_task(async move { worker.await });
/// cosched::sleep(Duration::from_millis(10)).await;
/// let tree = cosched::dump().to_string();
/// let boss_line = tree.lines().position(|line| line.contains("boss (id")).unwrap();
/// assert!(tree.lines().nth(boss_line + 1).unwrap().contains("└── worker (id"));
/// boss.cancel();
/// # });
/// ```
#[derive(Debug, Clone)]
pub struct Dump {
    event_loop: u64,
    tasks: Vec<TaskInfo>,
}

/// The live tasks of the current loop (of the task being polled, or the
/// loop this thread drives), as a [`Dump`].
///
/// # Panics
///
/// Outside a loop, as [`create_task`](crate::create_task) does.
///
/// ```
/// # cosched::run(async {
/// let task = cosched::create_task(cosched::sleep(std::time::Duration::from_secs(60)));
/// assert_eq!(cosched::dump().tasks().len(), 1);
/// task.cancel();
/// # });
/// ```
pub fn dump() -> Dump {
    crate::event_loop::with_current_loop(EventLoop::dump)
}

impl Dump {
    /// Reads the live tasks of the loop numbered `number` (id `id`).
    pub(crate) fn of_loop(id: u64, number: u16) -> Self {
        let slots = SlotRef::snapshot(number);
        let index_to_id: BTreeMap<u32, TaskId> =
            slots.iter().map(|slot| (slot.index(), slot.id())).collect();
        let mut tasks: Vec<TaskInfo> = slots
            .iter()
            .map(|slot| {
                let mut awaited: Vec<u32> = crate::task::awaited_by(slot);
                awaited.extend(crate::task::joined_by(slot));
                let mut awaits: Vec<TaskId> = awaited
                    .iter()
                    .filter_map(|index| index_to_id.get(index).copied())
                    .collect();
                awaits.sort_unstable();
                awaits.dedup();
                TaskInfo::read(slot, awaits)
            })
            .collect();
        tasks.sort_unstable_by_key(|task| task.id);
        Self {
            event_loop: id,
            tasks,
        }
    }

    /// The tasks, by id.
    ///
    /// ```
    /// # cosched::run(async {
    /// assert!(cosched::dump().tasks().is_empty()); // `run`'s main future is not a task
    /// # });
    /// ```
    pub fn tasks(&self) -> &[TaskInfo] {
        &self.tasks
    }

    /// The await cycles: each a list of task ids where each awaits the
    /// next and the last the first. A task awaiting itself is a cycle of
    /// one. (Awaiting a `Task` refuses to close a cycle,
    /// [`TaskError::AwaitCycle`](crate::TaskError::AwaitCycle); through a
    /// `gather` or a group one can still form, and shows here.)
    ///
    /// ```
    /// # cosched::run(async {
    /// assert!(cosched::dump().cycles().is_empty());
    /// # });
    /// ```
    pub fn cycles(&self) -> Vec<Vec<TaskId>> {
        let graph = self.graph();
        let mut cycles = Vec::new();
        let mut seen = BTreeSet::new();
        for &start in graph.keys() {
            let mut path = Vec::new();
            find_cycles(&graph, start, &mut path, &mut seen, &mut cycles);
        }
        cycles
    }

    fn graph(&self) -> BTreeMap<TaskId, Vec<TaskId>> {
        self.tasks
            .iter()
            .map(|task| (task.id, task.awaits.clone()))
            .collect()
    }

    /// The dump as a Graphviz digraph: a node per task (name, state, spawn
    /// site), an edge from each task to each it awaits; edges of a cycle
    /// red. `dot -Tsvg` draws it.
    ///
    /// ```
    /// # cosched::run(async {
    /// let task = cosched::Builder::new().name("alone").create_task(cosched::sleep(std::time::Duration::from_secs(60)));
    /// let dot = cosched::dump().to_dot();
    /// assert!(dot.starts_with("digraph cosched {"));
    /// assert!(dot.contains("alone"));
    /// task.cancel();
    /// # });
    /// ```
    pub fn to_dot(&self) -> String {
        let in_cycle: BTreeSet<(TaskId, TaskId)> = self
            .cycles()
            .iter()
            .flat_map(|cycle| {
                cycle
                    .iter()
                    .zip(cycle.iter().cycle().skip(1))
                    .map(|(&a, &b)| (a, b))
                    .collect::<Vec<_>>()
            })
            .collect();
        let mut dot = String::from(
            "digraph cosched {\n    rankdir=TB;\n    node [shape=box, fontname=\"monospace\"];\n",
        );
        let _ = writeln!(dot, "    label=\"event loop {}\";", self.event_loop);
        for task in &self.tasks {
            let _ = writeln!(
                dot,
                "    t{} [label=\"{}\\nid {} · {}\\n{}\"];",
                task.id,
                escape(&task.name),
                task.id,
                state_word(task.state),
                escape(&task.spawned_at.to_string())
            );
        }
        for task in &self.tasks {
            for awaited in &task.awaits {
                let style = if in_cycle.contains(&(task.id, *awaited)) {
                    " [color=red, label=\"cycle\"]"
                } else {
                    ""
                };
                let _ = writeln!(dot, "    t{} -> t{awaited}{style};", task.id);
            }
        }
        dot.push_str("}\n");
        dot
    }
}

fn escape(text: &str) -> String {
    text.replace('\\', "\\\\").replace('"', "\\\"")
}

/// Depth-first search for cycles through `node`; each cycle found once
/// (by the first node of it the search reaches).
fn find_cycles(
    graph: &BTreeMap<TaskId, Vec<TaskId>>,
    node: TaskId,
    path: &mut Vec<TaskId>,
    seen: &mut BTreeSet<TaskId>,
    cycles: &mut Vec<Vec<TaskId>>,
) {
    if let Some(start) = path.iter().position(|&on_path| on_path == node) {
        cycles.push(path[start..].to_vec());
        return;
    }
    if !seen.insert(node) {
        return;
    }
    path.push(node);
    for &next in graph.get(&node).into_iter().flatten() {
        find_cycles(graph, next, path, seen, cycles);
    }
    path.pop();
}

impl fmt::Display for Dump {
    /// The tree: each task that no live task awaits, and under each task
    /// the tasks it awaits. A task awaited by several is drawn in full the
    /// first time and named after that; a task met again on its own path
    /// closes a cycle, and says so.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let by_id: BTreeMap<TaskId, &TaskInfo> =
            self.tasks.iter().map(|task| (task.id, task)).collect();
        let awaited: BTreeSet<TaskId> = self
            .tasks
            .iter()
            .flat_map(|task| task.awaits.iter().copied())
            .collect();
        writeln!(
            f,
            "event loop {}: {} live task{}",
            self.event_loop,
            self.tasks.len(),
            if self.tasks.len() == 1 { "" } else { "s" }
        )?;
        let mut drawn = BTreeSet::new();
        let roots = self.tasks.iter().filter(|task| !awaited.contains(&task.id));
        // Tasks only reachable through a cycle have no root: drawn last.
        let rest: Vec<&TaskInfo> = self.tasks.iter().collect();
        for task in roots.chain(rest) {
            if !drawn.contains(&task.id) {
                draw(f, &by_id, task, "", "", &mut Vec::new(), &mut drawn)?;
            }
        }
        for cycle in self.cycles() {
            let names: Vec<String> = cycle
                .iter()
                .chain(cycle.first())
                .map(|id| {
                    by_id
                        .get(id)
                        .map_or_else(|| id.to_string(), |task| task.name.clone())
                })
                .collect();
            writeln!(f, "await cycle: {}", names.join(" → "))?;
        }
        Ok(())
    }
}

fn draw(
    f: &mut fmt::Formatter<'_>,
    by_id: &BTreeMap<TaskId, &TaskInfo>,
    task: &TaskInfo,
    first: &str,
    rest: &str,
    path: &mut Vec<TaskId>,
    drawn: &mut BTreeSet<TaskId>,
) -> fmt::Result {
    if path.contains(&task.id) {
        return writeln!(f, "{first}↺ {} (id {}): await cycle", task.name, task.id);
    }
    if !drawn.insert(task.id) {
        return writeln!(f, "{first}{} (id {}): see above", task.name, task.id);
    }
    writeln!(f, "{first}{}", task.line())?;
    path.push(task.id);
    let children: Vec<&TaskInfo> = task
        .awaits
        .iter()
        .filter_map(|id| by_id.get(id).copied())
        .collect();
    for (i, child) in children.iter().enumerate() {
        let last = i + 1 == children.len();
        let (branch, indent) = if last {
            ("└── ", "    ")
        } else {
            ("├── ", "│   ")
        };
        draw(
            f,
            by_id,
            child,
            &format!("{rest}{branch}"),
            &format!("{rest}{indent}"),
            path,
            drawn,
        )?;
    }
    path.pop();
    Ok(())
}

/// A task and who awaits it, transitively: asyncio's `FutureCallGraph`
/// (without the call stack, which Rust's futures do not keep). Its
/// `Display` is what [`print_call_graph`] prints.
///
/// ```
/// # cosched::run(async {
/// use std::time::Duration;
/// let worker = cosched::Builder::new().name("worker").create_task(cosched::sleep(Duration::from_secs(60)));
/// let handle = worker.task_ref();
/// let boss = cosched::Builder::new().name("boss").create_task(async move { worker.await });
/// cosched::sleep(Duration::from_millis(10)).await;
/// let graph = cosched::capture_call_graph(&handle);
/// assert_eq!(graph.task().name(), "worker");
/// assert_eq!(graph.awaited_by()[0].task().name(), "boss");
/// boss.cancel();
/// # });
/// ```
#[derive(Debug, Clone)]
pub struct CallGraph {
    task: TaskInfo,
    awaited_by: Vec<CallGraph>,
}

impl CallGraph {
    /// The task.
    ///
    /// ```
    /// # cosched::run(async {
    /// let task = cosched::create_task(async {});
    /// assert_eq!(cosched::capture_call_graph(&task.task_ref()).task().id(), task.id());
    /// # });
    /// ```
    pub fn task(&self) -> &TaskInfo {
        &self.task
    }

    /// The graphs of the tasks that await it (a task met again on the way
    /// up closes a cycle and is not followed further).
    ///
    /// ```
    /// # cosched::run(async {
    /// let task = cosched::create_task(async {});
    /// assert!(cosched::capture_call_graph(&task.task_ref()).awaited_by().is_empty());
    /// # });
    /// ```
    pub fn awaited_by(&self) -> &[CallGraph] {
        &self.awaited_by
    }
}

/// `task` and the tasks that await it, transitively, read from its loop's
/// tasks now: asyncio's `capture_call_graph(task)`.
///
/// ```
/// # cosched::run(async {
/// let task = cosched::create_task(cosched::sleep(std::time::Duration::from_secs(60)));
/// let graph = cosched::capture_call_graph(&task.task_ref());
/// assert_eq!(graph.task().id(), task.id());
/// task.cancel();
/// # });
/// ```
pub fn capture_call_graph(task: &TaskRef) -> CallGraph {
    let dump = Dump::of_loop(0, task.slot.loop_number());
    let mut awaited_by: BTreeMap<TaskId, Vec<&TaskInfo>> = BTreeMap::new();
    for waiter in &dump.tasks {
        for &awaited in &waiter.awaits {
            awaited_by.entry(awaited).or_default().push(waiter);
        }
    }
    let info = dump
        .tasks
        .iter()
        .find(|info| info.id == task.id())
        .cloned()
        .unwrap_or_else(|| TaskInfo::of(task));
    build(info, &awaited_by, &mut Vec::new())
}

fn build(
    task: TaskInfo,
    awaited_by: &BTreeMap<TaskId, Vec<&TaskInfo>>,
    path: &mut Vec<TaskId>,
) -> CallGraph {
    path.push(task.id);
    let mut waiters = Vec::new();
    for &waiter in awaited_by.get(&task.id).into_iter().flatten() {
        if !path.contains(&waiter.id) {
            waiters.push(build(waiter.clone(), awaited_by, path));
        }
    }
    path.pop();
    CallGraph {
        task,
        awaited_by: waiters,
    }
}

impl fmt::Display for CallGraph {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fn write(f: &mut fmt::Formatter<'_>, graph: &CallGraph, depth: usize) -> fmt::Result {
            let indent = "    ".repeat(depth);
            writeln!(f, "{indent}* {}", graph.task)?;
            if !graph.awaited_by.is_empty() {
                writeln!(f, "{indent}  awaited by:")?;
                for waiter in &graph.awaited_by {
                    write(f, waiter, depth + 1)?;
                }
            }
            Ok(())
        }
        write(f, self, 0)
    }
}

/// Prints [`capture_call_graph(task)`](capture_call_graph) on stdout, as
/// asyncio's `print_call_graph` does.
///
/// ```
/// # cosched::run(async {
/// let task = cosched::create_task(async {});
/// cosched::print_call_graph(&task.task_ref());
/// # });
/// ```
pub fn print_call_graph(task: &TaskRef) {
    print!("{}", capture_call_graph(task));
}
