//! Cron schedules: [`Schedule`], what `schedule!(cron ..)` lowers to, and
//! its runner.
//!
//! The expression is croner's (through `cosched-cron`, the set-up the
//! macro checks literals with), in a time zone of jiff's. Fire times are
//! on the wall clock (`crate::time::wall_now`); each wait is turned into a
//! deadline on the monotonic clock (`now() + (fire - wall_now())`) for
//! `sleep_until`, and checked against the wall clock again when it is over.
//! Both are the loop's clock: on a paused one, `wall_now` is the
//! `SystemTime` the virtual now stands for, so cron runs in virtual time.

use std::future::Future;
use std::time::SystemTime;

use jiff::Zoned;
use jiff::tz::{TimeZone, TimeZoneDatabase};

use crate::coroutine::{Coroutine, Named, Spawnable};
use crate::time;

/// A cron schedule in a time zone: when `schedule!(cron "EXPR" => ..)`
/// runs its coroutine, parsed at run time with [`Schedule::parse`], and
/// the next fire times by [`upcoming`](Schedule::upcoming), so that a test
/// can check a schedule without waiting for it.
///
/// An expression has six fields, **seconds first** (as tokio-cron-scheduler
/// and Quartz write them, unlike crontab's five):
///
/// ```text
/// ┌──────────── second        0-59
/// │ ┌────────── minute        0-59
/// │ │ ┌──────── hour          0-23
/// │ │ │ ┌────── day of month  1-31, L (the last), 15W (the weekday nearest the 15th)
/// │ │ │ │ ┌──── month         1-12 or JAN-DEC
/// │ │ │ │ │ ┌── day of week   0-7 or SUN-SAT (0 and 7 are Sunday), FRI#2, FRI#L
/// 0 */5 * * * *               every 5 minutes
/// ```
///
/// with `*`, lists `a,b`, ranges `a-b` and steps `*/n`, `a-b/n` in every
/// field, or one of the nicknames `@yearly`, `@monthly`, `@weekly`,
/// `@daily`, `@hourly`. When both day fields are restricted, a day matches
/// either (Vixie cron's rule); `+` before the day of week asks for both
/// (`0 0 0 13 * +FRI`, each Friday the 13th).
///
/// # Time zones and daylight saving time
///
/// The fields are read as the wall clock of the time zone (an IANA name,
/// `"Europe/Berlin"`; `"UTC"` by default in `schedule!`). Where the clock
/// jumps, the rules are Vixie cron's, as croner implements them:
///
/// * **A time that does not exist** (spring forward: in Berlin on the last
///   Sunday of March, 02:00 is followed by 03:00) runs **once, at the
///   first instant after the gap**, when the schedule names that time of
///   day exactly (its second, minute and hour fields are plain numbers):
///   `0 30 2 * * *` runs at 03:00 that day. Schedules with `*` or a step in
///   those fields skip the times in the gap and go on at their next time
///   after it: `0 */15 * * * *` runs at 01:45, then 03:00.
/// * **A time that occurs twice** (fall back: on the last Sunday of
///   October, 02:00 to 02:59 happens twice) runs **once, at its first
///   occurrence**, when the schedule names it exactly: `0 30 2 * * *` runs
///   at 02:30 summer time only. Schedules with `*` or a step run in both,
///   as real time passes: `0 */15 * * * *` runs every 15 minutes of the
///   doubled hour, eight times.
///
/// ```
/// use std::time::SystemTime;
/// use cosched::Schedule;
///
/// // 09:30 on weekdays, Berlin time.
/// let schedule = Schedule::parse("0 30 9 * * MON-FRI", "Europe/Berlin").unwrap();
/// let after: SystemTime = "2025-01-03T12:00:00Z".parse::<jiff::Timestamp>().unwrap().into();
/// let next: Vec<String> = schedule
///     .upcoming(after)
///     .take(2)
///     .map(|at| jiff::Timestamp::try_from(at).unwrap().to_string())
///     .collect();
/// // Friday the 3rd is past 09:30; Monday the 6th, 09:30 CET is 08:30 UTC.
/// assert_eq!(next, ["2025-01-06T08:30:00Z", "2025-01-07T08:30:00Z"]);
///
/// let error = Schedule::parse("0 30 25 * * *", "UTC").unwrap_err();
/// assert!(error.to_string().starts_with("`25` is out of range for the hour field"));
/// ```
///
/// (`jiff` there is the test's own dependency, for writing instants;
/// cosched's API is `SystemTime`.)
///
/// # As a task
///
/// [`forever`](Schedule::forever) and [`times`](Schedule::times) make the
/// coroutine that runs `make()`'s coroutine at each fire time, as
/// `schedule!(cron "EXPR" => EXPR, tz = "..", times = N)` does. Runs never
/// overlap: a run that outlasts the next fire time makes the fire times it
/// overran skipped, and the next run is at the first fire time after it
/// ends (as `every`'s default, [`Missed::Skip`](crate::Missed::Skip)).
/// `make` is called for the first run when the coroutine is created, which
/// names the task after its fn.
///
/// Fire times are read on the wall clock (`SystemTime`). Each wait is a
/// timer on the monotonic clock, set from the wall clock when the wait
/// starts, and the wall clock is read again when it is over: a clock set
/// back during a wait delays the run until the wall clock says so; a clock
/// set forward is seen when the timer is over. On a
/// [paused](crate::time::pause) clock both are virtual
/// ([`time::wall_now`](crate::time::wall_now) moves with
/// [`time::now`](crate::time::now)): the runs are at their fire times
/// exactly, and a test of a week of them takes no time.
#[derive(Debug, Clone)]
pub struct Schedule {
    cron: cosched_cron::Cron,
    zone: TimeZone,
    expr: Box<str>,
    zone_name: Box<str>,
}

