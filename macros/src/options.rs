//! The options of every macro, in one table ([`OPTIONS`]: each option's
//! name, kind of value, example and where it is allowed), and their parser.
//!
//! `#[task(..)]`, `#[main(..)]`, `#[test(..)]` and the options after
//! `schedule!`'s expression are all read by [`parse_list`]: a
//! comma-separated list of keys (any identifier, keywords such as `crate`
//! included), each with `= value` unless it is a flag. A new option is one
//! [`Spec`] in [`OPTIONS`], plus its use in the macro's expansion; an
//! option written where it is not allowed (`#[task(on = lp)]`,
//! `schedule!(after d => job(), times = 3)`) is an error that says where it
//! belongs. Every problem (unknown key, option not allowed here, duplicate,
//! wrong kind of value) is pushed to the error accumulator, and parsing goes
//! on with the next option.

use proc_macro2::{Ident, Span, TokenStream, TokenTree};
use quote::{ToTokens, quote};
use syn::Token;
use syn::ext::IdentExt as _;
use syn::parse::{ParseStream, Parser as _};

use crate::errors::{Errors, error, error_spanned, tokens_to_string};
use crate::suggest;

/// Where an option may be written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Place {
    /// `#[task(..)]`.
    Task,
    /// `#[main(..)]`.
    Main,
    /// `#[test(..)]`.
    Test,
    /// After `schedule!`'s expression, in every mode.
    Schedule,
    /// After `schedule!(every ..)`'s expression only.
    Every,
    /// After `schedule!(cron ..)`'s expression only.
    Cron,
}

impl Place {
    /// How messages name it: `` `#[task]` ``.
    pub(crate) const fn describe(self) -> &'static str {
        match self {
            Self::Task => "`#[task]`",
            Self::Main => "`#[main]`",
            Self::Test => "`#[test]`",
            Self::Schedule => "`schedule!`",
            Self::Every => "`schedule!(every ..)`",
            Self::Cron => "`schedule!(cron ..)`",
        }
    }

    /// Whether `spec` may be written here: an option of `schedule!` is one
    /// of `schedule!(every ..)` and `schedule!(cron ..)` too.
    fn allows(self, spec: &Spec) -> bool {
        spec.places.contains(&self)
            || (matches!(self, Self::Every | Self::Cron) && spec.places.contains(&Self::Schedule))
    }
}

/// What kind of value an option takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// No value: `local`.
    Flag,
    /// A non-empty string literal: `name = "tick"`.
    Str,
    /// A `usize` of at least 1: an integer literal, checked here
    /// (`limit = 4`), or an expression, which rustc checks to be a
    /// `usize` (and, for [`Eval::Const`], a constant: `limit = 2 * CORES`).
    PositiveUsize(Eval),
    /// A path: `crate = my::reexport::cosched`.
    Path,
    /// Any expression, evaluated where the macro is: `on = event_loop`.
    Expr,
    /// One of these words: `missed = skip`.
    Word(&'static [&'static str]),
}

/// When a [`Kind::PositiveUsize`] that is not a literal is evaluated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Eval {
    /// At compile time: a constant expression (`limit`).
    Const,
    /// At run time: any expression, whose zero is the runtime's to report
    /// (`times`).
    Run,
}

/// One option.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Spec {
    pub(crate) name: &'static str,
    pub(crate) kind: Kind,
    /// How the option is written, for help messages: `name = "tick"`.
    pub(crate) example: &'static str,
    /// What leaving it out does, for help messages: `to use the function's
    /// name`.
    pub(crate) without: &'static str,
    /// Where it is allowed.
    pub(crate) places: &'static [Place],
}

