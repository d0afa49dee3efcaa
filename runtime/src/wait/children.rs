//! Many tasks awaited at once, each with a waker of its own: what `gather`,
//! `wait` and `as_completed` are made of.
//!
//! Every child task is polled with its own small waker, which puts the
//! child's number on a ready queue shared with the awaiter and wakes the
//! awaiter. A poll of the set polls only the children on that queue, so a
//! child's wake costs O(1), whatever the number of children: a gather of
//! 100,000 tasks does O(100,000) work in all, not O(100,000) a wake.
//!
//! A finished child's result is kept in its [`Task`] (see
//! `Task::poll_finish`), so a task handed back as done gives its result at
//! once when awaited.
//!
//! The queue's lock is never held while a child is polled or a waker woken.

use std::collections::VecDeque;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::task::{Context, Wake, Waker};

use crate::backend;
use crate::coroutine::IntoTask;
use crate::event_loop::with_current_loop;
use crate::sync::{Mutex, MutexGuard, lock};
use crate::task::{Edge, Origin, Task};

// `Task::poll_finish` keeps a result inside the handle: the handle stays
// `Unpin` all the same (the futures here rely on it).
const _: fn() = || {
    fn unpin<X: Unpin>() {}
    unpin::<Task<std::marker::PhantomPinned>>();
};

/// Tasks awaited together, in the order given.
pub(crate) struct Children<T> {
    /// The tasks, by number; `None` once handed out ([`Children::take`]).
    tasks: Vec<Option<Task<T>>>,
    /// Each child's waker, by number.
    wakers: Vec<Waker>,
    queue: Arc<Queue>,
    /// The children seen to finish and not yet reported by
    /// [`Children::next_finished`], in the order they were seen to.
    finished: VecDeque<usize>,
    /// How many have not been seen to finish.
    unfinished: usize,
    /// Children taken off the ready queue and not polled yet, in the order
    /// they woke (still marked queued, so a wake does not add them twice).
    in_line: VecDeque<usize>,
    /// "The task polling this awaits these", in the await graph.
    edge: Option<Edge>,
}

/// The ready queue: the children woken since the awaiter last looked.
struct Queue {
    /// Whether each child is on the queue already: a child woken ten times
    /// between two polls is polled once.
    queued: Box<[AtomicBool]>,
    inner: Mutex<Ready>,
}

struct Ready {
    woken: Vec<usize>,
    /// The awaiter's waker, until a child's wake takes it: the wakes after
    /// that, before the awaiter's next poll, need not wake it again.
    awaiter: Option<Waker>,
}

/// The waker of the child numbered `index`.
struct ChildWaker {
    queue: Arc<Queue>,
    index: usize,
}

impl Wake for ChildWaker {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        self.queue.push(self.index);
    }
}

impl Queue {
    fn lock(&self) -> MutexGuard<'_, Ready> {
        // Nothing panics while it is held: a poisoned lock is still valid.
        lock(&self.inner)
    }

    fn push(&self, index: usize) {
        if self.queued[index].swap(true, Ordering::AcqRel) {
            return; // already on the queue: the awaiter will poll it
        }
        let awaiter = {
            let mut ready = self.lock();
            ready.woken.push(index);
            ready.awaiter.take()
        };
        if let Some(awaiter) = awaiter {
            awaiter.wake();
        }
    }
}

impl<T> Children<T> {
    /// Makes each of `aws` a task, now ([`ensure_future`]: a task is kept
    /// as it is, a coroutine scheduled on the current loop), in order.
    #[track_caller]
    pub(crate) fn new<I>(aws: I) -> Self
    where
        I: IntoIterator,
        I::Item: IntoTask<Output = T>,
    {
        // Each task's spawn site is the line that called `gather` (or
        // `wait`, `as_completed`), through the `#[track_caller]`s.
        let origin = Origin::here();
        let tasks: Vec<Option<Task<T>>> = with_current_loop(|event_loop| {
            aws.into_iter()
                .map(|aw| Some(aw.into_task(event_loop, origin.clone())))
                .collect()
        });
        let len = tasks.len();
        // A task whose end an earlier wait has seen (and kept) is finished
        // from the start; every other child is polled once, on the first
        // poll, to register its waker.
        let is_finished: Vec<bool> = tasks
            .iter()
            .map(|task| task.as_ref().is_some_and(Task::is_finished))
            .collect();
        let finished: VecDeque<usize> = (0..len).filter(|&index| is_finished[index]).collect();
        let queue = Arc::new(Queue {
            queued: is_finished
                .iter()
                .map(|&done| AtomicBool::new(!done))
                .collect(),
            inner: Mutex::new(Ready {
                woken: (0..len).filter(|&index| !is_finished[index]).collect(),
                awaiter: None,
            }),
        });
        let wakers = (0..len)
            .map(|index| {
                Waker::from(Arc::new(ChildWaker {
                    queue: Arc::clone(&queue),
                    index,
                }))
            })
            .collect();
        Self {
            tasks,
            wakers,
            queue,
            unfinished: len - finished.len(),
            finished,
            in_line: VecDeque::new(),
            edge: None,
        }
    }

    /// How many children there are, handed out or not.
    pub(crate) fn len(&self) -> usize {
        self.tasks.len()
    }

