//! What a task is called and where it came from: its coroutine's name
//! prefix numbered by its id (`Task-7`, `indication-8`), formatted only
//! when asked, or a name given in full; and the line of the user's code
//! that scheduled it.

use std::borrow::Cow;
use std::cell::Cell;
use std::collections::HashMap;
use std::panic::Location;
use std::sync::{Mutex, PoisonError};

use crate::task::TaskMeta;

/// Where a task is being scheduled from, and the name it is given, if
/// any: what every scheduling call hands down to the spawn. Made by the
/// public entry points, which are `#[track_caller]`, so `site` is the
/// user's line (for a `schedule!`, the macro's).
#[doc(hidden)]
#[cfg_attr(loom, allow(unreachable_pub))] // the traits that take it are not built
#[derive(Debug, Clone)]
pub struct Origin {
    pub(crate) name: Option<Cow<'static, str>>,
    pub(crate) site: &'static Location<'static>,
    /// Run it at once, on the caller's thread, until it first suspends
    /// (`Builder::eager`).
    pub(crate) eager: bool,
}

impl Origin {
    /// An origin at the caller's caller (through `#[track_caller]`s), with
    /// no name given.
    #[inline]
    #[track_caller]
    pub(crate) fn here() -> Self {
        Self {
            name: None,
            site: Location::caller(),
            eager: false,
        }
    }

    /// An origin at `site`, with no name given: what a spawn builds inside
    /// the closure it hands `with_current_loop`, which then captures one
    /// pointer rather than a whole `Origin`.
    #[inline]
    pub(crate) fn at(site: &'static Location<'static>) -> Self {
        Self {
            name: None,
            site,
            eager: false,
        }
    }

    /// An origin at the caller's caller, with `name` given (or none).
    #[inline]
    #[track_caller]
    pub(crate) fn named(name: Option<Cow<'static, str>>) -> Self {
        Self {
            name,
            site: Location::caller(),
            eager: false,
        }
    }
}

/// A new task's name and spawn site.
#[derive(Debug)]
pub(crate) struct Name {
    pub(crate) meta: &'static TaskMeta,
    pub(crate) given: Option<Box<str>>,
    pub(crate) site: &'static Location<'static>,
    pub(crate) eager: bool,
}

impl Name {
    #[inline]
    pub(crate) fn new(meta: &'static TaskMeta, origin: Origin) -> Self {
        Self {
            meta,
            given: origin.name.map(Into::into),
            site: origin.site,
            eager: origin.eager,
        }
    }

    /// Whether the task is spawned from a plain future under the default
    /// name: only then may its future be a `#[task]` coroutine that names
    /// it at its first poll (see `poll::naming`). A spawn that knows its
    /// `TaskMeta` (`.spawn()`, a wrapper of cosched's) has nothing to learn.
    #[cfg(not(loom))] // no spawns under loom
    #[inline]
    pub(crate) fn is_plain(&self) -> bool {
        self.given.is_none() && crate::coroutine::is_plain(self.meta)
    }
}

/// Where tasks come from, by number, so that the table keeps four bytes a
/// slot for a task's name prefix *and* its spawn site (one number for the
/// pair) rather than two pointers: introspection costs a spawn nothing
/// more than the name prefix did. A number is given to each pair of a
/// `TaskMeta` (each `#[task]` fn, and the one for plain futures) and a
/// scheduling call site the first time a task comes from there, and kept
/// for the process's lifetime (a program has as many as it has lines
/// that schedule tasks); each thread remembers the last pair it looked up,
/// so a spawn rarely takes the lock.
pub(crate) mod sites {
    use super::{Cell, HashMap, Location, Mutex, PoisonError, TaskMeta};

    /// A task's name prefix and spawn site.
    #[derive(Debug, Clone, Copy)]
    pub(crate) struct Site {
        pub(crate) meta: &'static TaskMeta,
        pub(crate) at: &'static Location<'static>,
    }

    #[derive(Default)]
    struct Sites {
        list: Vec<Site>,
        /// By `TaskMeta` address and location (by value: one call site may
        /// have a `Location` in more than one codegen unit).
        numbers: HashMap<(usize, Location<'static>), u32>,
    }

    static SITES: Mutex<Option<Sites>> = Mutex::new(None);

    thread_local! {
        /// The last pair this thread looked up, by addresses, and its number.
        static LAST: Cell<(usize, usize, u32)> = const { Cell::new((0, 0, 0)) };
    }

    /// The number of the pair `meta`, `at`.
    #[inline]
    pub(crate) fn number(meta: &'static TaskMeta, at: &'static Location<'static>) -> u32 {
        let key = (
            std::ptr::from_ref(meta).addr(),
            std::ptr::from_ref(at).addr(),
        );
        let (meta_address, at_address, number) = LAST.get();
        if (meta_address, at_address) == key {
            return number;
        }
        look_up(meta, at, key)
    }

    #[cold]
    fn look_up(
        meta: &'static TaskMeta,
        at: &'static Location<'static>,
        key: (usize, usize),
    ) -> u32 {
        // Nothing panics while the lock is held.
        let mut sites = SITES.lock().unwrap_or_else(PoisonError::into_inner);
        let sites = sites.get_or_insert_with(Sites::default);
        let next = u32::try_from(sites.list.len()).unwrap_or(u32::MAX);
        let number = *sites.numbers.entry((key.0, *at)).or_insert(next);
        if number == next {
            assert!(
                number != u32::MAX,
                "cosched: more than 2^32 - 1 task origins"
            );
            sites.list.push(Site { meta, at });
        }
        LAST.set((key.0, key.1, number));
        number
    }

    thread_local! {
        /// The last renaming this thread looked up: from which number (and
        /// that number's `TaskMeta`, by address), to which `TaskMeta` (by
        /// address), and the number it gave.
        static LAST_RENAMED: Cell<(u32, usize, usize, u32)> = const { Cell::new((u32::MAX, 0, 0, 0)) };
    }

    /// The number of the pair numbered `number` with its `TaskMeta`
    /// replaced by `meta`: `None` if (`from`) its `TaskMeta` is not `from`.
    /// What a task spawned from a plain future is renamed to when its
    /// future turns out to be a `#[task]` coroutine; a thread remembers
    /// the last, so a loop spawning the same coroutine takes no lock.
    #[inline]
    pub(crate) fn renamed(
        number: u32,
        from: Option<&'static TaskMeta>,
        meta: &'static TaskMeta,
    ) -> Option<u32> {
        let meta_address = std::ptr::from_ref(meta).addr();
        let (last_number, was, last_meta, renamed) = LAST_RENAMED.get();
        let (was, renamed) = if (last_number, last_meta) == (number, meta_address) {
            (was, renamed)
        } else {
            let site = get(number)?;
            let renamed = self::number(meta, site.at);
            let was = std::ptr::from_ref(site.meta).addr();
            LAST_RENAMED.set((number, was, meta_address, renamed));
            (was, renamed)
        };
        from.is_none_or(|from| std::ptr::from_ref(from).addr() == was)
            .then_some(renamed)
    }

    /// The pair numbered `number`.
    pub(crate) fn get(number: u32) -> Option<Site> {
        let sites = SITES.lock().unwrap_or_else(PoisonError::into_inner);
        sites.as_ref()?.list.get(number as usize).copied()
    }
}