/// Why [`Schedule::parse`] refused an expression or a time zone: which
/// field, what it holds, what it takes, and an example (the same words as
/// `schedule!(cron ..)`'s compile errors).
///
/// ```
/// let error = cosched::Schedule::parse("0 0 9 * * MONDAY", "UTC").unwrap_err();
/// assert_eq!(
///     error.to_string(),
///     "`MONDAY` is not a valid day of week in the cron expression, which takes 0-7 or SUN-SAT \
///      (0 and 7 are Sunday); besides 0-7 or SUN-SAT (0 and 7 are Sunday), the day of week \
///      field takes `*`, lists, ranges, steps, `FRI#2` (the 2nd Friday), `FRI#L` (the last): \
///      `0 30 9 * * MON-FRI` runs at 09:30 on weekdays",
/// );
/// let error = cosched::Schedule::parse("@daily", "Europe/Berln").unwrap_err();
/// assert!(error.to_string().starts_with("unknown time zone `Europe/Berln`"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CronError(cosched_cron::Error);

impl std::fmt::Display for CronError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

impl std::error::Error for CronError {}

impl Schedule {
    /// Parses a cron expression (six fields, seconds first) in the time
    /// zone named `tz` (`"UTC"`, `"Europe/Berlin"`): for expressions known
    /// only at run time; `schedule!(cron "EXPR" => ..)` checks a literal at
    /// compile time. The zone is looked up in the system's time zone
    /// database, then in the one bundled with cosched (the one
    /// `schedule!` checks names against).
    ///
    /// # Errors
    ///
    /// A [`CronError`] naming the field, the value and what it takes, or
    /// the unknown time zone.
    ///
    /// ```
    /// let schedule = cosched::Schedule::parse("0 */5 * * * *", "UTC").unwrap();
    /// assert_eq!(schedule.expr(), "0 */5 * * * *");
    /// assert!(cosched::Schedule::parse("0 */5 * * *", "UTC").is_err()); // no seconds field
    /// ```
    pub fn parse(expr: &str, tz: &str) -> Result<Self, CronError> {
        let cron = cosched_cron::parse(expr).map_err(CronError)?;
        let zone = time_zone(tz)?;
        Ok(Self {
            cron,
            zone,
            expr: expr.into(),
            zone_name: tz.into(),
        })
    }

    /// The expression, as given.
    ///
    /// ```
    /// let schedule = cosched::Schedule::parse("@hourly", "UTC").unwrap();
    /// assert_eq!(schedule.expr(), "@hourly");
    /// ```
    pub fn expr(&self) -> &str {
        &self.expr
    }

    /// The time zone's name, as given.
    ///
    /// ```
    /// let schedule = cosched::Schedule::parse("@hourly", "Asia/Tokyo").unwrap();
    /// assert_eq!(schedule.time_zone(), "Asia/Tokyo");
    /// ```
    pub fn time_zone(&self) -> &str {
        &self.zone_name
    }

