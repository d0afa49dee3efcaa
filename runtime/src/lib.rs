//! asyncio's `create_task` and `ensure_future`, for Rust.
//!
//! ```toml
//! [dependencies]
//! cosched = "0.1"
//! ```
//!
//! ```
//! use std::io::Write;
//! use std::time::Duration;
//! use cosched::schedule;
//!
//! /// Prints a dot every `period`, forever.
//! #[cosched::task]
//! async fn indication(period: Duration) {
//!     loop {
//!         print!(".");
//!         let _ = std::io::stdout().flush(); // one dot at a time
//!         cosched::sleep(period).await;
//!     }
//! }
//!
//! #[cosched::task]
//! async fn answer(question: &'static str) -> usize {
//!     question.len()
//! }
//!
//! #[cosched::main]
//! async fn main() {
//!     let dots = schedule!(create_task indication(Duration::from_millis(10)));
//!     let task = schedule!(ensure_future answer("six times seven, nearly"));
//!     assert_eq!(task.await, Ok(23)); // awaiting a task gives a `Result`
//!     cosched::sleep(Duration::from_millis(50)).await;
//!     dots.cancel(); // stops at its next await point
//!     assert_eq!(dots.await, Err(cosched::TaskError::Cancelled));
//! }
//! ```
//!
//! Python's asyncio has two ways to put a coroutine on a running loop:
//! `loop.create_task(coro)` schedules it and returns its task;
//! `asyncio.ensure_future(x)` makes sure `x` is a future, passing a task
//! through and wrapping a coroutine with `create_task`. cosched gives Rust
//! both, with the difference checked by the compiler:
//!
//! * [`#[task]`](task) turns an `async fn` into a fn returning a
//!   [`Coroutine`]: a lazy value, like a Python coroutine object, that can be
//!   awaited inline or scheduled.
//! * [`create_task`] schedules a coroutine and returns its [`Task`];
//!   [`ensure_future`] passes a [`Task`] through and schedules a coroutine.
//!   [`create_task`] given a [`Task`] does not compile.
//! * [`schedule!`] says which of the two you mean, or starts a coroutine
//!   later ([`after`], [`at`]) or periodically ([`every`]); it lowers to
//!   exactly that call.
//! * [`run`], [`EventLoop`], [`sleep`], [`wait_for`], [`timeout`],
//!   [`TaskGroup`], [`current_task`] and [`all_tasks`] are the rest of
//!   asyncio's core; [`gather`] (and [`try_gather`], its fail-fast mode),
//!   [`wait`], [`as_completed`] and [`shield`] await many tasks at once,
//!   each polled only when it wakes; [`Limiter`] is its `Semaphore`, for
//!   limits known at run time (`#[task(limit = N)]` is one per fn, fixed
//!   at compile time).
//! * [`time`] is the one clock all of them read, which a test can stop:
//!   `#[cosched::test(start_paused)]` and [`time::pause`] run timers on a
//!   virtual clock that jumps to the next timer when every task is idle.
//!
//! A task's panic is caught and returned as [`TaskError::Panicked`]; the
//! loop and the other tasks run on. [`Task::cancel`] stops a task at its
//! next await point, and [`run`] cancels whatever its program left running.
//!
//! # Backends
//!
//! Tasks run on async-std (the default feature, `async-std`), smol
//! (`smol`) or tokio (`tokio`): exactly one of the three features must be
//! on. async-std has been discontinued (RUSTSEC-2025-0052) and points its
//! users to smol; with cosched, moving is a change of feature, not of code.
//!
//! # Cron
//!
//! The `cron` feature, on by default, brings `schedule!(cron "0 */5 * * * *"
//! => ..)` and [`Schedule`] (cron expressions with seconds, in a time zone,
//! over the croner and jiff crates). Turned off (`default-features = false`
//! without `"cron"`), those crates are not built, and `schedule!(cron ..)`
//! is a compile error that says to turn it on.
//!
#![doc = include_str!("../docs/coming_from.md")]
#![forbid(unsafe_code)]
#![deny(missing_docs)]
// Under `--cfg loom` the crate is the task core's lock-free protocols
// alone (`sync` and `task`'s `state`, `table` and `live`), with their
// models: no backend, so none of the runtime crates' own `cfg(loom)` code
// is built (`task/loom.rs` says how to run them).
#![cfg_attr(loom, allow(dead_code, unused_imports))]

#[cfg(not(loom))]
mod backend;
#[cfg(not(loom))]
mod cancel;
#[cfg(not(loom))]
mod coroutine;
#[cfg(all(feature = "cron", not(loom)))]
mod cron;
#[cfg(not(loom))]
pub mod debug;
#[cfg(not(loom))]
mod event_loop;
#[cfg(not(loom))]
mod group;
#[cfg(not(loom))]
mod introspect;
#[cfg(not(loom))]
mod limit;
#[cfg(not(loom))]
mod periodic;
#[cfg(not(loom))]
pub mod report;
#[cfg(all(unix, not(loom)))]
mod signal;
mod sync;
mod task;
#[cfg(not(loom))]
pub mod time;
#[cfg(not(loom))]
mod timeout;
#[cfg(not(loom))]
mod wait;
#[cfg(not(loom))]
mod wait_for;

