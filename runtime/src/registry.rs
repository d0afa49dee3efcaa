//! The task table: where the shared part of every task lives.
//!
//! A task's shared state ([`Slot`]: its id, loop, state bits and the waker
//! of its last suspension, and beside it the number of its name prefix)
//! sits in a slot of one process-wide table rather than in an allocation
//! of its own, so spawning a task allocates once, in the backend, as a raw
//! spawn does. A handle to a task ([`Header`]) is its slot's number, and
//! counts as one reference to the slot; the slot is reused once the last
//! one is gone. Handles name no loop, so making and dropping them touches
//! no count that every thread shares.
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
use std::num::NonZeroU64;
use std::sync::atomic::{AtomicU8, AtomicU16, AtomicU32, AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard, OnceLock, PoisonError};
use std::task::Waker;

use crate::header::{DONE, GIVEN_NAME, Name};
use crate::task::TaskId;

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
    /// The number of the task's loop (see `EventLoop::number`).
    event_loop: AtomicU16,
    id: AtomicU64,
    /// The waker of the task's last suspension, to deliver a cancellation.
    waker: Mutex<Option<Waker>>,
}

impl Slot {
    fn new() -> Self {
        Self {
            refs: AtomicU32::new(0),
            state: AtomicU8::new(0),
            event_loop: AtomicU16::new(0),
            id: AtomicU64::new(0),
            waker: Mutex::new(None),
        }
    }

    pub(crate) fn id(&self) -> u64 {
        self.id.load(Ordering::Relaxed)
    }

    pub(crate) fn loop_number(&self) -> u16 {
        self.event_loop.load(Ordering::Relaxed)
    }

    pub(crate) fn waker(&self) -> MutexGuard<'_, Option<Waker>> {
        // Nothing panics while the lock is held, but a poisoned lock is no
        // reason to lose a cancellation either.
        self.waker.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Adds a handle; the caller holds one already.
    pub(crate) fn acquire(&self) {
        let previous = self.refs.fetch_add(1, Ordering::Relaxed);
        if previous > u32::MAX / 2 {
            // Two billion handles to one task (8 GiB of them) means handles
            // are being leaked; as `Arc` does, stop before the count wraps
            // and a slot is reused under a live handle.
            std::process::abort();
        }
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
    chunks: Box<[OnceLock<Chunk>]>,
    shards: Box<[Mutex<Shard>]>,
}

#[derive(Debug)]
struct Chunk {
    slots: Box<[Slot]>,
    /// The name prefix of each slot's task, by number (see `prefixes`), or
    /// `prefixes::GIVEN` for a name given in full, which the slot's shard
    /// keeps: half a word beside each slot, whose own words are full.
    prefixes: Box<[AtomicU32]>,
}

impl Chunk {
    fn new() -> Self {
        Self {
            slots: (0..CHUNK).map(|_| Slot::new()).collect(),
            prefixes: (0..CHUNK)
                .map(|_| AtomicU32::new(prefixes::GIVEN))
                .collect(),
        }
    }
}

#[derive(Debug, Default)]
struct Shard {
    /// The last-freed free slot, reused first. A free slot keeps the number
    /// of the next one in its `id` (`u64::MAX` for none): freeing a slot
    /// allocates nothing.
    free: Option<u32>,
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
        &self.chunk(index).slots[index as usize % CHUNK]
    }

