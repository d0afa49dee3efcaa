//! The future the backend runs for a task: the user's future, polled
//! under `catch_unwind`, with the cancellation check in front of it and
//! the task's [`Claim`] behind it.

use std::future::Future;
use std::panic::{self, AssertUnwindSafe};
use std::pin::Pin;
use std::task::{Context, Poll};

use pin_project_lite::pin_project;

use super::TaskState;
use super::current;
use super::error::{self, PanicMessage, TaskError};
use super::handle::{Claim, Outcome};
use super::state::Slot;
use super::table::table;
use super::trace::TaskSpan;

pin_project! {
    /// The user's future and the task's claim on its slot; then, once the
    /// future is dropped, the claim alone while the task waits for the
    /// tasks it cancelled as it was cancelled (see `SlotRef::cancel_owned`);
    /// then nothing. The claim outlives the future, so `DONE` means that
    /// nothing of the task is left, not even a destructor to run. (The
    /// claim's slot number sits beside the enum's tag, so a small task's
    /// future grows by one word: on tokio, whose task cells are 128-byte
    /// aligned, that keeps a small task in one cell.)
    #[project = StageProj]
    enum Stage<F> {
        // `unnamed`: the task may be named at its first poll (see `naming`).
        Live { #[pin] future: F, claim: Claim, unnamed: bool },
        Draining { claim: Claim },
        Ended,
    }
}

pin_project! {
    /// What the backend runs for a task. No panic of the user's code (its
    /// polls, its destructors, a panic payload's own destructor) leaves
    /// it: each becomes `TaskError::Panicked` for whoever awaits the task.
    /// (Its span is the `tracing` feature's, and without it a field of no
    /// size: see `trace`.)
    pub(crate) struct TaskFuture<F> {
        #[pin]
        stage: Stage<F>,
        span: TaskSpan,
    }

    impl<F> PinnedDrop for TaskFuture<F> {
        fn drop(this: Pin<&mut Self>) {
            // The backend dropped an unfinished task (its runtime shut
            // down, or the thread of a local task ended): to anyone
            // asking, it was cancelled. It cannot wait for what it owned.
            let this = this.project();
            let mut stage = this.stage;
            let (index, live) = match stage.as_mut().project() {
                StageProj::Live { claim, .. } => (claim.index(), true),
                StageProj::Draining { claim } => (claim.index(), false),
                StageProj::Ended => return,
            };
            if live {
                this.span.record_name(index);
            }
            let _entered = this.span.enter();
            this.span.dropped_unfinished();
            dropped_unfinished(stage, index, live);
        }
    }
}

/// The backend dropped the unfinished task in slot `index`, whose future
/// is still there if `live`: it ends cancelled (or panicked, if a
/// destructor of its future panics). Out of line: every task's drop runs
/// the check before it, almost always on an ended task.
#[cold]
#[inline(never)]
fn dropped_unfinished<F>(mut stage: Pin<&mut Stage<F>>, index: u32, live: bool) {
    let slot = table().slot(index);
    if crate::time::clock::any_virtual() {
        // A paused clock no longer counts it as runnable.
        crate::time::clock::forget(slot.loop_number(), index);
    }
    let panicked = live && {
        if slot.state() == TaskState::Pending {
            crate::debug::dropping_unstarted(|| drop_future(stage.as_mut(), slot, index))
        } else {
            drop_future(stage.as_mut(), slot, index)
        }
        .is_some()
    };
    end(
        stage,
        if panicked {
            Outcome::Panicked
        } else {
            Outcome::Cancelled
        },
    );
}

impl<F> TaskFuture<F> {
    /// The future of the task whose hold on its slot `claim` is; if
    /// `unnamed` (it was spawned as a plain future, which may be a
    /// `#[task]` coroutine), its first poll opens the naming window.
    #[inline]
    pub(crate) fn new(claim: Claim, future: F, unnamed: bool) -> Self {
        Self {
            span: TaskSpan::new(claim.index()),
            stage: Stage::Live {
                future,
                claim,
                unnamed,
            },
        }
    }
}

// `'static` (every spawned future is): the first poll opens the naming
// window with the future's `TypeId`.
impl<F: Future + 'static> Future for TaskFuture<F> {
    type Output = Result<F::Output, TaskError>;

    #[inline]
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        // A paused loop's clock counts its tasks' polls and wakes
        // (`time::clock`); with no virtual clock, one relaxed load.
        if crate::time::clock::any_virtual() {
            return self.poll_virtual(cx);
        }
        self.poll_task(cx)
    }
}

