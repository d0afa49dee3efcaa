//! The `tracing` feature: each task a span, entered around each of its
//! polls (see the `debug` module's docs for what a subscriber sees).
//! Without the feature, [`TaskSpan`] is an empty struct whose methods do
//! nothing: a task's future is not a byte larger, and its poll runs the
//! same code. With it, a task's future holds its span boxed, and nothing
//! (one word) when no subscriber wants the span: a `tracing::Span` is five
//! words, which the feature would otherwise add to every task whether
//! anyone listens or not.
//!
//! A task's name can change after its spawn: a task spawned from a plain
//! future that is a `#[task]` coroutine (`create_task(fetch(2))`) is
//! named after it at its first poll (`poll::naming`). So the span records
//! `task.name` at the spawn only for a name given in full; any other, when
//! the coroutine claims the task's name (the first thing its first poll
//! does, so what its code logs has the name), else once the task's first
//! poll returns (or it ends unpolled), and again only if a later poll
//! renamed the task: a subscriber never sees the provisional `Task-<id>`
//! of a task that is about to be named, nor two names for one task.

#[cfg(feature = "tracing")]
use std::cell::Cell;
#[cfg(feature = "tracing")]
use std::fmt;
#[cfg(feature = "tracing")]
use std::sync::atomic::{AtomicU64, Ordering};
use std::task::Poll;

use super::error::TaskError;

/// The target of the spans and events: what a filter names
/// (`RUST_LOG=cosched::task=trace`).
#[cfg(feature = "tracing")]
const TARGET: &str = "cosched::task";

/// A task's span, or nothing.
pub(crate) struct TaskSpan {
    #[cfg(feature = "tracing")]
    span: Option<Box<Traced>>,
}

/// A span someone wants, and the number of the task's name prefix and
/// spawn site when it recorded the task's name ([`UNNAMED`]: not yet).
/// (An atomic, read and written by the task's poll only, so that the name
/// is recorded while the span is entered and the task stays `Sync`.)
#[cfg(feature = "tracing")]
struct Traced {
    span: tracing::Span,
    named: AtomicU64,
}

/// What [`Traced::named`] holds until the span records the task's name:
/// not a site number, which is a `u32`.
#[cfg(feature = "tracing")]
const UNNAMED: u64 = u64::MAX;

/// The span of a task whose span no subscriber wanted.
#[cfg(feature = "tracing")]
static NO_SPAN: tracing::Span = tracing::Span::none();

/// What [`TaskSpan::enter`] returns: the span entered, until dropped.
#[cfg(feature = "tracing")]
pub(crate) type Entered<'a> = tracing::span::Entered<'a>;
/// What [`TaskSpan::enter`] returns: nothing.
#[cfg(not(feature = "tracing"))]
pub(crate) type Entered<'a> = std::marker::PhantomData<&'a ()>;
/// What [`TaskSpan::naming`] returns: nothing.
#[cfg(not(feature = "tracing"))]
pub(crate) type Naming<'a> = std::marker::PhantomData<&'a ()>;

/// The task in slot `index` was just named by a coroutine's claim
/// (`poll::naming::claim`): nothing to record.
#[cfg(not(feature = "tracing"))]
#[inline]
pub(crate) fn claimed(_index: u32) {}

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
    pub(crate) fn record_name(&self, _index: u32) {}

    #[inline]
    pub(crate) fn naming(&self, _index: u32) -> Naming<'_> {
        std::marker::PhantomData
    }

    #[inline]
    pub(crate) fn poll_ended<T>(&self, _polled: &Poll<Result<T, TaskError>>) {}

    #[inline]
    pub(crate) fn dropped_unfinished(&self) {}
}

#[cfg(feature = "tracing")]
impl TaskSpan {
    /// The span of the task in slot `index`, being spawned now: named
    /// `task`, with the task's id, spawn site and, if it is spawned inside
    /// a task, that task's id; its name too if it was given in full (any
    /// other may change at the first poll: see [`record_name`]). Its
    /// parent is the current span, as for any span: the spawning task's,
    /// inside one. The name and site are formatted only if a subscriber
    /// records them, and no field is read unless one wants the span (the
    /// macro evaluates them then).
    ///
    /// [`record_name`]: Self::record_name
    pub(crate) fn new(index: u32) -> Self {
        let table = super::table::table();
        let span = tracing::info_span!(
            target: TARGET,
            "task",
            task.name = tracing::field::Empty,
            task.id = table.slot(index).id().as_u64(),
            task.spawned_at = %Site(index),
            task.parent_id = super::current::get()
                .map(|current| table.slot(current.index).id().as_u64()),
        );
        if span.is_disabled() {
            return Self { span: None };
        }
        let traced = Self {
            span: Some(Box::new(Traced {
                span,
                named: AtomicU64::new(UNNAMED),
            })),
        };
        if table.has_given_name(index) {
            traced.record_name(index);
        }
        traced
    }

