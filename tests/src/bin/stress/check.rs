//! The checks: each result against its task's plan, and the cleanup every
//! result promises ([`Checker`]); and the registry's promise that a task
//! leaves `all_tasks()` only once it has finished.

use std::collections::HashSet;
use std::sync::Arc;
use std::sync::atomic::Ordering;

use cosched::{EventLoop, Task, TaskError, TaskId, TaskRef, TaskState};

use crate::guard::{ARGUMENT_DROPPED, DOUBLE_DROP, ENTERED, FINISHED, LOCAL_DROPPED, Shared};
use crate::plan::{Outcome, PANIC_PREFIX, Plan, Route, value};
use crate::report::{Report, Row, Seen};
use crate::watchdog::Progress;

/// The registry's promise, checked from any thread: a task leaves
/// `all_tasks()` only after it has finished. So each of `tasks` missing
/// from a snapshot must be done by now.
pub(crate) fn unregistered_live_tasks<'a>(
    event_loop: &EventLoop,
    tasks: impl Iterator<Item = &'a Task<u64>>,
) -> Vec<String> {
    let live: HashSet<TaskId> = event_loop.all_tasks().iter().map(TaskRef::id).collect();
    tasks
        .filter(|task| !live.contains(&task.id()) && !task.is_done())
        .map(|task| format!("task {task:?} is missing from all_tasks() but not done"))
        .collect()
}

/// Checks results against plans and counts them.
pub(crate) struct Checker {
    pub(crate) shared: Arc<Shared>,
    pub(crate) progress: Arc<Progress>,
    pub(crate) report: Report,
}

impl Checker {
    pub(crate) fn mismatch(&mut self, message: String) {
        self.report.mismatches += 1;
        if self.report.first_mismatches.len() < 20 {
            self.report.first_mismatches.push(message);
        }
    }

    pub(crate) fn checked(&mut self) {
        self.report.checked += 1;
        self.progress.checked.fetch_add(1, Ordering::Relaxed);
    }

    /// What holds for every result: the coroutine, its arguments and its
    /// locals are gone, each exactly once.
    pub(crate) fn check_cleanup(&mut self, id: usize, what: &str) {
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
    pub(crate) fn check(
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