impl<F: Future + 'static> TaskFuture<F> {
    /// [`poll`](Future::poll) while some loop's clock is virtual: counted
    /// by its loop's clock, if that is paused.
    #[cold]
    #[inline(never)]
    fn poll_virtual(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Result<F::Output, TaskError>> {
        let index = match self.as_mut().project().stage.project() {
            StageProj::Live { claim, .. } | StageProj::Draining { claim } => claim.index(),
            StageProj::Ended => return self.poll_task(cx),
        };
        let number = table().slot(index).loop_number();
        crate::time::clock::poll_task(number, index, cx, |cx| self.poll_task(cx))
    }

    /// A poll of the task, inside its span.
    #[inline]
    fn poll_task(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Result<F::Output, TaskError>> {
        let this = self.project();
        let _entered = this.span.enter();
        this.span.poll_started();
        let polled = poll_stage(this.stage, this.span, cx);
        this.span.poll_ended(&polled);
        polled
    }
}

/// A poll of a task's future: the cancellation check, the user's poll
/// under `catch_unwind` (the first one with the naming window open), and
/// the task's end.
#[inline]
fn poll_stage<F: Future + 'static>(
    mut stage: Pin<&mut Stage<F>>,
    span: &TaskSpan,
    cx: &mut Context<'_>,
) -> Poll<Result<F::Output, TaskError>> {
    let (index, future, unnamed) = match stage.as_mut().project() {
        StageProj::Live {
            future,
            claim,
            unnamed,
        } => (claim.index(), future, *unnamed),
        StageProj::Draining { claim } => {
            let index = claim.index();
            return drain(stage, index, cx);
        }
        // Polled again after it finished: no backend does this.
        StageProj::Ended => return Poll::Pending,
    };
    let slot = table().slot(index);
    let first = slot.mark_started();
    if slot.must_stop() {
        span.record_name(index);
        let dropped = if first {
            // Cancelled before it started: its coroutine was
            // scheduled, not forgotten (see `debug::never_awaited`).
            crate::debug::dropping_unstarted(|| drop_future(stage.as_mut(), slot, index))
        } else {
            drop_future(stage.as_mut(), slot, index)
        };
        return match dropped {
            None => drain(stage, index, cx),
            Some(message) => panicked(stage, index, message),
        };
    }
    let polled = {
        let event_loop = slot.loop_number();
        let _current = current::Enter::new(index, event_loop);
        // A coroutine that is this future names the task (see `naming`),
        // and the task's span records the name as it does.
        let _naming = span.naming(index);
        let _window = (first && unnamed).then(|| naming::open(&*future, index, None));
        if crate::debug::on_for(event_loop) {
            timed(index, || {
                panic::catch_unwind(AssertUnwindSafe(|| future.poll(cx)))
            })
        } else {
            panic::catch_unwind(AssertUnwindSafe(|| future.poll(cx)))
        }
    };
    // The task's name is final now (a coroutine that is this future, or
    // one a wrapper of cosched's polls, names it at its first poll: see
    // `naming`); its span records it while the slot is still the task's.
    span.record_name(index);
    match polled {
        Ok(Poll::Pending) => {
            table().suspend(index, cx.waker());
            Poll::Pending
        }
        Ok(Poll::Ready(output)) => {
            if let Some(message) = drop_future(stage.as_mut(), slot, index) {
                error::drop_contained(output);
                return panicked(stage, index, message);
            }
            if slot.is_cancel_requested() {
                // It returned after it was asked to stop: it ends
                // cancelled, as asyncio's task does (`cancel()` said so).
                error::drop_contained(output);
                return drain(stage, index, cx);
            }
            if end(stage, Outcome::Returned) == Outcome::Returned {
                Poll::Ready(Ok(output))
            } else {
                // A cancellation came between the check and the end.
                error::drop_contained(output);
                Poll::Ready(Err(TaskError::Cancelled))
            }
        }
        Err(payload) => {
            let message = error::contain_in_task(payload, index);
            drop(drop_future(stage.as_mut(), slot, index));
            panicked(stage, index, message)
        }
    }
}

