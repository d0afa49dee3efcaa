//! The task table: where the shared part of every task lives.
//!
//! A task's shared state ([`Slot`]: its id, loop and state bits, two
//! words; beside it in its chunk the number of its name prefix and, once a
//! task of the chunk has suspended, the waker of its last suspension)
//! sits in a slot of one process-wide table rather than in an allocation
//! of its own, so spawning a task allocates once, in the backend, as a raw
//! spawn does. A handle to a task ([`Header`]) is its slot's number, and
//! counts as one reference to the slot. The task's own future holds the
//! slot too, uncounted, until it sets `DONE`: the slot is reused once it is
//! done and the last handle is gone. Handles name no loop, so making and
//! dropping them touches no count that every thread shares.
//!
//! A slot's reference count, state bits and loop number share one atomic
//! word, so that a task finishing and letting go of its slot is one atomic
//! operation, and deciding which of the task and its last handle frees the
//! slot needs no lock.
//!
//! The table is a fixed array of lazily made chunks, so a slot never moves
//! and is read without a lock. Free slot numbers are kept in shards, chosen
//! by task id, each a lock-free stack threaded through the free slots
//! themselves: consecutive tasks take numbers from different shards, so
//! threads spawning at once rarely meet on one stack. Chunks are kept for
//! the process's lifetime: it holds on to the slots of the most tasks it
//! ever had alive at once.
//!
//! [`Header`]: crate::header::Header

use std::collections::BTreeMap;
use std::num::NonZeroU64;
use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};
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
/// Chunks per group: the table is a static array of lazily made groups of
/// lazily made chunks (a static array of all 16384 chunks' cells would add
/// 640 KiB to every binary).
const GROUP: usize = 128;
/// Groups in the table.
const GROUPS: usize = CHUNKS / GROUP;
/// No slot: the end of a free list.
const NO_SLOT: u32 = u32::MAX;
/// Set in a slot's `id` once its task has been polled (ids stay below 2^63:
/// one per nanosecond for 292 years).
const STARTED_ID: u64 = 1 << 63;

/// Where the parts of a slot's `word` are: the reference count in the low
/// 32 bits, the state bits (see [`crate::header`]) in the next 8, the loop
/// number in the top 16.
const REFS: u64 = 0xFFFF_FFFF;
const STATE_SHIFT: u32 = 32;
const LOOP_SHIFT: u32 = 48;

/// The word of a slot that is free, or was never used: no handle, `DONE`.
const FREE: u64 = (DONE as u64) << STATE_SHIFT;

/// The shared part of one task. See [`crate::header`] for the state bits.
#[derive(Debug)]
pub(crate) struct Slot {
    /// The handles to this slot (low 32 bits), its state bits and its
    /// task's loop number (see `EventLoop::number`): see `REFS`. A slot is
    /// free once `DONE` is set and no handle is left.
    word: AtomicU64,
    /// The task's id; in a free slot, the number of the next free slot of
    /// its shard (`NO_SLOT` for none).
    id: AtomicU64,
}

/// The state bits of a slot's word.
#[inline]
#[allow(clippy::cast_possible_truncation)] // the point: bits 32..40
pub(crate) const fn state_of(word: u64) -> u8 {
    (word >> STATE_SHIFT) as u8
}

/// Bits to `fetch_or` into a slot's word to set state bits `state`.
#[inline]
pub(crate) const fn state_bits(state: u8) -> u64 {
    (state as u64) << STATE_SHIFT
}

impl Slot {
    const fn new() -> Self {
        Self {
            word: AtomicU64::new(FREE),
            id: AtomicU64::new(0),
        }
    }

    #[inline]
    pub(crate) fn id(&self) -> u64 {
        self.id.load(Ordering::Relaxed) & !STARTED_ID
    }

    /// Whether the task has been polled (see `mark_started`).
    #[inline]
    pub(crate) fn started(&self) -> bool {
        self.id.load(Ordering::Relaxed) & STARTED_ID != 0
    }

    /// Records that the task has been polled, in the top bit of its id:
    /// only its task writes the id while it lives, so a plain store does,
    /// with no locked instruction on the worker's first touch of the slot.
    #[inline]
    pub(crate) fn mark_started(&self) {
        let id = self.id.load(Ordering::Relaxed);
        self.id.store(id | STARTED_ID, Ordering::Relaxed);
    }

    #[inline]
    pub(crate) fn loop_number(&self) -> u16 {
        // Truncation is the point: the top 16 bits.
        #[allow(clippy::cast_possible_truncation)]
        let number = (self.word.load(Ordering::Relaxed) >> LOOP_SHIFT) as u16;
        number
    }

