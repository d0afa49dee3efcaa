//! What a group and its members share: who is running, what finished, and
//! whether the group still takes members.
//!
//! A member's result arrives here from its own task the moment it ends
//! ([`Shared::report`]), not when the group is next polled: the first
//! failure closes the group and cancels the others at once, and a finished
//! member's task is let go at once. The lock is never held while a task is
//! cancelled, a waker woken or a task handle dropped: each of those can run
//! code that comes back here.

use std::collections::{HashMap, VecDeque};
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::task::{Context, Poll, Waker};

use super::error::Failure;
use crate::limit::Limiter;
use crate::task::{Edge, TaskId, TaskRef};

/// A member's result, as the group keeps it.
pub(super) type Outcome<T, E> = Result<T, Failure<E>>;

pub(super) struct Shared<T, E> {
    inner: Mutex<Inner<T, E>>,
}

struct Inner<T, E> {
    /// The key the next member gets: the order members were added in.
    next_key: u64,
    /// The members that have not reported, by key; `None` until
    /// `create_task` has its handle (a member can finish before that).
    running: HashMap<u64, Option<TaskRef>>,
    /// Members that reported but whose tasks may still be finishing (the
    /// report comes from inside the task, just before it ends): what
    /// [`Shared::poll_all_done`] waits for. Trimmed as they end, so a
    /// long-lived group keeps only those that end now (see
    /// [`Inner::trim_finishing`]).
    finishing: VecDeque<TaskRef>,
    /// How many `finishing` kept after its last full sweep.
    swept: usize,
    /// Results not yet taken, oldest first.
    done: VecDeque<(u64, Outcome<T, E>)>,
    /// Whether `done` keeps outputs and cancellations (`join`, `join_next`)
    /// or only failures (`scope`, whose members' outputs are `()`).
    keep_outputs: bool,
    /// Whether the group takes members, and whether it is stopping.
    phase: Phase,
    /// The task waiting on the group.
    waker: Option<Waker>,
    /// What each new member takes a permit of before it starts.
    limiter: Option<Limiter>,
    /// "The task waiting on the group awaits its members", in the await
    /// graph (`crate::introspect`).
    edge: Option<Edge>,
}

fn slot_and_id(task: &TaskRef) -> (u32, TaskId) {
    (task.slot.index(), task.slot.id())
}

/// Where a group is in its life. Only `Open` takes members.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Phase {
    Open,
    /// Its `join` or `scope` returned, or it was dropped.
    Ended,
    /// [`Shared::cancel`]: every member (and a scope's body) cancelled.
    Cancelled,
    /// A member (or a scope's body) failed: the others cancelled.
    Failed,
}

/// What a new member is to do.
pub(super) enum Admission {
    /// Run, as the member with this key, once it holds a permit of the
    /// group's limiter if it has one.
    Member(u64, Option<Limiter>),
    /// Be cancelled before it starts: the group is closed.
    Closed,
}

impl<T, E> Shared<T, E> {
    pub(super) fn new() -> Self {
        Self {
            inner: Mutex::new(Inner {
                next_key: 0,
                running: HashMap::new(),
                finishing: VecDeque::new(),
                swept: 0,
                done: VecDeque::new(),
                keep_outputs: true,
                phase: Phase::Open,
                waker: None,
                limiter: None,
                edge: None,
            }),
        }
    }

    /// A lock that a panic elsewhere does not poison: no panic can happen
    /// while it is held (no user code runs under it), so the data is valid.
    fn lock(&self) -> MutexGuard<'_, Inner<T, E>> {
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Takes a member in, if the group is open.
    pub(super) fn admit(&self) -> Admission {
        let mut inner = self.lock();
        if inner.phase != Phase::Open {
            return Admission::Closed;
        }
        let key = inner.next_key;
        inner.next_key += 1;
        inner.running.insert(key, None);
        Admission::Member(key, inner.limiter.clone())
    }

    /// Members added from now on wait for a permit of `limiter`.
    pub(super) fn set_limiter(&self, limiter: Limiter) {
        // The old one, if any, is dropped outside the lock: no user code
        // runs in a limiter's drop, but nothing needs it under the lock.
        let old = self.lock().limiter.replace(limiter);
        drop(old);
    }

