//! Periodic tasks: [`Every`], the policy behind `schedule!(every ..)` and
//! [`every`](crate::every), and the runner that follows it.
//!
//! A run's start has a *scheduled* time on a grid of periods from the
//! task's first poll (the origin); [`Missed`] says how the grid goes on when
//! a run outlasts its period, jitter delays each start past its scheduled
//! time without moving the grid, and [`FirstRun`] places the first start.
//! All time is read through `crate::time` (`now`, `sleep_until`), the one
//! clock of the crate.

use std::collections::hash_map::RandomState;
use std::future::Future;
use std::hash::{BuildHasher as _, Hash as _, Hasher as _};
use std::time::{Duration, Instant};

use crate::coroutine::{Coroutine, Named, Spawnable};
use crate::time;

/// What a periodic task does when a run outlasts its period, so that the
/// starts it overran were *missed*: tokio's `MissedTickBehavior`, for runs
/// rather than ticks. `schedule!(every P => .., missed = skip | delay |
/// burst)`.
///
/// With a period of 10 ms and a first run that takes 35 ms (the starts at
/// 10, 20 and 30 ms are missed), later runs taking no time
/// (`cargo run --example schedule` prints the same):
///
/// | policy | the runs start at, in ms | the grid |
/// | --- | --- | --- |
/// | [`Skip`](Missed::Skip) (the default) | 0, 40, 50, 60, … | kept; the missed starts are dropped |
/// | [`Delay`](Missed::Delay) | 0, 35 (at once), 45, 55, … | moved to the late start |
/// | [`Burst`](Missed::Burst) | 0, 35, 35, 35 (at once, back to back), 40, 50, … | kept; every missed start is run |
///
/// # Why `Skip` is the default
///
/// tokio's `interval` defaults to `Burst`, and its users keep switching
/// away from it: after a stall (a slow run, a busy executor, a laptop that
/// slept for hours) `Burst` runs every missed start back to back, which
/// comes out as reconnect storms and CPU spikes (lightningdevkit/ldk-sample
/// #108, farion1231/cc-switch#5165), rate limits hit
/// (blockworks-foundation/mango-v4#840, breez/breez-sdk-greenlight#867),
/// about a thousand events after a long suspend (screenpipe/screenpipe
/// #4174) or bursts of requests nobody wanted (nats-io/nats.rs#875,
/// oxidecomputer/omicron#9428, cardano-foundation/jormungandr#3503,
/// EmbarkStudios/quilkin#1301); tokio added the choice for that reason
/// (tokio-rs/tokio#3574, #3721). A periodic *task* (a poll, a heartbeat, a
/// report) almost always wants the next run on schedule and none of the
/// stale ones, so that is the default; `Burst` is there for counting
/// ticks, where each missed start must be made up.
///
/// `Skip` differs from tokio's in one point: tokio runs the late tick at
/// once and then goes back to the grid, so a run that always takes 1.5
/// periods is followed at once by the next one, forever; here the late
/// start is skipped too, so every start is on the grid and runs that
/// overrun still leave the rest of the period free. For one late run at
/// once, take [`Delay`](Missed::Delay).
///
/// ```
/// use std::sync::atomic::{AtomicUsize, Ordering};
/// use std::sync::Arc;
/// use std::time::Duration;
/// use cosched::{Every, Missed};
///
/// # cosched::run(async {
/// let runs = Arc::new(AtomicUsize::new(0));
/// let counter = Arc::clone(&runs);
/// // The first run takes 5 periods; with `Burst` the 4 starts it missed
/// // run at once after it, so 3 runs more are made up at once.
/// let every = Every::new(Duration::from_millis(2)).missed(Missed::Burst);
/// let task = cosched::create_task(every.times(4, move || {
///     let n = counter.fetch_add(1, Ordering::SeqCst);
///     async move {
///         if n == 0 {
///             cosched::sleep(Duration::from_millis(10)).await;
///         }
///         n
///     }
/// }));
/// assert_eq!(task.await, Ok(3)); // the last run's output
/// assert_eq!(runs.load(Ordering::SeqCst), 4);
/// # });
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Missed {
    /// The missed starts are dropped: the next run starts at the first
    /// period boundary after the late run's end (`missed = skip`).
    #[default]
    Skip,
    /// The next run starts at once, and later starts are a period apart
    /// from that one: the grid moves, and starts are never less than a
    /// period apart (`missed = delay`).
    Delay,
    /// Every missed start is run, at once and back to back, until the runs
    /// are back on the grid (`missed = burst`).
    Burst,
}