    /// The fire times after `after` (strictly), in order: with
    /// `.take(n)`, the next `n`. The iterator ends only past what the
    /// schedule can reach (an expression that never matches, such as
    /// February 30th, ends it at once, after a search of some years).
    ///
    /// ```
    /// use std::time::{Duration, SystemTime};
    /// let schedule = cosched::Schedule::parse("*/10 * * * * *", "UTC").unwrap();
    /// let now = SystemTime::now();
    /// let next: Vec<SystemTime> = schedule.upcoming(now).take(3).collect();
    /// assert!(next[0] > now);
    /// assert_eq!(next[1].duration_since(next[0]).unwrap(), Duration::from_secs(10));
    /// assert_eq!(next[2].duration_since(next[1]).unwrap(), Duration::from_secs(10));
    /// ```
    pub fn upcoming(&self, after: SystemTime) -> Upcoming<'_> {
        let after = jiff::Timestamp::try_from(after)
            .ok()
            .map(|at| at.to_zoned(self.zone.clone()));
        Upcoming {
            schedule: self,
            after,
        }
    }

    /// The first fire time after `after`, with its zone's offset: the one
    /// to start the next search from, which says which half of a doubled
    /// hour the search is in.
    fn next_after(&self, after: &Zoned) -> Option<Zoned> {
        self.cron.find_next_occurrence(after, false).ok()
    }

    /// A coroutine that runs `make()`'s coroutine at each fire time, until
    /// it is cancelled (see [As a task](Schedule#as-a-task)).
    ///
    /// ```
    /// use std::sync::atomic::{AtomicUsize, Ordering};
    /// use std::sync::Arc;
    /// # cosched::run(async {
    /// let runs = Arc::new(AtomicUsize::new(0));
    /// let counter = Arc::clone(&runs);
    /// let schedule = cosched::Schedule::parse("* * * * * *", "UTC").unwrap();
    /// let task = cosched::create_task(schedule.forever(move || {
    ///     let counter = Arc::clone(&counter);
    ///     async move { counter.fetch_add(1, Ordering::SeqCst); }
    /// }));
    /// while runs.load(Ordering::SeqCst) < 1 {
    ///     cosched::sleep(std::time::Duration::from_millis(10)).await;
    /// }
    /// assert!(task.cancel());
    /// # });
    /// ```
    pub fn forever<C, M>(self, make: M) -> Coroutine<impl Future<Output = ()>, C::Kind>
    where
        C: Spawnable,
        M: FnMut() -> C + 'static,
    {
        Checked(Ok(self)).forever(make)
    }

    /// A coroutine that runs `make()`'s coroutine at the next `n` fire
    /// times and outputs the last run's output (as
    /// [`Every::times`](crate::Every::times), which says why not the
    /// count). `n = 0` ends the task with an error before any run.
    ///
    /// ```
    /// # cosched::run(async {
    /// let schedule = cosched::Schedule::parse("* * * * * *", "UTC").unwrap();
    /// let task = cosched::create_task(schedule.times(1, || async { "fired" }));
    /// assert_eq!(task.await, Ok("fired"));
    /// # });
    /// ```
    pub fn times<C, M>(
        self,
        n: usize,
        make: M,
    ) -> Coroutine<impl Future<Output = C::Output>, C::Kind>
    where
        C: Spawnable,
        M: FnMut() -> C + 'static,
    {
        Checked(Ok(self)).times(n, make)
    }
}

impl std::fmt::Display for Schedule {
    /// `0 */5 * * * * (Europe/Berlin)`.
    ///
    /// ```
    /// let schedule = cosched::Schedule::parse("0 */5 * * * *", "Europe/Berlin").unwrap();
    /// assert_eq!(schedule.to_string(), "0 */5 * * * * (Europe/Berlin)");
    /// ```
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} ({})", self.expr, self.zone_name)
    }
}

/// The fire times of a [`Schedule`] after an instant:
/// [`Schedule::upcoming`].
///
/// ```
/// let schedule = cosched::Schedule::parse("@daily", "UTC").unwrap();
/// let mut upcoming: cosched::Upcoming<'_> = schedule.upcoming(std::time::SystemTime::UNIX_EPOCH);
/// let first = upcoming.next().unwrap();
/// assert_eq!(first.duration_since(std::time::SystemTime::UNIX_EPOCH).unwrap().as_secs(), 86_400);
/// ```
#[derive(Debug, Clone)]
pub struct Upcoming<'a> {
    schedule: &'a Schedule,
    /// The last fire time (or the start), with its offset; `None` once
    /// over.
    after: Option<Zoned>,
}