    /// The state bits.
    #[inline]
    pub(crate) fn state(&self) -> u8 {
        state_of(self.word.load(Ordering::Acquire))
    }

    /// Sets state bits `state`; returns the state before.
    #[inline]
    pub(crate) fn set(&self, state: u8) -> u8 {
        state_of(self.word.fetch_or(state_bits(state), Ordering::AcqRel))
    }

    /// Sets state bits `state`, which are clear and which no other thread
    /// sets (the task's own bits, such as `WAKER`); returns the state
    /// before. (An add of bits known to be clear is an or, and on x86 one
    /// `lock xadd` rather than a compare-and-swap loop.)
    #[inline]
    pub(crate) fn set_own(&self, state: u8) -> u8 {
        state_of(self.word.fetch_add(state_bits(state), Ordering::AcqRel))
    }

    /// Adds a handle; the caller holds one already, or is the slot's task.
    #[inline]
    pub(crate) fn acquire(&self) {
        let previous = self.word.fetch_add(1, Ordering::Relaxed);
        if previous & REFS > u64::from(u32::MAX / 2) {
            // Two billion handles to one task (8 GiB of them) means handles
            // are being leaked; as `Arc` does, stop before the count wraps
            // and a slot is reused under a live handle.
            std::process::abort();
        }
    }

    /// Adds a handle to the task of `event_loop` in this slot unless it is
    /// done or free (for a snapshot, which holds none).
    fn try_acquire(&self, event_loop: u16) -> bool {
        self.word
            .fetch_update(Ordering::Acquire, Ordering::Relaxed, |word| {
                (state_of(word) & DONE == 0 && word >> LOOP_SHIFT == u64::from(event_loop))
                    .then_some(word + 1)
            })
            .is_ok()
    }
}

/// The process's task table.
#[derive(Debug)]
pub(crate) struct Registry {
    groups: [OnceLock<Box<Group>>; GROUPS],
    shards: [Shard; SHARDS],
}

type Group = [OnceLock<Chunk>; GROUP];

#[derive(Debug)]
struct Chunk {
    slots: Box<[Slot; CHUNK]>,
    /// The name prefix of each slot's task, by number (see `prefixes`), or
    /// `prefixes::GIVEN` for a name given in full, which the slot's shard
    /// keeps: half a word beside each slot, whose own words are full.
    prefixes: Box<[AtomicU32; CHUNK]>,
    /// The waker of each slot's task's last suspension, to deliver a
    /// cancellation: made when a task of the chunk first suspends (or is
    /// cancelled), so that a chunk whose tasks never wait has none, and
    /// the slots that every task touches are two words, four to a cache
    /// line.
    wakers: OnceLock<Box<[Mutex<Option<Waker>>; CHUNK]>>,
}

impl Chunk {
    fn new() -> Self {
        let slots: Box<[Slot]> = (0..CHUNK).map(|_| Slot::new()).collect();
        let prefixes: Box<[AtomicU32]> = (0..CHUNK)
            .map(|_| AtomicU32::new(prefixes::GIVEN))
            .collect();
        Self {
            slots: slots.try_into().expect("CHUNK slots"),
            prefixes: prefixes.try_into().expect("CHUNK prefixes"),
            wakers: OnceLock::new(),
        }
    }
}

/// A free list, on a cache line of its own.
#[derive(Debug)]
#[repr(align(64))]
struct Shard {
    /// The last-freed free slot's number (low 32 bits; `NO_SLOT` for none),
    /// reused first, and a count of the changes to the list (high 32 bits),
    /// so that a slot taken and given back between a taker's read and its
    /// swap does not pass for the same list. A free slot keeps the number
    /// of the next one in its `id`: freeing a slot allocates nothing.
    free: AtomicU64,
    /// Slot numbers never used so far: this shard's are `shard + SHARDS * k`.
    fresh: AtomicU32,
    /// The names given in full of the tasks in this shard's slots.
    given: Mutex<BTreeMap<u32, Box<str>>>,
}

impl Shard {
    const fn new() -> Self {
        Self {
            free: AtomicU64::new(NO_SLOT as u64),
            fresh: AtomicU32::new(0),
            given: Mutex::new(BTreeMap::new()),
        }
    }

    fn given(&self) -> MutexGuard<'_, BTreeMap<u32, Box<str>>> {
        // Nothing panics while the lock is held.
        self.given.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Drops the name given in full to the task in slot `index`, which is
    /// being freed.
    #[cold]
    fn forget_name(&self, index: u32) {
        let given = self.given().remove(&index);
        drop(given);
    }
}