/// When a periodic task's first run starts: at once (the default, and
/// `every`'s behaviour before there was a choice), or one period after the
/// task starts, like every later run. `schedule!(every P => .., first = now
/// | after_period)`.
///
/// ```
/// use std::time::{Duration, Instant};
/// use cosched::{Every, FirstRun};
///
/// # cosched::run(async {
/// let created = Instant::now();
/// let every = Every::new(Duration::from_millis(20)).first(FirstRun::AfterPeriod);
/// let task = cosched::create_task(every.times(1, || async { Instant::now() }));
/// let started = task.await.unwrap();
/// assert!(started >= created + Duration::from_millis(20)); // a timer never fires early
/// # });
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum FirstRun {
    /// The first run starts when the task does (`first = now`).
    #[default]
    Now,
    /// The first run starts a period after the task does
    /// (`first = after_period`).
    AfterPeriod,
}

/// How a periodic task runs: the period, what happens to [missed](Missed)
/// starts, a random jitter, when the [first run](FirstRun) starts.
/// `schedule!(every ..)` with options lowers to it; [`every`](crate::every)
/// is `Every::new(period).forever(make)`.
///
/// Runs never overlap: `make` is called for a new coroutine before each run
/// (for the first one when the coroutine is made, which gives the task its
/// name) and the next start is only computed when a run has ended. A
/// panicking run ends the task with that panic.
///
/// * [`forever`](Every::forever) runs until the task is cancelled.
/// * [`times(n, ..)`](Every::times) stops after `n` runs, and the task's
///   output is the **last run's output**. Not the count of runs: that would
///   always be `n`, since a run that panics ends the task with the panic
///   and a cancel ends it `Cancelled`, so it would say nothing; the last
///   output does (the final poll's answer, say), and is `()` for runs that
///   return nothing. Missed starts that were skipped do not count: `n` is
///   the number of runs.
/// * [`jitter(j)`](Every::jitter) delays each start, the first included, by
///   a random offset in `[0, j)`, drawn anew for each start, so that many
///   tasks with the same period do not all start at the same instant. The
///   offsets do not move the grid: run *n* is still scheduled *n* periods
///   after the first, and an offset longer than the period only makes a
///   run late (and so, under `Skip`, a start missed). The random source is
///   a xorshift generator per task, seeded from std's per-process random
///   hash keys and the task's id: not for cryptography.
///
/// A zero period would run back to back forever, a core spinning: it ends
/// the task, before any run, with
/// [`TaskError::Panicked`](crate::TaskError::Panicked)`("every: the period
/// is zero ..")`, and so does `times(0, ..)` (there would be no output);
/// both are compile errors when written as literals in `schedule!`. The
/// error is the task's, not a panic of the caller: the loop and the other
/// tasks go on.
///
/// ```
/// use std::time::Duration;
/// use cosched::{Every, FirstRun, Missed};
///
/// #[cosched::task]
/// async fn poll(n: u32) -> u32 {
///     n * 10
/// }
///
/// # cosched::run(async {
/// let mut n = 0;
/// let every = Every::new(Duration::from_millis(5))
///     .missed(Missed::Delay)
///     .jitter(Duration::from_millis(2))
///     .first(FirstRun::AfterPeriod);
/// let task = cosched::create_task(every.times(3, move || {
///     n += 1;
///     poll(n)
/// }));
/// assert_eq!(task.await, Ok(30));
///
/// // The same with the macro:
/// let task = cosched::schedule!(every Duration::from_millis(5) => poll(1),
///     missed = delay, jitter = Duration::from_millis(2), times = 3, first = after_period);
/// assert_eq!(task.await, Ok(10));
/// # });
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[must_use = "an `Every` does nothing until `forever` or `times` makes its coroutine"]
pub struct Every {
    period: Duration,
    missed: Missed,
    jitter: Duration,
    first: FirstRun,
}

