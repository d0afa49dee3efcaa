//! The await graph beyond a `Join`'s one edge per task (`Registry::
//! set_awaiting`): what a task awaits through `gather`, `wait` and
//! `as_completed` (a set of tasks), or through a `TaskGroup`'s `join`,
//! `join_next` or `scope` (its members, and those added meanwhile). Only
//! introspection reads it (`crate::introspect`): an entry is made when
//! one of those is first polled by a task, not per task or per poll.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, PoisonError};

use super::{SlotRef, TaskId, current};
use crate::task::table::table;

struct Entry {
    key: u64,
    waiter: TaskId,
    /// The awaited tasks, by slot and id (a finished one is skipped on
    /// reading).
    awaited: Vec<(u32, TaskId)>,
}

/// The entries, by the waiter's slot.
static EDGES: Mutex<BTreeMap<u32, Vec<Entry>>> = Mutex::new(BTreeMap::new());

fn edges() -> std::sync::MutexGuard<'static, BTreeMap<u32, Vec<Entry>>> {
    // Nothing panics while it is held.
    EDGES.lock().unwrap_or_else(PoisonError::into_inner)
}

/// An entry of the graph, removed when this is dropped.
#[derive(Debug)]
pub(crate) struct Edge {
    waiter: u32,
    key: u64,
}

impl Edge {
    /// Records that the task being polled on this thread awaits `awaited`;
    /// `None` outside a task.
    pub(crate) fn new(awaited: Vec<(u32, TaskId)>) -> Option<Self> {
        static KEYS: AtomicU64 = AtomicU64::new(1);
        let current = current::get()?;
        let waiter = table().slot(current.index).id();
        let key = KEYS.fetch_add(1, Ordering::Relaxed);
        edges().entry(current.index).or_default().push(Entry {
            key,
            waiter,
            awaited,
        });
        Some(Self {
            waiter: current.index,
            key,
        })
    }

    /// Records that the waiter awaits `task` (slot and id) too: a member
    /// added to a group being joined.
    pub(crate) fn add(&self, task: (u32, TaskId)) {
        if let Some(entry) = edges()
            .get_mut(&self.waiter)
            .and_then(|entries| entries.iter_mut().find(|entry| entry.key == self.key))
        {
            entry.awaited.push(task);
        }
    }

    /// Whether this edge's waiter is the task being polled on this thread.
    pub(crate) fn is_from_current(&self) -> bool {
        current::get().is_some_and(|current| current.index == self.waiter)
    }
}

impl Drop for Edge {
    fn drop(&mut self) {
        let mut edges = edges();
        if let Some(entries) = edges.get_mut(&self.waiter) {
            entries.retain(|entry| entry.key != self.key);
            if entries.is_empty() {
                edges.remove(&self.waiter);
            }
        }
    }
}

/// The tasks that the task `waiter` awaits through entries of this
/// graph, as slot numbers (possibly of finished tasks).
pub(crate) fn awaited_by(waiter: &SlotRef) -> Vec<u32> {
    let edges = edges();
    let Some(entries) = edges.get(&waiter.index()) else {
        return Vec::new();
    };
    entries
        .iter()
        .filter(|entry| entry.waiter == waiter.id())
        .flat_map(|entry| &entry.awaited)
        .filter(|(index, id)| table().slot(*index).id() == *id)
        .map(|(index, _)| *index)
        .collect()
}
