//! The plans: how each task of a run is meant to end ([`Outcome`]) and how
//! it gets onto the loop ([`Route`]), drawn by the [`Planner`] from a
//! seeded xorshift ([`Rng`]) unit by unit: a single task, a task and the
//! task it schedules, a group and its owner, or a periodic task. The same
//! seed gives the same plans.

/// How one task is meant to end.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Outcome {
    /// Returns [`value`] of its id.
    Ok,
    /// Panics with [`PANIC_PREFIX`] and its id.
    Panic,
    /// Cancelled right after it was created; waits at a gate meanwhile.
    CancelBeforeStart,
    /// Cancelled once it has reached its gate.
    CancelSuspended,
    /// Cancelled after it has finished: `cancel()` is false, the result stays.
    CancelAfterDone,
    /// Cancelled right after it was created, with no gate: it may finish
    /// first (`Ok`, and its body ran to the end) or not (`Cancelled`, and
    /// its body did not run to the end).
    CancelRacing,
    /// Awaited with `wait_for` and a 1 ms timeout while at its gate: the
    /// timeout drops the `Join`, which cancels the task.
    TimedOut,
    /// Detached at its gate, for `run` to cancel when the program ends.
    LeftRunning,
}

/// How a task gets onto the loop.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Route {
    /// `schedule!(create_task work(..))` on the loop's thread.
    CreateTask,
    /// `schedule!(ensure_future work(..))`.
    EnsureFuture,
    /// `schedule!(ensure_future task)` of a task: the same task back.
    PassThrough,
    /// `work(..).spawn()`.
    Spawn,
    /// `schedule!(work(..), name = ..)`.
    Named,
    /// A `#[task(local)]` coroutine, run on the loop's thread.
    Local,
    /// A `#[task(limit = 8)]` coroutine: at most 8 of them run at once,
    /// the others wait their turn (and may be cancelled while waiting).
    Limited,
    /// Scheduled by one of the OS threads onto the loop.
    Thread,
    /// Scheduled by another task (which counts as one more task).
    Nested,
    /// A member of a `TaskGroup`.
    Group,
    /// `schedule!(every .. => ..)`.
    Every,
}

pub(crate) const ROUTES: [Route; 11] = [
    Route::CreateTask,
    Route::EnsureFuture,
    Route::PassThrough,
    Route::Spawn,
    Route::Named,
    Route::Local,
    Route::Limited,
    Route::Thread,
    Route::Nested,
    Route::Group,
    Route::Every,
];

/// One task's plan.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Plan {
    /// Its index in the run, 0..tasks.
    pub(crate) id: usize,
    pub(crate) outcome: Outcome,
    pub(crate) route: Route,
    /// `yield_now()`s before it does anything else.
    pub(crate) yields: u8,
    /// Milliseconds it sleeps before it returns or panics.
    pub(crate) sleep_ms: u8,
}

/// Scheduled together.
#[derive(Debug)]
pub(crate) enum Unit {
    Single(Plan),
    /// A spawner task (`parent`) that schedules `child`.
    Nested {
        parent: usize,
        child: Plan,
    },
    /// A `TaskGroup` joined by a task of its own (`owner`); if `failing`,
    /// its first member panics.
    Group {
        owner: usize,
        members: Vec<Plan>,
        failing: bool,
    },
    /// A periodic task, cancelled after `TICKS` ticks.
    Every {
        id: usize,
    },
}

impl Unit {
    pub(crate) fn tasks(&self) -> usize {
        match self {
            Self::Single(_) | Self::Every { .. } => 1,
            Self::Nested { .. } => 2,
            Self::Group { members, .. } => members.len() + 1,
        }
    }
}

/// The message of a planned panic is this and the task's id.
pub(crate) const PANIC_PREFIX: &str = "cosched stress: planned panic of task ";

/// Ticks a periodic task runs before it is cancelled.
pub(crate) const TICKS: usize = 3;