/// Debug mode: runs `poll`, a poll of the task in slot `index`, and
/// reports it if it took longer than the slow-poll threshold.
#[cold]
fn timed<R>(index: u32, poll: impl FnOnce() -> R) -> R {
    let start = std::time::Instant::now();
    let polled = poll();
    let took = start.elapsed();
    if took > crate::debug::slow_poll_threshold() {
        crate::report::emit(&crate::report::Report::SlowPoll {
            task: table().name(index),
            spawned_at: table().site(index).at,
            took,
        });
    }
    polled
}

/// Drops the user's future of the task in slot `index` (when the task is
/// being cancelled, as that task: its destructors see it as the current
/// task, and what they cancel it waits for, `SlotRef::cancel_owned`),
/// catching a panic of one of its
/// destructors, whose message it returns. The stage is then `Draining`.
fn drop_future<F>(mut stage: Pin<&mut Stage<F>>, slot: &Slot, index: u32) -> Option<PanicMessage> {
    let StageProj::Live { claim, .. } = stage.as_mut().project() else {
        return None;
    };
    let claim = std::mem::replace(claim, Claim::disarmed());
    // Only a cancellation's drop adopts what it cancels: other drops (a
    // returned future's, almost always empty) skip the thread-local write.
    let _current = slot
        .is_cancel_requested()
        .then(|| current::Enter::new(index, slot.loop_number()));
    // If a destructor panics, the assignment still completes (`Draining`
    // is written as the unwinding passes): the claim is not lost.
    panic::catch_unwind(AssertUnwindSafe(|| stage.set(Stage::Draining { claim })))
        .err()
        .map(|payload| error::contain_in_task(payload, index))
}

/// Ends the task in slot `index`, whose future is dropped, as `Panicked`
/// with `message`. If no handle to it is left, nobody can take that
/// result: the panic is reported as never retrieved now, before the task
/// is done (so before `run` can return). Otherwise it is kept until the
/// slot is freed (`error::release_held`), when the last handle goes.
fn panicked<F, T>(
    stage: Pin<&mut Stage<F>>,
    index: u32,
    message: PanicMessage,
) -> Poll<Result<T, TaskError>> {
    if table().slot(index).refs() == 0 {
        message.report_lost();
    } else {
        error::hold(index, message.clone());
    }
    end(stage, Outcome::Panicked);
    Poll::Ready(Err(TaskError::Panicked(message)))
}

/// A cancelled task whose future is dropped: ends once the tasks it
/// cancelled on the way have ended.
fn drain<F, T>(
    stage: Pin<&mut Stage<F>>,
    index: u32,
    cx: &Context<'_>,
) -> Poll<Result<T, TaskError>> {
    if !table().drain(index, cx.waker()) {
        return Poll::Pending;
    }
    end(stage, Outcome::Cancelled);
    Poll::Ready(Err(TaskError::Cancelled))
}

/// Ends the task whose future is dropped with `outcome`, and returns the
/// outcome it ended with (see `Claim::finish`).
fn end<F>(mut stage: Pin<&mut Stage<F>>, outcome: Outcome) -> Outcome {
    let StageProj::Draining { claim } = stage.as_mut().project() else {
        return outcome;
    };
    let claim = std::mem::replace(claim, Claim::disarmed());
    stage.set(Stage::Ended);
    claim.finish(outcome)
}

