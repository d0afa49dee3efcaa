//! What guards the run itself: the [`Watchdog`], which aborts the process
//! with a message (where the run was, from its [`Progress`]) if the run
//! outlasts its bound, so that a hang is a failure and not a stuck CI job;
//! and [`QuietPlannedPanics`], which keeps the planned panics off stderr.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError, mpsc};
use std::time::Duration;

use crate::plan::PANIC_PREFIX;

/// Where the run is, for the watchdog's message.
#[derive(Debug, Default)]
pub(crate) struct Progress {
    pub(crate) batch: AtomicUsize,
    pub(crate) checked: AtomicUsize,
    phase: Mutex<&'static str>,
}

impl Progress {
    pub(crate) fn phase(&self, phase: &'static str) {
        *self.phase.lock().unwrap_or_else(PoisonError::into_inner) = phase;
    }
}

/// Panics whose message starts with [`PANIC_PREFIX`] are not printed while
/// this is alive; the others go to the hook that was installed before.
pub(crate) struct QuietPlannedPanics {
    previous: Arc<Hook>,
}

type Hook = Box<dyn Fn(&std::panic::PanicHookInfo<'_>) + Sync + Send + 'static>;

impl QuietPlannedPanics {
    pub(crate) fn install() -> Self {
        let previous: Arc<Hook> = Arc::new(std::panic::take_hook());
        let fallback = Arc::clone(&previous);
        std::panic::set_hook(Box::new(move |info| {
            let payload = info.payload();
            let message = payload
                .downcast_ref::<String>()
                .map(String::as_str)
                .or_else(|| payload.downcast_ref::<&str>().copied());
            if !message.is_some_and(|message| message.starts_with(PANIC_PREFIX)) {
                fallback(info);
            }
        }));
        Self { previous }
    }
}

impl Drop for QuietPlannedPanics {
    fn drop(&mut self) {
        let previous = Arc::clone(&self.previous);
        std::panic::set_hook(Box::new(move |info| previous(info)));
    }
}

/// Aborts the process if it is not dropped within `bound`.
pub(crate) struct Watchdog {
    done: Option<mpsc::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Watchdog {
    pub(crate) fn start(bound: Duration, tasks: usize, progress: Arc<Progress>) -> Self {
        let (done, finished) = mpsc::channel::<()>();
        let thread = std::thread::Builder::new()
            .name("stress-watchdog".to_owned())
            .spawn(move || {
                if let Err(mpsc::RecvTimeoutError::Timeout) = finished.recv_timeout(bound) {
                    let phase = *progress
                        .phase
                        .lock()
                        .unwrap_or_else(PoisonError::into_inner);
                    eprintln!(
                        "stress: WATCHDOG: the run did not finish within {bound:?}: batch {}, \
                         {} of {tasks} tasks checked, {phase}; aborting",
                        progress.batch.load(Ordering::Relaxed),
                        progress.checked.load(Ordering::Relaxed),
                    );
                    std::process::abort();
                }
            })
            .expect("the OS starts the watchdog thread");
        Self {
            done: Some(done),
            thread: Some(thread),
        }
    }
}

impl Drop for Watchdog {
    fn drop(&mut self) {
        drop(self.done.take());
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}