/// The free list head `free` with slot `index` on top, one change later.
#[inline]
fn next_head(free: u64, index: u32) -> u64 {
    (free & !u64::from(u32::MAX)).wrapping_add(1 << 32) | u64::from(index)
}

static TABLE: Registry = Registry {
    groups: [const { OnceLock::new() }; GROUPS],
    shards: [const { Shard::new() }; SHARDS],
};

/// The process's task table.
#[inline]
pub(crate) fn table() -> &'static Registry {
    &TABLE
}

impl Registry {
    /// The slot with number `index`, which a handle (or its task) holds.
    #[inline]
    pub(crate) fn slot(&self, index: u32) -> &Slot {
        &self.chunk(index).slots[index as usize % CHUNK]
    }

    #[inline]
    fn chunk(&self, index: u32) -> &Chunk {
        let chunk = index as usize / CHUNK;
        self.groups[chunk / GROUP]
            .get()
            .and_then(|group| group[chunk % GROUP].get())
            .expect("cosched: a handle's slot is in a chunk that exists")
    }

    /// The stored waker of the task in slot `index`, which a handle (or its
    /// task) holds, locked.
    pub(crate) fn waker(&self, index: u32) -> MutexGuard<'_, Option<Waker>> {
        let wakers = self.chunk(index).wakers.get_or_init(|| {
            let wakers: Box<[Mutex<Option<Waker>>]> =
                (0..CHUNK).map(|_| Mutex::new(None)).collect();
            wakers.try_into().expect("CHUNK wakers")
        });
        // Nothing panics while the lock is held, but a poisoned lock is no
        // reason to lose a cancellation either.
        wakers[index as usize % CHUNK]
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    /// The chunk of slot `index`, made if need be.
    #[inline]
    fn chunk_or_make(&self, index: u32) -> &Chunk {
        let chunk = index as usize / CHUNK;
        self.groups[chunk / GROUP].get_or_init(|| Box::new([const { OnceLock::new() }; GROUP]))
            [chunk % GROUP]
            .get_or_init(Chunk::new)
    }

    /// The chunks made so far, in order of slot number (in which they are
    /// made).
    fn chunks(&self) -> impl Iterator<Item = &Chunk> {
        self.groups
            .iter()
            .map_while(OnceLock::get)
            .flat_map(|group| group.iter())
            .map_while(OnceLock::get)
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
        let shard_number = id as usize % SHARDS;
        let shard = &self.shards[shard_number];
        let (prefix, given) = match name {
            Name::Prefix(meta) => (prefixes::number(meta), None),
            Name::Given(name) => (prefixes::GIVEN, Some(name)),
        };
        let (index, chunk) = self.take(shard, shard_number);
        if let Some(given) = given {
            shard.given().insert(index, given);
        }
        let slot = &chunk.slots[index as usize % CHUNK];
        chunk.prefixes[index as usize % CHUNK].store(prefix, Ordering::Relaxed);
        slot.id.store(id, Ordering::Relaxed);
        let given = if prefix == prefixes::GIVEN {
            GIVEN_NAME
        } else {
            0
        };
        // Publishes the writes above to whoever acquires the slot next.
        slot.word.store(
            u64::from(refs) | state_bits(state | given) | (u64::from(event_loop) << LOOP_SHIFT),
            Ordering::Release,
        );
        index
    }

    /// Takes a slot number off `shard`'s free list, or a fresh one; with
    /// the slot's chunk.
    #[inline]
    fn take(&self, shard: &Shard, shard_number: usize) -> (u32, &Chunk) {
        let mut free = shard.free.load(Ordering::Acquire);
        loop {
            // Truncation is the point: the low half is the slot number.
            #[allow(clippy::cast_possible_truncation)]
            let index = free as u32;
            if index == NO_SLOT {
                let index =
                    shard_number + SHARDS * shard.fresh.fetch_add(1, Ordering::Relaxed) as usize;
                assert!(
                    index < CHUNK * CHUNKS,
                    "cosched: at most {} tasks can be alive at once",
                    CHUNK * CHUNKS
                );
                #[allow(clippy::cast_possible_truncation)] // < 2^26
                let index = index as u32;
                return (index, self.chunk_or_make(index));
            }
            // A free slot is in a chunk that exists. If another thread has
            // taken it meanwhile, this reads its id, and the swap fails.
            let chunk = self.chunk(index);
            #[allow(clippy::cast_possible_truncation)]
            let next = chunk.slots[index as usize % CHUNK]
                .id
                .load(Ordering::Relaxed) as u32;
            match shard.free.compare_exchange_weak(
                free,
                next_head(free, next),
                Ordering::Acquire,
                Ordering::Acquire,
            ) {
                Ok(_) => return (index, chunk),
                Err(now) => free = now,
            }
        }
    }

