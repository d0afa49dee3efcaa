//! The task table: where the shared part of every task lives.
//!
//! A task's [`Slot`] (two words: see [`super::state`]) sits in a slot of one
//! process-wide table rather than in an allocation of its own, so spawning
//! a task allocates once, in the backend, as a raw spawn does. Beside each
//! slot, in its chunk, are the number of its origin (name prefix and
//! spawn site) and, once a task of the chunk has suspended, the waker of
//! its last suspension. Handles
//! are slot numbers ([`super::handle`]).
//!
//! The table is a fixed array of lazily made chunks, so a slot never moves
//! and is read without a lock. Slot numbers are handed out in order from
//! one `fresh` counter, and only when every free list is empty: the table
//! holds as many slots as the most tasks the process had alive at once
//! (plus what spawning threads racing for the last free slots take), and
//! slot numbers stay dense whatever the pattern of spawns.
//!
//! Free slots are kept in `SHARDS` free lists, each a lock-free stack
//! threaded through the free slots' own `id` words (freeing allocates
//! nothing), with a change count beside the head against ABA. A slot goes
//! back to the list of its own number (`index % SHARDS`), and a new task
//! looks first in the list its id picks, so consecutive spawns and frees
//! spread over the lists; a bit per list in `nonempty` says where else to
//! look when that one is empty. Chunks are kept for the process's
//! lifetime.

use std::collections::BTreeMap;
use std::sync::OnceLock;
use std::task::Waker;

use super::name::{Name, sites};
use super::state::{CANCEL_REQUESTED, DONE, Finish, GIVEN_NAME, Slot, WAKER};
use crate::sync::{AtomicU32, AtomicU64, Mutex, MutexGuard, Ordering, lock};

/// Free lists.
#[cfg(not(loom))]
const SHARDS: usize = 32;
/// Slots per chunk.
#[cfg(not(loom))]
const CHUNK: usize = 4096;
/// Chunks per group: the table is a static array of lazily made groups of
/// lazily made chunks (a static array of all the chunks' cells would add
/// 640 KiB to every binary).
#[cfg(not(loom))]
const GROUP: usize = 128;
/// Groups in the table: 128 × 128 × 4096 = 64M tasks alive at once.
#[cfg(not(loom))]
const GROUPS: usize = 128;

// Under loom, a table small enough to model: every slot is a modelled
// atomic, and a model makes a table in every one of its executions.
#[cfg(loom)]
const SHARDS: usize = 2;
#[cfg(loom)]
const CHUNK: usize = 4;
#[cfg(loom)]
const GROUP: usize = 1;
#[cfg(loom)]
const GROUPS: usize = 2;

/// How many slots the table can hold.
#[allow(clippy::cast_possible_truncation)] // checked below
pub(crate) const CAPACITY: u32 = (CHUNK * GROUP * GROUPS) as u32;
const _: () = assert!(CHUNK * GROUP * GROUPS <= u32::MAX as usize);
/// No slot: the end of a free list.
const NO_SLOT: u32 = u32::MAX;

const _: () = assert!(SHARDS <= 32, "`nonempty` has a bit per shard");

/// The process's task table.
pub(crate) struct Registry {
    groups: [OnceLock<Box<Group>>; GROUPS],
    shards: [Shard; SHARDS],
    /// Bit `s` is set when free list `s` may hold a slot (see `pop`).
    nonempty: Padded<AtomicU32>,
    /// Slot numbers below this have been handed out.
    fresh: Padded<AtomicU32>,
}

type Group = [OnceLock<Chunk>; GROUP];

/// A value on a cache line of its own.
#[repr(align(64))]
struct Padded<T>(T);

struct Chunk {
    slots: Box<[Slot; CHUNK]>,
    /// The name prefix and spawn site of each slot's task, by number (see
    /// `sites`): half a word beside each slot, whose own words are full. (A
    /// name given in full the slot's shard keeps, and `GIVEN_NAME` says so.)
    sites: Box<[AtomicU32; CHUNK]>,
    /// The waker of each slot's task's last suspension, to deliver a
    /// cancellation: made when a task of the chunk first suspends (or is
    /// cancelled), so that a chunk whose tasks never wait has none, and
    /// the slots that every task touches are two words, four to a cache
    /// line.
    wakers: OnceLock<Box<[Mutex<Option<Waker>>; CHUNK]>>,
    /// The task each slot's task is awaiting (through a `Join`), if any:
    /// `0`, or the awaited slot's number plus one (low half) and the low
    /// half of its task's id (high half), which tells a reused slot apart.
    /// Made when a task of the chunk first awaits another.
    awaiting: OnceLock<Box<[AtomicU64; CHUNK]>>,
    /// When each slot's task was created, if its loop was in debug mode
    /// then: the task's id (which tells a reused slot's old entry apart)
    /// and nanoseconds after debug mode's epoch (`debug::now_nanos`). Made
    /// when a task of the chunk is first created in debug mode.
    created: OnceLock<Box<[[AtomicU64; 2]; CHUNK]>>,
}

