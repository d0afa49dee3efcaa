//! Parsing of `key = value` attribute options, shared by `#[task]`,
//! `#[main]` and `#[test]`.
//!
//! The arguments are split at top-level commas; each piece is a key (any
//! identifier, keywords such as `crate` included) optionally followed by
//! `= value`. Each macro describes the options it accepts with [`Spec`]s;
//! every problem (unknown key, duplicate, wrong kind of value) is pushed to
//! the error accumulator and parsing goes on with the next option.

use proc_macro2::{Ident, Span, TokenStream, TokenTree};
use quote::{ToTokens, quote};
use syn::parse::Parser as _;

use crate::errors::{Errors, error, error_spanned, tokens_to_string};
use crate::suggest;

/// What kind of value an option takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// No value: `local`.
    Flag,
    /// A non-empty string literal: `name = "tick"`.
    Str,
    /// A `usize` of at least 1: an integer literal, checked here
    /// (`limit = 4`), or a constant expression, which rustc evaluates
    /// (`limit = JOBS`, `limit = 2 * CORES`).
    PositiveUsize,
    /// A path: `crate = my::reexport::cosched`.
    Path,
}

/// One accepted option.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Spec {
    pub(crate) name: &'static str,
    pub(crate) kind: Kind,
    /// How the option is written, for help messages: `name = "tick"`.
    pub(crate) example: &'static str,
}

/// The `crate = path` option every macro accepts.
pub(crate) const CRATE: Spec = Spec {
    name: "crate",
    kind: Kind::Path,
    example: "crate = my::reexport::cosched",
};

/// A successfully parsed option value.
#[derive(Clone)]
pub(crate) enum Value {
    Flag,
    Str(syn::LitStr),
    PositiveUsize(PositiveUsize),
    Path(syn::Path),
}

/// The value of a [`Kind::PositiveUsize`] option.
#[derive(Clone)]
pub(crate) enum PositiveUsize {
    /// An integer literal, at least 1, and where it was written.
    Literal(usize, Span),
    /// Any other expression: rustc checks that it is a constant of type
    /// `usize`, and the expansion that it is not 0.
    Const(Box<syn::Expr>),
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

    /// The path of the runtime crate: the `crate = path` option or `::cosched`.
    pub(crate) fn crate_path(&self) -> TokenStream {
        crate_path(self.path(CRATE.name))
    }
}

/// The path of the runtime crate: `path` or `::cosched`.
pub(crate) fn crate_path(path: Option<&syn::Path>) -> TokenStream {
    path.map_or_else(|| quote!(::cosched), ToTokens::into_token_stream)
}

/// The options accepted by `macro_name`, for messages: `` `name = "tick"`, `local` or `limit = 4` ``.
pub(crate) fn describe(specs: &[Spec]) -> String {
    let examples: Vec<&str> = specs.iter().map(|spec| spec.example).collect();
    suggest::one_of(&examples)
}

/// Parses the arguments of `#[macro_name(..)]` against `specs`.
pub(crate) fn parse(
    args: TokenStream,
    macro_name: &str,
    specs: &[Spec],
    errors: &mut Errors,
) -> Options {
    let mut options = Options::default();
    for piece in split_at_commas(args, macro_name, specs, errors) {
        let Some((key, value)) = parse_one(piece, macro_name, specs, errors) else {
            continue;
        };
        if options.entries.iter().any(|(k, _)| *k == key) {
            errors.push(error(
                key.span(),
                format!("duplicate option `{key}` in `#[{macro_name}]`"),
                format!("give `{key}` only once; remove this one"),
            ));
            continue;
        }
        options.entries.push((key, value));
    }
    options
}

/// Splits `args` at top-level commas; reports empty pieces (`a,,b`).
fn split_at_commas(
    args: TokenStream,
    macro_name: &str,
    specs: &[Spec],
    errors: &mut Errors,
) -> Vec<Vec<TokenTree>> {
    let mut pieces = Vec::new();
    let mut current = Vec::new();
    for token in args {
        match &token {
            TokenTree::Punct(punct) if punct.as_char() == ',' => {
                if current.is_empty() {
                    errors.push(error(
                        punct.span(),
                        format!("expected an option before `,` in `#[{macro_name}]`"),
                        format!("remove the extra comma; options are {}", describe(specs)),
                    ));
                } else {
                    pieces.push(core::mem::take(&mut current));
                }
            }
            _ => current.push(token),
        }
    }
    if !current.is_empty() {
        pieces.push(current);
    }
    pieces
}

fn parse_one(
    piece: Vec<TokenTree>,
    macro_name: &str,
    specs: &[Spec],
    errors: &mut Errors,
) -> Option<(Ident, Value)> {
    let mut tokens = piece.into_iter();
    let first = tokens.next()?;
    let rest: Vec<TokenTree> = tokens.collect();
    let key = match first {
        TokenTree::Ident(key) => key,
        other => {
            let all: TokenStream = core::iter::once(other).chain(rest).collect();
            errors.push(error_spanned(
                &all,
                format!(
                    "expected an option name in `#[{macro_name}]`, found `{}`",
                    tokens_to_string(&all)
                ),
                format!("options are {}", describe(specs)),
            ));
            return None;
        }
    };
    let key_name = key.to_string();
    let Some(spec) = specs.iter().find(|spec| spec.name == key_name) else {
        let names: Vec<&str> = specs.iter().map(|spec| spec.name).collect();
        let valid = if specs.len() == 1 {
            format!("the only option is {}", describe(specs))
        } else {
            format!("valid options are {}", describe(specs))
        };
        errors.push(error(
            key.span(),
            format!("unknown option `{key}` in `#[{macro_name}]`"),
            format!("{}{valid}", suggest::did_you_mean(&key_name, &names)),
        ));
        return None;
    };
    let value = parse_value(&key, spec, rest, macro_name, errors)?;
    Some((key, value))
}