/// How a task spawned from a plain future gets the name of the `#[task]`
/// coroutine that this future is: the spawn cannot tell a threaded
/// coroutine from any other `Send` future (that would take
/// specialization), so the coroutine tells, on the task's first poll.
///
/// Around that poll, the task's future opens a thread-local window: its
/// address, its `TypeId` and the task's slot. A threaded coroutine polled
/// at that address, of that type, *is* the task's future (one nested at
/// offset 0 of an `async` block that is the task's future has the address
/// but not the type), so it renames the task after its `TaskMeta` and
/// closes the window. Any other poll costs a coroutine one thread-local
/// read and a compare.
///
/// A wrapper coroutine of cosched's (`after`, a group member, ...) made of
/// a `Send` future opens the window again for that future's first poll,
/// inside it; then only a task that is still named as such a wrapper is
/// renamed (`from`), not a task that awaits the wrapper inline.
pub(crate) mod naming {
    use std::any::TypeId;
    use std::cell::Cell;

    use super::super::TaskMeta;
    use super::super::current;
    use super::table;

    /// The window: the address of the future it is open for (0: closed),
    /// in a `Cell` of its own, which is all that a coroutine's poll reads
    /// and all that closing writes; and beside it that future's type, its
    /// task's slot, and the prefix the task must have to be renamed
    /// (`None`: any but a name given in full).
    #[derive(Clone, Copy)]
    struct Window {
        type_id: fn() -> TypeId,
        index: u32,
        from: Option<&'static TaskMeta>,
    }

    thread_local! {
        static AT: Cell<usize> = const { Cell::new(0) };
        static WINDOW: Cell<Window> = const {
            Cell::new(Window { type_id: TypeId::of::<()>, index: 0, from: None })
        };
    }

    /// An open window, closed when dropped. (A window opened inside
    /// another's poll closes that one too: harmless, because a coroutine
    /// claims its window before it polls anything.)
    pub(crate) struct Open(());

    impl Drop for Open {
        #[inline]
        fn drop(&mut self) {
            AT.set(0);
        }
    }

    /// Opens the window for `future`, the future of the task in slot
    /// `index`, while it is polled.
    #[inline]
    pub(crate) fn open<F: 'static>(
        future: &F,
        index: u32,
        from: Option<&'static TaskMeta>,
    ) -> Open {
        WINDOW.set(Window {
            type_id: TypeId::of::<F>,
            index,
            from,
        });
        AT.set(std::ptr::from_ref(future).addr());
        Open(())
    }

    /// Opens the window for `future`, which a wrapper coroutine polls for
    /// the first time, for the current task if it is named after `from`.
    #[inline]
    pub(crate) fn open_inner<F: 'static>(future: &F, from: &'static TaskMeta) -> Option<Open> {
        current().map(|task| open(future, task.index, Some(from)))
    }

    /// A threaded coroutine at `at`, of the type `type_id` gives, named
    /// after `meta`, is being polled: if the window is open for it, its
    /// task is named after `meta`, and the window closes.
    #[inline]
    pub(crate) fn claim(at: usize, type_id: fn() -> TypeId, meta: &'static TaskMeta) {
        if AT.get() == at {
            claim_open(type_id, meta);
        }
    }

    /// [`claim`]'s rest, for a coroutine at the window's address.
    #[cold]
    fn claim_open(type_id: fn() -> TypeId, meta: &'static TaskMeta) {
        let window = WINDOW.get();
        if (window.type_id)() == type_id() {
            AT.set(0);
            table().rename_prefix(window.index, window.from, meta);
            super::super::trace::claimed(window.index);
        }
    }
}

#[cfg(all(test, not(loom)))]
mod tests {
    use super::*;

    /// The claim costs a small task's future one word (beside the stage's
    /// tag), not two: see `Stage`.
    #[test]
    fn a_task_future_adds_one_word_to_a_small_future() {
        async fn small(i: u64) -> u64 {
            crate::yield_now().await;
            i
        }
        fn size<F>(_: &F) -> usize {
            size_of::<TaskFuture<F>>()
        }
        let future = small(1);
        // Without the `tracing` feature, the span is nothing.
        #[cfg(not(feature = "tracing"))]
        assert_eq!(size_of::<TaskSpan>(), 0);
        assert_eq!(
            size(&future),
            size_of_val(&future) + size_of::<u64>() + size_of::<TaskSpan>()
        );
    }
}
