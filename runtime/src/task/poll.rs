//! The future the backend runs for a task: the user's future, polled
//! under `catch_unwind`, with the cancellation check in front of it and
//! the task's [`Claim`] behind it.

use std::future::Future;
use std::panic::{self, AssertUnwindSafe};
use std::pin::Pin;
use std::task::{Context, Poll};

use pin_project_lite::pin_project;

use super::current;
use super::error::{self, PanicMessage, TaskError};
use super::handle::{Claim, Outcome};
use super::state::CANCEL_REQUESTED;
use super::table::table;

pin_project! {
    /// The user's future and the task's claim on its slot, or, once both
    /// are dropped, nothing. The future is declared first, so it is
    /// dropped first, and the claim then ends the task: `DONE` means that
    /// nothing of the task is left, not even a destructor to run. (The
    /// claim's slot number sits beside the enum's tag, so a small task's
    /// future grows by one word: on tokio, whose task cells are 128-byte
    /// aligned, that keeps a small task in one cell.)
    #[project = StageProj]
    enum Stage<F> {
        Live { #[pin] future: F, claim: Claim },
        Ended,
    }
}

pin_project! {
    /// What the backend runs for a task. No panic of the user's code (its
    /// polls, its destructors, a panic payload's own destructor) leaves
    /// it: each becomes `TaskError::Panicked` for whoever awaits the task.
    pub(crate) struct TaskFuture<F> {
        #[pin]
        stage: Stage<F>,
    }

    impl<F> PinnedDrop for TaskFuture<F> {
        fn drop(this: Pin<&mut Self>) {
            // The backend dropped an unfinished task (its runtime shut
            // down, or the thread of a local task ended): to anyone
            // asking, it was cancelled.
            drop(end(this.project().stage, Outcome::Cancelled));
        }
    }
}

impl<F> TaskFuture<F> {
    /// The future of the task whose hold on its slot `claim` is.
    #[inline]
    pub(crate) fn new(claim: Claim, future: F) -> Self {
        Self {
            stage: Stage::Live { future, claim },
        }
    }
}

impl<F: Future> Future for TaskFuture<F> {
    type Output = Result<F::Output, TaskError>;

    #[inline]
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let mut stage = self.project().stage;
        let StageProj::Live { future, claim } = stage.as_mut().project() else {
            // Polled again after it finished: no backend does this.
            return Poll::Pending;
        };
        let index = claim.index();
        let slot = table().slot(index);
        slot.mark_started();
        if slot.bits() & CANCEL_REQUESTED != 0 {
            return Poll::Ready(Err(match end(stage, Outcome::Cancelled) {
                None => TaskError::Cancelled,
                Some(message) => TaskError::Panicked(message),
            }));
        }
        let polled = {
            let _current = current::Enter::new(index, slot.loop_number());
            panic::catch_unwind(AssertUnwindSafe(|| future.poll(cx)))
        };
        match polled {
            Ok(Poll::Pending) => {
                table().suspend(index, cx.waker());
                Poll::Pending
            }
            Ok(Poll::Ready(output)) => Poll::Ready(match end(stage, Outcome::Returned) {
                None => Ok(output),
                Some(message) => {
                    error::drop_contained(output);
                    Err(TaskError::Panicked(message))
                }
            }),
            Err(payload) => {
                let message = error::contain(payload);
                drop(end(stage, Outcome::Panicked));
                Poll::Ready(Err(TaskError::Panicked(message)))
            }
        }
    }
}

/// Ends the task, if it has not ended: drops its future, catching a panic
/// of one of its destructors (which makes the outcome `Panicked`, and whose
/// message this returns), then its claim, which sets `DONE`.
#[inline]
fn end<F>(mut stage: Pin<&mut Stage<F>>, outcome: Outcome) -> Option<PanicMessage> {
    let StageProj::Live { claim, .. } = stage.as_mut().project() else {
        return None;
    };
    claim.set_outcome(outcome);
    // If a destructor panics, the assignment still completes (`Ended` is
    // written as the unwinding passes), and the claim, dropped during the
    // unwinding, records the panic.
    panic::catch_unwind(AssertUnwindSafe(|| stage.set(Stage::Ended)))
        .err()
        .map(error::contain)
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
        assert_eq!(size(&future), size_of_val(&future) + size_of::<u64>());
    }
}