/// The value task `id` returns.
pub(crate) fn value(id: usize) -> u64 {
    (id as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ 0xC05C
}

/// xorshift64*: small, fast, deterministic, good enough for plans.
#[derive(Debug, Clone)]
pub(crate) struct Rng(u64);

impl Rng {
    pub(crate) fn new(seed: u64) -> Self {
        Self(seed | 1)
    }

    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// A number in `0..n`.
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    fn small(&mut self, n: u8) -> u8 {
        // Below `n`, so it fits.
        u8::try_from(self.below(u64::from(n))).unwrap_or(0)
    }
}

/// Makes the plans, unit by unit, until `tasks` tasks are planned.
pub(crate) struct Planner {
    pub(crate) rng: Rng,
    pub(crate) next_id: usize,
    pub(crate) tasks: usize,
}

impl Planner {
    pub(crate) fn remaining(&self) -> usize {
        self.tasks - self.next_id
    }

    fn id(&mut self) -> usize {
        let id = self.next_id;
        self.next_id += 1;
        id
    }

    pub(crate) fn unit(&mut self) -> Unit {
        let roll = self.rng.below(1000);
        let remaining = self.remaining();
        if roll < 2 {
            return Unit::Every { id: self.id() };
        }
        if roll < 14 && remaining >= 3 {
            // Groups of 2 to 8 and their owner; half of the groups with a
            // member that panics.
            let owner = self.id();
            let size = (2 + self.rng.below(7)).min(remaining as u64 - 1);
            let failing = self.rng.below(2) == 0;
            let members = (0..size)
                .map(|index| {
                    let panics = failing && index == 0;
                    Plan {
                        id: self.id(),
                        outcome: if panics { Outcome::Panic } else { Outcome::Ok },
                        route: Route::Group,
                        yields: self.rng.small(3),
                        // Beside a panic, most members are still sleeping
                        // when it comes (and are cancelled); some are done.
                        sleep_ms: match (failing, panics) {
                            (true, false) if self.rng.below(4) != 0 => 2 + self.rng.small(20),
                            (false, _) if self.rng.below(10) == 0 => 1,
                            _ => 0,
                        },
                    }
                })
                .collect();
            return Unit::Group {
                owner,
                members,
                failing,
            };
        }
        // 10% panic, 10% are cancelled: 2% at each of four points, 1% by
        // a timeout, 1% by `run`'s shutdown.
        let outcome = match self.rng.below(100) {
            0..10 => Outcome::Panic,
            10..12 => Outcome::CancelBeforeStart,
            12..14 => Outcome::CancelSuspended,
            14..16 => Outcome::CancelAfterDone,
            16..18 => Outcome::CancelRacing,
            18 => Outcome::TimedOut,
            19 => Outcome::LeftRunning,
            _ => Outcome::Ok,
        };
        let mut route = match self.rng.below(100) {
            0..8 => Route::Thread,
            8..10 if remaining >= 2 => Route::Nested,
            10..15 => Route::Local,
            15..30 => Route::EnsureFuture,
            30..35 => Route::PassThrough,
            35..55 => Route::Spawn,
            55..60 => Route::Named,
            60..66 => Route::Limited,
            _ => Route::CreateTask,
        };
        // A limited task waiting at a gate would hold one of the 8 slots
        // until it is cancelled, and starve the others meanwhile.
        if route == Route::Limited
            && matches!(
                outcome,
                Outcome::CancelSuspended | Outcome::TimedOut | Outcome::LeftRunning
            )
        {
            route = Route::CreateTask;
        }
        // Half the cancels-before-start on the loop's thread are local,
        // where "never started" can be checked exactly.
        if outcome == Outcome::CancelBeforeStart && route != Route::Thread && self.rng.below(2) == 0
        {
            route = Route::Local;
        }
        let parent = (route == Route::Nested).then(|| self.id());
        let child = Plan {
            id: self.id(),
            outcome,
            route,
            yields: self.rng.small(if outcome == Outcome::CancelRacing {
                8
            } else {
                3
            }),
            sleep_ms: u8::from(
                matches!(outcome, Outcome::Ok | Outcome::Panic) && self.rng.below(20) == 0,
            ),
        };
        match parent {
            Some(parent) => Unit::Nested { parent, child },
            None => Unit::Single(child),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plans_are_deterministic_and_count_every_task() {
        let plan = |seed| {
            let mut planner = Planner {
                rng: Rng::new(seed),
                next_id: 0,
                tasks: 5_000,
            };
            let mut units = Vec::new();
            while planner.remaining() > 0 {
                units.push(format!("{:?}", planner.unit()));
            }
            units
        };
        assert_eq!(plan(7), plan(7));
        assert_ne!(plan(7), plan(8));
        let mut planner = Planner {
            rng: Rng::new(1),
            next_id: 0,
            tasks: 5_000,
        };
        let mut tasks = 0;
        while planner.remaining() > 0 {
            tasks += planner.unit().tasks();
        }
        assert_eq!(tasks, 5_000);
    }
}