impl Every {
    /// A run every `period`: missed starts skipped, no jitter, the first
    /// run at once.
    ///
    /// ```
    /// use std::time::Duration;
    /// let every = cosched::Every::new(Duration::from_secs(1));
    /// assert_eq!(every.period(), Duration::from_secs(1));
    /// assert_eq!(every, every.missed(cosched::Missed::Skip));
    /// ```
    pub const fn new(period: Duration) -> Self {
        Self {
            period,
            missed: Missed::Skip,
            jitter: Duration::ZERO,
            first: FirstRun::Now,
        }
    }

    /// The period.
    ///
    /// ```
    /// use std::time::Duration;
    /// assert_eq!(cosched::Every::new(Duration::from_millis(5)).period(), Duration::from_millis(5));
    /// ```
    pub const fn period(&self) -> Duration {
        self.period
    }

    /// What happens to missed starts (see [`Missed`]).
    ///
    /// ```
    /// use std::time::Duration;
    /// use cosched::{Every, Missed};
    /// let every = Every::new(Duration::from_secs(1)).missed(Missed::Delay);
    /// assert_ne!(every, Every::new(Duration::from_secs(1)));
    /// ```
    pub const fn missed(mut self, missed: Missed) -> Self {
        self.missed = missed;
        self
    }

    /// Delays each start by a random offset in `[0, jitter)`; zero (the
    /// default) is none.
    ///
    /// ```
    /// use std::time::Duration;
    /// use cosched::Every;
    /// let every = Every::new(Duration::from_secs(60)).jitter(Duration::from_secs(5));
    /// assert_ne!(every, Every::new(Duration::from_secs(60)));
    /// ```
    pub const fn jitter(mut self, jitter: Duration) -> Self {
        self.jitter = jitter;
        self
    }

    /// When the first run starts (see [`FirstRun`]).
    ///
    /// ```
    /// use std::time::Duration;
    /// use cosched::{Every, FirstRun};
    /// let every = Every::new(Duration::from_secs(1)).first(FirstRun::AfterPeriod);
    /// assert_ne!(every, Every::new(Duration::from_secs(1)));
    /// ```
    pub const fn first(mut self, first: FirstRun) -> Self {
        self.first = first;
        self
    }

    /// A coroutine that runs `make()`'s coroutine by this policy until it
    /// is cancelled.
    ///
    /// ```
    /// use std::sync::atomic::{AtomicUsize, Ordering};
    /// use std::sync::Arc;
    /// use std::time::Duration;
    /// # cosched::run(async {
    /// let runs = Arc::new(AtomicUsize::new(0));
    /// let counter = Arc::clone(&runs);
    /// let every = cosched::Every::new(Duration::from_millis(2));
    /// let task = cosched::create_task(every.forever(move || {
    ///     let counter = Arc::clone(&counter);
    ///     async move { counter.fetch_add(1, Ordering::SeqCst); }
    /// }));
    /// while runs.load(Ordering::SeqCst) < 3 {
    ///     cosched::sleep(Duration::from_millis(1)).await;
    /// }
    /// assert!(task.cancel());
    /// # });
    /// ```
    pub fn forever<C, M>(self, mut make: M) -> Coroutine<impl Future<Output = ()>, C::Kind>
    where
        C: Spawnable,
        M: FnMut() -> C + 'static,
    {
        let (meta, first) = make().into_coroutine().into_parts();
        Coroutine::new(meta, async move {
            // Without a limit, `drive` only ends by being dropped.
            let _: C::Output = self.drive(None, first, make).await;
        })
    }

