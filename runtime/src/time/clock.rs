//! The clock every timer of cosched reads: real time, or, for a loop whose
//! clock was paused ([`pause`](super::pause)), a virtual one.
//!
//! # The rule
//!
//! A paused loop's clock stands still, and jumps to the earliest timer of
//! the loop when **no task of the loop is running or woken**: tokio's
//! `start_paused`, where the runtime advances time when its driver would
//! park with no task ready. That needs to know, exactly, whether some task
//! of the loop is runnable, which the backends do not say. So while a
//! loop is paused, its tasks are *tracked*:
//!
//! * each poll of a task of the loop counts as busy from its start to its
//!   end (`TaskFuture::poll` goes through [`poll_task`]);
//! * the poll gets a waker of its own ([`Tracked`]) that, woken, marks the
//!   task *notified* (busy, once however often it is woken) before it
//!   wakes the backend's waker; the task's next poll takes the mark, after
//!   it has counted itself busy, so the count never passes through zero
//!   while the task is runnable;
//! * a task spawned on the loop is notified at its spawn;
//! * the loop's main future (`run_until_complete`'s) is polled with a
//!   tracked waker too, by [`Driven`], which checks the count after each
//!   poll of it.
//!
//! The count hitting zero wakes [`Driven`] (and [`advance`](super::advance)
//! calls waiting for the loop to settle); if the count is still zero when
//! it runs, the clock jumps to the earliest timer and fires every timer
//! due then: their tasks are notified, and the loop goes on.
//!
//! While paused, a loop's threaded tasks spawned from the thread that
//! drives it run on that thread, with its local ones (tokio's `pause`
//! needs its single-threaded runtime for the same reason): a threaded
//! task's end is reported to whoever awaits it by the backend *after* its
//! last poll, and on a pool thread there would be an instant when nothing
//! counts as busy although its awaiter is about to be woken. On one thread
//! the backend does that before it looks at the main future again.
//!
//! # Scope and cost
//!
//! The pause is per loop: tests run in parallel on threads, each on a loop
//! of its own, and one's paused clock moves none of the others'. A clock
//! exists only for loops that were paused once; [`VIRTUAL`] counts them,
//! and while it is zero every hook here is one relaxed load of it (then
//! `Instant::now()`, or the plain poll). Everything else here runs only
//! while some loop of the process has a virtual clock, and takes the
//! clock's one lock.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError, RwLock, RwLockWriteGuard, Weak};
use std::task::{Context, Poll, Wake, Waker};
use std::time::{Duration, Instant, SystemTime};

use crate::sync::lock;

/// How many loops have a virtual clock (paused, or resumed ahead of real
/// time). Zero: every clock is `Instant::now()`.
static VIRTUAL: AtomicUsize = AtomicUsize::new(0);

/// The virtual clocks, by loop number: read by every poll of every task
/// while some clock is virtual, written when a loop is first paused or
/// dropped.
static CLOCKS: RwLock<Option<HashMap<u16, Arc<Clock>>>> = RwLock::new(None);

/// The waker of each loop's [`Driven`] main future, so that a pause made
/// from anywhere reaches it.
static DRIVERS: Mutex<Option<HashMap<u16, Waker>>> = Mutex::new(None);

/// Whether some loop of the process has a virtual clock: the one relaxed
/// load every hook of this module costs when none has.
#[inline]
pub(crate) fn any_virtual() -> bool {
    VIRTUAL.load(Ordering::Relaxed) != 0
}

/// The virtual clock of the loop numbered `number`, if it has one.
pub(crate) fn of(number: u16) -> Option<Arc<Clock>> {
    // Nothing panics while it is held.
    let clocks = CLOCKS.read().unwrap_or_else(PoisonError::into_inner);
    clocks.as_ref()?.get(&number).cloned()
}

fn clocks_mut() -> RwLockWriteGuard<'static, Option<HashMap<u16, Arc<Clock>>>> {
    CLOCKS.write().unwrap_or_else(PoisonError::into_inner)
}

/// The virtual clock of the current loop, if it has one.
pub(crate) fn current() -> Option<Arc<Clock>> {
    of(crate::event_loop::current_number())
}

