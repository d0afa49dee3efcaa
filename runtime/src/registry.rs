//! The task table: where the shared part of every task lives.
//!
//! A task's shared state ([`Slot`]: its id, loop, name, state bits and the
//! waker of its last suspension) sits in a slot of one process-wide table
//! rather than in an allocation of its own, so spawning a task allocates
//! once, in the backend, as a raw spawn does. A handle to a task
//! ([`Header`]) is its slot's number, and counts as one reference to the
//! slot; the slot is reused once the last one is gone. Handles name no loop,
//! so making and dropping them touches no count that every thread shares.
//!
//! The table is a fixed array of lazily made chunks, so a slot never moves
//! and is read without a lock. Free slot numbers are kept in shards, chosen
//! by task id, each behind its own mutex: consecutive tasks take numbers
//! from different shards, so threads spawning at once rarely meet on one
//! lock, and no lock is global. Chunks are kept for the process's lifetime:
//! it holds on to the slots of the most tasks it ever had alive at once.
//!
//! [`Header`]: crate::header::Header

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU8, AtomicU16, AtomicU32, AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard, OnceLock, PoisonError};
use std::task::Waker;

use crate::coroutine::TaskMeta;
use crate::header::{Name, RETIRED};

/// Free-list shards.
const SHARDS: usize = 32;
/// Slots per chunk (a power of two).
const CHUNK: usize = 4096;
/// Chunks in the table: 4096 × 16384 = 64M tasks alive at once.
const CHUNKS: usize = 16384;

/// The shared part of one task. See [`crate::header`] for the state bits.
#[derive(Debug)]
pub(crate) struct Slot {
    /// Handles to this slot; 0 when it is free.
    refs: AtomicU32,
    pub(crate) state: AtomicU8,
    /// The task's name was given in full, and its shard keeps it.
    given: AtomicBool,
    /// The number of the task's loop (see `EventLoop::number`).
    event_loop: AtomicU16,
    id: AtomicU64,
    pub(crate) shared: Mutex<Shared>,
}

/// The parts of a slot that are not a word: written when a task takes the
/// slot (its name) or suspends (its waker).
#[derive(Debug)]
pub(crate) struct Shared {
    /// The task's name prefix, or `None` for a name given in full, which
    /// its shard keeps (few tasks have one, and every slot pays for this).
    pub(crate) prefix: Option<&'static TaskMeta>,
    pub(crate) waker: Option<Waker>,
}

impl Slot {
    fn new() -> Self {
        Self {
            refs: AtomicU32::new(0),
            state: AtomicU8::new(0),
            given: AtomicBool::new(false),
            event_loop: AtomicU16::new(0),
            id: AtomicU64::new(0),
            shared: Mutex::new(Shared {
                prefix: None,
                waker: None,
            }),
        }
    }

    pub(crate) fn id(&self) -> u64 {
        self.id.load(Ordering::Relaxed)
    }

    pub(crate) fn loop_number(&self) -> u16 {
        self.event_loop.load(Ordering::Relaxed)
    }

    pub(crate) fn lock(&self) -> MutexGuard<'_, Shared> {
        // Nothing panics while the lock is held, but a poisoned lock is no
        // reason to lose a cancellation either.
        self.shared.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Adds a handle; the caller holds one already.
    pub(crate) fn acquire(&self) {
        // Like `Arc`: more handles than `u32::MAX` would each take memory.
        self.refs.fetch_add(1, Ordering::Relaxed);
    }

    /// Adds a handle unless the slot is free (for a snapshot, which holds
    /// none).
    fn try_acquire(&self) -> bool {
        self.refs
            .fetch_update(Ordering::Acquire, Ordering::Relaxed, |refs| {
                (refs != 0).then(|| refs + 1)
            })
            .is_ok()
    }

    /// Drops a handle; true if it was the last.
    fn release(&self) -> bool {
        if self.refs.fetch_sub(1, Ordering::Release) != 1 {
            return false;
        }
        // Pairs with the releases above: every handle's last use of the
        // slot happens before it is reset.
        self.refs.load(Ordering::Acquire);
        true
    }
}

#[derive(Debug)]
pub(crate) struct Registry {
    chunks: Box<[OnceLock<Box<[Slot]>>]>,
    shards: Box<[Mutex<Shard>]>,
}

#[derive(Debug, Default)]
struct Shard {
    /// Free slot numbers, reused last-freed first.
    vacant: Vec<u32>,
    /// The names given in full of the tasks in this shard's slots.
    given: HashMap<u32, Box<str>>,
    /// Slot numbers never used so far: this shard's are `shard + SHARDS * k`.
    fresh: u32,
}

/// The process's task table.
pub(crate) fn table() -> &'static Registry {
    static TABLE: OnceLock<Registry> = OnceLock::new();
    TABLE.get_or_init(Registry::new)
}

impl Registry {
    fn new() -> Self {
        Self {
            chunks: (0..CHUNKS).map(|_| OnceLock::new()).collect(),
            shards: (0..SHARDS).map(|_| Mutex::default()).collect(),
        }
    }

    /// The slot with number `index`, which a handle holds.
    pub(crate) fn slot(&self, index: u32) -> &Slot {
        let index = index as usize;
        let chunk = self.chunks[index / CHUNK]
            .get()
            .expect("cosched: a handle's slot is in a chunk that exists");
        &chunk[index % CHUNK]
    }