    /// A coroutine that runs `make()`'s coroutine `n` times by this policy
    /// and outputs the last run's output (see [`Every`] for why not the
    /// count). `n = 0` ends the task with an error before any run.
    ///
    /// ```
    /// use std::time::Duration;
    /// # cosched::run(async {
    /// let mut n = 0;
    /// let every = cosched::Every::new(Duration::from_millis(1));
    /// let task = cosched::create_task(every.times(3, move || {
    ///     n += 1;
    ///     async move { n }
    /// }));
    /// assert_eq!(task.await, Ok(3));
    /// # });
    /// ```
    pub fn times<C, M>(
        self,
        n: usize,
        mut make: M,
    ) -> Coroutine<impl Future<Output = C::Output>, C::Kind>
    where
        C: Spawnable,
        M: FnMut() -> C + 'static,
    {
        let (meta, first) = make().into_coroutine().into_parts();
        Coroutine::new(meta, async move { self.drive(Some(n), first, make).await })
    }

    /// Runs `first`, then `make()`'s coroutines, `limit` times in all (or
    /// forever); the last output.
    async fn drive<C, M>(self, limit: Option<usize>, first: C::Future, mut make: M) -> C::Output
    where
        C: Spawnable,
        M: FnMut() -> C,
    {
        assert!(!self.period.is_zero(), "{ZERO_PERIOD}");
        assert!(limit != Some(0), "{ZERO_TIMES}");
        let origin = time::now();
        let mut jitter = Jitter::new(self.jitter, origin);
        let mut scheduled = match self.first {
            FirstRun::Now => Some(origin),
            FirstRun::AfterPeriod => origin.checked_add(self.period),
        };
        let mut first = Some(first);
        let mut runs = 0_usize;
        loop {
            // A start past what `Instant` can hold never comes.
            let Some(start) = scheduled.and_then(|at| at.checked_add(jitter.offset())) else {
                return std::future::pending().await;
            };
            time::sleep_until(start).await;
            let output = match first.take() {
                // The first run names the task after its fn (see `Named`).
                Some(run) => Named::new(run).await,
                None => make().into_coroutine().into_parts().1.await,
            };
            runs += 1;
            if limit == Some(runs) {
                return output;
            }
            scheduled = scheduled.and_then(|at| self.missed.next(at, self.period, time::now()));
        }
    }
}

/// The panic message of a periodic task with a zero period.
const ZERO_PERIOD: &str =
    "every: the period is zero; a period must be positive, e.g. `Duration::from_millis(100)`";

/// The panic message of `times(0, ..)`.
const ZERO_TIMES: &str =
    "every: `times` is zero; a periodic task runs at least once, e.g. `times = 3`";

impl Missed {
    /// The scheduled start after one at `previous`, given that the run
    /// ended at `now`; `None` past what `Instant` can hold.
    fn next(self, previous: Instant, period: Duration, now: Instant) -> Option<Instant> {
        let next = previous.checked_add(period)?;
        if next > now {
            return Some(next);
        }
        match self {
            // Late: at once, for each missed start in turn.
            Self::Burst => Some(next),
            // Late: at once, and the grid moves here.
            Self::Delay => Some(now),
            Self::Skip => {
                let behind = now.duration_since(next).as_nanos();
                let skipped = behind / period.as_nanos() + 1;
                // More than u32::MAX periods behind only happens with
                // periods of a few nanoseconds; then starting now is as
                // good as any boundary.
                let boundary = u32::try_from(skipped)
                    .ok()
                    .and_then(|skipped| period.checked_mul(skipped))
                    .and_then(|skipped| next.checked_add(skipped));
                Some(boundary.unwrap_or(now))
            }
        }
    }
}

/// Random offsets in `[0, max)`: xorshift64*, seeded per task.
struct Jitter {
    max_nanos: u64,
    state: u64,
}

impl Jitter {
    fn new(max: Duration, origin: Instant) -> Self {
        let max_nanos = u64::try_from(max.as_nanos()).unwrap_or(u64::MAX);
        let state = if max_nanos == 0 {
            0
        } else {
            // `RandomState` is seeded from the OS once per thread and
            // stepped per value: a different seed per task, no dependency.
            let mut hasher = RandomState::new().build_hasher();
            crate::current_task()
                .map(|task| task.id())
                .hash(&mut hasher);
            origin.hash(&mut hasher);
            hasher.finish()
        };
        Self::seeded(max_nanos, state)
    }