/// `#[task]`'s `name = ".."`: the task-name prefix.
pub(crate) const TASK_NAME: Spec = Spec {
    name: "name",
    kind: Kind::Str,
    example: "name = \"tick\"",
    without: "to use the function's name",
    places: &[Place::Task],
};
/// `#[task]`'s `local`: the body may be `!Send`.
pub(crate) const LOCAL: Spec = Spec {
    name: "local",
    kind: Kind::Flag,
    example: "local",
    without: "",
    places: &[Place::Task],
};
/// `#[task]`'s `limit = N`: at most `N` instances at once.
pub(crate) const LIMIT: Spec = Spec {
    name: "limit",
    kind: Kind::PositiveUsize(Eval::Const),
    example: "limit = 4",
    without: "to allow any number of instances",
    places: &[Place::Task],
};
/// `schedule!`'s `name = EXPR`: the task's name, in full.
pub(crate) const SCHEDULE_NAME: Spec = Spec {
    name: "name",
    kind: Kind::Expr,
    example: "name = \"worker\"",
    without: "",
    places: &[Place::Schedule],
};
/// `schedule!`'s `on = EXPR`: the loop to schedule on.
pub(crate) const ON: Spec = Spec {
    name: "on",
    kind: Kind::Expr,
    example: "on = event_loop",
    without: "",
    places: &[Place::Schedule],
};
/// `schedule!`'s and `#[task]`'s `eager`: run the coroutine at once, on
/// the caller's thread, until it first suspends (`cosched::Builder::eager`;
/// for `#[task]`, each time one of its coroutines is scheduled).
pub(crate) const EAGER: Spec = Spec {
    name: "eager",
    kind: Kind::Flag,
    example: "eager",
    without: "to start it from the scheduler",
    places: &[Place::Task, Place::Schedule],
};
/// `every`'s `missed = skip | delay | burst`: `cosched::Missed`.
pub(crate) const MISSED: Spec = Spec {
    name: "missed",
    kind: Kind::Word(&["skip", "delay", "burst"]),
    example: "missed = delay",
    without: "to skip them",
    places: &[Place::Every],
};
/// `every`'s `jitter = DURATION`: a random delay of each start.
pub(crate) const JITTER: Spec = Spec {
    name: "jitter",
    kind: Kind::Expr,
    example: "jitter = Duration::from_millis(100)",
    without: "",
    places: &[Place::Every],
};
/// `every`'s and `cron`'s `times = N`: stop after `N` runs.
pub(crate) const TIMES: Spec = Spec {
    name: "times",
    kind: Kind::PositiveUsize(Eval::Run),
    example: "times = 3",
    without: "to run until cancelled",
    places: &[Place::Every, Place::Cron],
};
/// `every`'s `first = now | after_period`: `cosched::FirstRun`.
pub(crate) const FIRST: Spec = Spec {
    name: "first",
    kind: Kind::Word(&["now", "after_period"]),
    example: "first = after_period",
    without: "to start at once",
    places: &[Place::Every],
};
/// `cron`'s `tz = "Europe/Berlin"`: the time zone of the fields, an IANA
/// name checked at compile time.
pub(crate) const TZ: Spec = Spec {
    name: "tz",
    kind: Kind::Str,
    example: "tz = \"Europe/Berlin\"",
    without: "to use UTC",
    places: &[Place::Cron],
};
/// `#[test]`'s `allow_lost_panics`: a task may panic with nobody taking
/// its result without failing the test.
pub(crate) const ALLOW_LOST_PANICS: Spec = Spec {
    name: "allow_lost_panics",
    kind: Kind::Flag,
    example: "allow_lost_panics",
    without: "to fail the test on a panic nobody retrieved",
    places: &[Place::Test],
};
/// `#[test]`'s `start_paused`: the test's loop starts with its clock
/// paused (`cosched::time::pause`), as tokio's `start_paused = true`.
pub(crate) const START_PAUSED: Spec = Spec {
    name: "start_paused",
    kind: Kind::Flag,
    example: "start_paused",
    without: "to run the test in real time",
    places: &[Place::Test],
};
/// `crate = path`, which every macro accepts.
pub(crate) const CRATE: Spec = Spec {
    name: "crate",
    kind: Kind::Path,
    example: "crate = my::reexport::cosched",
    without: "",
    places: &[Place::Task, Place::Main, Place::Test, Place::Schedule],
};

/// Every option of every macro, in the order help messages list them.
pub(crate) const OPTIONS: &[Spec] = &[
    TASK_NAME,
    LOCAL,
    LIMIT,
    SCHEDULE_NAME,
    ON,
    EAGER,
    MISSED,
    JITTER,
    TIMES,
    FIRST,
    TZ,
    ALLOW_LOST_PANICS,
    START_PAUSED,
    CRATE,
];

/// A successfully parsed option value.
#[derive(Clone)]
pub(crate) enum Value {
    Flag,
    Str(syn::LitStr),
    PositiveUsize(PositiveUsize),
    Path(syn::Path),
    Expr(Box<syn::Expr>),
    Word(Ident),
}

/// The value of a [`Kind::PositiveUsize`] option.
#[derive(Clone)]
pub(crate) enum PositiveUsize {
    /// An integer literal, at least 1, and where it was written.
    Literal(usize, Span),
    /// Any other expression: rustc checks that it is a `usize` (a constant
    /// one, for [`Eval::Const`]), and the expansion or the runtime that it
    /// is not 0.
    Const(Box<syn::Expr>),
}

impl ToTokens for PositiveUsize {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        match self {
            Self::Literal(n, span) => {
                let mut literal = proc_macro2::Literal::usize_unsuffixed(*n);
                literal.set_span(*span);
                literal.to_tokens(tokens);
            }
            Self::Const(expr) => expr.to_tokens(tokens),
        }
    }
}

/// The options that parsed, by key; errors went to the accumulator.
#[derive(Default)]
pub(crate) struct Options {
    entries: Vec<(Ident, Value)>,
}