impl Iterator for Upcoming<'_> {
    type Item = SystemTime;

    fn next(&mut self) -> Option<SystemTime> {
        let after = self.after.take()?;
        let next = self.schedule.next_after(&after)?;
        let at = SystemTime::from(next.timestamp());
        self.after = Some(next);
        Some(at)
    }
}

/// The zone named `name`: the system's database, then the bundled one.
fn time_zone(name: &str) -> Result<TimeZone, CronError> {
    if name == "UTC" {
        return Ok(TimeZone::UTC);
    }
    if let Ok(zone) = jiff::tz::db().get(name) {
        return Ok(zone);
    }
    let canonical = cosched_cron::check_time_zone(name).map_err(CronError)?;
    TimeZoneDatabase::bundled()
        .get(canonical)
        .map_err(|_| CronError(cosched_cron::Error::unknown_time_zone(name)))
}

/// A schedule as `schedule!(cron ..)` has it: checked at compile time, so
/// never an error unless the time zone databases disagree, in which case
/// the error is the task's, not a panic of the caller.
#[doc(hidden)]
#[derive(Debug)]
pub struct Checked(Result<Schedule, CronError>);

/// `schedule!(cron "EXPR" => .., tz = "TZ")`'s schedule.
#[doc(hidden)]
pub fn checked(expr: &str, tz: &str) -> Checked {
    Checked(Schedule::parse(expr, tz))
}

impl Checked {
    /// [`Schedule::forever`].
    pub fn forever<C, M>(self, mut make: M) -> Coroutine<impl Future<Output = ()>, C::Kind>
    where
        C: Spawnable,
        M: FnMut() -> C + 'static,
    {
        let (meta, first) = make().into_coroutine().into_parts();
        Coroutine::new(meta, async move {
            // Without a limit, `drive` only ends by being dropped.
            let _: C::Output = drive(self.0, None, first, make).await;
        })
    }

    /// [`Schedule::times`].
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
        Coroutine::new(
            meta,
            async move { drive(self.0, Some(n), first, make).await },
        )
    }
}

/// Runs `first`, then `make()`'s coroutines, at the fire times of
/// `schedule`, `limit` times in all (or forever); the last output.
async fn drive<C, M>(
    schedule: Result<Schedule, CronError>,
    limit: Option<usize>,
    first: C::Future,
    mut make: M,
) -> C::Output
where
    C: Spawnable,
    M: FnMut() -> C,
{
    let schedule = schedule.unwrap_or_else(|error| panic!("cron: {error}"));
    assert!(limit != Some(0), "{ZERO_TIMES}");
    let mut first = Some(first);
    let mut runs = 0_usize;
    let mut last: Option<Zoned> = None;
    loop {
        // From the last fire time, or from now if that is later: fire
        // times a run overran are skipped, and a clock set back does not
        // repeat a run.
        let Ok(now) = jiff::Timestamp::try_from(time::wall_now()) else {
            return std::future::pending().await;
        };
        let from = match last.take() {
            Some(last) if last.timestamp() >= now => last,
            _ => now.to_zoned(schedule.zone.clone()),
        };
        let Some(next) = schedule.next_after(&from) else {
            // Past what the schedule can reach: no run ever again.
            return std::future::pending().await;
        };
        wait_for_wall_clock(SystemTime::from(next.timestamp())).await;
        let output = match first.take() {
            // The first run names the task after its fn (see `Named`).
            Some(run) => Named::new(run).await,
            None => make().into_coroutine().into_parts().1.await,
        };
        runs += 1;
        if limit == Some(runs) {
            return output;
        }
        last = Some(next);
    }
}

/// Waits until the wall clock reads `at` or later.
async fn wait_for_wall_clock(at: SystemTime) {
    while let Ok(left) = at.duration_since(time::wall_now()) {
        if left.is_zero() {
            return;
        }
        let Some(deadline) = time::now().checked_add(left) else {
            return std::future::pending().await;
        };
        time::sleep_until(deadline).await;
    }
}

/// The panic message of `times(0, ..)`.
const ZERO_TIMES: &str = "cron: `times` is zero; a cron task runs at least once, e.g. `times = 3`";

#[cfg(test)]
mod tests {
    use super::*;

    /// `YYYY-MM-DDTHH:MM:SS` in Berlin, as an instant.
    fn berlin(civil: &str, fold: &str) -> SystemTime {
        // `[Europe/Berlin]` with an explicit offset picks the half of a
        // doubled hour.
        let zoned: Zoned = format!("{civil}{fold}[Europe/Berlin]").parse().unwrap();
        SystemTime::from(zoned.timestamp())
    }