    /// Drops a handle to slot `index`, and frees the slot with the last
    /// once its task is done.
    #[inline]
    pub(crate) fn release(&self, index: u32) {
        let slot = self.slot(index);
        let word = slot.word.load(Ordering::Acquire);
        if word & REFS == 1 && state_of(word) & DONE != 0 {
            // The last handle to a finished task: nothing else can reach
            // the slot (no other handle can clone or cancel, and a done
            // task is neither polled nor taken by a snapshot), and the
            // load above acquired every earlier release and the task's
            // `DONE`; letting go needs no locked instruction.
            slot.word.store(word - 1, Ordering::Relaxed);
            self.free(slot, index, state_of(word));
            return;
        }
        let previous = slot.word.fetch_sub(1, Ordering::AcqRel);
        if previous & REFS == 1 && state_of(previous) & DONE != 0 {
            self.free(slot, index, state_of(previous));
        }
    }

    /// Sets `DONE` and the bits of `outcome` in `slot`, number `index`, whose task
    /// holds it, which lets go of it: it is freed if no handle is left.
    #[inline]
    pub(crate) fn finish(&self, slot: &Slot, index: u32, outcome: u8) {
        // Only the task sets `DONE` and its outcome's bits, once: adding
        // them is setting them (see `Slot::set_own`).
        let previous = slot
            .word
            .fetch_add(state_bits(DONE | outcome), Ordering::AcqRel);
        if previous & REFS == 0 {
            self.free(slot, index, state_of(previous));
        }
    }

    /// Puts slot `index`, done and with no handle left, on its shard's free
    /// list. (It holds no waker: a task drops its waker before it sets
    /// `DONE`.)
    fn free(&self, slot: &Slot, index: u32, state: u8) {
        let shard = &self.shards[index as usize % SHARDS];
        if state & GIVEN_NAME != 0 {
            shard.forget_name(index);
        }
        let mut free = shard.free.load(Ordering::Relaxed);
        loop {
            slot.id.store(free & u64::from(u32::MAX), Ordering::Relaxed);
            match shard.free.compare_exchange_weak(
                free,
                next_head(free, index),
                Ordering::Release,
                Ordering::Relaxed,
            ) {
                Ok(_) => return,
                Err(now) => free = now,
            }
        }
    }

    /// The name of the task in slot `index`: the one given in full, or its
    /// prefix numbered by its id.
    pub(crate) fn name(&self, index: u32) -> String {
        let id = TaskId(NonZeroU64::new(self.slot(index).id()).unwrap_or(NonZeroU64::MAX));
        match self.prefix(index) {
            prefixes::GIVEN => self.shards[index as usize % SHARDS]
                .given()
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
        for (c, chunk) in self.chunks().enumerate() {
            for (i, slot) in chunk.slots.iter().enumerate() {
                // A task not yet done holds its slot: a handle taken while
                // it is not done is one to that task.
                if slot.try_acquire(event_loop) {
                    let index = u32::try_from(c * CHUNK + i).expect("slot numbers fit a u32");
                    live.push(f(index));
                }
            }
        }
        live
    }

    /// Whether the loop numbered `event_loop` has no task's future left,
    /// not even to be dropped. (It reads every slot in use so far: `run()`
    /// asks only while shutting down.)
    pub(crate) fn is_empty(&self, event_loop: u16) -> bool {
        self.chunks()
            .flat_map(|chunk| chunk.slots.iter())
            .all(|slot| {
                let word = slot.word.load(Ordering::Acquire);
                state_of(word) & DONE != 0 || word >> LOOP_SHIFT != u64::from(event_loop)
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

    #[inline]
    pub(super) fn number(meta: &'static TaskMeta) -> u32 {
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

    pub(super) fn name(number: u32) -> &'static str {
        let prefixes = PREFIXES.lock().unwrap_or_else(PoisonError::into_inner);
        prefixes
            .as_ref()
            .and_then(|prefixes| prefixes.metas.get(number as usize))
            .map_or("Task", |meta| meta.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every task pays for one slot: keep it at two words (the id; the
    /// reference count, state and loop number), four to a cache line. Its
    /// name prefix's number costs half a word more, beside it in its chunk,
    /// and the waker of its suspension three more, once a task of its chunk
    /// has suspended.
    #[test]
    fn a_slot_is_two_words() {
        assert_eq!(std::mem::size_of::<Slot>(), 16);
    }
}
