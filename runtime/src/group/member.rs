//! The future a group member's task runs: the user's future, which reports
//! how it ended to its group from inside the task, whichever way it ends.

use std::fmt;
use std::future::Future;
use std::panic::{self, AssertUnwindSafe};
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll, ready};
use std::thread;

use pin_project_lite::pin_project;

use super::error::Failure;
use super::shared::{Outcome, Shared};
use crate::coroutine::{Coroutine, Kind, Spawnable, name_after};
use crate::event_loop::{EventLoop, is_driving};
use crate::limit::{Claim, Limiter, Semaphore};
use crate::task::{Origin, TaskError, TaskRef, error};

/// Where a member reports to, and how its output becomes a group result
/// (`Ok` for a `create_task` member; the output itself for a
/// `try_create_task` member).
pub struct Report<O, T, E> {
    shared: Arc<Shared<T, E>>,
    key: u64,
    convert: fn(O) -> Result<T, E>,
}

impl<O, T, E> Report<O, T, E> {
    pub(super) fn new(shared: Arc<Shared<T, E>>, key: u64, convert: fn(O) -> Result<T, E>) -> Self {
        Self {
            shared,
            key,
            convert,
        }
    }

    fn send(self, outcome: Outcome<T, E>) {
        self.shared.report(self.key, outcome);
    }

    /// Whether the group failed or was cancelled: every member's
    /// cancellation is then on its way.
    fn group_is_stopping(&self) -> bool {
        self.shared.is_stopping()
    }
}

impl<O, T, E> fmt::Debug for Report<O, T, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Report")
            .field("key", &self.key)
            .finish_non_exhaustive()
    }
}

pin_project! {
    /// A member's future. Every way its task ends sends exactly one report:
    /// returning (its output), panicking in a poll, panicking while it is
    /// dropped after returning, and being dropped unfinished (cancelled,
    /// or its runtime shut down), during which a destructor may panic too.
    /// A panic is reported, then raised again, so that the task core
    /// records it as well (`state()` says `Panicked`).
    ///
    /// In a group with a limiter, the member first waits for a permit
    /// (`claim`), which it gives back once `future` has been dropped,
    /// before it reports. A member that gets its permit once the group is
    /// stopping does not start: its cancellation is on its way (the group
    /// cancels the members one after the other, and the one it cancels
    /// first may be the one whose permit this member was given).
    pub struct MemberFuture<F, O, T, E> {
        #[pin]
        future: Option<F>,
        claim: Option<Claim<Arc<Semaphore>>>,
        started: bool,
        // Whether `future` has been polled: its first poll may name the
        // task (`coroutine::name_after`).
        polled: bool,
        report: Option<Report<O, T, E>>,
    }

    impl<F, O, T, E> PinnedDrop for MemberFuture<F, O, T, E> {
        fn drop(this: Pin<&mut Self>) {
            let this = this.project();
            let Some(report) = this.report.take() else {
                return; // reported: what is left to drop is dropped as usual
            };
            let mut future = this.future;
            let dropped = panic::catch_unwind(AssertUnwindSafe(|| future.set(None)));
            drop(this.claim.take());
            match dropped {
                Ok(()) => report.send(Err(Failure::Member(TaskError::Cancelled))),
                Err(payload) => {
                    let message = error::panic_message(payload.as_ref());
                    report.send(Err(Failure::Member(TaskError::Panicked(message.into()))));
                    if thread::panicking() {
                        error::drop_contained(payload);
                    } else {
                        panic::resume_unwind(payload);
                    }
                }
            }
        }
    }
}

impl<F, O, T, E> MemberFuture<F, O, T, E> {
    fn new(future: F, claim: Option<Claim<Arc<Semaphore>>>, report: Report<O, T, E>) -> Self {
        Self {
            future: Some(future),
            started: claim.is_none(),
            polled: false,
            claim,
            report: Some(report),
        }
    }

    /// The future of a task added to a closed group: it cancels its own
    /// task on its first poll, so `future` never runs (see `poll`).
    fn refused(future: F) -> Self {
        Self {
            future: Some(future),
            claim: None,
            started: true,
            polled: false,
            report: None,
        }
    }
}

