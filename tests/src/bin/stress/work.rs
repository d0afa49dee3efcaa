//! The planned tasks themselves: the [`body`] every one runs (it yields,
//! sleeps, then returns, panics, or waits at a gate that never opens, as
//! its plan says), the `#[task]` fns it runs in for each route, the task
//! that schedules a nested one, a periodic task's tick, and the task that
//! joins a group.

use std::rc::Rc;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use cosched::{GroupError, Task, TaskGroup};

use crate::guard::{ENTERED, FINISHED, Guard, LOCAL_DROPPED, Shared};
use crate::plan::{Outcome, PANIC_PREFIX, Plan, Route, value};

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
pub(crate) async fn work(plan: Plan, shared: Arc<Shared>, _guard: Guard) -> u64 {
    body(plan, &shared).await
}

/// A planned task whose body is not `Send`.
#[cosched::task(local)]
pub(crate) async fn work_local(plan: Plan, shared: Arc<Shared>, _guard: Guard) -> u64 {
    let not_send = Rc::new(plan.id);
    let value = body(plan, &shared).await;
    assert_eq!(*not_send, plan.id);
    value
}

/// A planned task that runs only while it holds one of 8 slots.
#[cosched::task(limit = 8)]
pub(crate) async fn work_limited(plan: Plan, shared: Arc<Shared>, _guard: Guard) -> u64 {
    body(plan, &shared).await
}

/// A task that schedules `child`, cancels it at once if that is its plan,
/// and returns it with what `cancel()` said.
#[cosched::task]
pub(crate) async fn spawner(
    child: Plan,
    shared: Arc<Shared>,
    _own: Guard,
    child_guard: Guard,
) -> Spawned {
    let task = cosched::schedule!(create_task work(child, Arc::clone(&shared), child_guard));
    let cancel_said = cancel_at_once(child, &task);
    (task, cancel_said)
}

/// Cancels `task` if its plan says to do it right after scheduling (all
/// cancels before start, a third of the cancels while it runs); what
/// `cancel()` said.
pub(crate) fn cancel_at_once(plan: Plan, task: &Task<u64>) -> Option<bool> {
    let at_once = match plan.outcome {
        Outcome::CancelBeforeStart => true,
        Outcome::CancelRacing => plan.id % 3 == 0 || plan.route == Route::Thread,
        _ => false,
    };
    at_once.then(|| task.cancel())
}

/// One run of a periodic task.
#[cosched::task]
pub(crate) async fn tick(ticks: Arc<AtomicUsize>) {
    ticks.fetch_add(1, Ordering::SeqCst);
}

/// What joining a group of the stress run gives.
pub(crate) type GroupResult = Result<Vec<u64>, GroupError<std::convert::Infallible>>;

/// Joins `group`: a task owning a group, as a program would have.
#[cosched::task]
pub(crate) async fn join_group(group: TaskGroup<u64>, _guard: Guard) -> GroupResult {
    group.join().await
}

/// What a spawner task returns: its child, and what `cancel()` said if it
/// cancelled it at once.
pub(crate) type Spawned = (Task<u64>, Option<bool>);
