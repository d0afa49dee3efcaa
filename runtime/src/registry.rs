//! Each loop's set of live tasks, for `all_tasks()` and for `run()`'s
//! shutdown.
//!
//! A task enters when it is created and leaves when the backend drops its
//! future. The set is split into shards, chosen by task id, each a small
//! slab behind its own mutex: consecutive tasks land in different shards, so
//! threads spawning and finishing tasks at once rarely meet on one lock, and
//! no lock is global.

use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use crate::header::Header;
use crate::task::TaskId;

const SHARDS: usize = 32;

#[derive(Debug)]
pub(crate) struct Registry {
    shards: Box<[Mutex<Slab>]>,
}

#[derive(Debug, Default)]
struct Slab {
    entries: Vec<Entry>,
    /// Head of the list of vacant entries, threaded through them.
    vacant: Option<usize>,
    len: usize,
}

#[derive(Debug)]
enum Entry {
    Occupied(Arc<Header>),
    Vacant(Option<usize>),
}

impl Registry {
    pub(crate) fn new() -> Self {
        Self {
            shards: (0..SHARDS).map(|_| Mutex::default()).collect(),
        }
    }

    fn shard(&self, id: TaskId) -> MutexGuard<'_, Slab> {
        // Truncation is the point: the low bits pick the shard.
        #[allow(clippy::cast_possible_truncation)]
        let index = id.as_u64() as usize % SHARDS;
        // Nothing panics while a shard is locked.
        self.shards[index]
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    /// Adds a task; returns the slot to remove it by.
    pub(crate) fn insert(&self, header: Arc<Header>) -> usize {
        let mut slab = self.shard(header.id());
        slab.len += 1;
        if let Some(slot) = slab.vacant {
            let next = match &slab.entries[slot] {
                Entry::Vacant(next) => *next,
                Entry::Occupied(_) => None,
            };
            slab.vacant = next;
            slab.entries[slot] = Entry::Occupied(header);
            slot
        } else {
            slab.entries.push(Entry::Occupied(header));
            slab.entries.len() - 1
        }
    }

    pub(crate) fn remove(&self, id: TaskId, slot: usize) {
        let removed = {
            let mut slab = self.shard(id);
            let vacant = slab.vacant;
            match slab.entries.get_mut(slot) {
                Some(entry @ Entry::Occupied(_)) => {
                    let removed = std::mem::replace(entry, Entry::Vacant(vacant));
                    slab.vacant = Some(slot);
                    slab.len -= 1;
                    Some(removed)
                }
                _ => None,
            }
        };
        // The header's last reference may go here: drop it unlocked.
        drop(removed);
    }

    /// The live tasks, in no particular order.
    pub(crate) fn snapshot(&self) -> Vec<Arc<Header>> {
        let mut live = Vec::new();
        for shard in &self.shards {
            let slab = shard.lock().unwrap_or_else(PoisonError::into_inner);
            live.extend(slab.entries.iter().filter_map(|entry| match entry {
                Entry::Occupied(header) => Some(Arc::clone(header)),
                Entry::Vacant(_) => None,
            }));
        }
        live
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.shards
            .iter()
            .all(|shard| shard.lock().unwrap_or_else(PoisonError::into_inner).len == 0)
    }
}