    #[inline]
    fn span(&self) -> &tracing::Span {
        self.span.as_deref().map_or(&NO_SPAN, |traced| &traced.span)
    }

    #[inline]
    pub(crate) fn enter(&self) -> Entered<'_> {
        self.span().enter()
    }

    #[inline]
    pub(crate) fn poll_started(&self) {
        tracing::trace!(target: TARGET, parent: self.span(), "poll started");
    }

    /// Records the name of the task in slot `index`, which it still
    /// holds, if the span has not recorded it yet or the task was renamed
    /// since (`poll::naming`): called as a poll of the task's future
    /// returns, and before an unpolled task's future is dropped. One load
    /// and a compare, and only if someone wants the span.
    #[inline]
    pub(crate) fn record_name(&self, index: u32) {
        let Some(traced) = self.span.as_deref() else {
            return;
        };
        let site = u64::from(super::table::table().site_number(index));
        if traced.named.load(Ordering::Relaxed) != site {
            traced.named.store(site, Ordering::Relaxed);
            traced
                .span
                .record("task.name", tracing::field::display(Name(index)));
        }
    }

    /// Around a poll of the task in slot `index`, while its span has not
    /// recorded its name: lets a coroutine's claim of the name record it
    /// on the span at once ([`claimed`]), rather than after the poll.
    #[inline]
    pub(crate) fn naming(&self, index: u32) -> Option<Naming<'_>> {
        let traced = self.span.as_deref()?;
        if traced.named.load(Ordering::Relaxed) != UNNAMED {
            return None;
        }
        let outer = NAMING.replace(Some(Unnamed {
            index,
            span: traced.span.id()?.into_u64(),
            recorded: UNNAMED,
        }));
        Some(Naming { traced, outer })
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

/// A task being polled on this thread whose span has not recorded its
/// name: its slot, its span's id, and what [`claimed`] recorded (the site
/// number of the name; [`UNNAMED`]: nothing yet).
#[cfg(feature = "tracing")]
#[derive(Clone, Copy)]
struct Unnamed {
    index: u32,
    span: u64,
    recorded: u64,
}

#[cfg(feature = "tracing")]
thread_local! {
    /// The innermost task being polled on this thread whose span has not
    /// recorded its name (an eager task's first poll runs inside its
    /// spawner's poll).
    static NAMING: Cell<Option<Unnamed>> = const { Cell::new(None) };
}

/// What [`TaskSpan::naming`] returns: until dropped, a claim of the
/// task's name records it on the span; then the span knows it did.
#[cfg(feature = "tracing")]
pub(crate) struct Naming<'a> {
    traced: &'a Traced,
    outer: Option<Unnamed>,
}

#[cfg(feature = "tracing")]
impl Drop for Naming<'_> {
    fn drop(&mut self) {
        if let Some(unnamed) = NAMING.replace(self.outer) {
            if unnamed.recorded != UNNAMED {
                self.traced.named.store(unnamed.recorded, Ordering::Relaxed);
            }
        }
    }
}

/// The task in slot `index` was just named by a coroutine's claim
/// (`poll::naming::claim`), in a poll of it: if its span is waiting for
/// its name and is the current span (the claim of a coroutine that is the
/// task's future is; one nested in a span of the user's code is not, and
/// its name is recorded after the poll), the span records the name now,
/// before the coroutine's code runs.
#[cfg(feature = "tracing")]
#[inline]
pub(crate) fn claimed(index: u32) {
    let Some(mut unnamed) = NAMING.get() else {
        return;
    };
    if unnamed.index != index {
        return;
    }
    let current = tracing::Span::current();
    if current.id().map(|id| id.into_u64()) != Some(unnamed.span) {
        return;
    }
    unnamed.recorded = u64::from(super::table::table().site_number(index));
    current.record("task.name", tracing::field::display(Name(index)));
    NAMING.set(Some(unnamed));
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