impl Chunk {
    fn new() -> Self {
        Self {
            slots: array((0..CHUNK).map(|_| Slot::new())),
            sites: array((0..CHUNK).map(|_| AtomicU32::new(0))),
            wakers: OnceLock::new(),
            awaiting: OnceLock::new(),
            created: OnceLock::new(),
        }
    }
}

/// A boxed array of a chunk's `CHUNK` items (made on the heap: a chunk's
/// arrays are too large for the stack).
#[allow(clippy::unnecessary_box_returns)]
fn array<T>(items: impl Iterator<Item = T>) -> Box<[T; CHUNK]> {
    let items: Box<[T]> = items.collect();
    items
        .try_into()
        .unwrap_or_else(|_| unreachable!("CHUNK items make a CHUNK array"))
}

/// A free list, on a cache line of its own.
#[repr(align(64))]
struct Shard {
    /// The last-freed free slot's number (low 32 bits; `NO_SLOT` for none),
    /// reused first, and a count of the changes to the list (high 32 bits),
    /// so that a slot taken and given back between a taker's read and its
    /// swap does not pass for the same list (until the count wraps, after
    /// 2^32 changes during one taker's read and swap).
    free: AtomicU64,
    /// The names given in full of the tasks in this shard's slots.
    given: Mutex<BTreeMap<u32, Box<str>>>,
    /// The wakers waiting for the end of the tasks in this shard's slots
    /// that are `WATCHED` (see [`Registry::watch`]).
    watchers: Mutex<BTreeMap<u32, Vec<Waker>>>,
    /// The tasks that the tasks in this shard's slots cancelled while they
    /// were being cancelled themselves, and must outlast (see
    /// [`Registry::adopt`]): slot numbers, each with a handle taken.
    orphans: Mutex<BTreeMap<u32, Vec<u32>>>,
}

impl Shard {
    #[cfg(not(loom))]
    const fn new() -> Self {
        Self {
            free: AtomicU64::new(NO_SLOT as u64),
            given: Mutex::new(BTreeMap::new()),
            watchers: Mutex::new(BTreeMap::new()),
            orphans: Mutex::new(BTreeMap::new()),
        }
    }

    #[cfg(loom)]
    fn new() -> Self {
        Self {
            free: AtomicU64::new(NO_SLOT as u64),
            given: Mutex::new(BTreeMap::new()),
            watchers: Mutex::new(BTreeMap::new()),
            orphans: Mutex::new(BTreeMap::new()),
        }
    }
}

/// The free list head `free` with slot `index` on top, one change later.
#[inline]
fn next_head(free: u64, index: u32) -> u64 {
    (free & !u64::from(u32::MAX)).wrapping_add(1 << 32) | u64::from(index)
}

/// The slot number at the top of free list head `free`.
#[inline]
fn top(free: u64) -> u32 {
    #[allow(clippy::cast_possible_truncation)] // the point: the low half
    let index = free as u32;
    index
}

/// Wakes the wakers that watched a task end (see [`Registry::watch`]).
#[cold]
fn wake_all(watchers: Vec<Waker>) {
    for waker in watchers {
        waker.wake();
    }
}

#[cfg(not(loom))]
static TABLE: Registry = Registry::new();

/// The process's task table.
#[cfg(not(loom))]
#[inline]
pub(crate) fn table() -> &'static Registry {
    &TABLE
}

/// Under loom, models make tables of their own; nothing else runs.
#[cfg(loom)]
pub(crate) fn table() -> &'static Registry {
    unreachable!("under loom, only the models run, each with its own table")
}

impl Registry {
    #[cfg(not(loom))]
    const fn new() -> Self {
        Self {
            groups: [const { OnceLock::new() }; GROUPS],
            shards: [const { Shard::new() }; SHARDS],
            nonempty: Padded(AtomicU32::new(0)),
            fresh: Padded(AtomicU32::new(0)),
        }
    }

