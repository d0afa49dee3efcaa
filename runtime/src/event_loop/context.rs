//! What this thread is doing: driving a loop (`run_until_complete`), or
//! polling a task; the current loop that follows from it; and the local
//! tasks this thread must drive.

use std::cell::RefCell;
use std::sync::OnceLock;

use super::EventLoop;
use crate::backend;
use crate::task::{self, SlotRef};

thread_local! {
    /// The loop a `run_until_complete` on this thread is running, if any.
    static DRIVING: RefCell<Option<EventLoop>> = const { RefCell::new(None) };
    /// The loop of the task being polled on this thread, or of the last
    /// one, looked up by its number (`task::current`) when a task asks.
    /// It stays between polls (and so alive, until a task of another loop
    /// asks on this thread), so that polling costs no reference count on
    /// the loop, which every thread would share.
    static TASK_LOOP: RefCell<Option<EventLoop>> = const { RefCell::new(None) };
    /// The local tasks spawned on this thread while it drives a loop: they
    /// run only while it does, and are cancelled when it stops.
    static LOCALS: RefCell<Vec<SlotRef>> = const { RefCell::new(Vec::new()) };
}

/// Panics, saying so, if this thread is already running an event loop
/// (asyncio's "cannot be called from a running event loop"): polling a
/// task, inside `run` or `run_until_complete`, or inside the backend
/// runtime's own `block_on` or tasks. A loop runs a program to its end on
/// one thread; a nested one would run the nested program's tasks on the
/// outer loop's threads, blocking a worker, or deadlock the pool.
#[track_caller]
pub(super) fn refuse_nested(what: &str) {
    let running = if task::current().is_some() {
        "it is polling a task"
    } else if DRIVING.with(|driving| driving.borrow().is_some()) {
        "it is inside `cosched::run` or `EventLoop::run_until_complete`"
    } else if backend::in_runtime() {
        "it is inside the backend runtime's own `block_on` or one of its tasks"
    } else {
        return;
    };
    panic!(
        "{what} cannot be called from a running event loop ({running}): \
         `.await` the future instead, or schedule it with `cosched::create_task`"
    );
}

/// This thread drives `event_loop` while this lives.
pub(super) struct Driving {
    previous: Option<EventLoop>,
}

impl Driving {
    pub(super) fn new(event_loop: EventLoop) -> Self {
        let previous = DRIVING.with(|driving| driving.replace(Some(event_loop)));
        Self { previous }
    }
}

impl Drop for Driving {
    fn drop(&mut self) {
        let driven = DRIVING.with(|driving| driving.replace(self.previous.take()));
        drop(driven);
        // Left by a panic of the driven future (`stop_locals` did not
        // run): cancel them; they end when this thread next drives a loop,
        // or when the backend drops them at its exit.
        let locals = LOCALS.with(|locals| std::mem::take(&mut *locals.borrow_mut()));
        for local in &locals {
            local.cancel();
        }
    }
}

/// Whether this thread drives the loop numbered `number`.
pub(crate) fn drives(number: u16) -> bool {
    DRIVING.with(|driving| {
        driving
            .borrow()
            .as_ref()
            .is_some_and(|event_loop| event_loop.number() == number)
    })
}

/// The number of the current loop (see [`with_current_loop`]), for the
/// clock; a task's loop that is gone still gives its number.
pub(crate) fn current_number() -> u16 {
    if let Some(current) = task::current() {
        return current.event_loop;
    }
    DRIVING.with(|driving| match &*driving.borrow() {
        Some(event_loop) => event_loop.number(),
        None => default_loop().number(),
    })
}

/// Whether this thread drives a loop, and so polls the local tasks spawned
/// on it.
pub(crate) fn is_driving() -> bool {
    DRIVING.with(|driving| driving.borrow().is_some())
}

/// Whether this thread drives a loop that is in debug mode.
pub(crate) fn driving_loop_is_debug() -> bool {
    DRIVING.with(|driving| driving.borrow().as_ref().is_some_and(EventLoop::is_debug))
}

/// Records a local task spawned on this thread, for [`stop_locals`]. Done
/// ones are dropped from the list as it doubles, so it stays proportional
/// to the local tasks alive.
pub(super) fn track_local(task: SlotRef) {
    LOCALS.with(|locals| {
        let mut locals = locals.borrow_mut();
        if locals.len() >= 32 && locals.len() == locals.capacity() {
            locals.retain(|local| !local.is_done());
        }
        locals.push(task);
    });
}

/// Cancels the local tasks this thread still has, and waits until each has
/// ended, while the thread still polls them: nothing polls them once it
/// leaves `run_until_complete`, and a handle awaited elsewhere would wait
/// forever.
pub(super) async fn stop_locals() {
    loop {
        let locals = LOCALS.with(|locals| std::mem::take(&mut *locals.borrow_mut()));
        if locals.is_empty() {
            return;
        }
        for local in locals.iter().filter(|local| !local.is_done()) {
            local.cancel();
        }
        // Each ends at its next poll, which this thread's executor gives it
        // as this future yields (a cancellation drops a future: it cannot
        // wait).
        while locals.iter().any(|local| !local.is_done()) {
            crate::yield_now().await;
        }
    }
}

/// Calls `f` with the current loop: the loop of the task being polled on
/// this thread, else the loop this thread is running, else the process's
/// default loop.
#[inline]
pub(crate) fn with_current_loop<R>(f: impl FnOnce(&EventLoop) -> R) -> R {
    let mut f = Some(f);
    if let Some(current) = task::current() {
        let cached = TASK_LOOP.with(|cached| {
            cached
                .borrow()
                .as_ref()
                .is_some_and(|event_loop| event_loop.number() == current.event_loop)
        });
        if !cached {
            cache_task_loop(current.event_loop);
        }
        // `f` only creates tasks or reads the table, and may run a
        // destructor that does the same: it may borrow the cell again, but
        // never mutably.
        let done = TASK_LOOP.with(|cached| {
            cached
                .borrow()
                .as_ref()
                .filter(|event_loop| event_loop.number() == current.event_loop)
                .map(|event_loop| (f.take().expect("f is called once"))(event_loop))
        });
        if let Some(result) = done {
            return result;
        }
    }
    let f = f.take().expect("f is called once");
    DRIVING.with(|driving| match &*driving.borrow() {
        Some(event_loop) => f(event_loop),
        None => f(default_loop()),
    })
}

/// Caches the loop numbered `number` in `TASK_LOOP`; `None` if its task
/// outlived it, whose nested tasks then go to the thread's or the default
/// loop.
#[cold]
fn cache_task_loop(number: u16) {
    let found = EventLoop::find(number);
    let replaced = TASK_LOOP.with(|cached| match cached.try_borrow_mut() {
        Ok(mut cached) => std::mem::replace(&mut *cached, found),
        // Borrowed by an outer `with_current_loop` (a destructor creating
        // a task of another loop): leave the cache as it is.
        Err(_) => found,
    });
    // A loop's last reference may go here: not while the cell is borrowed.
    drop(replaced);
}

pub(super) fn default_loop() -> &'static EventLoop {
    static DEFAULT: OnceLock<EventLoop> = OnceLock::new();
    DEFAULT.get_or_init(EventLoop::new)
}