/// The clock of the loop numbered `number`, made if it has none.
fn of_or_new(number: u16) -> Arc<Clock> {
    let mut clocks = clocks_mut();
    let clocks = clocks.get_or_insert_with(HashMap::new);
    Arc::clone(clocks.entry(number).or_insert_with(|| {
        VIRTUAL.fetch_add(1, Ordering::Relaxed);
        Arc::new_cyclic(|me| Clock::new(me.clone()))
    }))
}

/// The loop numbered `number` is gone: so is its clock (its number may
/// be given to a new loop at once).
pub(crate) fn loop_dropped(number: u16) {
    if !any_virtual() {
        return;
    }
    let removed = clocks_mut()
        .as_mut()
        .and_then(|clocks| clocks.remove(&number));
    if let Some(clock) = removed {
        VIRTUAL.fetch_sub(1, Ordering::Relaxed);
        // Whoever still waits on it waits in real time from now on.
        clock.wake_timers();
    }
}

/// Pauses the clock of the loop numbered `number`; false if it already was.
pub(crate) fn pause(number: u16) -> bool {
    let clock = of_or_new(number);
    if !clock.pause() {
        return false;
    }
    // Every task of the loop and its main future poll again, now tracked,
    // and their timers move to the paused clock.
    let tasks = if crate::task::live::counts(number).is_empty() {
        Vec::new()
    } else {
        crate::task::SlotRef::snapshot(number)
    };
    for task in tasks {
        let id = clock.track(task.index()).id;
        clock.notify(id);
        if !task.wake() {
            // Not suspended: running its first poll (it is tracked from its
            // next one) or about to.
            clock.take(id);
        }
    }
    let driver = lock(&DRIVERS)
        .as_ref()
        .and_then(|drivers| drivers.get(&number).cloned());
    if let Some(driver) = driver {
        driver.wake();
    }
    true
}

/// A task was spawned on the loop numbered `number`, in slot `index`: if
/// the loop is paused, the task is runnable until its first poll.
pub(crate) fn spawned(number: u16, index: u32) {
    if let Some(clock) = of(number).filter(|clock| clock.is_paused()) {
        let id = clock.track(index).id;
        clock.notify(id);
    }
}

/// The task in slot `index` of the loop numbered `number` ended without
/// a last poll (the backend dropped it): it is no longer runnable.
pub(crate) fn forget(number: u16, index: u32) {
    if let Some(clock) = of(number) {
        clock.forget(index);
    }
}