    fn seeded(max_nanos: u64, seed: u64) -> Self {
        Self {
            max_nanos,
            // xorshift's one fixed point is 0.
            state: seed | 1,
        }
    }

    fn offset(&mut self) -> Duration {
        if self.max_nanos == 0 {
            return Duration::ZERO;
        }
        let mut x = self.state;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.state = x;
        let random = x.wrapping_mul(0x2545_F491_4F6C_DD1D);
        // `random / 2^64` of the range: below `max_nanos`, without the
        // bias of `%`.
        let nanos = (u128::from(random) * u128::from(self.max_nanos)) >> 64;
        Duration::from_nanos(u64::try_from(nanos).unwrap_or(0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(n: u64) -> Duration {
        Duration::from_millis(n)
    }

    #[test]
    fn on_time_every_policy_goes_one_period_on() {
        let t0 = Instant::now();
        for missed in [Missed::Skip, Missed::Delay, Missed::Burst] {
            assert_eq!(missed.next(t0, ms(10), t0), Some(t0 + ms(10)));
            assert_eq!(missed.next(t0, ms(10), t0 + ms(9)), Some(t0 + ms(10)));
        }
    }

    #[test]
    fn skip_drops_the_missed_starts_and_keeps_the_grid() {
        let t0 = Instant::now();
        // A run that took 25 ms skips the 10 and 20 ms starts.
        assert_eq!(
            Missed::Skip.next(t0, ms(10), t0 + ms(25)),
            Some(t0 + ms(30))
        );
        assert_eq!(
            Missed::Skip.next(t0, ms(10), t0 + ms(30)),
            Some(t0 + ms(40))
        );
    }

    #[test]
    fn delay_starts_at_once_and_moves_the_grid() {
        let t0 = Instant::now();
        let late = Missed::Delay.next(t0, ms(10), t0 + ms(25));
        assert_eq!(late, Some(t0 + ms(25)));
        // Then one period on from the late start.
        assert_eq!(
            Missed::Delay.next(t0 + ms(25), ms(10), t0 + ms(26)),
            Some(t0 + ms(35))
        );
    }

    #[test]
    fn burst_runs_each_missed_start() {
        let t0 = Instant::now();
        let end = t0 + ms(25);
        let mut starts = Vec::new();
        let mut at = t0;
        while let Some(next) = Missed::Burst.next(at, ms(10), end) {
            at = next;
            starts.push(next.duration_since(t0));
            if next > end {
                break;
            }
        }
        assert_eq!(starts, [ms(10), ms(20), ms(30)]);
    }

    #[test]
    fn jitter_stays_in_range_and_varies() {
        for seed in [0, 1, 42, u64::MAX] {
            let mut jitter = Jitter::seeded(1_000, seed);
            let offsets: Vec<Duration> = (0..1_000).map(|_| jitter.offset()).collect();
            assert!(
                offsets.iter().all(|o| *o < Duration::from_micros(1)),
                "{seed}"
            );
            let low = offsets
                .iter()
                .filter(|o| **o < Duration::from_nanos(500))
                .count();
            // Both halves of the range are drawn (about 500 each).
            assert!((300..700).contains(&low), "{seed}: {low}");
        }
        // A huge jitter does not overflow.
        let mut huge = Jitter::seeded(u64::MAX, 7);
        assert!(huge.offset() < Duration::from_nanos(u64::MAX));
        assert_eq!(Jitter::seeded(0, 7).offset(), Duration::ZERO);
    }

    #[test]
    fn seeds_differ_between_tasks() {
        let now = Instant::now();
        let a = Jitter::new(ms(1), now).state;
        let b = Jitter::new(ms(1), now).state;
        assert_ne!(a, b);
        assert_eq!(Jitter::new(Duration::ZERO, now).offset(), Duration::ZERO);
    }
}
