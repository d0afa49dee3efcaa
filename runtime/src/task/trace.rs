//! The `tracing` feature: each task a span, entered around each of its
//! polls (see the `debug` module's docs for what a subscriber sees).
//! Without the feature, [`TaskSpan`] is an empty struct whose methods do
//! nothing: a task's future is not a byte larger, and its poll runs the
//! same code. With it, a task's future holds its span boxed, and nothing
//! (one word) when no subscriber wants the span: a `tracing::Span` is five
//! words, which the feature would otherwise add to every task whether
//! anyone listens or not.

#[cfg(feature = "tracing")]
use std::fmt;
use std::task::Poll;

use super::error::TaskError;

/// The target of the spans and events: what a filter names
/// (`RUST_LOG=cosched::task=trace`).
#[cfg(feature = "tracing")]
const TARGET: &str = "cosched::task";

/// A task's span, or nothing.
pub(crate) struct TaskSpan {
    #[cfg(feature = "tracing")]
    span: Option<Box<tracing::Span>>,
}

/// The span of a task whose span no subscriber wanted.
#[cfg(feature = "tracing")]
static NO_SPAN: tracing::Span = tracing::Span::none();

/// What [`TaskSpan::enter`] returns: the span entered, until dropped.
#[cfg(feature = "tracing")]
pub(crate) type Entered<'a> = tracing::span::Entered<'a>;
/// What [`TaskSpan::enter`] returns: nothing.
#[cfg(not(feature = "tracing"))]
pub(crate) type Entered<'a> = std::marker::PhantomData<&'a ()>;

#[cfg(not(feature = "tracing"))]
#[allow(clippy::unused_self)] // the feature's signatures, doing nothing
impl TaskSpan {
    #[inline]
    pub(crate) fn new(_index: u32) -> Self {
        Self {}
    }

    #[inline]
    pub(crate) fn enter(&self) -> Entered<'_> {
        std::marker::PhantomData
    }

    #[inline]
    pub(crate) fn poll_started(&self) {}

    #[inline]
    pub(crate) fn poll_ended<T>(&self, _polled: &Poll<Result<T, TaskError>>) {}

    #[inline]
    pub(crate) fn dropped_unfinished(&self) {}
}

#[cfg(feature = "tracing")]
impl TaskSpan {
    /// The span of the task in slot `index`, being spawned now: named
    /// `task`, with the task's name, id, spawn site and, if it is spawned
    /// inside a task, that task's id. Its parent is the current span, as
    /// for any span: the spawning task's, inside one. The name and site
    /// are formatted only if a subscriber records them, and no field is
    /// read unless one wants the span (the macro evaluates them then).
    pub(crate) fn new(index: u32) -> Self {
        let table = super::table::table();
        let span = tracing::info_span!(
            target: TARGET,
            "task",
            task.name = %Name(index),
            task.id = table.slot(index).id().as_u64(),
            task.spawned_at = %Site(index),
            task.parent_id = super::current::get()
                .map(|current| table.slot(current.index).id().as_u64()),
        );
        Self {
            span: (!span.is_disabled()).then(|| Box::new(span)),
        }
    }

    #[inline]
    fn span(&self) -> &tracing::Span {
        self.span.as_deref().unwrap_or(&NO_SPAN)
    }

    #[inline]
    pub(crate) fn enter(&self) -> Entered<'_> {
        self.span().enter()
    }

    #[inline]
    pub(crate) fn poll_started(&self) {
        tracing::trace!(target: TARGET, parent: self.span(), "poll started");
    }

    /// The poll that returned `polled` ended: a `TRACE` event, and if the
    /// task ended a `DEBUG` one with how.
    #[inline]
    pub(crate) fn poll_ended<T>(&self, polled: &Poll<Result<T, TaskError>>) {
        tracing::trace!(target: TARGET, parent: self.span(), ready = polled.is_ready(), "poll ended");
        match polled {
            Poll::Pending => {}
            Poll::Ready(Ok(_)) => {
                tracing::debug!(target: TARGET, parent: self.span(), outcome = "returned", "task ended");
            }
            Poll::Ready(Err(TaskError::Panicked(message))) => {
                tracing::debug!(target: TARGET, parent: self.span(), outcome = "panicked", panic = %message, "task ended");
            }
            Poll::Ready(Err(_)) => {
                tracing::debug!(target: TARGET, parent: self.span(), outcome = "cancelled", "task ended");
            }
        }
    }

    /// The backend dropped the task before it ended (its runtime shut
    /// down): to anyone asking, it was cancelled.
    pub(crate) fn dropped_unfinished(&self) {
        tracing::debug!(
            target: TARGET,
            parent: self.span(),
            outcome = "cancelled",
            "task ended: dropped by the backend unfinished"
        );
    }
}

/// A task's name, formatted when a subscriber records it.
#[cfg(feature = "tracing")]
struct Name(u32);

#[cfg(feature = "tracing")]
impl fmt::Display for Name {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&super::table::table().name(self.0))
    }
}

/// A task's spawn site, `file:line:col`, formatted when a subscriber
/// records it.
#[cfg(feature = "tracing")]
struct Site(u32);

#[cfg(feature = "tracing")]
impl fmt::Display for Site {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(super::table::table().site(self.0).at, f)
    }
}
