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
//!
//! # `kill -USR1 <pid>`: every loop's dump
//!
//! On Unix, a process with debug mode on (for the process or for any one
//! loop) answers `SIGUSR1` with the [`dump`](crate::EventLoop::dump) of
//! every live loop, oldest first, as one
//! [`Report::Dump`](crate::report::Report::Dump) through the report hook
//! (stderr by default), and goes on running: Go's `SIGQUIT` and the JVM's
//! thread dump, without the exit. What the default hook printed for
//! `tests/tests/sigusr1.rs` (two loops, the second in debug mode, so its
//! task's age is known):
//!
//! ```text
//! SIGUSR1: 2 live event loops
//! event loop 1: 1 live task
//! sleeper-on-the-other-loop (id 1, running, spawned at tests/tests/sigusr1.rs:31:14)
//! event loop 2: 1 live task
//! sleeper-in-the-dump (id 2, pending, spawned at tests/tests/sigusr1.rs:37:18, age 390.335µs)
//! ```
//!
//! The handler is installed the first time debug mode is turned on
//! ([`set_enabled`], [`EventLoop::set_debug`](crate::EventLoop::set_debug),
//! `COSCHED_DEBUG=1`, a [`#[cosched::test]`](crate::test)) and stays for
//! the process's lifetime: a program that never turns debug mode on keeps
//! `SIGUSR1`'s default action (it ends the process) and has no extra
//! thread. The handler itself only writes to a pipe (a signal handler may
//! do nothing that locks or allocates); a thread named `cosched-sigusr1`
//! makes the dump. On other platforms there is no such signal, and no
//! handler.
//!
//! ```
//! # #[cfg(unix)] {
//! use std::sync::mpsc;
//! use std::time::Duration;
//! use cosched::report::Report;
//!
//! let (sender, dumps) = mpsc::channel();
//! cosched::report::set_hook(move |report| {
//!     if let Report::Dump { .. } = report {
//!         let _ = sender.send(report.to_string());
//!     }
//! });
//! let event_loop = cosched::EventLoop::new();
//! event_loop.set_debug(true); // installs the handler
//! let task = cosched::Builder::new()
//!     .name("napping")
//!     .on(&event_loop)
//!     .create_task(cosched::sleep(Duration::from_secs(60)));
//! let pid = std::process::id().to_string();
//! std::process::Command::new("kill").args(["-USR1", &pid]).status().unwrap();
//! let dump = dumps.recv_timeout(Duration::from_secs(60)).unwrap();
//! assert!(dump.starts_with("SIGUSR1: "));
//! assert!(dump.contains("napping (id "));
//! task.cancel();
//! # drop(cosched::report::take_hook());
//! # }
//! ```
//!
//! # `tracing`: each task a span
//!
//! With the `tracing` feature (off by default), each task is a
//! [`tracing`](https://docs.rs/tracing) span, so a program's existing
//! subscriber sees its tasks with no change to its code, debug mode or
//! not. The span is made when the task is spawned: named `task`, at `INFO`
//! level, target `cosched::task`, with the fields `task.name`, `task.id`,
//! `task.spawned_at` (`file:line:col`) and, for a task spawned inside
//! another, `task.parent_id`; its parent is the current span, so a task
//! spawned in a task is a child of that task's span. (A span's name is
//! fixed where it is written, `&'static str`, hence `task` and the name as
//! a field.) A task's name can be settled only at its first poll (a
//! `#[task]` coroutine given to `create_task` or `schedule!(create_task
//! ..)` names its task then), so `task.name` is recorded at the spawn for
//! a name given in full, and otherwise as the coroutine takes its name,
//! before its code runs (or once the first poll returns): a subscriber
//! sees the final name, once, after the other fields. The span is
//! entered around each poll of the task, so what the task's code logs is
//! inside it, and closed when the task is dropped. Each poll gets a `TRACE` event at its start (`poll started`) and end
//! (`poll ended`, with `ready`), and the task's end a `DEBUG` one, `task
//! ended`, with `outcome` `returned`, `cancelled` or `panicked` (and
//! `panic`, the message). What `tracing_subscriber::fmt` (with
//! `RUST_LOG=info,cosched=trace`, no time, no colour) printed for the
//! example below, made a program whose `main` installs it first (`fetch-2`
//! has its name from the coroutine's claim on, so its first `poll
//! started` is without it):
//!
//! ```text
//! TRACE task{task.id=1 task.spawned_at=src/main.rs:18:59 task.name=crawl}: cosched::task: poll started
//! TRACE task{task.id=1 task.spawned_at=src/main.rs:18:59 task.name=crawl}: cosched::task: poll ended ready=false
//! TRACE task{task.id=1 task.spawned_at=src/main.rs:18:59 task.name=crawl}:task{task.id=2 task.spawned_at=src/main.rs:19:24 task.parent_id=1}: cosched::task: poll started
//!  INFO task{task.id=1 task.spawned_at=src/main.rs:18:59 task.name=crawl}:task{task.id=2 task.spawned_at=src/main.rs:19:24 task.parent_id=1 task.name=fetch-2}: tracedemo: fetching page=2
//! TRACE task{task.id=1 task.spawned_at=src/main.rs:18:59 task.name=crawl}:task{task.id=2 task.spawned_at=src/main.rs:19:24 task.parent_id=1 task.name=fetch-2}: cosched::task: poll ended ready=false
//! TRACE task{task.id=1 task.spawned_at=src/main.rs:18:59 task.name=crawl}:task{task.id=2 task.spawned_at=src/main.rs:19:24 task.parent_id=1 task.name=fetch-2}: cosched::task: poll started
//!  INFO task{task.id=1 task.spawned_at=src/main.rs:18:59 task.name=crawl}:task{task.id=2 task.spawned_at=src/main.rs:19:24 task.parent_id=1 task.name=fetch-2}: tracedemo: fetched page=2
//! TRACE task{task.id=1 task.spawned_at=src/main.rs:18:59 task.name=crawl}:task{task.id=2 task.spawned_at=src/main.rs:19:24 task.parent_id=1 task.name=fetch-2}: cosched::task: poll ended ready=true
//! DEBUG task{task.id=1 task.spawned_at=src/main.rs:18:59 task.name=crawl}:task{task.id=2 task.spawned_at=src/main.rs:19:24 task.parent_id=1 task.name=fetch-2}: cosched::task: task ended outcome="returned"
//! TRACE task{task.id=1 task.spawned_at=src/main.rs:18:59 task.name=crawl}: cosched::task: poll started
//! TRACE task{task.id=1 task.spawned_at=src/main.rs:18:59 task.name=crawl}: cosched::task: poll ended ready=true
//! DEBUG task{task.id=1 task.spawned_at=src/main.rs:18:59 task.name=crawl}: cosched::task: task ended outcome="returned"
//!  INFO tracedemo: done bytes=200
//! ```
//!
//! ```
//! # #[cfg(feature = "tracing")] {
//! use std::time::Duration;
//!
//! #[cosched::task]
//! async fn fetch(page: u32) -> usize {
//!     tracing::info!(page, "fetching"); // inside this task's span
//!     cosched::sleep(Duration::from_millis(10)).await;
//!     tracing::info!(page, "fetched"); // and so is every later poll
//!     page as usize * 100
//! }
//!
//! # cosched::run(async {
//! // (a program would install its subscriber first: `tracing_subscriber::fmt().init()`)
//! let crawl = cosched::Builder::new().name("crawl").create_task(async {
//!     let page = cosched::schedule!(create_task fetch(2)); // a child of `crawl`'s span
//!     page.await.unwrap()
//! });
//! tracing::info!(bytes = crawl.await.unwrap(), "done");
//! # });
//! # }
//! ```
//!
//! Without the feature none of this is compiled in: the span is a field
//! of no size in the task's future, and a poll runs the same code. With
//! it, a spawn and a poll cost what making and entering a span cost the
//! subscriber (see BENCHMARKS.md for the figures).