    /// The member `key` has been scheduled as `task`. If the group closed
    /// meanwhile, the member is cancelled now; if it has already reported,
    /// its task is one of those finishing.
    pub(super) fn scheduled(&self, key: u64, task: &TaskRef) {
        let mut inner = self.lock();
        match inner.running.get_mut(&key) {
            Some(slot) => {
                *slot = Some(task.clone());
                if let Some(edge) = &inner.edge {
                    edge.add(slot_and_id(task));
                }
                let closed = inner.phase != Phase::Open;
                drop(inner);
                if closed {
                    task.cancel();
                }
            }
            None => inner.finishing.push_back(task.clone()),
        }
    }

    /// The member `key` ended with `outcome`: the first failure closes the
    /// group and cancels every other member.
    pub(super) fn report(&self, key: u64, outcome: Outcome<T, E>) {
        let mut inner = self.lock();
        let task = inner.running.remove(&key).flatten();
        let fails = matches!(&outcome, Err(failure) if !failure.is_cancelled());
        let cancel = if fails {
            inner.stop(Phase::Failed)
        } else {
            Vec::new()
        };
        // A `scope` member's output or cancellation is not kept: dropped
        // below, outside the lock (an output's destructor is user code).
        let keep = inner.keep_outputs || fails;
        let dropped = if keep {
            inner.done.push_back((key, outcome));
            None
        } else {
            Some(outcome)
        };
        inner.trim_finishing(task);
        let waker = if keep {
            inner.waker.take()
        } else {
            inner.wake_if_idle()
        };
        drop(inner);
        drop(dropped);
        finish(cancel, waker);
    }

    /// A failure of the group itself (its `scope` body's panic): it stops.
    pub(super) fn fail(&self, failure: Failure<E>) {
        let mut inner = self.lock();
        let cancel = inner.stop(Phase::Failed);
        inner.done.push_back((u64::MAX, Err(failure)));
        let waker = inner.waker.take();
        drop(inner);
        finish(cancel, waker);
    }

    /// Closes the group and cancels every member: [`TaskGroup::cancel`](crate::TaskGroup::cancel).
    pub(super) fn cancel(&self) {
        let mut inner = self.lock();
        let cancel = inner.stop(Phase::Cancelled);
        let waker = inner.waker.take();
        drop(inner);
        finish(cancel, waker);
    }

    /// [`cancel`](Self::cancel), by the group's owner as it is dropped: if
    /// that drop is part of the cancellation of the task it runs in, that
    /// task ends only once the members have (`SlotRef::cancel_owned`).
    pub(super) fn cancel_owned(&self) {
        let mut inner = self.lock();
        let cancel = inner.stop(Phase::Cancelled);
        let waker = inner.waker.take();
        drop(inner);
        for task in cancel {
            task.slot.cancel_owned();
        }
        if let Some(waker) = waker {
            waker.wake();
        }
    }

    /// Takes no more members.
    pub(super) fn close(&self) {
        let mut inner = self.lock();
        if inner.phase == Phase::Open {
            inner.phase = Phase::Ended;
        }
    }

    /// From now on keeps only failures, and drops what it kept besides.
    pub(super) fn keep_failures_only(&self) {
        let mut inner = self.lock();
        inner.keep_outputs = false;
        let kept = std::mem::take(&mut inner.done);
        let (failures, dropped): (Vec<_>, Vec<_>) = kept
            .into_iter()
            .partition(|(_, outcome)| matches!(outcome, Err(failure) if !failure.is_cancelled()));
        inner.done = failures.into();
        drop(inner);
        drop(dropped);
    }

    /// Whether the group failed or was cancelled: a `scope` body stops.
    pub(super) fn is_stopping(&self) -> bool {
        matches!(self.lock().phase, Phase::Cancelled | Phase::Failed)
    }

    pub(super) fn is_closed(&self) -> bool {
        self.lock().phase != Phase::Open
    }

    /// How many members have not finished.
    pub(super) fn running(&self) -> usize {
        self.lock().running.len()
    }

