//! Debug mode, asyncio's `loop.set_debug(True)`: more reports, at a cost.
//!
//! On with the environment variable `COSCHED_DEBUG=1` (read when the first
//! loop is made), with [`set_enabled`] for every loop of the process, with
//! [`EventLoop::set_debug`](crate::EventLoop::set_debug) for one loop, and
//! in every [`#[cosched::test]`](crate::test). Then:
//!
//! * each task records when it was created, and [`dump`](crate::dump)
//!   shows its age;
//! * a poll of a task that takes longer than [`slow_poll_threshold`]
//!   (100 ms by default, asyncio's `slow_callback_duration`) is reported
//!   ([`Report::SlowPoll`](crate::report::Report::SlowPoll)), naming the
//!   task, its spawn site and how long the poll took;
//! * when [`run`](crate::run)'s main future returns with tasks still
//!   pending, they are listed ([`Report::PendingAtExit`](crate::report::Report::PendingAtExit))
//!   before they are cancelled.
//!
//! Off, it costs a spawn and a poll one relaxed load of a flag each.
//!
//! ```
//! let event_loop = cosched::EventLoop::new();
//! event_loop.set_debug(true);
//! assert!(event_loop.is_debug());
//! event_loop.run_until_complete(async {
//!     let task = cosched::create_task(cosched::sleep(std::time::Duration::from_secs(60)));
//!     assert!(cosched::dump().tasks()[0].age().is_some()); // recorded in debug mode
//!     task.cancel();
//! });
//! ```

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Mutex, OnceLock, PoisonError};
use std::time::{Duration, Instant};

use crate::task::TaskId;

/// Whether any loop, or the process, is in debug mode: the one flag the
/// hot paths read.
static ANY: AtomicBool = AtomicBool::new(false);
/// Debug mode for every loop.
static ALL: AtomicBool = AtomicBool::new(false);
/// Debug mode by loop number, a bit each.
static LOOPS: [AtomicU64; 1024] = [const { AtomicU64::new(0) }; 1024];
/// The slow-poll threshold, in nanoseconds.
static SLOW: AtomicU64 = AtomicU64::new(100_000_000);
/// When each task of a loop in debug mode was created, by slot, with the
/// task's id (a reused slot's old entry is told apart by it).
static CREATED: Mutex<Option<HashMap<u32, (TaskId, Instant)>>> = Mutex::new(None);

/// Turns debug mode on (or off) for every loop of the process, as
/// `COSCHED_DEBUG=1` does. A loop put in debug mode on its own stays in
/// it.
///
/// ```
/// cosched::debug::set_enabled(true);
/// assert!(cosched::debug::is_enabled());
/// cosched::debug::set_enabled(false);
/// ```
pub fn set_enabled(on: bool) {
    ALL.store(on, Ordering::Relaxed);
    if on {
        ANY.store(true, Ordering::Relaxed);
    }
}

/// Whether debug mode is on for every loop ([`set_enabled`], or
/// `COSCHED_DEBUG=1`).
///
/// ```
/// assert_eq!(
///     cosched::debug::is_enabled(),
///     std::env::var("COSCHED_DEBUG").is_ok_and(|v| v == "1"),
/// );
/// ```
pub fn is_enabled() -> bool {
    from_env();
    ALL.load(Ordering::Relaxed)
}

/// Sets how long a poll may take before debug mode reports it (100 ms by
/// default, asyncio's `slow_callback_duration`).
///
/// ```
/// cosched::debug::set_slow_poll_threshold(std::time::Duration::from_millis(20));
/// assert_eq!(cosched::debug::slow_poll_threshold().as_millis(), 20);
/// # cosched::debug::set_slow_poll_threshold(std::time::Duration::from_millis(100));
/// ```
pub fn set_slow_poll_threshold(threshold: Duration) {
    SLOW.store(
        u64::try_from(threshold.as_nanos()).unwrap_or(u64::MAX),
        Ordering::Relaxed,
    );
}

/// How long a poll may take before debug mode reports it.
///
/// ```
/// assert!(cosched::debug::slow_poll_threshold() > std::time::Duration::ZERO);
/// ```
pub fn slow_poll_threshold() -> Duration {
    Duration::from_nanos(SLOW.load(Ordering::Relaxed))
}

/// Reads `COSCHED_DEBUG` once.
pub(crate) fn from_env() {
    static READ: OnceLock<()> = OnceLock::new();
    READ.get_or_init(|| {
        if std::env::var_os("COSCHED_DEBUG").is_some_and(|value| value == "1") {
            set_enabled(true);
        }
    });
}

/// Puts the loop numbered `number` in debug mode, or takes it out.
pub(crate) fn set_for(number: u16, on: bool) {
    let (word, bit) = (usize::from(number) / 64, 1 << (number % 64));
    if on {
        LOOPS[word].fetch_or(bit, Ordering::Relaxed);
        ANY.store(true, Ordering::Relaxed);
    } else {
        LOOPS[word].fetch_and(!bit, Ordering::Relaxed);
    }
}

/// Whether the loop numbered `number` is in debug mode.
#[inline]
pub(crate) fn on_for(number: u16) -> bool {
    ANY.load(Ordering::Relaxed) && slow_check(number)
}

#[cold]
fn slow_check(number: u16) -> bool {
    ALL.load(Ordering::Relaxed)
        || LOOPS[usize::from(number) / 64].load(Ordering::Relaxed) & (1 << (number % 64)) != 0
}

/// Records that the task in slot `index`, with `id`, was created now.
#[cold]
pub(crate) fn created_now(index: u32, id: TaskId) {
    let now = Instant::now();
    CREATED
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .get_or_insert_with(HashMap::new)
        .insert(index, (id, now));
}

/// When the task in slot `index`, with `id`, was created, if its loop was
/// in debug mode then.
pub(crate) fn created(index: u32, id: TaskId) -> Option<Instant> {
    let created = CREATED.lock().unwrap_or_else(PoisonError::into_inner);
    match created.as_ref()?.get(&index) {
        Some(&(recorded, at)) if recorded == id => Some(at),
        _ => None,
    }
}

thread_local! {
    /// Set while a task that never started is dropped: its coroutine was
    /// scheduled, so it is not "never awaited".
    static UNSTARTED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Runs `drop`, the drop of a task's future that was never polled: the
/// coroutines in it were scheduled, not forgotten.
pub(crate) fn dropping_unstarted<R>(drop: impl FnOnce() -> R) -> R {
    if !ANY.load(Ordering::Relaxed) {
        return drop();
    }
    let before = UNSTARTED.replace(true);
    let result = drop();
    UNSTARTED.set(before);
    result
}

/// A coroutine of `meta`, created at `created`, is dropped without having
/// been awaited, scheduled or polled: reported in debug mode (the loop of
/// the task dropping it, or every loop's).
#[inline]
pub(crate) fn never_awaited(
    meta: &'static crate::TaskMeta,
    created: &'static std::panic::Location<'static>,
) {
    if ANY.load(Ordering::Relaxed) {
        report_never_awaited(meta, created);
    }
}

#[cold]
fn report_never_awaited(
    meta: &'static crate::TaskMeta,
    created: &'static std::panic::Location<'static>,
) {
    if UNSTARTED.get() {
        return;
    }
    let on = match crate::task::current() {
        Some(current) => on_for(current.event_loop),
        None => ALL.load(Ordering::Relaxed) || crate::event_loop::driving_loop_is_debug(),
    };
    if on {
        crate::report::emit(&crate::report::Report::CoroutineNeverAwaited {
            coroutine: meta.name(),
            created_at: created,
        });
    }
}
