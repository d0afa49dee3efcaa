//! What a task is called: its coroutine's name prefix numbered by its id
//! (`Task-7`, `indication-8`), formatted only when asked, or a name given
//! in full.

use std::borrow::Cow;
use std::cell::Cell;
use std::collections::HashMap;
use std::sync::{Mutex, PoisonError};

use crate::task::TaskMeta;

/// A new task's name.
#[derive(Debug)]
pub(crate) enum Name {
    Prefix(&'static TaskMeta),
    Given(Box<str>),
}

impl Name {
    #[inline]
    pub(crate) fn new(meta: &'static TaskMeta, given: Option<Cow<'static, str>>) -> Self {
        match given {
            None => Self::Prefix(meta),
            Some(name) => Self::Given(name.into()),
        }
    }
}

/// Name prefixes by number, so that the table keeps four bytes a slot for
/// a prefix rather than a pointer. A number is given to each `TaskMeta`
/// (each `#[task]` fn, and the one for plain futures) the first time one
/// of its tasks is spawned, and kept for the process's lifetime; each
/// thread remembers the last one it looked up, so a spawn rarely takes the
/// lock.
pub(crate) mod prefixes {
    use super::{Cell, HashMap, Mutex, PoisonError, TaskMeta};

    /// The number of a name given in full (no prefix).
    pub(crate) const GIVEN: u32 = u32::MAX;

    #[derive(Default)]
    struct Prefixes {
        metas: Vec<&'static TaskMeta>,
        numbers: HashMap<usize, u32>,
    }

    static PREFIXES: Mutex<Option<Prefixes>> = Mutex::new(None);

    thread_local! {
        /// The last `TaskMeta` this thread looked up, by address.
        static LAST: Cell<(usize, u32)> = const { Cell::new((0, 0)) };
    }

    /// The number of `meta`'s prefix.
    #[inline]
    pub(crate) fn number(meta: &'static TaskMeta) -> u32 {
        let address = std::ptr::from_ref(meta).addr();
        let (last_address, last_number) = LAST.get();
        if last_address == address {
            return last_number;
        }
        look_up(meta, address)
    }

    #[cold]
    fn look_up(meta: &'static TaskMeta, address: usize) -> u32 {
        // Nothing panics while the lock is held.
        let mut prefixes = PREFIXES.lock().unwrap_or_else(PoisonError::into_inner);
        let prefixes = prefixes.get_or_insert_with(Prefixes::default);
        let next = u32::try_from(prefixes.metas.len()).unwrap_or(GIVEN);
        let number = *prefixes.numbers.entry(address).or_insert(next);
        if number == next {
            assert!(number != GIVEN, "cosched: more than 2^32 - 1 task names");
            prefixes.metas.push(meta);
        }
        LAST.set((address, number));
        number
    }

    /// The prefix numbered `number`.
    pub(crate) fn name(number: u32) -> &'static str {
        let prefixes = PREFIXES.lock().unwrap_or_else(PoisonError::into_inner);
        prefixes
            .as_ref()
            .and_then(|prefixes| prefixes.metas.get(number as usize))
            .map_or("Task", |meta| meta.name())
    }
}
