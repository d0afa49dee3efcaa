//! Parsing `schedule!`'s input.
//!
//! # Modes and expressions
//!
//! The input starts with an optional *mode word* — `create_task`,
//! `ensure_future`, `after`, `at`, `every` or `cron` — and then an expression. A
//! leading identifier is a mode word only when what follows cannot continue
//! an expression, i.e. when it is directly followed by another identifier
//! or keyword (except `as`), a literal, a lifetime or `#`:
//!
//! * `schedule!(create_task fetch(url))`: mode `create_task`, expression
//!   `fetch(url)`;
//! * `schedule!(create_task(fetch(url)))`: *one expression*, a call of a
//!   function named `create_task`, scheduled with `create_task` (the
//!   parentheses make it an ordinary call, as anywhere in Rust);
//! * `schedule!(after (delay) => tick())`: for `after`, `at` and `every`
//!   only, the word is also a mode when it is followed by an expression and
//!   `=>`, since `=>` cannot follow an ordinary expression here;
//! * `schedule!(create_tsk fetch(url))`: an unknown mode word, reported
//!   with the nearest valid one;
//! * `schedule!(after)` or `schedule!(create_task, name = "x")`: a mode word
//!   without its expression is an error; to schedule a variable with such a
//!   name, write it as a raw identifier (`schedule!(r#after)`) — raw
//!   identifiers and keywords are never mode words.
//!
//! A block after a mode word is its expression:
//! `schedule!(create_task { job(1) })`, not a struct literal.
//!
//! `every`'s period written as a literal zero (`Duration::ZERO`,
//! `Duration::from_millis(0)`, `Duration::new(0, 0)`, …) is an error at the
//! period; a zero computed at run time ends the task with a panic (see
//! `cosched::every`).
//!
//! `cron "EXPR" => EXPR` takes a string literal, which is parsed here, as
//! cosched's runtime parses it (the `cosched-cron` crate): a bad field is
//! an error at the string that names the field, the value and the range
//! (see `super::cron`).
//!
//! Options follow the expression after a comma, in any order: `name = EXPR`,
//! `on = EXPR` and `crate = path` in every mode, after `every` also
//! `missed = skip | delay | burst`, `jitter = DURATION`, `times = N` and
//! `first = now | after_period`, and after `cron` `tz = "Area/City"` (a
//! known IANA name) and `times = N`. They are declared, with where each is
//! allowed, in the table shared with the attributes (`crate::options`).

use proc_macro2::{Delimiter, Ident, Span, TokenStream, TokenTree};
use syn::ext::IdentExt as _;
use syn::parse::{ParseStream, Parser as _};
use syn::{Expr, Token};

use super::cron;
use crate::errors::{Errors, error, error_spanned, tokens_to_string};
use crate::options::{
    self, CRATE, EAGER, FIRST, JITTER, MISSED, ON, Options, Place, PositiveUsize, SCHEDULE_NAME,
    TIMES, TZ, skip_to_comma,
};
use crate::suggest;

/// The modes: a new one is one entry here plus, if it lowers to a new
/// shape of call, one arm in `expand`.
const MODES: &[ModeSpec] = &[
    ModeSpec {
        word: "create_task",
        form: "create_task EXPR",
        follows: Follows::Expr {
            call: "create_task",
        },
    },
    ModeSpec {
        word: "ensure_future",
        form: "ensure_future EXPR",
        follows: Follows::Expr {
            call: "ensure_future",
        },
    },
    ModeSpec {
        word: "after",
        form: "after DURATION => EXPR",
        follows: Follows::Time {
            call: "after",
            what: "delay",
            example: "after Duration::from_secs(1) => my_task(..)",
            periodic: false,
        },
    },
    ModeSpec {
        word: "at",
        form: "at INSTANT => EXPR",
        follows: Follows::Time {
            call: "at",
            what: "instant",
            example: "at Instant::now() + Duration::from_secs(1) => my_task(..)",
            periodic: false,
        },
    },
    ModeSpec {
        word: "every",
        form: "every PERIOD => EXPR",
        follows: Follows::Time {
            call: "every",
            what: "period",
            example: "every Duration::from_secs(1) => my_task(..)",
            periodic: true,
        },
    },
    ModeSpec {
        word: "cron",
        form: "cron \"SEC MIN HOUR DAY MONTH WEEKDAY\" => EXPR",
        follows: Follows::Cron,
    },
];