#[cfg(not(loom))]
pub use cancel::{Cancelled, OnCancel, on_cancel};
#[cfg(not(loom))]
pub use coroutine::{Coroutine, Eager, IntoTask, Local, Spawnable, Threaded};
#[cfg(all(feature = "cron", not(loom)))]
pub use cron::{CronError, Schedule, Upcoming};
#[cfg(not(loom))]
pub use event_loop::{
    Builder, EventLoop, all_tasks, create_task, current_task, ensure_future, get_event_loop, run,
};
#[cfg(not(loom))]
pub use group::{
    Failure, Gather, GroupError, GroupHandle, GroupMember, TaskGroup, TryGather, gather, try_gather,
};
#[cfg(not(loom))]
pub use introspect::{CallGraph, Dump, TaskInfo, capture_call_graph, dump, print_call_graph};
#[cfg(not(loom))]
pub use limit::{Limiter, Permit};
#[cfg(not(loom))]
pub use periodic::{Every, FirstRun, Missed};
#[cfg(not(loom))]
pub use task::{Join, JoinMut, PanicMessage, Task, TaskError, TaskRef};
pub use task::{TaskId, TaskMeta, TaskState};
#[cfg(not(loom))]
pub use time::{after, at, every, sleep, sleep_until, yield_now};
#[cfg(not(loom))]
pub use timeout::{Timeout, TimeoutHandle, timeout, timeout_at, timeout_at_scope, timeout_scope};
#[cfg(not(loom))]
pub use wait::{AsCompleted, ReturnWhen, Shield, Wait, as_completed, shield, wait};
#[cfg(not(loom))]
pub use wait_for::{Awaitable, TimeoutError, wait_for};

#[doc = include_str!("../docs/task.md")]
#[doc(inline)]
pub use cosched_macros::task;

#[doc = include_str!("../docs/schedule.md")]
#[doc(inline)]
pub use cosched_macros::schedule;

#[doc = include_str!("../docs/main.md")]
#[doc(inline)]
pub use cosched_macros::main;

#[doc = include_str!("../docs/test.md")]
#[doc(inline)]
pub use cosched_macros::test;

/// The name of the backend this build of cosched runs on: `"async-std"`,
/// `"smol"` or `"tokio"`.
///
/// ```
/// assert!(["async-std", "smol", "tokio"].contains(&cosched::BACKEND));
/// ```
#[cfg(not(loom))]
pub const BACKEND: &str = backend::NAME;

/// Support for the macros' expansions; not a public API.
#[cfg(not(loom))]
#[doc(hidden)]
pub mod __private {
    pub use crate::event_loop::run_test;
    pub use crate::limit::{Semaphore as Limit, limited};

    /// `schedule!(cron "EXPR" => .., tz = "TZ")`'s schedule, checked at
    /// compile time.
    #[cfg(feature = "cron")]
    pub use crate::cron::checked as cron;

    /// [`Coroutine::new`](crate::Coroutine::new) as a free function, which
    /// the `#[task]` expansion calls: rustc resolves the path of a function
    /// with less work than that of a type's associated function, which
    /// shows in the compile time of crates with many tasks.
    #[track_caller]
    pub const fn coroutine<F, K>(
        meta: &'static crate::TaskMeta,
        future: F,
    ) -> crate::Coroutine<F, K> {
        crate::Coroutine::new(meta, future)
    }

    /// [`coroutine`] of the default kind, [`Threaded`](crate::Threaded),
    /// which the `#[task]` expansion calls for a fn without `local` or
    /// `eager`: one type fewer for rustc to infer per fn.
    #[track_caller]
    pub const fn threaded<F>(meta: &'static crate::TaskMeta, future: F) -> crate::Coroutine<F> {
        crate::Coroutine::new(meta, future)
    }

    /// A value of any type, for code that is type-checked but never runs:
    /// the expansions' `if false { return output::<R>(); }`, which fixes an
    /// `async` block's output type to `R` before its body is checked.
    pub fn output<T>() -> T {
        unreachable!("cosched::__private::output is never called")
    }

    /// `!`, which stable Rust does not accept as `Output = !`: the type a
    /// `#[task] async fn f() -> !` coroutine outputs.
    pub type Never = <fn() -> ! as FnOutput>::Output;

    /// Names a fn pointer's return type.
    pub trait FnOutput {
        /// The return type.
        type Output;
    }

    impl<T> FnOutput for fn() -> T {
        type Output = T;
    }
}