impl Options {
    fn get(&self, name: &str) -> Option<&Value> {
        self.entries
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value)
    }

    pub(crate) fn flag(&self, name: &str) -> bool {
        matches!(self.get(name), Some(Value::Flag))
    }

    pub(crate) fn str(&self, name: &str) -> Option<&syn::LitStr> {
        match self.get(name) {
            Some(Value::Str(lit)) => Some(lit),
            _ => None,
        }
    }

    pub(crate) fn positive_usize(&self, name: &str) -> Option<&PositiveUsize> {
        match self.get(name) {
            Some(Value::PositiveUsize(value)) => Some(value),
            _ => None,
        }
    }

    pub(crate) fn path(&self, name: &str) -> Option<&syn::Path> {
        match self.get(name) {
            Some(Value::Path(path)) => Some(path),
            _ => None,
        }
    }

    pub(crate) fn expr(&self, name: &str) -> Option<&syn::Expr> {
        match self.get(name) {
            Some(Value::Expr(expr)) => Some(expr),
            _ => None,
        }
    }

    pub(crate) fn word(&self, name: &str) -> Option<&Ident> {
        match self.get(name) {
            Some(Value::Word(word)) => Some(word),
            _ => None,
        }
    }

    /// The path of the runtime crate: the `crate = path` option or `::cosched`.
    pub(crate) fn crate_path(&self) -> TokenStream {
        crate_path(self.path(CRATE.name))
    }
}

/// The path of the runtime crate: `path` or `::cosched`.
pub(crate) fn crate_path(path: Option<&syn::Path>) -> TokenStream {
    path.map_or_else(|| quote!(::cosched), ToTokens::into_token_stream)
}

/// The options allowed at `place`, in table order.
fn allowed(place: Place) -> impl Iterator<Item = &'static Spec> {
    OPTIONS.iter().filter(move |spec| place.allows(spec))
}

/// The options allowed at `place`, for messages: `` `name = "tick"`, `local`, `limit = 4`, `eager` or `crate = ..` ``.
pub(crate) fn describe(place: Place) -> String {
    let examples: Vec<&str> = allowed(place).map(|spec| spec.example).collect();
    suggest::one_of(&examples)
}

/// Parses the arguments of an attribute, `#[task(..)]` say, as the
/// options of `place`.
pub(crate) fn parse_attribute(args: TokenStream, place: Place, errors: &mut Errors) -> Options {
    let parser = |input: ParseStream<'_>| parse_list(input, place, place.describe(), errors);
    match parser.parse2(args) {
        Ok(options) => options,
        Err(error) => {
            errors.push(error);
            Options::default()
        }
    }
}

/// Parses `key = value, ..` to the end of `input` as the options of
/// `place`; `at` names where they are written, for messages
/// (`` `#[task]` ``, `` `schedule!(after ..)` ``).
pub(crate) fn parse_list(
    input: ParseStream<'_>,
    place: Place,
    at: &str,
    errors: &mut Errors,
) -> syn::Result<Options> {
    let mut options = Options::default();
    while !input.is_empty() {
        if input.peek(Token![,]) {
            let comma: Token![,] = input.parse()?;
            errors.push(error(
                comma.span,
                format!("expected an option before `,` in {at}"),
                format!("remove the extra comma; options are {}", describe(place)),
            ));
            continue;
        }
        if let Some((key, value)) = parse_one(input, place, at, errors)? {
            if options.entries.iter().any(|(k, _)| *k == key) {
                errors.push(error(
                    key.span(),
                    format!("duplicate option `{key}` in {at}"),
                    format!("give `{key}` only once; remove this one"),
                ));
            } else {
                options.entries.push((key, value));
            }
        }
        if !input.is_empty() {
            input.parse::<Token![,]>()?;
        }
    }
    Ok(options)
}

/// Skips to the next top-level comma (or the end); returns what it skipped.
pub(crate) fn skip_to_comma(input: ParseStream<'_>) -> syn::Result<TokenStream> {
    let mut skipped = TokenStream::new();
    while !input.is_empty() && !input.peek(Token![,]) {
        skipped.extend([input.parse::<TokenTree>()?]);
    }
    Ok(skipped)
}