    /// A table of its own, for a model.
    #[cfg(loom)]
    pub(crate) fn new() -> Self {
        Self {
            groups: std::array::from_fn(|_| OnceLock::new()),
            shards: std::array::from_fn(|_| Shard::new()),
            nonempty: Padded(AtomicU32::new(0)),
            fresh: Padded(AtomicU32::new(0)),
        }
    }

    /// The slot with number `index`, which a handle (or its task) holds.
    #[inline]
    pub(crate) fn slot(&self, index: u32) -> &Slot {
        &self.chunk(index).slots[index as usize % CHUNK]
    }

    /// The slot with number `index`, unless its chunk is not made yet.
    fn try_slot(&self, index: u32) -> Option<&Slot> {
        let chunk = index as usize / CHUNK;
        let group = self.groups[chunk / GROUP].get()?;
        Some(&group[chunk % GROUP].get()?.slots[index as usize % CHUNK])
    }

    #[inline]
    fn chunk(&self, index: u32) -> &Chunk {
        let chunk = index as usize / CHUNK;
        self.groups[chunk / GROUP]
            .get()
            .and_then(|group| group[chunk % GROUP].get())
            .expect("cosched: a handle's slot is in a chunk that exists")
    }

    /// The chunk of slot `index`, made if need be.
    #[inline]
    fn chunk_or_make(&self, index: u32) -> &Chunk {
        let chunk = index as usize / CHUNK;
        self.groups[chunk / GROUP]
            .get_or_init(|| Box::new(std::array::from_fn(|_| OnceLock::new())))[chunk % GROUP]
            .get_or_init(Chunk::new)
    }