/// Polls the task in slot `index` of the loop numbered `number` with
/// `poll`: tracked (see the module's docs) if the loop is paused.
pub(crate) fn poll_task<R>(
    number: u16,
    index: u32,
    cx: &mut Context<'_>,
    poll: impl FnOnce(&mut Context<'_>) -> Poll<R>,
) -> Poll<R> {
    let Some(clock) = of(number).filter(|clock| clock.is_paused()) else {
        return poll(cx);
    };
    let track = clock.track(index);
    let epoch = clock.begin(track.id);
    let waker = track.waker(cx.waker());
    let polled = poll(&mut Context::from_waker(&waker));
    if polled.is_ready() {
        clock.forget(index);
    }
    clock.end(epoch);
    polled
}

/// A loop's virtual clock.
pub(crate) struct Clock {
    me: Weak<Clock>,
    state: Mutex<State>,
}

struct State {
    paused: bool,
    /// The virtual now, while paused.
    frozen: Instant,
    /// How far the virtual clock is ahead of the real one, while it runs.
    offset: Duration,
    /// A virtual instant and the wall-clock time it stands for, from the
    /// first pause.
    wall: (Instant, SystemTime),
    /// The timers waiting on the paused clock: deadline and key, waker.
    timers: BTreeMap<(Instant, u64), Waker>,
    /// Bumped at every pause and resume: tracks and polls of an earlier
    /// epoch count no more.
    epoch: u64,
    /// Polls of the loop's tasks under way, plus tracks notified.
    busy: usize,
    notified: HashSet<u64>,
    /// This epoch's track of each task, by slot.
    tracks: HashMap<u32, Arc<Track>>,
    /// This epoch's track of the main future.
    main: Arc<Track>,
    /// [`Driven`]'s waker, while it runs this loop.
    driver: Option<Waker>,
    /// [`advance`](super::advance) calls waiting for the loop to settle.
    settled: Vec<Waker>,
    /// How often the loop has settled with some waiting.
    settles: u64,
}

/// Keys of timers and tracks.
fn next_key() -> u64 {
    static NEXT: AtomicU64 = AtomicU64::new(1);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

impl Clock {
    fn new(me: Weak<Self>) -> Self {
        let now = Instant::now();
        let main = Arc::new(Track::new(me.clone(), MAIN, 0));
        Self {
            me,
            state: Mutex::new(State {
                paused: false,
                frozen: now,
                offset: Duration::ZERO,
                wall: (now, SystemTime::now()),
                timers: BTreeMap::new(),
                epoch: 0,
                busy: 0,
                notified: HashSet::new(),
                tracks: HashMap::new(),
                main,
                driver: None,
                settled: Vec::new(),
                settles: 0,
            }),
        }
    }

    /// The virtual now.
    pub(crate) fn now(&self) -> Instant {
        lock(&self.state).now()
    }

    /// The wall-clock time that the virtual now stands for.
    pub(crate) fn wall_now(&self) -> SystemTime {
        let state = lock(&self.state);
        let (instant, wall) = state.wall;
        let elapsed = state.now().saturating_duration_since(instant);
        wall.checked_add(elapsed).unwrap_or(wall)
    }

    pub(crate) fn is_paused(&self) -> bool {
        lock(&self.state).paused
    }

    /// Stops the clock; false if it was stopped.
    fn pause(&self) -> bool {
        let mut state = lock(&self.state);
        if state.paused {
            return false;
        }
        state.frozen = state.now();
        state.paused = true;
        state.new_epoch(&self.me);
        true
    }

    /// Starts the clock again, ahead of real time by what it jumped; false
    /// if it was running. Every timer waiting on it is woken, to wait on
    /// the backend's clock instead.
    pub(crate) fn resume(&self) -> bool {
        let (timers, settled) = {
            let mut state = lock(&self.state);
            if !state.paused {
                return false;
            }
            state.offset = state.frozen.saturating_duration_since(Instant::now());
            state.paused = false;
            state.new_epoch(&self.me);
            (std::mem::take(&mut state.timers), state.take_settled())
        };
        timers.into_values().chain(settled).for_each(Waker::wake);
        true
    }

    /// Moves the paused clock to `to` (if later) and fires the timers due;
    /// false if it is not paused.
    pub(crate) fn advance_to(&self, to: Instant) -> bool {
        let due = {
            let mut state = lock(&self.state);
            if !state.paused {
                return false;
            }
            state.frozen = state.frozen.max(to);
            state.take_due()
        };
        due.into_iter().for_each(Waker::wake);
        true
    }

    /// Whether the loop has settled (no task of it running or woken) since
    /// `since`, a count this returned before; if not (or with `None`),
    /// `waker` is woken when it next does, and the count to pass next
    /// time is returned. A clock that is not paused has settled.
    pub(crate) fn settled_since(&self, since: Option<u64>, waker: &Waker) -> Result<(), u64> {
        let mut state = lock(&self.state);
        if !state.paused || since.is_some_and(|since| since != state.settles) {
            return Ok(());
        }
        if !state.settled.iter().any(|w| w.will_wake(waker)) {
            state.settled.push(waker.clone());
        }
        Err(state.settles)
    }

    /// The virtual now, and how far ahead of real time the clock runs if
    /// it is not paused (`None` while it is).
    pub(crate) fn read(&self) -> (Instant, Option<Duration>) {
        let state = lock(&self.state);
        (state.now(), (!state.paused).then_some(state.offset))
    }

    /// Registers `waker` to be woken when the paused clock reaches
    /// `deadline`; `key` tells the timer's registrations apart.
    pub(crate) fn register(&self, deadline: Instant, key: u64, waker: &Waker) {
        let replaced = lock(&self.state)
            .timers
            .insert((deadline, key), waker.clone());
        drop(replaced);
    }

    pub(crate) fn deregister(&self, deadline: Instant, key: u64) {
        let removed = lock(&self.state).timers.remove(&(deadline, key));
        drop(removed);
    }

    /// A new key for a timer.
    pub(crate) fn key() -> u64 {
        next_key()
    }

    /// Wakes every timer of the clock: it is going away.
    fn wake_timers(&self) {
        let timers = std::mem::take(&mut lock(&self.state).timers);
        timers.into_values().for_each(Waker::wake);
    }

    /// This epoch's track of the task in slot `index`.
    fn track(&self, index: u32) -> Arc<Track> {
        let mut state = lock(&self.state);
        let epoch = state.epoch;
        Arc::clone(
            state
                .tracks
                .entry(index)
                .or_insert_with(|| Arc::new(Track::new(self.me.clone(), index, epoch))),
        )
    }

    /// Marks `track`'s task runnable, once.
    fn notify(&self, id: Id) {
        let mut state = lock(&self.state);
        if state.paused && state.is_live(id) && state.notified.insert(id.key) {
            state.busy += 1;
        }
    }

    /// Takes `track`'s runnable mark, if it has one.
    fn take(&self, id: Id) {
        let idle = {
            let mut state = lock(&self.state);
            state.notified.remove(&id.key) && state.release()
        };
        if idle {
            self.on_idle();
        }
    }

    /// A poll of `track`'s task begins: busy, then no longer notified.
    fn begin(&self, id: Id) -> u64 {
        let mut state = lock(&self.state);
        state.busy += 1;
        if state.notified.remove(&id.key) {
            state.busy -= 1;
        }
        state.epoch
    }

    /// A poll that began in `epoch` has ended.
    fn end(&self, epoch: u64) {
        let idle = {
            let mut state = lock(&self.state);
            state.epoch == epoch && state.release()
        };
        if idle {
            self.on_idle();
        }
    }

    /// The task in slot `index` has ended.
    fn forget(&self, index: u32) {
        let idle = {
            let mut state = lock(&self.state);
            match state.tracks.remove(&index) {
                Some(track) => state.notified.remove(&track.id.key) && state.release(),
                None => false,
            }
        };
        if idle {
            self.on_idle();
        }
    }

    /// Nothing of the loop runs: wakes the `advance` calls waiting for
    /// that (they count as busy again as they are woken), then the driver.
    fn on_idle(&self) {
        let (settled, driver) = {
            let mut state = lock(&self.state);
            (state.take_settled(), state.driver.clone())
        };
        settled.into_iter().for_each(Waker::wake);
        if let Some(driver) = driver {
            driver.wake();
        }
    }

    /// The driver's turn, after a poll of the main future: if nothing of
    /// the loop runs, the clock jumps to the earliest timer and fires the
    /// timers due then. True if it fired timers that nobody tracked woke
    /// (so the driver should look again soon rather than wait).
    fn drive(&self) -> bool {
        let (due, settled) = {
            let mut state = lock(&self.state);
            if !state.paused || state.busy != 0 {
                return false;
            }
            if !state.settled.is_empty() {
                (Vec::new(), state.take_settled())
            } else if let Some(&(earliest, _)) = state.timers.keys().next() {
                state.frozen = state.frozen.max(earliest);
                (state.take_due(), Vec::new())
            } else {
                return false;
            }
        };
        let fired = !due.is_empty();
        due.into_iter().chain(settled).for_each(Waker::wake);
        fired && lock(&self.state).busy == 0
    }
}

impl State {
    fn now(&self) -> Instant {
        if self.paused {
            return self.frozen;
        }
        let now = Instant::now();
        now.checked_add(self.offset).unwrap_or(now)
    }

    /// Forgets the tracks and the busy count of the last epoch.
    fn new_epoch(&mut self, clock: &Weak<Clock>) {
        self.epoch += 1;
        self.busy = 0;
        self.notified.clear();
        self.tracks.clear();
        self.main = Arc::new(Track::new(clock.clone(), MAIN, self.epoch));
    }

    fn is_live(&self, id: Id) -> bool {
        let live = if id.slot == MAIN {
            Some(&self.main)
        } else {
            self.tracks.get(&id.slot)
        };
        id.epoch == self.epoch && live.is_some_and(|track| track.id.key == id.key)
    }

    /// One busy less; true if that was the last.
    fn release(&mut self) -> bool {
        self.busy = self.busy.saturating_sub(1);
        self.busy == 0
    }

    /// The loop has settled: the `advance` calls waiting, for waking.
    fn take_settled(&mut self) -> Vec<Waker> {
        if self.settled.is_empty() {
            return Vec::new();
        }
        self.settles += 1;
        std::mem::take(&mut self.settled)
    }

    /// Removes the timers due at the virtual now, for waking.
    fn take_due(&mut self) -> Vec<Waker> {
        let later = self.timers.split_off(&(self.frozen, u64::MAX));
        std::mem::replace(&mut self.timers, later)
            .into_values()
            .collect()
    }
}

/// Which task (or the main future) of which epoch a [`Track`] is.
#[derive(Clone, Copy)]
struct Id {
    key: u64,
    /// [`MAIN`] for the main future.
    slot: u32,
    epoch: u64,
}

/// The slot number of the main future's track.
const MAIN: u32 = u32::MAX;

/// A task (or the main future) of a paused loop, for counting it as
/// runnable: see the module's docs.
struct Track {
    id: Id,
    clock: Weak<Clock>,
    /// The last waker given and the tracked one made of it.
    cached: Mutex<Option<(Waker, Waker)>>,
}

impl Track {
    fn new(clock: Weak<Clock>, slot: u32, epoch: u64) -> Self {
        Self {
            id: Id {
                key: next_key(),
                slot,
                epoch,
            },
            clock,
            cached: Mutex::new(None),
        }
    }

    /// `inner`, tracked: waking it marks this track's task runnable.
    fn waker(&self, inner: &Waker) -> Waker {
        let mut cached = lock(&self.cached);
        if let Some((given, tracked)) = &*cached {
            if given.will_wake(inner) {
                return tracked.clone();
            }
        }
        let tracked = Waker::from(Arc::new(Tracked {
            clock: self.clock.clone(),
            id: self.id,
            inner: inner.clone(),
        }));
        let replaced = cached.replace((inner.clone(), tracked.clone()));
        drop(cached);
        drop(replaced);
        tracked
    }
}

/// A waker of a tracked task. It names its track rather than holding it,
/// so that the track's cache of it makes no cycle.
struct Tracked {
    clock: Weak<Clock>,
    id: Id,
    inner: Waker,
}

impl Wake for Tracked {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        if let Some(clock) = self.clock.upgrade() {
            clock.notify(self.id);
        }
        self.inner.wake_by_ref();
    }
}

pin_project_lite::pin_project! {
    /// The main future of `run_until_complete`, which also drives the
    /// loop's clock while it is paused: after each poll of the main
    /// future, if nothing of the loop runs, the clock jumps to the next
    /// timer (see the module's docs). While no clock of the process is
    /// virtual, a poll is the main future's, after one relaxed load.
    pub(crate) struct Driven<F> {
        #[pin]
        main: F,
        number: u16,
        registered: bool,
    }

    impl<F> PinnedDrop for Driven<F> {
        fn drop(this: Pin<&mut Self>) {
            let this = this.project();
            if *this.registered {
                let removed = lock(&DRIVERS)
                    .as_mut()
                    .and_then(|drivers| drivers.remove(this.number));
                drop(removed);
            }
        }
    }
}

impl<F> Driven<F> {
    pub(crate) fn new(number: u16, main: F) -> Self {
        Self {
            main,
            number,
            registered: false,
        }
    }
}

impl<F: Future> Future for Driven<F> {
    type Output = F::Output;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        let this = self.project();
        if !*this.registered {
            // Once per run: where a `pause` from anywhere finds this loop's driver.
            let replaced = lock(&DRIVERS)
                .get_or_insert_with(HashMap::new)
                .insert(*this.number, cx.waker().clone());
            drop(replaced);
            *this.registered = true;
        }
        if !any_virtual() {
            return this.main.poll(cx);
        }
        drive(*this.number, this.main, cx)
    }
}

/// [`Driven`]'s poll while some clock is virtual.
#[cold]
#[inline(never)]
fn drive<F: Future>(number: u16, main: Pin<&mut F>, cx: &mut Context<'_>) -> Poll<F::Output> {
    let Some(clock) = of(number) else {
        return main.poll(cx);
    };
    let main_track = {
        let mut state = lock(&clock.state);
        if !state
            .driver
            .as_ref()
            .is_some_and(|w| w.will_wake(cx.waker()))
        {
            state.driver = Some(cx.waker().clone());
        }
        state.paused.then(|| Arc::clone(&state.main))
    };
    let Some(main_track) = main_track else {
        return main.poll(cx);
    };
    {
        // Taken quietly: the driver looks at the count itself below.
        let mut state = lock(&clock.state);
        if state.notified.remove(&main_track.id.key) {
            state.busy = state.busy.saturating_sub(1);
        }
    }
    let waker = main_track.waker(cx.waker());
    if let Poll::Ready(output) = main.poll(&mut Context::from_waker(&waker)) {
        return Poll::Ready(output);
    }
    if clock.drive() {
        cx.waker().wake_by_ref();
    }
    Poll::Pending
}