/// `schedule!(EXPR)`'s mode: `create_task`.
const DEFAULT_CALL: &str = "create_task";

/// One mode of `schedule!`: its word, what follows it, the runtime call.
struct ModeSpec {
    /// The mode word: `after`.
    word: &'static str,
    /// How it is written, for help messages: `after DURATION => EXPR`.
    form: &'static str,
    follows: Follows,
}

/// What follows a mode word, and the runtime call it lowers to.
#[derive(Clone, Copy)]
enum Follows {
    /// `word EXPR`: `krate::call(EXPR)`.
    Expr { call: &'static str },
    /// `word TIME => EXPR`: `krate::create_task(krate::call(TIME, EXPR))`;
    /// when `periodic`, `EXPR` becomes the body of a `move ||` closure (a
    /// new coroutine per run) and a literal zero `TIME` is an error.
    Time {
        call: &'static str,
        /// What `TIME` is, for messages: `delay`.
        what: &'static str,
        /// The mode in use, for help messages.
        example: &'static str,
        periodic: bool,
    },
    /// `cron "EXPR" => EXPR`: `krate::create_task(krate::__private::cron(
    /// "EXPR", TZ).forever(move || EXPR))`; the string is checked here
    /// (see `super::cron`).
    Cron,
}

pub(super) const USAGE: &str = "write `schedule!(my_task(..))`, `schedule!(ensure_future EXPR)` or \
                     `schedule!(after Duration::from_secs(1) => my_task(..))`";

/// What to do with the coroutine: a [`ModeSpec`]'s call, with its time.
pub(super) enum Mode {
    /// `krate::call(EXPR)`.
    Call(&'static str),
    /// `krate::create_task(krate::call(time, EXPR))`, with `move || EXPR`
    /// when `periodic`.
    Timed {
        call: &'static str,
        time: Box<Expr>,
        periodic: bool,
    },
    /// `krate::__private::cron(expr, tz).forever(move || EXPR)`; `expr` is
    /// a string literal that parses, unless an error was recorded.
    Cron { expr: Box<Expr> },
}

/// A parsed `schedule!` invocation.
pub(super) struct Schedule {
    pub(super) mode: Mode,
    /// Where the mode word was written, or the call site for a bare
    /// expression.
    pub(super) mode_span: Span,
    pub(super) expr: Expr,
    pub(super) name: Option<Expr>,
    pub(super) on: Option<Expr>,
    /// `eager`: `Builder::eager`.
    pub(super) eager: bool,
    pub(super) krate: Option<syn::Path>,
    /// `every`'s options (and `cron`'s `times`); all `None` in the other
    /// modes.
    pub(super) policy: Policy,
    /// `cron`'s `tz = ".."`, checked.
    pub(super) tz: Option<syn::LitStr>,
}

/// The options of `every` that make a `cosched::Every`.
#[derive(Default)]
pub(super) struct Policy {
    /// `missed = skip | delay | burst`, as written.
    pub(super) missed: Option<Ident>,
    pub(super) jitter: Option<Expr>,
    pub(super) times: Option<PositiveUsize>,
    /// `first = now | after_period`, as written.
    pub(super) first: Option<Ident>,
}

impl Policy {
    fn from_options(options: &Options) -> Self {
        Self {
            missed: options.word(MISSED.name).cloned(),
            jitter: options.expr(JITTER.name).cloned(),
            times: options.positive_usize(TIMES.name).cloned(),
            first: options.word(FIRST.name).cloned(),
        }
    }