    /// The stored waker of the task in slot `index`, which a handle (or its
    /// task) holds, locked.
    fn waker(&self, index: u32) -> MutexGuard<'_, Option<Waker>> {
        let wakers = self
            .chunk(index)
            .wakers
            .get_or_init(|| array((0..CHUNK).map(|_| Mutex::new(None))));
        lock(&wakers[index as usize % CHUNK])
    }

    /// Takes a free slot for a new task with `id` of the loop numbered
    /// `event_loop`, with `refs` handles and `state`, and returns its
    /// number.
    ///
    /// # Panics
    ///
    /// If the process already has [`CAPACITY`] tasks alive (64M, each
    /// taking at least a hundred bytes), as `Vec` does when its capacity
    /// overflows.
    pub(crate) fn insert(&self, event_loop: u16, id: u64, name: Name, state: u8, refs: u32) -> u32 {
        #[allow(clippy::cast_possible_truncation)] // the point: the low bits
        let index = self.take(id as usize % SHARDS);
        let chunk = self.chunk_or_make(index);
        let given = match name.given {
            None => 0,
            Some(given) => {
                lock(&self.shards[index as usize % SHARDS].given).insert(index, given);
                GIVEN_NAME
            }
        };
        let site = sites::number(name.meta, name.site);
        chunk.sites[index as usize % CHUNK].store(site, Ordering::Relaxed);
        // Publishes the writes above to whoever acquires the slot next.
        chunk.slots[index as usize % CHUNK].publish(id, event_loop, refs, state | given);
        index
    }

    /// A free slot's number: off free list `preferred`, else off another
    /// that may hold one, else a fresh one.
    #[inline]
    fn take(&self, preferred: usize) -> u32 {
        if let Some(index) = self.pop(preferred) {
            return index;
        }
        self.take_elsewhere(preferred)
    }

    #[cold]
    fn take_elsewhere(&self, preferred: usize) -> u32 {
        let mut others = self.nonempty.0.load(Ordering::Acquire) & !(1 << preferred);
        while others != 0 {
            let shard = others.trailing_zeros() as usize;
            if let Some(index) = self.pop(shard) {
                return index;
            }
            others &= !(1 << shard);
        }
        self.fresh()
    }

    /// A slot number never used so far.
    fn fresh(&self) -> u32 {
        // Checked before it counts, so the counter never passes the
        // capacity, let alone wraps.
        let taken = self
            .fresh
            .0
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |fresh| {
                (fresh < CAPACITY).then_some(fresh + 1)
            });
        taken.unwrap_or_else(|_| panic!("cosched: at most {CAPACITY} tasks can be alive at once"))
    }

    /// How many slot numbers have been handed out: the table's size.
    pub(crate) fn high_water(&self) -> u32 {
        self.fresh.0.load(Ordering::Relaxed)
    }

    /// Takes the slot on top of free list `shard`, if any.
    ///
    /// The list's bit in `nonempty` is set by every give-back that makes
    /// the list nonempty (`free`), and cleared by a taker that finds it
    /// empty, which then looks at the list again. Both are read-modify-
    /// writes of `nonempty`, so one of them sees the other: the clear comes
    /// second, and has acquired the give-back before it looks again; or the
    /// set comes second. Either way a list that holds a slot ends with its
    /// bit set, so spawns find its slots before they grow the table.
    #[inline]
    fn pop(&self, shard: usize) -> Option<u32> {
        let list = &self.shards[shard].free;
        let bit = 1 << shard;
        let mut free = list.load(Ordering::Acquire);
        loop {
            let index = top(free);
            if index == NO_SLOT {
                if self.nonempty.0.load(Ordering::Relaxed) & bit == 0 {
                    return None;
                }
                self.nonempty.0.fetch_and(!bit, Ordering::AcqRel);
                free = list.load(Ordering::Acquire);
                if top(free) == NO_SLOT {
                    return None;
                }
                self.nonempty.0.fetch_or(bit, Ordering::AcqRel);
                continue;
            }
            // A free slot is in a chunk that exists. If another thread has
            // taken it meanwhile, this reads its id, and the swap fails.
            let next = self.slot(index).next_free();
            match list.compare_exchange_weak(
                free,
                next_head(free, next),
                Ordering::Acquire,
                Ordering::Acquire,
            ) {
                Ok(_) => return Some(index),
                Err(now) => free = now,
            }
        }
    }

    /// Puts `slot`, number `index`, done and with no handle left (see
    /// [`Slot::release`] and [`Slot::finish`]), with state bits `state`, on
    /// its free list. (Its callers have looked the slot up already.)
    fn free(&self, slot: &Slot, index: u32, state: u8) {
        let shard = index as usize % SHARDS;
        if state & GIVEN_NAME != 0 {
            let given = lock(&self.shards[shard].given).remove(&index);
            drop(given);
        }
        #[cfg(not(loom))]
        if state & super::state::PANICKED != 0 {
            super::error::release_held(index);
        }
        let list = &self.shards[shard].free;
        let mut free = list.load(Ordering::Relaxed);
        loop {
            slot.set_next_free(top(free));
            match list.compare_exchange_weak(
                free,
                next_head(free, index),
                Ordering::Release,
                Ordering::Relaxed,
            ) {
                Ok(_) => break,
                Err(now) => free = now,
            }
        }
        if top(free) == NO_SLOT {
            // This made the list nonempty: see `pop`.
            self.nonempty.0.fetch_or(1 << shard, Ordering::AcqRel);
        }
    }

    /// Drops a handle to slot `index`, and frees the slot with the last
    /// once its task is done.
    #[inline]
    pub(crate) fn release(&self, index: u32) {
        let slot = self.slot(index);
        if let Some(state) = slot.release() {
            self.free(slot, index, state);
        }
    }

    /// [`finish_slot`](Self::finish_slot) of slot `index`, looked up here:
    /// what the models and tests call.
    #[cfg(any(test, loom))]
    pub(crate) fn finish(&self, index: u32, outcome: u8) -> u8 {
        self.finish_slot(self.slot(index), index, outcome)
    }

    /// The task in `slot`, number `index` (looked up by the caller), has
    /// finished with `outcome` (`CANCELLED`, `PANICKED` or neither) and its
    /// future has been dropped: it lets go of its slot, which it must not
    /// touch again. Returns the outcome it ended with: `CANCELLED` for a
    /// task that returned after a cancellation was requested (see
    /// `Slot::finish`).
    ///
    /// Against [`watch`](Self::watch): a watcher sets `WATCHED` under its
    /// shard's watchers' lock, then reads `DONE` from that same write; this
    /// sets `DONE` without the lock only while `WATCHED` is clear (one
    /// compare-and-swap), and under the lock otherwise, taking the
    /// watchers with it. Either the watcher sees `DONE`, or this sees
    /// `WATCHED` and wakes it: no end goes unseen.
    #[inline]
    pub(crate) fn finish_slot(&self, slot: &Slot, index: u32, outcome: u8) -> u8 {
        let bits = slot.bits();
        if bits & WAKER != 0 {
            // Only needed to deliver a cancellation; it goes before `DONE`,
            // after which the last handle may free the slot.
            let waker = self.waker(index).take();
            drop(waker);
        }
        if outcome != 0 || bits & CANCEL_REQUESTED != 0 {
            // Not a hot path: a cancelled or panicked task lets go of the
            // tasks it was waiting for (see `drain`), if any are left.
            self.release_orphans(index);
        }
        let (outcome, free, watchers) = match slot.finish(outcome, false) {
            Finish::Done { outcome, free } => (outcome, free, None),
            Finish::Watched => self.finish_watched(index, outcome),
        };
        if let Some(state) = free {
            self.free(slot, index, state);
        }
        // Not `watchers.into_iter().flatten()`: that adapter's drop glue
        // costs every task 24 instructions, watched or not.
        if let Some(watchers) = watchers {
            wake_all(watchers);
        }
        outcome
    }

    /// [`finish_slot`](Self::finish_slot) of a watched slot: `DONE` set under the
    /// watchers' lock, and the watchers taken, to be woken outside it.
    #[cold]
    fn finish_watched(&self, index: u32, outcome: u8) -> (u8, Option<u8>, Option<Vec<Waker>>) {
        let mut watchers = lock(&self.shards[index as usize % SHARDS].watchers);
        let Finish::Done { outcome, free } = self.slot(index).finish(outcome, true) else {
            unreachable!("a slot finishes under its watchers' lock")
        };
        (outcome, free, watchers.remove(&index))
    }

    /// Registers `waker` to be woken when the task in slot `index`, which
    /// the caller holds a handle to, ends; true (and nothing registered)
    /// if it has ended. A waker that would wake the same task as one
    /// registered is not added again. Registered wakers are dropped when
    /// the task ends, whether or not their watcher still waits.
    pub(crate) fn watch(&self, index: u32, waker: &Waker) -> bool {
        let slot = self.slot(index);
        if slot.bits() & DONE != 0 {
            return true;
        }
        let mut watchers = lock(&self.shards[index as usize % SHARDS].watchers);
        let list = watchers.entry(index).or_default();
        if !list.iter().any(|watcher| watcher.will_wake(waker)) {
            list.push(waker.clone());
        }
        if slot.set_watched() & DONE != 0 {
            // It finished without the lock before `WATCHED` was set:
            // nothing will take the list.
            let stale = watchers.remove(&index);
            drop(watchers);
            drop(stale);
            return true;
        }
        false
    }

    /// The task in slot `parent`, being cancelled, cancelled the task in
    /// slot `child` (whose handle the caller gives up to this): `parent`
    /// ends only once `child` has ended (see [`drain`](Self::drain)).
    pub(crate) fn adopt(&self, parent: u32, child: u32) {
        lock(&self.shards[parent as usize % SHARDS].orphans)
            .entry(parent)
            .or_default()
            .push(child);
    }

    /// Whether every task that the task in slot `parent` adopted has
    /// ended; if not, `waker` is woken when one more does. The ended ones
    /// are let go.
    ///
    /// The list stays in the map while its tasks are watched (only the
    /// task in slot `parent` changes it, in its polls), so that
    /// [`owns`](Self::owns), on another thread, never misses a task
    /// `parent` still waits for.
    pub(crate) fn drain(&self, parent: u32, waker: &Waker) -> bool {
        let shard = &self.shards[parent as usize % SHARDS];
        let Some(orphans) = lock(&shard.orphans).get(&parent).cloned() else {
            return true;
        };
        let ended: Vec<u32> = orphans
            .into_iter()
            .filter(|&child| self.watch(child, waker))
            .collect();
        if ended.is_empty() {
            return false;
        }
        let drained = {
            let mut all = lock(&shard.orphans);
            let orphans = all.entry(parent).or_default();
            orphans.retain(|child| !ended.contains(child));
            let drained = orphans.is_empty();
            if drained {
                all.remove(&parent);
            }
            drained
        };
        for child in ended {
            self.release(child);
        }
        drained
    }

    /// Records that the task `id` in slot `index`, which the caller holds,
    /// was created at `nanos` (debug mode's clock).
    pub(crate) fn set_created(&self, index: u32, id: u64, nanos: u64) {
        let created = self
            .chunk(index)
            .created
            .get_or_init(|| array((0..CHUNK).map(|_| [AtomicU64::new(0), AtomicU64::new(0)])));
        let [recorded, at] = &created[index as usize % CHUNK];
        at.store(nanos, Ordering::Relaxed);
        // Whoever reads this id reads the time above.
        recorded.store(id, Ordering::Release);
    }

    /// When the task in slot `index`, which the caller holds, was created
    /// (debug mode's clock), if its loop was in debug mode then.
    pub(crate) fn created(&self, index: u32) -> Option<u64> {
        let [recorded, at] = &self.chunk(index).created.get()?[index as usize % CHUNK];
        (recorded.load(Ordering::Acquire) == self.slot(index).id().as_u64())
            .then(|| at.load(Ordering::Relaxed))
    }

    /// Records that the task in slot `waiter` awaits the one in slot
    /// `awaited` (`None`: nothing), both held by the caller.
    pub(crate) fn set_awaiting(&self, waiter: u32, awaited: Option<u32>) {
        let edge = awaited.map_or(0, |awaited| self.edge(awaited));
        let chunk = self.chunk(waiter);
        if edge == 0 && chunk.awaiting.get().is_none() {
            return;
        }
        let awaiting = chunk
            .awaiting
            .get_or_init(|| array((0..CHUNK).map(|_| AtomicU64::new(0))));
        awaiting[waiter as usize % CHUNK].store(edge, Ordering::Release);
    }

    /// Forgets that the task in slot `waiter` awaits the one in slot
    /// `awaited`, if that is what it awaits.
    pub(crate) fn clear_awaiting(&self, waiter: u32, awaited: u32) {
        if let Some(awaiting) = self.chunk(waiter).awaiting.get() {
            let edge = self.edge(awaited);
            let _ = awaiting[waiter as usize % CHUNK].compare_exchange(
                edge,
                0,
                Ordering::AcqRel,
                Ordering::Relaxed,
            );
        }
    }

    /// The task that the task in slot `index` awaits through a `Join`, if
    /// any and if it has not ended.
    pub(crate) fn awaiting(&self, index: u32) -> Option<u32> {
        let edge =
            self.chunk(index).awaiting.get()?[index as usize % CHUNK].load(Ordering::Acquire);
        #[allow(clippy::cast_possible_truncation)] // the point: the low half
        let awaited = (edge as u32).wrapping_sub(1);
        (edge != 0
            && awaited < self.high_water()
            && self.edge(awaited) == edge
            && self.slot(awaited).bits() & DONE == 0)
            .then_some(awaited)
    }

    /// The `awaiting` word that names the task in slot `index`.
    fn edge(&self, index: u32) -> u64 {
        (self.slot(index).id().as_u64() << 32) | (u64::from(index) + 1)
    }

    /// Whether the task in slot `from` awaits, directly or through the
    /// tasks it awaits (up to 1,024 of them), the one in slot `target`.
    pub(crate) fn awaits(&self, from: u32, target: u32) -> bool {
        let mut node = from;
        for _ in 0..1024 {
            let Some(awaiting) = self.chunk(node).awaiting.get() else {
                return false;
            };
            let edge = awaiting[node as usize % CHUNK].load(Ordering::Acquire);
            if edge == 0 {
                return false;
            }
            #[allow(clippy::cast_possible_truncation)] // the point: the low half
            let next = (edge as u32).wrapping_sub(1);
            if next >= self.high_water()
                || self.edge(next) != edge
                || self.slot(next).bits() & DONE != 0
            {
                return false; // a stale edge: that task has ended
            }
            if next == target {
                return true;
            }
            node = next;
        }
        false
    }

    /// Whether the task in slot `ancestor` waits, through the tasks it
    /// adopted (transitively, up to a depth of 64), for the one in slot
    /// `index`.
    pub(crate) fn owns(&self, ancestor: u32, index: u32) -> bool {
        fn search(table: &Registry, node: u32, index: u32, depth: u32) -> bool {
            if depth == 64 {
                return true; // deep enough to be treated as a cycle
            }
            let children = lock(&table.shards[node as usize % SHARDS].orphans)
                .get(&node)
                .cloned()
                .unwrap_or_default();
            children
                .into_iter()
                .any(|child| child == index || search(table, child, index, depth + 1))
        }
        search(self, ancestor, index, 0)
    }

    /// Lets go of the tasks the task in slot `parent` adopted.
    fn release_orphans(&self, parent: u32) {
        let orphans = lock(&self.shards[parent as usize % SHARDS].orphans).remove(&parent);
        for child in orphans.into_iter().flatten() {
            self.release(child);
        }
    }

    /// Asks the task in slot `index`, which the caller holds a handle to,
    /// to stop at its next poll; false if it has already finished.
    ///
    /// Against [`suspend`](Self::suspend): this sets the flag, then takes
    /// the stored waker under its lock; a suspending task stores its waker
    /// under that lock, then reads the flag. Whichever goes second sees
    /// the other's write, so the task is woken (by this, or by itself).
    pub(crate) fn cancel(&self, index: u32) -> bool {
        let previous = self.slot(index).request_cancel();
        if previous & DONE != 0 {
            return false;
        }
        if previous & CANCEL_REQUESTED == 0 {
            let waker = self.waker(index).take();
            if let Some(waker) = waker {
                waker.wake();
            }
        }
        true
    }

    /// Wakes the task in slot `index` with the waker it last suspended
    /// with (a spurious wake, which a future allows); false if it has none.
    #[cfg(not(loom))]
    pub(crate) fn wake(&self, index: u32) -> bool {
        let waker = self.waker(index).clone();
        waker.map(Waker::wake).is_some()
    }

    /// The task in slot `index` suspended with `waker`: stores it for
    /// [`cancel`](Self::cancel), and wakes it if a cancellation came first
    /// and no handler of its own takes it (a handler is woken by what it
    /// awaits, or by `cancel`, which wakes the stored waker once).
    pub(crate) fn suspend(&self, index: u32, waker: &Waker) {
        let slot = self.slot(index);
        let previous = {
            let mut stored = self.waker(index);
            match &*stored {
                Some(stored) if stored.will_wake(waker) => None,
                _ => stored.replace(waker.clone()),
            }
        };
        // A waker is dropped out of the lock: its drop may run user code.
        drop(previous);
        let bits = slot.bits();
        if bits & WAKER == 0 {
            slot.set_waker_bit();
        }
        if slot.must_wake() {
            waker.wake_by_ref();
        }
    }

    /// The name of the task in slot `index`: the one given in full, or its
    /// prefix numbered by its id.
    pub(crate) fn name(&self, index: u32) -> String {
        if self.slot(index).bits() & GIVEN_NAME != 0 {
            if let Some(given) = lock(&self.shards[index as usize % SHARDS].given).get(&index) {
                return given.to_string();
            }
        }
        let prefix = self.site(index).meta.name();
        format!("{prefix}-{}", self.slot(index).id())
    }

    /// Whether the task in slot `index`, which the caller holds, was given
    /// its name in full (which nothing renames).
    #[cfg(feature = "tracing")]
    pub(crate) fn has_given_name(&self, index: u32) -> bool {
        self.slot(index).bits() & GIVEN_NAME != 0
    }

    /// The number of the name prefix and spawn site of the task in slot
    /// `index`, which the caller holds: it changes when the task is
    /// renamed ([`rename_prefix`](Self::rename_prefix)).
    #[cfg(feature = "tracing")]
    pub(crate) fn site_number(&self, index: u32) -> u32 {
        self.chunk(index).sites[index as usize % CHUNK].load(Ordering::Relaxed)
    }

    /// The name prefix and spawn site of the task in slot `index`, which
    /// the caller holds.
    pub(crate) fn site(&self, index: u32) -> sites::Site {
        let number = self.chunk(index).sites[index as usize % CHUNK].load(Ordering::Relaxed);
        sites::get(number)
            .unwrap_or_else(|| unreachable!("a slot's site is numbered before it is published"))
    }

    /// Names the task in slot `index` after `meta` from now on, unless it
    /// was given a name in full, or (`from`) its prefix is not `from`'s:
    /// what a plain future's task does when its future turns out, at its
    /// first poll, to be a `#[task]` coroutine (see `poll::naming`). Only
    /// the task itself, as it is polled, renames itself.
    pub(crate) fn rename_prefix(
        &self,
        index: u32,
        from: Option<&'static super::TaskMeta>,
        meta: &'static super::TaskMeta,
    ) {
        let chunk = self.chunk(index);
        if chunk.slots[index as usize % CHUNK].bits() & GIVEN_NAME != 0 {
            return;
        }
        let site = &chunk.sites[index as usize % CHUNK];
        if let Some(renamed) = sites::renamed(site.load(Ordering::Relaxed), from, meta) {
            site.store(renamed, Ordering::Relaxed);
        }
    }

    /// Handles to the live tasks of the loop numbered `event_loop`, in no
    /// particular order: every slot handed out so far is read once. `f`
    /// makes a handle of a slot number whose reference this has taken.
    pub(crate) fn snapshot<H>(&self, event_loop: u16, mut f: impl FnMut(u32) -> H) -> Vec<H> {
        let mut live = Vec::new();
        for index in 0..self.high_water() {
            // A slot counted by `fresh` whose chunk another thread is
            // still making holds no task yet.
            let Some(slot) = self.try_slot(index) else {
                continue;
            };
            // A task not yet done holds its slot: a handle taken while it
            // is not done is one to that task.
            if slot.try_acquire(event_loop) {
                live.push(f(index));
            }
        }
        live
    }
}

