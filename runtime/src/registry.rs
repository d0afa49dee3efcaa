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
    /// One pointer per slot (`None` is the null niche: no tag).
    entries: Vec<Option<Arc<Header>>>,
    /// The vacant slots, reused last-freed first.
    vacant: Vec<u32>,
    len: usize,
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

    /// Adds a task, and records in its header the slot to remove it by.
    pub(crate) fn insert(&self, header: &Arc<Header>) {
        let mut slab = self.shard(header.id());
        slab.len += 1;
        let slot = if let Some(slot) = slab.vacant.pop() {
            slab.entries[slot as usize] = Some(Arc::clone(header));
            slot
        } else {
            slab.entries.push(Some(Arc::clone(header)));
            // 2^32 live tasks in one of 32 shards would take terabytes.
            u32::try_from(slab.entries.len() - 1).expect("cosched: registry shard overflow")
        };
        header.set_slot(slot);
    }

    pub(crate) fn remove(&self, id: TaskId, slot: u32) {
        let removed = {
            let mut slab = self.shard(id);
            let removed = slab.entries.get_mut(slot as usize).and_then(Option::take);
            if removed.is_some() {
                slab.vacant.push(slot);
                slab.len -= 1;
            }
            removed
        };
        // The header's last reference may go here: drop it unlocked.
        drop(removed);
    }

    /// The live tasks, in no particular order.
    pub(crate) fn snapshot(&self) -> Vec<Arc<Header>> {
        let mut live = Vec::new();
        for shard in &self.shards {
            let slab = shard.lock().unwrap_or_else(PoisonError::into_inner);
            live.extend(slab.entries.iter().flatten().cloned());
        }
        live
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.shards
            .iter()
            .all(|shard| shard.lock().unwrap_or_else(PoisonError::into_inner).len == 0)
    }
}
