//! What cosched tells you about your tasks, and where it says it.
//!
//! Every report goes through one hook, which prints it on stderr unless a
//! program sets its own with [`set_hook`] (to route it to its logger, say),
//! as `std::panic::set_hook` does for panics. Always on:
//!
//! * [`Report::PanicNeverRetrieved`]: a task panicked and nobody took its
//!   result (its `Task` was dropped, or never awaited), asyncio's "Task
//!   exception was never retrieved". Printed once, when the result can no
//!   longer be taken. The default panic hook's own message is printed as
//!   well, when the panic happens, as it always is.
//!
//! ```
//! use std::sync::{Arc, Mutex};
//!
//! let seen = Arc::new(Mutex::new(Vec::new()));
//! let log = Arc::clone(&seen);
//! cosched::report::set_hook(move |report| log.lock().unwrap().push(report.to_string()));
//! # let default_panic_hook = std::panic::take_hook();
//! # std::panic::set_hook(Box::new(|_| {}));
//! cosched::run(async {
//!     let task = cosched::Builder::new()
//!         .name("doomed")
//!         .create_task(async { panic!("boom") });
//!     while !task.is_done() {
//!         cosched::yield_now().await;
//!     }
//!     drop(task); // its result is lost: reported here
//! });
//! # std::panic::set_hook(default_panic_hook);
//! drop(cosched::report::take_hook());
//! let seen = seen.lock().unwrap();
//! assert!(seen.iter().any(|line| line.starts_with("panic in task `doomed` (spawned at ")
//!     && line.ends_with(") was never retrieved: boom")), "{seen:?}");
//! ```

use std::fmt;
use std::panic::{self, AssertUnwindSafe, Location};
use std::sync::{Arc, PoisonError, RwLock};
use std::time::Duration;

use crate::TaskInfo;

/// Something cosched reports about a task. Its `Display` is the line the
/// default hook prints.
///
/// ```
/// let report = cosched::report::Report::PanicNeverRetrieved {
///     task: "worker-7".into(),
///     spawned_at: std::panic::Location::caller(),
///     message: "boom".into(),
/// };
/// assert!(report.to_string().starts_with("panic in task `worker-7` (spawned at "));
/// ```
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum Report {
    /// A task panicked and its result can no longer be taken: its `Task`
    /// was dropped (before or after the panic) without being awaited.
    /// Members of a [`TaskGroup`](crate::TaskGroup) never report this: the
    /// group takes their errors.
    PanicNeverRetrieved {
        /// The task's name.
        task: String,
        /// Where it was scheduled.
        spawned_at: &'static Location<'static>,
        /// What it panicked with.
        message: String,
    },
    /// Debug mode: a poll of a task took longer than
    /// [`slow_poll_threshold`](crate::debug::slow_poll_threshold), which
    /// held up its worker thread (asyncio's "Executing <Task> took 0.2
    /// seconds").
    SlowPoll {
        /// The task's name.
        task: String,
        /// Where it was scheduled.
        spawned_at: &'static Location<'static>,
        /// How long the poll took.
        took: Duration,
    },
    /// Debug mode: a [`Coroutine`](crate::Coroutine) was dropped without
    /// being awaited, scheduled or polled, so its body never ran: asyncio's
    /// "coroutine 'f' was never awaited". Usually a missing `.await` or
    /// `.spawn()` (rustc's `must_use` warns of the plain case).
    CoroutineNeverAwaited {
        /// Its fn's name (the task-name prefix).
        coroutine: &'static str,
        /// Where it was created: the call of its `#[task]` fn.
        created_at: &'static Location<'static>,
    },
    /// Debug mode: [`run`](crate::run)'s main future returned with these
    /// tasks still pending; they are cancelled next.
    PendingAtExit {
        /// The tasks, by id.
        tasks: Vec<TaskInfo>,
    },
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::PanicNeverRetrieved {
                task,
                spawned_at,
                message,
            } => write!(
                f,
                "panic in task `{task}` (spawned at {spawned_at}) was never retrieved: {message}"
            ),
            Self::SlowPoll {
                task,
                spawned_at,
                took,
            } => write!(
                f,
                "slow poll: task `{task}` (spawned at {spawned_at}) held its thread for {took:.3?}"
            ),
            Self::CoroutineNeverAwaited {
                coroutine,
                created_at,
            } => write!(
                f,
                "coroutine `{coroutine}` (created at {created_at}) was never awaited"
            ),
            Self::PendingAtExit { tasks } => {
                write!(
                    f,
                    "{} task{} still pending when the main future returned, cancelled now:",
                    tasks.len(),
                    if tasks.len() == 1 { "" } else { "s" }
                )?;
                for task in tasks {
                    write!(f, "\n  {task}")?;
                }
                Ok(())
            }
        }
    }
}

type Hook = Arc<dyn Fn(&Report) + Send + Sync>;

static HOOK: RwLock<Option<Hook>> = RwLock::new(None);

/// Sends every report to `hook` instead of stderr, from now on. The hook is
/// called on whatever thread the report comes from (a worker thread, or the
/// one that dropped a `Task`); a panic of the hook is caught and ignored.
///
/// ```
/// cosched::report::set_hook(|report| eprintln!("[cosched] {report}"));
/// # drop(cosched::report::take_hook());
/// ```
pub fn set_hook(hook: impl Fn(&Report) + Send + Sync + 'static) {
    *HOOK.write().unwrap_or_else(PoisonError::into_inner) = Some(Arc::new(hook));
}

/// Takes the hook [`set_hook`] set, if any, and puts back the default one,
/// which prints each report on stderr.
///
/// ```
/// cosched::report::set_hook(|_| {});
/// let hook = cosched::report::take_hook();
/// # drop(hook);
/// ```
pub fn take_hook() -> Box<dyn Fn(&Report) + Send + Sync> {
    let hook = HOOK.write().unwrap_or_else(PoisonError::into_inner).take();
    match hook {
        Some(hook) => Box::new(move |report: &Report| hook(report)),
        None => Box::new(print),
    }
}

/// The default hook: one line on stderr.
fn print(report: &Report) {
    eprintln!("{report}");
}

/// Reports `report` through the hook.
pub(crate) fn emit(report: &Report) {
    let hook = HOOK.read().unwrap_or_else(PoisonError::into_inner).clone();
    // A report comes from a destructor or a worker: the hook's panic must
    // not unwind into either.
    let _ = panic::catch_unwind(AssertUnwindSafe(|| match hook {
        Some(hook) => hook(report),
        None => print(report),
    }));
}