    /// How many children have not been seen to finish.
    pub(crate) fn unfinished(&self) -> usize {
        self.unfinished
    }

    /// Polls the children woken since the last call, each once, with its
    /// own waker, and registers `cx`'s waker for the next wakes. Those seen
    /// to finish are queued for [`next_finished`](Self::next_finished).
    ///
    /// The call ends early once the backend's cooperative budget is spent
    /// (tokio's), or a child wakes itself as it is polled (an executor's
    /// budget, spent, that wakes at once): every poll until the awaiter
    /// yields would return `Pending`. The awaiter is woken, and the
    /// children not polled yet keep their turn, first in line for the next
    /// call. The task polling records that it awaits them (for
    /// introspection), when it first does. (Polling on through them would cost a poll each per call for
    /// nothing: with 100,000 children, that is quadratic.)
    pub(crate) fn poll_children(&mut self, cx: &mut Context<'_>) {
        if self.unfinished == 0 {
            return;
        }
        if !self.edge.as_ref().is_some_and(Edge::is_from_current) {
            let tasks = self.tasks.iter().flatten().map(Task::slot_and_id).collect();
            self.edge = Edge::new(tasks);
        }
        let replaced = {
            let mut ready = self.queue.lock();
            self.in_line.extend(ready.woken.drain(..));
            match &ready.awaiter {
                Some(awaiter) if awaiter.will_wake(cx.waker()) => None,
                _ => ready.awaiter.replace(cx.waker().clone()),
            }
        };
        drop(replaced); // a waker's drop may run code: not under the lock
        while let Some(index) = self.in_line.pop_front() {
            // Off the queue before it is polled: a wake from now on puts
            // it back.
            let queued = &self.queue.queued[index];
            queued.store(false, Ordering::Release);
            let Some(task) = &mut self.tasks[index] else {
                continue;
            };
            if task.is_finished() {
                continue;
            }
            let mut child_cx = Context::from_waker(&self.wakers[index]);
            if task.poll_finish(&mut child_cx).is_ready() {
                self.unfinished -= 1;
                self.finished.push_back(index);
            } else if queued.load(Ordering::Acquire) {
                break; // it woke itself, and so the awaiter
            }
            if backend::budget_spent() && !self.in_line.is_empty() {
                // tokio defers the wake of a future refused for want of
                // budget until the task yields: yield, and come back.
                cx.waker().wake_by_ref();
                break;
            }
        }
    }

    /// Polls once more each unfinished child whose task says it is done,
    /// so that one that has just ended counts as finished, though its wake
    /// has not come yet (asyncio's `wait` looks at every future's `done()`
    /// as it returns).
    pub(crate) fn sweep(&mut self) {
        for (index, slot) in self.tasks.iter_mut().enumerate() {
            let Some(task) = slot else { continue };
            if task.is_finished() || !task.is_done() {
                continue;
            }
            let mut child_cx = Context::from_waker(&self.wakers[index]);
            if task.poll_finish(&mut child_cx).is_ready() {
                self.unfinished -= 1;
                self.finished.push_back(index);
            }
        }
    }

    /// The next child seen to finish, by number, oldest first.
    pub(crate) fn next_finished(&mut self) -> Option<usize> {
        self.finished.pop_front()
    }

    /// The task numbered `index`, unless it has been handed out.
    pub(crate) fn get(&self, index: usize) -> Option<&Task<T>> {
        self.tasks.get(index).and_then(Option::as_ref)
    }

    /// Hands out the task numbered `index`; it is no longer polled.
    pub(crate) fn take(&mut self, index: usize) -> Option<Task<T>> {
        let task = self.tasks.get_mut(index).and_then(Option::take)?;
        if !task.is_finished() {
            self.unfinished -= 1;
        }
        Some(task)
    }

    /// Whether a task not yet seen to finish has ended: its result is on
    /// its way (a backend publishes a task's output just after the poll
    /// in which the task ended), and its handle's wake will come.
    pub(crate) fn any_ending(&self) -> bool {
        self.tasks
            .iter()
            .flatten()
            .any(|task| !task.is_finished() && task.is_done())
    }

    /// Every task not handed out yet, in order; the set is left empty.
    pub(crate) fn drain(&mut self) -> impl Iterator<Item = Task<T>> + '_ {
        self.unfinished = 0;
        self.finished.clear();
        self.tasks.drain(..).flatten()
    }

    /// Asks every task not seen to finish to stop. It stops at its next
    /// poll; the set sees it finish as for any other end.
    pub(crate) fn cancel_unfinished(&self) {
        for task in self.tasks.iter().flatten() {
            if !task.is_finished() {
                task.cancel();
            }
        }
    }

    /// [`cancel_unfinished`](Self::cancel_unfinished), by the set's owner
    /// as it is dropped: if the drop is part of the cancellation of the
    /// task it runs in, that task ends only once these have ended
    /// (`SlotRef::cancel_owned`).
    pub(crate) fn cancel_owned_unfinished(&self) {
        for task in self.tasks.iter().flatten() {
            if !task.is_finished() {
                task.task_ref().slot.cancel_owned();
            }
        }
    }
}
