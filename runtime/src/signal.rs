//! Debug mode's `kill -USR1 <pid>`: the dump of every live loop, through
//! the report hook, without stopping the program (what Go's `SIGQUIT` and
//! the JVM's thread dump give their users).
//!
//! A signal handler may only do async-signal-safe work: no lock, no
//! allocation, so no dump. signal-hook's handler writes a byte to a pipe;
//! a thread of ours waits on the other end and makes the dump. The handler
//! and the thread are installed once, the first time debug mode is turned
//! on, and kept for the process's lifetime: a program that never uses
//! debug mode has neither, and `SIGUSR1` keeps its default action.

use std::sync::Once;

use signal_hook::consts::SIGUSR1;
use signal_hook::iterator::Signals;

use crate::event_loop::EventLoop;
use crate::report::{self, Report};

/// Installs the `SIGUSR1` handler and its thread, once; a no-op after the
/// first call. If either cannot be made (no file descriptor left for the
/// pipe, no thread), debug mode goes on without it, and says so once.
pub(crate) fn install() {
    static INSTALLED: Once = Once::new();
    INSTALLED.call_once(|| {
        if let Err(error) = try_install() {
            eprintln!("cosched: debug mode's SIGUSR1 dump is not available: {error}");
        }
    });
}

fn try_install() -> std::io::Result<()> {
    let mut signals = Signals::new([SIGUSR1])?;
    std::thread::Builder::new()
        .name("cosched-sigusr1".into())
        .spawn(move || {
            for _ in signals.forever() {
                report::emit(&Report::Dump { loops: dump_all() });
            }
        })?;
    Ok(())
}

/// The dump of every live loop, oldest first.
fn dump_all() -> Vec<crate::Dump> {
    EventLoop::live().iter().map(EventLoop::dump).collect()
}