    fn chunk(&self, index: u32) -> &Chunk {
        self.chunks[index as usize / CHUNK]
            .get()
            .expect("cosched: a handle's slot is in a chunk that exists")
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
            Name::Prefix(meta) => (prefixes::number(meta), None),
            Name::Given(name) => (prefixes::GIVEN, Some(name)),
        };
        let index = {
            let mut free = lock(&self.shards[shard]);
            let index = if let Some(index) = free.free {
                free.free = u32::try_from(self.slot(index).id.load(Ordering::Relaxed)).ok();
                index
            } else {
                let index = shard + SHARDS * free.fresh as usize;
                assert!(
                    index < CHUNK * CHUNKS,
                    "cosched: at most {} tasks can be alive at once",
                    CHUNK * CHUNKS
                );
                #[allow(clippy::cast_possible_truncation)] // < 2^26
                let index = index as u32;
                free.fresh += 1;
                index
            };
            if let Some(given) = given {
                free.given.insert(index, given);
            }
            index
        };
        let chunk = self.chunks[index as usize / CHUNK].get_or_init(Chunk::new);
        let slot = &chunk.slots[index as usize % CHUNK];
        chunk.prefixes[index as usize % CHUNK].store(prefix, Ordering::Relaxed);
        slot.id.store(id, Ordering::Relaxed);
        let given = if prefix == prefixes::GIVEN {
            GIVEN_NAME
        } else {
            0
        };
        slot.state.store(state | given, Ordering::Relaxed);
        slot.event_loop.store(event_loop, Ordering::Relaxed);
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
        // The slot holds no waker: a task drops its waker when it finishes,
        // which it does before its `Running` future lets go of the slot.
        let given = slot.state.load(Ordering::Relaxed) & GIVEN_NAME != 0;
        let given = {
            let mut free = lock(&self.shards[index as usize % SHARDS]);
            let next = free.free.map_or(u64::MAX, u64::from);
            slot.id.store(next, Ordering::Relaxed);
            free.free = Some(index);
            if given {
                free.given.remove(&index)
            } else {
                None
            }
        };
        drop(given);
    }

    /// The name of the task in slot `index`: the one given in full, or its
    /// prefix numbered by its id.
    pub(crate) fn name(&self, index: u32) -> String {
        let id = TaskId(NonZeroU64::new(self.slot(index).id()).unwrap_or(NonZeroU64::MAX));
        match self.prefix(index) {
            prefixes::GIVEN => lock(&self.shards[index as usize % SHARDS])
                .given
                .get(&index)
                .map(ToString::to_string)
                .unwrap_or_default(),
            number => format!("{}-{id}", prefixes::name(number)),
        }
    }

    /// The prefix number of the task in slot `index`, which a handle holds.
    fn prefix(&self, index: u32) -> u32 {
        self.chunk(index).prefixes[index as usize % CHUNK].load(Ordering::Relaxed)
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
            for (i, slot) in chunk.slots.iter().enumerate() {
                if slot.refs.load(Ordering::Relaxed) != 0
                    && slot.event_loop.load(Ordering::Relaxed) == event_loop
                    && slot.try_acquire()
                {
                    // Held now, the slot cannot change hands: check again.
                    let index = u32::try_from(c * CHUNK + i).expect("slot numbers fit a u32");
                    if slot.state.load(Ordering::Acquire) & DONE == 0
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
            .flat_map(|chunk| chunk.slots.iter())
            .all(|slot| {
                slot.refs.load(Ordering::Acquire) == 0
                    || slot.state.load(Ordering::Acquire) & DONE != 0
                    || slot.event_loop.load(Ordering::Relaxed) != event_loop
            })
    }
}

/// Name prefixes by number, so that a slot's chunk keeps four bytes for its
/// prefix rather than a pointer. A number is given to each `TaskMeta` (each
/// `#[task]` fn, and the one for plain futures) the first time one of its
/// tasks is spawned, and kept for the process's lifetime; each thread
/// remembers the last one it looked up, so a spawn rarely takes the lock.
mod prefixes {
    use std::cell::Cell;
    use std::collections::HashMap;
    use std::sync::{Mutex, PoisonError};

    use crate::coroutine::TaskMeta;

    /// The number of a name given in full (no prefix).
    pub(super) const GIVEN: u32 = u32::MAX;

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

    pub(super) fn number(meta: &'static TaskMeta) -> u32 {
        let address = std::ptr::from_ref(meta).addr();
        LAST.with(|last| {
            let (last_address, last_number) = last.get();
            if last_address == address {
                return last_number;
            }
            // Nothing panics while the lock is held.
            let mut prefixes = PREFIXES.lock().unwrap_or_else(PoisonError::into_inner);
            let prefixes = prefixes.get_or_insert_with(Prefixes::default);
            let next = u32::try_from(prefixes.metas.len()).unwrap_or(GIVEN);
            let number = *prefixes.numbers.entry(address).or_insert(next);
            if number == next {
                assert!(number != GIVEN, "cosched: more than 2^32 - 1 task names");
                prefixes.metas.push(meta);
            }
            last.set((address, number));
            number
        })
    }

    pub(super) fn name(number: u32) -> &'static str {
        let prefixes = PREFIXES.lock().unwrap_or_else(PoisonError::into_inner);
        prefixes
            .as_ref()
            .and_then(|prefixes| prefixes.metas.get(number as usize))
            .map_or("Task", |meta| meta.name())
    }
}

fn lock(shard: &Mutex<Shard>) -> MutexGuard<'_, Shard> {
    // Nothing panics while a shard is locked.
    shard.lock().unwrap_or_else(PoisonError::into_inner)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every task pays for one slot: keep it at five words on 64-bit
    /// targets (the waker two, its mutex one, the id one; the reference
    /// count, state and loop number one). Its name prefix's number costs
    /// half a word more, beside it in its chunk.
    #[test]
    #[cfg(target_pointer_width = "64")]
    fn a_slot_is_five_words() {
        assert_eq!(std::mem::size_of::<Slot>(), 40);
    }
}