use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// Whether any loop, or the process, is in debug mode: the one flag the
/// hot paths read.
static ANY: AtomicBool = AtomicBool::new(false);
/// Debug mode for every loop.
static ALL: AtomicBool = AtomicBool::new(false);
/// Debug mode by loop number, a bit each.
static LOOPS: [AtomicU64; 1024] = [const { AtomicU64::new(0) }; 1024];
/// The slow-poll threshold, in nanoseconds.
static SLOW: AtomicU64 = AtomicU64::new(100_000_000);
/// Debug mode's clock: a task's creation time is kept, beside its slot, as
/// nanoseconds after this (see `now_nanos`).
static EPOCH: OnceLock<Instant> = OnceLock::new();

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
        #[cfg(unix)]
        crate::signal::install();
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
        #[cfg(unix)]
        crate::signal::install();
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

/// Now on debug mode's clock, in nanoseconds: what a task of a loop in
/// debug mode records as its creation time, beside its slot (with its id,
/// so that a task reusing the slot does not inherit it).
#[cold]
pub(crate) fn now_nanos() -> u64 {
    let epoch = *EPOCH.get_or_init(Instant::now);
    u64::try_from(epoch.elapsed().as_nanos()).unwrap_or(u64::MAX)
}

/// The instant that `nanos` from [`now_nanos`] stands for.
pub(crate) fn instant(nanos: u64) -> Instant {
    // `now_nanos` set the epoch before it made any `nanos`.
    let epoch = *EPOCH.get_or_init(Instant::now);
    epoch + Duration::from_nanos(nanos)
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