/// One option, up to the next top-level comma; `None` if it was reported.
fn parse_one(
    input: ParseStream<'_>,
    place: Place,
    at: &str,
    errors: &mut Errors,
) -> syn::Result<Option<(Ident, Value)>> {
    if !input.peek(Ident::peek_any) {
        let piece = skip_to_comma(input)?;
        errors.push(error_spanned(
            &piece,
            format!(
                "expected an option name in {at}, found `{}`",
                tokens_to_string(&piece)
            ),
            format!("options are {}", describe(place)),
        ));
        return Ok(None);
    }
    let key = input.call(Ident::parse_any)?;
    let key_name = key.to_string();
    let Some(spec) = allowed(place).find(|spec| spec.name == key_name) else {
        let mut elsewhere: Vec<&str> = Vec::new();
        for spec in OPTIONS.iter().filter(|spec| spec.name == key_name) {
            for other in spec.places {
                if !elsewhere.contains(&other.describe()) {
                    elsewhere.push(other.describe());
                }
            }
        }
        let error = if elsewhere.is_empty() {
            let names: Vec<&str> = allowed(place).map(|spec| spec.name).collect();
            let valid = if names.len() == 1 {
                format!("the only option is {}", describe(place))
            } else {
                format!("valid options are {}", describe(place))
            };
            error(
                key.span(),
                format!("unknown option `{key}` in {at}"),
                format!("{}{valid}", suggest::did_you_mean(&key_name, &names)),
            )
        } else {
            error(
                key.span(),
                format!("option `{key}` is not allowed in {at}"),
                format!(
                    "remove it; `{key}` is an option of {}",
                    elsewhere.join(" and ")
                ),
            )
        };
        errors.push(error);
        skip_to_comma(input)?;
        return Ok(None);
    };
    let value = parse_value(input, &key, spec, at)?;
    Ok(errors.check(value).map(|value| (key, value)))
}

/// The value after `key`, up to the next top-level comma, which is left.
fn parse_value(
    input: ParseStream<'_>,
    key: &Ident,
    spec: &Spec,
    at: &str,
) -> syn::Result<syn::Result<Value>> {
    let example = spec.example;
    if input.is_empty() || input.peek(Token![,]) {
        if spec.kind == Kind::Flag {
            return Ok(Ok(Value::Flag));
        }
        return Ok(Err(error(
            key.span(),
            format!("option `{key}` of {at} needs a value"),
            format!("write `{example}`"),
        )));
    }
    if spec.kind == Kind::Flag {
        let is_eq = input.peek(Token![=]);
        let all = skip_to_comma(input)?;
        let (message, help) = if is_eq {
            (
                format!("option `{key}` of {at} takes no value"),
                format!("write just `{key}`"),
            )
        } else {
            (
                format!(
                    "expected `,` after option `{key}` of {at}, found `{}`",
                    tokens_to_string(&all)
                ),
                "separate options with commas".to_owned(),
            )
        };
        return Ok(Err(error_spanned(&all, message, help)));
    }
    if !input.peek(Token![=]) {
        let after_key: TokenTree = input.fork().parse()?;
        skip_to_comma(input)?;
        return Ok(Err(error(
            after_key.span(),
            format!(
                "expected `=` after option `{key}` of {at}, found `{}`",
                tokens_to_string(&after_key)
            ),
            format!("write `{example}`"),
        )));
    }
    let eq: Token![=] = input.parse()?;
    if input.is_empty() || input.peek(Token![,]) {
        return Ok(Err(error(
            eq.span,
            format!("missing value after `{key} =` in {at}"),
            format!("write `{example}`"),
        )));
    }
    if spec.kind == Kind::Expr {
        // An expression may hold commas (`|a, b| ..`): syn finds its end.
        let expr = match input.parse::<syn::Expr>() {
            Ok(expr) => expr,
            Err(e) => {
                skip_to_comma(input)?;
                return Ok(Err(error(
                    e.span(),
                    format!("invalid value for `{key}`: {e}"),
                    format!("write `{example}`"),
                )));
            }
        };
        if !input.is_empty() && !input.peek(Token![,]) {
            let rest = skip_to_comma(input)?;
            return Ok(Err(error_spanned(
                &rest,
                format!(
                    "expected `,` after option `{key}` of {at}, found `{}`",
                    tokens_to_string(&rest)
                ),
                "separate options with commas",
            )));
        }
        return Ok(Ok(Value::Expr(Box::new(expr))));
    }
    let value = skip_to_comma(input)?;
    Ok(match spec.kind {
        Kind::Flag | Kind::Expr => unreachable!("handled above"),
        Kind::Str => parse_str(key, &value, spec),
        Kind::PositiveUsize(eval) => parse_positive_usize(key, &value, spec, eval),
        Kind::Path => parse_path(key, &value, example),
        Kind::Word(words) => parse_word(key, &value, words),
    })
}

fn parse_str(key: &Ident, value: &TokenStream, spec: &Spec) -> syn::Result<Value> {
    let example = spec.example;
    let Ok(lit) = syn::parse2::<syn::LitStr>(value.clone()) else {
        return Err(error_spanned(
            value,
            format!(
                "expected a string literal for `{key}`, found `{}`",
                tokens_to_string(value)
            ),
            format!("write `{example}`"),
        ));
    };
    if lit.value().is_empty() {
        return Err(error(
            lit.span(),
            format!("`{key}` must not be empty"),
            format!("write `{example}`, or remove `{key}` {}", spec.without),
        ));
    }
    if !lit.suffix().is_empty() {
        return Err(error(
            lit.span(),
            format!("unexpected suffix `{}` on the string literal", lit.suffix()),
            format!("write `{example}`"),
        ));
    }
    Ok(Value::Str(lit))
}