#[cfg(all(test, not(loom)))]
mod tests {
    use super::*;
    use crate::task::Origin;
    use crate::task::TaskMeta;
    use crate::task::state::{CANCELLED, DONE};

    static META: TaskMeta = TaskMeta::new("table");

    fn table_of_its_own() -> &'static Registry {
        Box::leak(Box::new(Registry::new()))
    }

    fn spawn(table: &Registry, id: u64) -> u32 {
        table.insert(0, id, Name::new(&META, Origin::here()), 0, 1)
    }

    fn end(table: &Registry, index: u32) {
        table.finish(index, CANCELLED);
        table.release(index);
    }

    /// Fault 4 of the task-core audit: free lists by `id % 32`, each with
    /// fresh slots of its own (`shard + 32k`), grew the table to about 32×
    /// the live tasks under a spawn pattern of period 32 (one long-lived
    /// task, 31 short). The table must follow the peak of live tasks.
    #[test]
    fn fault_4_the_table_follows_live_tasks_whatever_the_spawn_pattern() {
        const LIVE: u64 = 2000;
        for period in [2, 31, 32, 33, 64] {
            let table = table_of_its_own();
            let mut long_lived = Vec::new();
            for id in 1..=LIVE * period {
                let index = spawn(table, id);
                if id % period == 0 {
                    long_lived.push(index);
                } else {
                    end(table, index);
                }
            }
            let size = u64::from(table.high_water());
            assert!(
                size <= LIVE + 1,
                "period {period}: {size} slots for {LIVE} live tasks"
            );
            for index in long_lived {
                end(table, index);
            }
        }
    }

    /// Fault 7 of the task-core audit: the fresh counter was incremented
    /// before the capacity check, so it went on counting past the limit and
    /// could wrap to slots in use. Now it stops at the capacity: every
    /// spawn past it fails the same way, and none gets a slot in use.
    #[test]
    fn fault_7_the_fresh_counter_stops_at_the_capacity() {
        let table = table_of_its_own();
        let first = spawn(table, 1);
        table.fresh.0.store(CAPACITY - 1, Ordering::Relaxed);
        let last = spawn(table, 2);
        assert_eq!(last, CAPACITY - 1);
        for id in 3..6 {
            let refused = std::panic::catch_unwind(|| spawn(table, id));
            assert!(refused.is_err(), "a spawn past the capacity got a slot");
            assert_eq!(table.high_water(), CAPACITY);
        }
        // A freed slot is taken again, before anything fresh.
        end(table, first);
        assert_eq!(spawn(table, 6), first);
    }

    #[test]
    fn a_freed_slot_is_reused_and_its_given_name_forgotten() {
        let table = table_of_its_own();
        let index = table.insert(
            0,
            1,
            Name::new(&META, Origin::named(Some("worker".into()))),
            0,
            1,
        );
        assert_eq!(table.name(index), "worker");
        end(table, index);
        let again = spawn(table, 2);
        assert_eq!(again, index);
        assert_eq!(table.name(again), "table-2");
        assert!(lock(&table.shards[index as usize % SHARDS].given).is_empty());
        assert_eq!(table.slot(again).bits() & DONE, 0);
    }

    /// A creation time belongs to the task it was recorded for: a task
    /// reusing the slot (in a loop not in debug mode, so it records none)
    /// has none.
    #[test]
    fn a_reused_slot_does_not_inherit_its_creation_time() {
        let table = table_of_its_own();
        let index = spawn(table, 1);
        assert_eq!(table.created(index), None, "not recorded");
        table.set_created(index, 1, 42);
        assert_eq!(table.created(index), Some(42));
        end(table, index);
        let again = spawn(table, 2);
        assert_eq!(again, index);
        assert_eq!(table.created(again), None);
        table.set_created(again, 2, 43);
        assert_eq!(table.created(again), Some(43));
    }

    /// An empty table hands out slot 0 first, then 1, ...: numbers stay
    /// dense, whatever the ids.
    #[test]
    fn fresh_slots_are_dense() {
        let table = table_of_its_own();
        let indices: Vec<u32> = (0..100).map(|i| spawn(table, 1000 + i * 7)).collect();
        assert_eq!(indices, (0..100).collect::<Vec<_>>());
    }
}