fn parse_value(
    key: &Ident,
    spec: &Spec,
    rest: Vec<TokenTree>,
    macro_name: &str,
    errors: &mut Errors,
) -> Option<Value> {
    let example = spec.example;
    let mut rest = rest.into_iter();
    let Some(after_key) = rest.next() else {
        if spec.kind == Kind::Flag {
            return Some(Value::Flag);
        }
        errors.push(error(
            key.span(),
            format!("option `{key}` of `#[{macro_name}]` needs a value"),
            format!("write `{example}`"),
        ));
        return None;
    };
    let is_eq = matches!(&after_key, TokenTree::Punct(p) if p.as_char() == '=');
    let value: TokenStream = rest.collect();
    if spec.kind == Kind::Flag {
        let all: TokenStream = core::iter::once(after_key).chain(value).collect();
        let message = if is_eq {
            format!("option `{key}` of `#[{macro_name}]` takes no value")
        } else {
            format!(
                "expected `,` after option `{key}` of `#[{macro_name}]`, found `{}`",
                tokens_to_string(&all)
            )
        };
        let help = if is_eq {
            format!("write just `{key}`")
        } else {
            "separate options with commas".to_owned()
        };
        errors.push(error_spanned(&all, message, help));
        return None;
    }
    if !is_eq {
        errors.push(error(
            after_key.span(),
            format!(
                "expected `=` after option `{key}` of `#[{macro_name}]`, found `{}`",
                tokens_to_string(&after_key)
            ),
            format!("write `{example}`"),
        ));
        return None;
    }
    if value.is_empty() {
        errors.push(error(
            after_key.span(),
            format!("missing value after `{key} =` in `#[{macro_name}]`"),
            format!("write `{example}`"),
        ));
        return None;
    }
    let parsed = match spec.kind {
        Kind::Flag => Ok(Value::Flag),
        Kind::Str => parse_str(key, &value, example),
        Kind::PositiveUsize => parse_positive_usize(key, &value, example),
        Kind::Path => parse_path(key, &value, example),
    };
    errors.check(parsed)
}

fn parse_str(key: &Ident, value: &TokenStream, example: &str) -> syn::Result<Value> {
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
            format!("write `{example}`, or remove `{key}` to use the function's name"),
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

fn parse_positive_usize(key: &Ident, value: &TokenStream, example: &str) -> syn::Result<Value> {
    let not_a_usize = || {
        error_spanned(
            value,
            format!(
                "expected a positive integer or a constant expression for `{key}`, found `{}`",
                tokens_to_string(value)
            ),
            format!("write `{example}`, or `{key} = N` with a `const N: usize`"),
        )
    };
    let expr = syn::parse2::<syn::Expr>(value.clone()).map_err(|_| not_a_usize())?;
    match &expr {
        syn::Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Int(lit),
            ..
        }) if !lit.base10_digits().starts_with('-') => parse_positive_int(key, lit, example),
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

fn parse_positive_int(key: &Ident, lit: &syn::LitInt, example: &str) -> syn::Result<Value> {
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
            format!("write `{example}`, or remove `{key}` to allow any number of instances"),
        )),
        Ok(n) => Ok(Value::PositiveUsize(PositiveUsize::Literal(n, lit.span()))),
        Err(_) => Err(error(
            lit.span(),
            format!("`{key}` is too large for a `usize`"),
            format!("write `{example}`, or remove `{key}` to allow any number of instances"),
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

#[cfg(test)]
mod tests {
    use super::*;

    const SPECS: &[Spec] = &[
        Spec {
            name: "name",
            kind: Kind::Str,
            example: "name = \"tick\"",
        },
        Spec {
            name: "local",
            kind: Kind::Flag,
            example: "local",
        },
        Spec {
            name: "limit",
            kind: Kind::PositiveUsize,
            example: "limit = 4",
        },
        CRATE,
    ];

    fn parse_str_args(args: &str) -> (Options, Vec<String>) {
        let args: TokenStream = args.parse().expect("test input tokenizes");
        let mut errors = Errors::new();
        let options = parse(args, "task", SPECS, &mut errors);
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
                 `name = \"tick\"`, `local`, `limit = 4` or `crate = my::reexport::cosched`"
            ]
        );
        assert_eq!(
            errors_of("flavor = \"current_thread\""),
            [
                "unknown option `flavor` in `#[task]`\nhelp: valid options are \
                 `name = \"tick\"`, `local`, `limit = 4` or `crate = my::reexport::cosched`"
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
        let _ = parse(
            args.parse().expect("tokenizes"),
            "main",
            &[CRATE],
            &mut errors,
        );
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
                 are `name = \"tick\"`, `local`, `limit = 4` or `crate = my::reexport::cosched`"
            ]
        );
        assert_eq!(
            errors_of("\"tick\""),
            [
                "expected an option name in `#[task]`, found `\"tick\"`\nhelp: options are \
                 `name = \"tick\"`, `local`, `limit = 4` or `crate = my::reexport::cosched`"
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
}