fn parse_positive_usize(
    key: &Ident,
    value: &TokenStream,
    spec: &Spec,
    eval: Eval,
) -> syn::Result<Value> {
    let example = spec.example;
    let not_a_usize = || {
        let (what, other) = match eval {
            Eval::Const => ("a constant expression", "with a `const N: usize`"),
            Eval::Run => ("a `usize` expression", "with `n: usize`"),
        };
        let n = if eval == Eval::Const { "N" } else { "n" };
        error_spanned(
            value,
            format!(
                "expected a positive integer or {what} for `{key}`, found `{}`",
                tokens_to_string(value)
            ),
            format!("write `{example}`, or `{key} = {n}` {other}"),
        )
    };
    let expr = syn::parse2::<syn::Expr>(value.clone()).map_err(|_| not_a_usize())?;
    match &expr {
        syn::Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Int(lit),
            ..
        }) if !lit.base10_digits().starts_with('-') => parse_positive_int(key, lit, spec),
        // Literals of other types, and negative numbers, which rustc would
        // refuse less clearly (no unary `-` on `usize`).
        syn::Expr::Lit(_) => Err(not_a_usize()),
        syn::Expr::Unary(syn::ExprUnary {
            op: syn::UnOp::Neg(_),
            expr: negated,
            ..
        }) if matches!(**negated, syn::Expr::Lit(_)) => Err(not_a_usize()),
        _ => Ok(Value::PositiveUsize(PositiveUsize::Const(Box::new(expr)))),
    }
}

fn parse_positive_int(key: &Ident, lit: &syn::LitInt, spec: &Spec) -> syn::Result<Value> {
    let example = spec.example;
    let without = spec.without;
    if !matches!(lit.suffix(), "" | "usize") {
        return Err(error(
            lit.span(),
            format!("`{key}` is a `usize`, not `{}`", lit.suffix()),
            format!("write `{example}` without a suffix"),
        ));
    }
    match lit.base10_parse::<usize>() {
        Ok(0) => Err(error(
            lit.span(),
            format!("`{key}` must be at least 1"),
            format!("write `{example}`, or remove `{key}` {without}"),
        )),
        Ok(n) => Ok(Value::PositiveUsize(PositiveUsize::Literal(n, lit.span()))),
        Err(_) => Err(error(
            lit.span(),
            format!("`{key}` is too large for a `usize`"),
            format!("write `{example}`, or remove `{key}` {without}"),
        )),
    }
}

fn parse_path(key: &Ident, value: &TokenStream, example: &str) -> syn::Result<Value> {
    if let Ok(lit) = syn::parse2::<syn::LitStr>(value.clone()) {
        return Err(error(
            lit.span(),
            format!("`{key}` takes a path, not a string literal"),
            format!(
                "write the path without quotes: `{key} = {}`",
                lit.value().escape_debug()
            ),
        ));
    }
    syn::Path::parse_mod_style
        .parse2(value.clone())
        .map(Value::Path)
        .map_err(|_| {
            error_spanned(
                value,
                format!(
                    "expected a path for `{key}`, found `{}`",
                    tokens_to_string(value)
                ),
                format!("write `{example}`"),
            )
        })
}