    /// The oldest result not yet taken; `None` once every member has
    /// finished and every result is taken.
    pub(super) fn poll_next(&self, cx: &mut Context<'_>) -> Poll<Option<(u64, Outcome<T, E>)>> {
        let mut inner = self.lock();
        if let Some(next) = inner.done.pop_front() {
            return Poll::Ready(Some(next));
        }
        if inner.running.is_empty() {
            return inner.poll_finishing_ended(cx).map(|()| None);
        }
        inner.register(cx);
        Poll::Pending
    }

    /// Ready once every member has finished, its task included.
    pub(super) fn poll_all_done(&self, cx: &mut Context<'_>) -> Poll<()> {
        let mut inner = self.lock();
        if inner.running.is_empty() {
            return inner.poll_finishing_ended(cx);
        }
        inner.register(cx);
        Poll::Pending
    }

    /// Registers `cx`'s waker as the group's, without checking anything:
    /// the `scope` body is polled with the same context.
    pub(super) fn register(&self, cx: &mut Context<'_>) {
        self.lock().register(cx);
    }

    /// How many results and finishing tasks the group holds.
    #[cfg(test)]
    pub(super) fn kept(&self) -> usize {
        let inner = self.lock();
        inner.done.len() + inner.finishing.len()
    }

    /// Everything kept, in order: results, failures, cancellations.
    pub(super) fn take_done(&self) -> VecDeque<(u64, Outcome<T, E>)> {
        std::mem::take(&mut self.lock().done)
    }
}

impl<T, E> Inner<T, E> {
    /// Stops the group, if it is not stopping already: the members to
    /// cancel (outside the lock).
    fn stop(&mut self, phase: Phase) -> Vec<TaskRef> {
        if matches!(self.phase, Phase::Cancelled | Phase::Failed) {
            return Vec::new(); // every member was cancelled then
        }
        self.phase = phase;
        self.running.values().flatten().cloned().collect()
    }

    fn register(&mut self, cx: &mut Context<'_>) {
        if !self.waker.as_ref().is_some_and(|w| w.will_wake(cx.waker())) {
            self.waker = Some(cx.waker().clone());
        }
        if !self.edge.as_ref().is_some_and(Edge::is_from_current) {
            // The task waiting on the group awaits its members, for the
            // await graph (and those added later: `scheduled`).
            let members = self.running.values().flatten().map(slot_and_id).collect();
            self.edge = Edge::new(members);
        }
    }

    /// Records that `task` is finishing, and lets go of the finishing
    /// tasks that have ended: those at the front at once; all of them once
    /// the queue has doubled since its last sweep, as one slow task at the
    /// front (another thread's, still in its last poll) would otherwise
    /// hold every later one. So it stays within about twice the tasks that
    /// are ending now, at O(1) amortised per member.
    fn trim_finishing(&mut self, task: Option<TaskRef>) {
        if let Some(task) = task {
            self.finishing.push_back(task);
        }
        // Dropping a handle to an ended task runs no user code.
        while self.finishing.front().is_some_and(TaskRef::is_done) {
            self.finishing.pop_front();
        }
        if self.finishing.len() > (2 * self.swept).max(SWEEP_FLOOR) {
            self.finishing.retain(|task| !task.is_done());
            self.swept = self.finishing.len();
        }
    }

    /// Ready once every member that reported has ended. Nothing wakes the
    /// group when a task ends after its report (the report comes from
    /// inside it, in its last poll, just before), so until then it asks to
    /// be polled again at once: a wait of one poll of another thread.
    fn poll_finishing_ended(&mut self, cx: &mut Context<'_>) -> Poll<()> {
        self.trim_finishing(None);
        if self.finishing.iter().all(TaskRef::is_done) {
            return Poll::Ready(());
        }
        cx.waker().wake_by_ref();
        Poll::Pending
    }

    /// The waker to wake when nothing is kept: only when the last member
    /// finished, which is all a `scope` waits for.
    fn wake_if_idle(&mut self) -> Option<Waker> {
        if self.running.is_empty() {
            self.waker.take()
        } else {
            None
        }
    }
}

/// The shortest `finishing` queue that is swept whole.
const SWEEP_FLOOR: usize = 16;

/// Cancels `tasks` and wakes `waker`, outside the lock.
fn finish(tasks: Vec<TaskRef>, waker: Option<Waker>) {
    for task in &tasks {
        task.cancel();
    }
    drop(tasks);
    if let Some(waker) = waker {
        waker.wake();
    }
}