    /// The fire times as Berlin wall-clock strings with their offsets.
    fn fires(expr: &str, after: SystemTime, n: usize) -> Vec<String> {
        let schedule = Schedule::parse(expr, "Europe/Berlin").unwrap();
        schedule
            .upcoming(after)
            .take(n)
            .map(|at| {
                jiff::Timestamp::try_from(at)
                    .unwrap()
                    .to_zoned(TimeZone::get("Europe/Berlin").unwrap())
                    .strftime("%d %H:%M:%S%:z")
                    .to_string()
            })
            .collect()
    }

    // Spring forward in Berlin: 2025-03-30, 02:00 CET becomes 03:00 CEST.

    #[test]
    fn spring_forward_a_time_in_the_gap_runs_once_at_the_first_instant_after_it() {
        let after = berlin("2025-03-29T12:00:00", "+01:00");
        assert_eq!(
            fires("0 30 2 * * *", after, 3),
            [
                "30 03:00:00+02:00",
                "31 02:30:00+02:00",
                "01 02:30:00+02:00"
            ],
        );
    }

    #[test]
    fn spring_forward_a_time_before_the_gap_runs_once() {
        let after = berlin("2025-03-29T12:00:00", "+01:00");
        assert_eq!(
            fires("0 30 1 * * *", after, 2),
            ["30 01:30:00+01:00", "31 01:30:00+02:00"],
        );
    }

    #[test]
    fn spring_forward_intervals_skip_the_gap() {
        let after = berlin("2025-03-30T01:40:00", "+01:00");
        assert_eq!(
            fires("0 */15 * * * *", after, 3),
            [
                "30 01:45:00+01:00",
                "30 03:00:00+02:00",
                "30 03:15:00+02:00"
            ],
        );
    }

    // Fall back in Berlin: 2025-10-26, 03:00 CEST becomes 02:00 CET, so
    // 02:00-02:59 happens twice.

    #[test]
    fn fall_back_a_doubled_time_runs_once_at_its_first_occurrence() {
        let after = berlin("2025-10-25T12:00:00", "+02:00");
        assert_eq!(
            fires("0 30 2 * * *", after, 3),
            [
                "26 02:30:00+02:00",
                "27 02:30:00+01:00",
                "28 02:30:00+01:00"
            ],
        );
        // Searched from between the two occurrences, it is not run again.
        let between = berlin("2025-10-26T02:45:00", "+02:00");
        assert_eq!(fires("0 30 2 * * *", between, 1), ["27 02:30:00+01:00"]);
    }

    #[test]
    fn fall_back_intervals_run_in_both_halves() {
        let after = berlin("2025-10-26T01:59:00", "+02:00");
        assert_eq!(
            fires("0 0,30 * * * *", after, 5),
            [
                "26 02:00:00+02:00",
                "26 02:30:00+02:00",
                "26 02:00:00+01:00",
                "26 02:30:00+01:00",
                "26 03:00:00+01:00",
            ],
        );
    }

    #[test]
    fn utc_and_sub_second_starts() {
        let schedule = Schedule::parse("*/1 * * * * *", "UTC").unwrap();
        let start = SystemTime::UNIX_EPOCH + std::time::Duration::from_millis(1_500);
        let next: Vec<u64> = schedule
            .upcoming(start)
            .take(2)
            .map(|at| {
                at.duration_since(SystemTime::UNIX_EPOCH)
                    .unwrap()
                    .as_millis()
            })
            .map(|ms| u64::try_from(ms).unwrap())
            .collect();
        assert_eq!(next, [2_000, 3_000]);
    }

    #[test]
    fn a_schedule_that_never_fires_has_no_upcoming_times() {
        let schedule = Schedule::parse("0 0 0 30 2 *", "UTC").unwrap();
        assert_eq!(schedule.upcoming(SystemTime::UNIX_EPOCH).next(), None);
    }

    #[test]
    fn time_zones_resolve_through_either_database() {
        assert!(time_zone("UTC").is_ok());
        assert!(time_zone("Europe/Berlin").is_ok());
        assert!(time_zone("europe/berlin").is_ok());
        let error = time_zone("Europe/Berln").unwrap_err();
        assert!(
            error
                .to_string()
                .starts_with("unknown time zone `Europe/Berln`")
        );
    }
}