fn parse_word(key: &Ident, value: &TokenStream, words: &[&str]) -> syn::Result<Value> {
    let mut tokens = value.clone().into_iter();
    let word = match (tokens.next(), tokens.next()) {
        (Some(TokenTree::Ident(word)), None) if words.contains(&word.to_string().as_str()) => {
            return Ok(Value::Word(word));
        }
        (Some(TokenTree::Ident(word)), None) => word.to_string(),
        _ => String::new(),
    };
    let forms: Vec<String> = words.iter().map(|word| format!("{key} = {word}")).collect();
    let forms: Vec<&str> = forms.iter().map(String::as_str).collect();
    Err(error_spanned(
        value,
        format!(
            "expected {} for `{key}`, found `{}`",
            suggest::one_of(words),
            tokens_to_string(value)
        ),
        format!(
            "{}write {}",
            suggest::did_you_mean(&word, words),
            suggest::one_of(&forms)
        ),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_str_args(args: &str) -> (Options, Vec<String>) {
        let args: TokenStream = args.parse().expect("test input tokenizes");
        let mut errors = Errors::new();
        let options = parse_attribute(args, Place::Task, &mut errors);
        let messages = match errors.finish() {
            Ok(()) => Vec::new(),
            Err(e) => e.into_iter().map(|e| e.to_string()).collect(),
        };
        (options, messages)
    }

    fn errors_of(args: &str) -> Vec<String> {
        parse_str_args(args).1
    }

    /// `limit`'s literal value, if it is one.
    fn literal(options: &Options) -> Option<usize> {
        match options.positive_usize("limit") {
            Some(PositiveUsize::Literal(n, _)) => Some(*n),
            _ => None,
        }
    }

    /// `limit`'s expression, as written, if it is not a literal.
    fn constant(options: &Options) -> Option<String> {
        match options.positive_usize("limit") {
            Some(PositiveUsize::Const(expr)) => Some(tokens_to_string(expr)),
            _ => None,
        }
    }

    #[test]
    fn accepts_every_kind_in_any_order() {
        let (options, errors) =
            parse_str_args(r#"limit = 4, crate = ::my::cosched, local, name = "tick","#);
        assert!(errors.is_empty(), "{errors:?}");
        assert!(options.flag("local"));
        assert_eq!(
            options.str("name").map(syn::LitStr::value).as_deref(),
            Some("tick")
        );
        assert_eq!(literal(&options), Some(4));
        assert_eq!(options.crate_path().to_string(), ":: my :: cosched");
    }

    #[test]
    fn defaults() {
        let (options, errors) = parse_str_args("");
        assert!(errors.is_empty());
        assert!(!options.flag("local"));
        assert!(options.str("name").is_none());
        assert!(options.positive_usize("limit").is_none());
        assert_eq!(options.crate_path().to_string(), ":: cosched");
    }

    #[test]
    fn accepts_odd_but_valid_values() {
        let (options, errors) =
            parse_str_args("name = r#\"a \"b\"\"#, limit = 0x10, crate = crate::rt");
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(
            options.str("name").map(syn::LitStr::value).as_deref(),
            Some("a \"b\"")
        );
        assert_eq!(literal(&options), Some(16));
        assert_eq!(options.crate_path().to_string(), "crate :: rt");
        let (options, errors) = parse_str_args("limit = 1_000usize");
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(literal(&options), Some(1000));
    }

    #[test]
    fn accepts_constant_expressions_for_a_usize() {
        for (args, written) in [
            ("limit = JOBS", "JOBS"),
            ("limit = 2 * CORES", "2 * CORES"),
            ("limit = { 4 }", "{ 4 }"),
            ("limit = config::JOBS + 1", "config::JOBS + 1"),
            ("limit = max(JOBS, 2)", "max(JOBS, 2)"),
            ("limit = (0)", "(0)"),
            ("limit = N as usize", "N as usize"),
        ] {
            let (options, errors) = parse_str_args(args);
            assert!(errors.is_empty(), "{args}: {errors:?}");
            assert_eq!(constant(&options).as_deref(), Some(written), "{args}");
        }
    }

    #[test]
    fn unknown_options_suggest_the_nearest() {
        assert_eq!(
            errors_of(r#"nmae = "x""#),
            [
                "unknown option `nmae` in `#[task]`\nhelp: did you mean `name`? valid options are \
                 `name = \"tick\"`, `local`, `limit = 4`, `eager` or `crate = my::reexport::cosched`"
            ]
        );
        assert_eq!(
            errors_of("flavor = \"current_thread\""),
            [
                "unknown option `flavor` in `#[task]`\nhelp: valid options are \
                 `name = \"tick\"`, `local`, `limit = 4`, `eager` or `crate = my::reexport::cosched`"
            ]
        );
        let only_crate = parse_only_crate("krate = foo");
        assert_eq!(
            only_crate,
            [
                "unknown option `krate` in `#[main]`\nhelp: did you mean `crate`? the only option is \
                 `crate = my::reexport::cosched`"
            ]
        );
    }

    fn parse_only_crate(args: &str) -> Vec<String> {
        let mut errors = Errors::new();
        let _ = parse_attribute(args.parse().expect("tokenizes"), Place::Main, &mut errors);
        errors.finish().map_or_else(
            |e| e.into_iter().map(|e| e.to_string()).collect(),
            |()| Vec::new(),
        )
    }

    #[test]
    fn duplicates() {
        assert_eq!(
            errors_of("local, local"),
            [
                "duplicate option `local` in `#[task]`\nhelp: give `local` only once; remove this one"
            ]
        );
        assert_eq!(
            errors_of(r#"name = "a", name = "b""#),
            ["duplicate option `name` in `#[task]`\nhelp: give `name` only once; remove this one"]
        );
    }

    #[test]
    fn ill_typed_values() {
        assert_eq!(
            errors_of("name = 5"),
            ["expected a string literal for `name`, found `5`\nhelp: write `name = \"tick\"`"]
        );
        assert_eq!(
            errors_of("name = tick"),
            ["expected a string literal for `name`, found `tick`\nhelp: write `name = \"tick\"`"]
        );
        assert_eq!(
            errors_of(r#"name = """#),
            [
                "`name` must not be empty\nhelp: write `name = \"tick\"`, or remove `name` to use \
                 the function's name"
            ]
        );
        assert_eq!(
            errors_of(r#"limit = "x""#),
            [
                "expected a positive integer or a constant expression for `limit`, found `\"x\"`\n\
                 help: write `limit = 4`, or `limit = N` with a `const N: usize`"
            ]
        );
        assert_eq!(
            errors_of("limit = -1"),
            [
                "expected a positive integer or a constant expression for `limit`, found `-1`\n\
                 help: write `limit = 4`, or `limit = N` with a `const N: usize`"
            ]
        );
        assert_eq!(
            errors_of("limit = 2.5"),
            [
                "expected a positive integer or a constant expression for `limit`, found `2.5`\n\
                 help: write `limit = 4`, or `limit = N` with a `const N: usize`"
            ]
        );
        assert_eq!(
            errors_of("limit = 0"),
            [
                "`limit` must be at least 1\nhelp: write `limit = 4`, or remove `limit` to allow \
                 any number of instances"
            ]
        );
        assert_eq!(
            errors_of("limit = true"),
            [
                "expected a positive integer or a constant expression for `limit`, found `true`\n\
                 help: write `limit = 4`, or `limit = N` with a `const N: usize`"
            ]
        );
        assert_eq!(
            errors_of("limit = 4 4"),
            [
                "expected a positive integer or a constant expression for `limit`, found `4 4`\n\
                 help: write `limit = 4`, or `limit = N` with a `const N: usize`"
            ]
        );
        assert_eq!(
            errors_of("limit = 4u8"),
            ["`limit` is a `usize`, not `u8`\nhelp: write `limit = 4` without a suffix"]
        );
        assert_eq!(
            errors_of("limit = 99999999999999999999999999"),
            [
                "`limit` is too large for a `usize`\nhelp: write `limit = 4`, or remove `limit` to \
                 allow any number of instances"
            ]
        );
        assert_eq!(
            errors_of("local = true"),
            ["option `local` of `#[task]` takes no value\nhelp: write just `local`"]
        );
        assert_eq!(
            errors_of("crate = \"my::cosched\""),
            [
                "`crate` takes a path, not a string literal\nhelp: write the path without quotes: \
                 `crate = my::cosched`"
            ]
        );
        assert_eq!(
            errors_of("crate = 5"),
            ["expected a path for `crate`, found `5`\nhelp: write `crate = my::reexport::cosched`"]
        );
        assert_eq!(
            errors_of("crate = Vec<u8>"),
            [
                "expected a path for `crate`, found `Vec<u8>`\nhelp: write `crate = my::reexport::cosched`"
            ]
        );
    }

    #[test]
    fn malformed_options() {
        assert_eq!(
            errors_of("name"),
            ["option `name` of `#[task]` needs a value\nhelp: write `name = \"tick\"`"]
        );
        assert_eq!(
            errors_of("name ="),
            ["missing value after `name =` in `#[task]`\nhelp: write `name = \"tick\"`"]
        );
        assert_eq!(
            errors_of(r#"name "x""#),
            [
                "expected `=` after option `name` of `#[task]`, found `\"x\"`\nhelp: write `name = \"tick\"`"
            ]
        );
        assert_eq!(
            errors_of("local limit = 4"),
            [
                "expected `,` after option `local` of `#[task]`, found `limit = 4`\nhelp: separate \
                 options with commas"
            ]
        );
        assert_eq!(
            errors_of("local,, limit = 4"),
            [
                "expected an option before `,` in `#[task]`\nhelp: remove the extra comma; options \
                 are `name = \"tick\"`, `local`, `limit = 4`, `eager` or `crate = my::reexport::cosched`"
            ]
        );
        assert_eq!(
            errors_of("\"tick\""),
            [
                "expected an option name in `#[task]`, found `\"tick\"`\nhelp: options are \
                 `name = \"tick\"`, `local`, `limit = 4`, `eager` or `crate = my::reexport::cosched`"
            ]
        );
    }

    #[test]
    fn collects_every_error() {
        let errors = errors_of(r#"nmae = "x", local = 1, limit = 0, local, limit = 3, name = 5"#);
        assert_eq!(errors.len(), 4, "{errors:#?}");
        assert!(errors[0].starts_with("unknown option `nmae`"));
        assert!(errors[1].starts_with("option `local` of `#[task]` takes no value"));
        assert!(errors[2].starts_with("`limit` must be at least 1"));
        assert!(errors[3].starts_with("expected a string literal for `name`"));
    }

    /// The options of `place`, and the errors, from `args`.
    fn parse_at(place: Place, at: &str, args: &str) -> (Options, Vec<String>) {
        let mut errors = Errors::new();
        let parser = |input: ParseStream<'_>| parse_list(input, place, at, &mut errors);
        let options = parser
            .parse2(args.parse().expect("tokenizes"))
            .expect("parse_list reads everything");
        let messages = errors.finish().map_or_else(
            |e| e.into_iter().map(|e| e.to_string()).collect(),
            |()| Vec::new(),
        );
        (options, messages)
    }

    fn every(args: &str) -> (Options, Vec<String>) {
        parse_at(Place::Every, "`schedule!(every ..)`", args)
    }

    #[test]
    fn every_options() {
        let (options, errors) = every(
            "missed = burst, jitter = Duration::from_millis(5), times = 3, first = after_period, \
             name = format!(\"{a}, {b}\"), on = |a, b| a + b",
        );
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(
            options.word("missed").map(ToString::to_string).as_deref(),
            Some("burst")
        );
        assert_eq!(
            options.word("first").map(ToString::to_string).as_deref(),
            Some("after_period")
        );
        assert!(matches!(
            options.positive_usize("times"),
            Some(PositiveUsize::Literal(3, _))
        ));
        assert_eq!(
            options.expr("jitter").map(tokens_to_string).as_deref(),
            Some("Duration::from_millis(5)")
        );
        // An expression's own commas do not end it.
        assert_eq!(
            options.expr("on").map(tokens_to_string).as_deref(),
            Some("| a, b | a + b")
        );
        let (options, errors) = every("times = runs * 2");
        assert!(errors.is_empty(), "{errors:?}");
        assert!(matches!(
            options.positive_usize("times"),
            Some(PositiveUsize::Const(_))
        ));
    }

    #[test]
    fn every_option_misuse() {
        assert_eq!(
            every("missed = sometimes").1,
            [
                "expected `skip`, `delay` or `burst` for `missed`, found `sometimes`\nhelp: write \
                 `missed = skip`, `missed = delay` or `missed = burst`"
            ]
        );
        assert_eq!(
            every("missed = Skip").1,
            [
                "expected `skip`, `delay` or `burst` for `missed`, found `Skip`\nhelp: did you mean \
                 `skip`? write `missed = skip`, `missed = delay` or `missed = burst`"
            ]
        );
        assert_eq!(
            every("first = \"now\"").1,
            [
                "expected `now` or `after_period` for `first`, found `\"now\"`\nhelp: write \
                 `first = now` or `first = after_period`"
            ]
        );
        assert_eq!(
            every("times = 0").1,
            [
                "`times` must be at least 1\nhelp: write `times = 3`, or remove `times` to run until cancelled"
            ]
        );
        assert_eq!(
            every("times = -2").1,
            [
                "expected a positive integer or a `usize` expression for `times`, found `-2`\n\
                 help: write `times = 3`, or `times = n` with `n: usize`"
            ]
        );
        assert_eq!(
            every("times = 3, times = 4").1,
            [
                "duplicate option `times` in `schedule!(every ..)`\nhelp: give `times` only once; remove this one"
            ]
        );
        assert_eq!(
            every("jitter").1,
            [
                "option `jitter` of `schedule!(every ..)` needs a value\nhelp: write \
                 `jitter = Duration::from_millis(100)`"
            ]
        );
        assert_eq!(
            every("jitter = a b").1,
            [
                "expected `,` after option `jitter` of `schedule!(every ..)`, found `b`\nhelp: \
                 separate options with commas"
            ]
        );
        assert_eq!(
            every("tims = 3").1,
            [
                "unknown option `tims` in `schedule!(every ..)`\nhelp: did you mean `times`? valid \
                 options are `name = \"worker\"`, `on = event_loop`, `eager`, `missed = delay`, \
                 `jitter = Duration::from_millis(100)`, `times = 3`, `first = after_period` or \
                 `crate = my::reexport::cosched`"
            ]
        );
    }

    #[test]
    fn options_out_of_place_say_where_they_belong() {
        assert_eq!(
            parse_at(Place::Schedule, "`schedule!(after ..)`", "times = 3").1,
            [
                "option `times` is not allowed in `schedule!(after ..)`\nhelp: remove it; `times` is \
                 an option of `schedule!(every ..)` and `schedule!(cron ..)`"
            ]
        );
        assert_eq!(
            errors_of("on = event_loop"),
            [
                "option `on` is not allowed in `#[task]`\nhelp: remove it; `on` is an option of `schedule!`"
            ]
        );
        assert_eq!(
            parse_at(Place::Schedule, "`schedule!`", "local").1,
            [
                "option `local` is not allowed in `schedule!`\nhelp: remove it; `local` is an option of `#[task]`"
            ]
        );
        assert_eq!(
            parse_only_crate("name = \"x\""),
            [
                "option `name` is not allowed in `#[main]`\nhelp: remove it; `name` is an option of \
                 `#[task]` and `schedule!`"
            ]
        );
        // `name` is a string literal in `#[task]`, an expression in `schedule!`.
        let (options, errors) =
            parse_at(Place::Schedule, "`schedule!`", "name = format!(\"w{i}\")");
        assert!(errors.is_empty(), "{errors:?}");
        assert!(options.expr("name").is_some());
        assert!(options.str("name").is_none());
    }
}
