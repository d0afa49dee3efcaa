//! What a run counts and prints: the rows of its table (a kind of task and
//! the outcome it must have), what each result was ([`Seen`]), and the
//! [`Report`].

use std::fmt;
use std::time::Duration;

use cosched::{TaskError, TaskState};

use crate::plan::{Outcome, ROUTES};

/// The rows of the report: a kind of task and its expected outcome.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Row {
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
    pub(crate) fn index(self) -> usize {
        ROWS.iter()
            .position(|(row, _, _)| *row == self)
            .unwrap_or_default()
    }

    pub(crate) fn of(outcome: Outcome) -> Self {
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
pub(crate) enum Seen {
    Ok,
    Cancelled,
    Panicked,
}

impl Seen {
    pub(crate) fn of_state(state: TaskState) -> Option<Self> {
        match state {
            TaskState::Done => Some(Self::Ok),
            TaskState::Cancelled => Some(Self::Cancelled),
            TaskState::Panicked => Some(Self::Panicked),
            _ => None,
        }
    }

    pub(crate) fn of<T>(result: &Result<T, TaskError>) -> Self {
        match result {
            Ok(_) => Self::Ok,
            Err(error) if error.is_cancelled() => Self::Cancelled,
            Err(_) => Self::Panicked,
        }
    }
}

/// The counts of one row of the report.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct Tally {
    pub(crate) planned: usize,
    pub(crate) ok: usize,
    pub(crate) cancelled: usize,
    pub(crate) panicked: usize,
}

impl Tally {
    pub(crate) fn see(&mut self, seen: Seen) {
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
    pub(crate) rows: [Tally; ROWS.len()],
    pub(crate) routes: [usize; ROUTES.len()],
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
    pub(crate) fn new(tasks: usize) -> Self {
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