impl<F, O, T, E> Future for MemberFuture<F, O, T, E>
where
    F: Future<Output = O> + 'static,
{
    type Output = ();

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let this = self.project();
        let mut future = this.future;
        let Some(live) = future.as_mut().as_pin_mut() else {
            return Poll::Ready(()); // polled again after it ended: no backend does
        };
        if this.report.is_none() {
            // Refused by a closed group: cancelled from inside its own
            // task, before a line of it runs, however soon a worker
            // thread polls it. Its suspension then wakes it to end it.
            if let Some(task) = crate::current_task() {
                task.cancel();
            }
            return Poll::Pending;
        }
        if !*this.started {
            if let Some(claim) = this.claim.as_mut() {
                ready!(claim.poll_acquire(cx));
            }
            if this.report.as_ref().is_some_and(Report::group_is_stopping) {
                // Woken again when the cancellation comes, which drops it.
                return Poll::Pending;
            }
            *this.started = true;
        }
        let _window = (!std::mem::replace(this.polled, true))
            .then(|| name_after(&*live))
            .flatten();
        match panic::catch_unwind(AssertUnwindSafe(|| live.poll(cx))) {
            Ok(Poll::Pending) => Poll::Pending,
            Ok(Poll::Ready(output)) => {
                let report = this.report.take().expect("a live member has its report");
                let dropped = panic::catch_unwind(AssertUnwindSafe(|| future.set(None)));
                drop(this.claim.take());
                match dropped {
                    Ok(()) => {
                        let convert = report.convert;
                        report.send(convert(output).map_err(Failure::Err));
                        Poll::Ready(())
                    }
                    Err(payload) => {
                        error::drop_contained(output);
                        let message = error::panic_message(payload.as_ref());
                        report.send(Err(Failure::Member(TaskError::Panicked(
                            message.clone().into(),
                        ))));
                        error::drop_contained(payload);
                        panic::resume_unwind(Box::new(error::Retrieved(message)))
                    }
                }
            }
            Err(payload) => {
                let report = this.report.take().expect("a live member has its report");
                let message = error::panic_message(payload.as_ref());
                report.send(Err(Failure::Member(TaskError::Panicked(
                    message.clone().into(),
                ))));
                // The task panics too (its state says `Panicked`), with a
                // panic the group has taken: never reported as lost.
                error::drop_contained(payload);
                panic::resume_unwind(Box::new(error::Retrieved(message)))
            }
        }
    }
}

impl<F, O, T, E> fmt::Debug for MemberFuture<F, O, T, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MemberFuture")
            .field("report", &self.report)
            .finish_non_exhaustive()
    }
}

/// A coroutine that can be a member of a [`TaskGroup`](crate::TaskGroup)
/// whose members end with `T` or fail with `E`: every coroutine that
/// [`create_task`](crate::create_task) takes is one.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be a member of a task group",
    label = "not an unscheduled coroutine",
    note = "a group member is what `create_task` takes: a `Send + 'static` future or a call of a `#[cosched::task]` fn",
    note = "a `Task` is already scheduled: `.await` it, or create it with the group's `create_task` in the first place"
)]
pub trait GroupMember<T, E>: Spawnable {
    #[doc(hidden)]
    fn spawn_member(
        self,
        event_loop: &EventLoop,
        origin: Origin,
        report: Report<Self::Output, T, E>,
        limiter: Option<&Limiter>,
    ) -> TaskRef;

    /// Schedules it as a task that is cancelled before it starts: what a
    /// closed group does with what is added to it.
    #[doc(hidden)]
    fn spawn_refused(self, event_loop: &EventLoop, origin: Origin) -> TaskRef;
}

impl<C, T, E> GroupMember<T, E> for C
where
    C: Spawnable,
    Coroutine<MemberFuture<C::Future, C::Output, T, E>, C::Kind>: Spawnable<Output = ()>,
{
    fn spawn_member(
        self,
        event_loop: &EventLoop,
        origin: Origin,
        report: Report<C::Output, T, E>,
        limiter: Option<&Limiter>,
    ) -> TaskRef {
        if <C::Kind as Kind>::LOCAL && !is_driving() {
            // A local member off the loop thread would never run (its task
            // fails with `NotOnLoopThread`): a failure of the group.
            report.send(Err(Failure::Member(TaskError::NotOnLoopThread)));
            return self.spawn_on(event_loop, origin).task_ref();
        }
        let (meta, future) = self.into_coroutine().into_parts();
        let claim = limiter.map(Limiter::claim);
        let member = Coroutine::<_, C::Kind>::new(meta, MemberFuture::new(future, claim, report));
        let task = member.spawn_on(event_loop, origin);
        task.task_ref()
    }

    fn spawn_refused(self, event_loop: &EventLoop, origin: Origin) -> TaskRef {
        let (meta, future) = self.into_coroutine().into_parts();
        let refused: MemberFuture<C::Future, C::Output, T, E> = MemberFuture::refused(future);
        Coroutine::<_, C::Kind>::new(meta, refused)
            .spawn_on(event_loop, origin)
            .task_ref()
    }
}