    /// Takes a free slot for a new task with `id` of the loop numbered
    /// `event_loop`, with `refs` handles and `state`.
    ///
    /// # Panics
    ///
    /// If the process already has 64M tasks alive (each taking at least a
    /// hundred bytes), as `Vec` does when its capacity overflows.
    pub(crate) fn insert(&self, event_loop: u16, id: u64, name: Name, state: u8, refs: u32) -> u32 {
        // Truncation is the point: the low bits pick the shard.
        #[allow(clippy::cast_possible_truncation)]
        let shard = id as usize % SHARDS;
        let (prefix, given) = match name {
            Name::Prefix(meta) => (Some(meta), None),
            Name::Given(name) => (None, Some(name)),
        };
        let index = {
            let mut free = lock(&self.shards[shard]);
            let index = if let Some(index) = free.vacant.pop() {
                index
            } else {
                let index = shard + SHARDS * free.fresh as usize;
                assert!(
                    index < CHUNK * CHUNKS,
                    "cosched: at most {} tasks can be alive at once",
                    CHUNK * CHUNKS
                );
                #[allow(clippy::cast_possible_truncation)] // < 2^24
                let index = index as u32;
                free.fresh += 1;
                index
            };
            if let Some(given) = given {
                free.given.insert(index, given);
            }
            index
        };
        let slot = self.chunks[index as usize / CHUNK]
            .get_or_init(|| (0..CHUNK).map(|_| Slot::new()).collect());
        let slot = &slot[index as usize % CHUNK];
        slot.id.store(id, Ordering::Relaxed);
        slot.state.store(state, Ordering::Relaxed);
        slot.given.store(prefix.is_none(), Ordering::Relaxed);
        slot.event_loop.store(event_loop, Ordering::Relaxed);
        slot.lock().prefix = prefix;
        // Publishes the writes above to whoever acquires the slot next.
        slot.refs.store(refs, Ordering::Release);
        index
    }

    /// Drops a handle to slot `index`, and frees the slot with the last.
    pub(crate) fn release(&self, index: u32) {
        let slot = self.slot(index);
        if !slot.release() {
            return;
        }
        // The slot keeps its prefix (a `&'static`) until it is reused, and
        // holds no waker: a task drops its waker when it finishes, which
        // it does before its `Running` future lets go of the slot.
        let given = {
            let mut free = lock(&self.shards[index as usize % SHARDS]);
            free.vacant.push(index);
            if slot.given.load(Ordering::Relaxed) {
                free.given.remove(&index)
            } else {
                None
            }
        };
        drop(given);
    }

    /// The name given in full to the task in slot `index`, if it has one.
    pub(crate) fn given_name(&self, index: u32) -> Option<String> {
        let free = lock(&self.shards[index as usize % SHARDS]);
        free.given.get(&index).map(ToString::to_string)
    }

    /// Handles to the live tasks of the loop numbered `event_loop`, in no
    /// particular order; `f` makes one of a slot number whose reference
    /// this has taken.
    pub(crate) fn snapshot<H>(&self, event_loop: u16, mut f: impl FnMut(u32) -> H) -> Vec<H> {
        let mut live = Vec::new();
        for (c, chunk) in self.chunks.iter().enumerate() {
            let Some(chunk) = chunk.get() else {
                // Chunks are made in order of slot number.
                break;
            };
            for (i, slot) in chunk.iter().enumerate() {
                if slot.refs.load(Ordering::Relaxed) != 0
                    && slot.event_loop.load(Ordering::Relaxed) == event_loop
                    && slot.try_acquire()
                {
                    // Held now, the slot cannot change hands: check again.
                    let index = u32::try_from(c * CHUNK + i).expect("slot numbers fit a u32");
                    if slot.state.load(Ordering::Acquire) & RETIRED == 0
                        && slot.event_loop.load(Ordering::Relaxed) == event_loop
                    {
                        live.push(f(index));
                    } else {
                        self.release(index);
                    }
                }
            }
        }
        live
    }

    /// Whether the loop numbered `event_loop` has no task's future left,
    /// not even to be dropped. (It reads every slot in use so far: `run()`
    /// asks only while shutting down.)
    pub(crate) fn is_empty(&self, event_loop: u16) -> bool {
        self.chunks
            .iter()
            .map_while(OnceLock::get)
            .flat_map(|chunk| chunk.iter())
            .all(|slot| {
                slot.refs.load(Ordering::Acquire) == 0
                    || slot.state.load(Ordering::Acquire) & RETIRED != 0
                    || slot.event_loop.load(Ordering::Relaxed) != event_loop
            })
    }
}

fn lock(shard: &Mutex<Shard>) -> MutexGuard<'_, Shard> {
    // Nothing panics while a shard is locked.
    shard.lock().unwrap_or_else(PoisonError::into_inner)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every task pays for one slot: keep it at six words on 64-bit
    /// targets (the waker two, the name prefix one, their mutex one, the id
    /// one; the reference count, state, loop and a flag one).
    #[test]
    #[cfg(target_pointer_width = "64")]
    fn a_slot_is_six_words() {
        assert_eq!(std::mem::size_of::<Slot>(), 48);
    }
}