    /// Whether no option was given: then `every` is the plain call.
    pub(super) fn is_default(&self) -> bool {
        self.missed.is_none()
            && self.jitter.is_none()
            && self.times.is_none()
            && self.first.is_none()
    }
}

pub(super) fn parse(input: TokenStream) -> syn::Result<Schedule> {
    let mut errors = Errors::new();
    let parser = |input: ParseStream<'_>| parse_schedule(input, &mut errors);
    match parser.parse2(input) {
        Ok(Some(schedule)) => errors.finish().map(|()| schedule),
        // An error was recorded.
        Ok(None) => Err(errors
            .finish()
            .err()
            .unwrap_or_else(|| error(Span::call_site(), "invalid `schedule!` invocation", USAGE))),
        Err(error) => Err(errors.with(error)),
    }
}

/// Parses everything, reporting problems to `errors` and going on where
/// possible; `None` when the result is unusable (an error was recorded).
fn parse_schedule(input: ParseStream<'_>, errors: &mut Errors) -> syn::Result<Option<Schedule>> {
    if input.is_empty() {
        return Err(error(
            Span::call_site(),
            "`schedule!` needs a coroutine to schedule",
            USAGE,
        ));
    }
    let parsed = match mode_word(input) {
        None => Some((
            Mode::Call(DEFAULT_CALL),
            Span::call_site(),
            parse_expr(input, None)?,
        )),
        Some(word) => parse_mode(input, &word, errors)?,
    };
    // Where the options are, for messages and for which are allowed; after
    // an unknown mode, all are, so that none is reported twice.
    let (place, at) = match &parsed {
        Some((Mode::Timed { periodic: true, .. }, ..)) => {
            (Place::Every, "`schedule!(every ..)`".to_owned())
        }
        Some((Mode::Cron { .. }, ..)) => (Place::Cron, "`schedule!(cron ..)`".to_owned()),
        None => (Place::Every, "`schedule!`".to_owned()),
        Some((Mode::Timed { call, .. }, ..)) => {
            (Place::Schedule, format!("`schedule!({call} ..)`"))
        }
        Some((Mode::Call(_), ..)) => (Place::Schedule, "`schedule!`".to_owned()),
    };
    let options = parse_options(input, place, &at, errors)?;
    let tz = options.str(TZ.name).cloned();
    if let (Some(tz), Some((Mode::Cron { .. }, ..))) = (&tz, &parsed) {
        cron::check_tz(tz, errors);
    }
    Ok(parsed.map(|(mode, mode_span, expr)| Schedule {
        mode,
        mode_span,
        expr,
        name: options.expr(SCHEDULE_NAME.name).cloned(),
        on: options.expr(ON.name).cloned(),
        eager: options.flag(EAGER.name),
        krate: options.path(CRATE.name).cloned(),
        policy: Policy::from_options(&options),
        tz,
    }))
}

/// The mode `word` names, if any.
fn mode_spec(word: &str) -> Option<&'static ModeSpec> {
    MODES.iter().find(|mode| mode.word == word)
}

/// The leading identifier, if it is a mode word (see the module docs).
fn mode_word(input: ParseStream<'_>) -> Option<Ident> {
    // Keywords (`async`, `move`, `match`, …) start expressions.
    if !input.peek(syn::Ident) {
        return None;
    }
    let (word, next) = input.cursor().ident()?;
    if word.to_string().starts_with("r#") {
        return None;
    }
    let is_mode = if let Some((ident, _)) = next.ident() {
        ident != "as"
    } else if next.literal().is_some() || next.lifetime().is_some() {
        true
    } else if let Some((punct, _)) = next.punct() {
        punct.as_char() == '#' || (mode_spec(&word.to_string()).is_some() && punct.as_char() == ',')
    } else if next.eof() || next.group(Delimiter::Brace).is_some() {
        // `create_task { job(1) }`: a block is an expression, and a struct
        // literal of a type named like a mode word is not worth the
        // ambiguity.
        mode_spec(&word.to_string()).is_some()
    } else {
        false
    };
    if is_mode {
        return Some(word);
    }
    // `after (delay) => tick()`.
    if mode_spec(&word.to_string())
        .is_some_and(|mode| matches!(mode.follows, Follows::Time { .. } | Follows::Cron))
    {
        let fork = input.fork();
        let arrow_follows = fork.call(Ident::parse_any).is_ok()
            && fork.parse::<Expr>().is_ok()
            && fork.peek(Token![=>]);
        if arrow_follows {
            return Some(word);
        }
    }
    None
}

type Parsed = Option<(Mode, Span, Expr)>;

fn parse_mode(input: ParseStream<'_>, word: &Ident, errors: &mut Errors) -> syn::Result<Parsed> {
    input.call(Ident::parse_any)?;
    let span = word.span();
    let Some(spec) = mode_spec(&word.to_string()) else {
        let unknown = word.to_string();
        let words: Vec<&str> = MODES.iter().map(|mode| mode.word).collect();
        let forms: Vec<String> = MODES
            .iter()
            .map(|mode| format!("`{}`", mode.form))
            .collect();
        let forms = match forms.split_last() {
            Some((last, [])) => last.clone(),
            Some((last, init)) => format!("{} and {last}", init.join(", ")),
            None => String::new(),
        };
        errors.push(error(
            span,
            format!("unknown `schedule!` mode `{unknown}`"),
            format!(
                "{}modes are {forms}; or write just `EXPR`",
                suggest::did_you_mean(&unknown, &words)
            ),
        ));
        // Go on with `EXPR` or `EXPR => EXPR` to find the options; their
        // own syntax errors would only repeat this one.
        let _ = input.parse::<Expr>().and_then(|_| {
            if input.parse::<Option<Token![=>]>>()?.is_some() {
                input.parse::<Expr>()?;
            }
            Ok(())
        });
        skip_to_comma(input)?;
        return Ok(None);
    };
    let parsed = match spec.follows {
        Follows::Expr { call } => (Mode::Call(call), span, parse_expr(input, Some(word))?),
        Follows::Time {
            call,
            what,
            example,
            periodic,
        } => {
            let (time, expr) = parse_timed(input, word, what, example)?;
            if periodic && is_literal_zero(&time) {
                errors.push(error_spanned(
                    &time,
                    format!("the {what} of `{word}` is zero, which would run back to back forever"),
                    format!("a {what} must be positive: `{word} Duration::from_millis(100) => ..`"),
                ));
            }
            (
                Mode::Timed {
                    call,
                    time: Box::new(time),
                    periodic,
                },
                span,
                expr,
            )
        }
        Follows::Cron => {
            let (cron, expr) = parse_timed(
                input,
                word,
                "cron expression",
                "cron \"0 */5 * * * *\" => my_task(..)",
            )?;
            cron::check_expr(word, &cron, errors);
            (
                Mode::Cron {
                    expr: Box::new(cron),
                },
                span,
                expr,
            )
        }
    };
    Ok(Some(parsed))
}

/// The expression after `word` (or the whole input when `word` is `None`).
fn parse_expr(input: ParseStream<'_>, word: Option<&Ident>) -> syn::Result<Expr> {
    if let Some(word) = word {
        if input.is_empty() || input.peek(Token![,]) {
            return Err(error(
                word.span(),
                format!("missing the coroutine after `{word}`"),
                format!(
                    "write `schedule!({word} my_task(..))`; to schedule a variable named \
                     `{word}`, write `schedule!(r#{word})`"
                ),
            ));
        }
    }
    input.parse::<Expr>().map_err(|e| {
        let what = word.map_or_else(String::new, |word| format!(" after `{word}`"));
        error(
            e.span(),
            format!("expected an expression{what}: {e}"),
            USAGE,
        )
    })
}

/// `TIME => EXPR` after `after`, `at` or `every`; `what` names the time and
/// `example` shows the mode in use, for messages.
fn parse_timed(
    input: ParseStream<'_>,
    word: &Ident,
    what: &str,
    example: &str,
) -> syn::Result<(Expr, Expr)> {
    if input.is_empty() || input.peek(Token![,]) {
        return Err(error(
            word.span(),
            format!("missing the {what} and the coroutine after `{word}`"),
            format!(
                "write `schedule!({example})`; to schedule a variable named `{word}`, write \
                 `schedule!(r#{word})`"
            ),
        ));
    }
    let time = input.parse::<Expr>().map_err(|e| {
        error(
            e.span(),
            format!("expected the {what} after `{word}`: {e}"),
            format!("write `schedule!({example})`"),
        )
    })?;
    if !input.peek(Token![=>]) {
        let span_error = if input.is_empty() {
            error_spanned(
                &time,
                format!("expected `=>` after the {what} of `{word}`"),
                format!("write `schedule!({example})`"),
            )
        } else {
            let found: TokenStream = input
                .fork()
                .parse::<TokenTree>()
                .map(Into::into)
                .unwrap_or_default();
            error(
                input.span(),
                format!(
                    "expected `=>` after the {what} of `{word}`, found `{}`",
                    tokens_to_string(&found)
                ),
                format!("write `schedule!({example})`"),
            )
        };
        return Err(span_error);
    }
    let arrow: Token![=>] = input.parse()?;
    if input.is_empty() || input.peek(Token![,]) {
        return Err(error_spanned(
            arrow,
            "missing the coroutine after `=>`",
            format!("write `schedule!({example})`"),
        ));
    }
    let expr = input.parse::<Expr>().map_err(|e| {
        error(
            e.span(),
            format!("expected the coroutine after `=>`: {e}"),
            format!("write `schedule!({example})`"),
        )
    })?;
    Ok((time, expr))
}

/// Whether `expr` is a zero `Duration` written as a literal:
/// `Duration::ZERO`, `Duration::from_secs(0)` (and `from_millis`,
/// `from_micros`, `from_nanos`, `from_secs_f64(0.0)`, `from_secs_f32`),
/// `Duration::new(0, 0)`, with any path to `Duration`, in parentheses or
/// not. A zero computed at run time is the runtime's to report (see
/// `cosched::every`).
fn is_literal_zero(expr: &Expr) -> bool {
    /// `[.., Duration, last]`'s `last`.
    fn duration_item(path: &syn::Path) -> Option<String> {
        let mut segments = path.segments.iter().rev();
        let last = segments.next()?;
        let ty = segments.next()?;
        (ty.ident == "Duration" && ty.arguments.is_none()).then(|| last.ident.to_string())
    }
    fn zero(expr: &Expr) -> bool {
        match expr {
            Expr::Lit(syn::ExprLit {
                lit: syn::Lit::Int(int),
                ..
            }) => int.base10_parse::<u128>().is_ok_and(|n| n == 0),
            Expr::Lit(syn::ExprLit {
                lit: syn::Lit::Float(float),
                ..
            }) => float
                .base10_parse::<f64>()
                .is_ok_and(|x| x.classify() == std::num::FpCategory::Zero),
            Expr::Paren(paren) => zero(&paren.expr),
            Expr::Group(group) => zero(&group.expr),
            _ => false,
        }
    }
    match expr {
        Expr::Paren(paren) => is_literal_zero(&paren.expr),
        Expr::Group(group) => is_literal_zero(&group.expr),
        Expr::Path(path) if path.qself.is_none() => {
            duration_item(&path.path).is_some_and(|item| item == "ZERO")
        }
        Expr::Call(call) => {
            let Expr::Path(func) = &*call.func else {
                return false;
            };
            let Some(item) = func
                .qself
                .is_none()
                .then(|| duration_item(&func.path))
                .flatten()
            else {
                return false;
            };
            let args: Vec<&Expr> = call.args.iter().collect();
            match (item.as_str(), args.as_slice()) {
                (
                    "from_secs" | "from_millis" | "from_micros" | "from_nanos" | "from_secs_f64"
                    | "from_secs_f32",
                    [arg],
                ) => zero(arg),
                ("new", [secs, nanos]) => zero(secs) && zero(nanos),
                _ => false,
            }
        }
        _ => false,
    }
}

/// `, key = value, ..` after the expression (see `crate::options`).
fn parse_options(
    input: ParseStream<'_>,
    place: Place,
    at: &str,
    errors: &mut Errors,
) -> syn::Result<Options> {
    if input.is_empty() {
        return Ok(Options::default());
    }
    if !input.peek(Token![,]) {
        let rest: TokenStream = input.parse()?;
        errors.push(error_spanned(
            &rest,
            format!(
                "unexpected `{}` after the expression",
                tokens_to_string(&rest)
            ),
            "options go after a comma: `schedule!(my_task(..), name = \"worker\", on = \
             event_loop)`",
        ));
        return Ok(Options::default());
    }
    input.parse::<Token![,]>()?;
    options::parse_list(input, place, at, errors)
}
