//! Error reporting conventions shared by all macros.
//!
//! Every problem is a [`syn::Error`] located at the offending tokens. Its
//! message has exactly two lines: what is wrong, then a line starting with
//! `help: ` that names the fix. [`Errors`] accumulates them so that a macro
//! reports *all* problems of an input at once instead of stopping at the
//! first one.

use core::fmt::Display;

use proc_macro2::{Delimiter, Span, TokenStream, TokenTree};
use quote::ToTokens;

/// An error at `span`: `message`, then a `help: ` line with the fix.
pub(crate) fn error(span: Span, message: impl Display, help: impl Display) -> syn::Error {
    syn::Error::new(span, format!("{message}\nhelp: {help}"))
}

/// An error covering all of `tokens` (from their first to their last token).
pub(crate) fn error_spanned(
    tokens: impl ToTokens,
    message: impl Display,
    help: impl Display,
) -> syn::Error {
    syn::Error::new_spanned(tokens, format!("{message}\nhelp: {help}"))
}

/// The tokens of `first` followed by those of `second`: an error spanning
/// both covers everything from the start of one to the end of the other.
pub(crate) fn both(first: &impl ToTokens, second: &impl ToTokens) -> TokenStream {
    let mut tokens = first.to_token_stream();
    second.to_tokens(&mut tokens);
    tokens
}

/// `error`, with a `help: {help}` line added to each of its messages that
/// has none (syn's own parse errors).
pub(crate) fn ensure_help(error: syn::Error, help: &str) -> syn::Error {
    let mut result: Option<syn::Error> = None;
    for message in error {
        let text = message.to_string();
        let message = if text.contains("\nhelp: ") {
            message
        } else {
            syn::Error::new(message.span(), format!("{text}\nhelp: {help}"))
        };
        match &mut result {
            Some(result) => result.combine(message),
            None => result = Some(message),
        }
    }
    result.unwrap_or_else(|| {
        syn::Error::new(Span::call_site(), format!("invalid input\nhelp: {help}"))
    })
}

/// Accumulates errors; they are combined with [`syn::Error::combine`] so that
/// each keeps its own span.
#[derive(Debug, Default)]
pub(crate) struct Errors {
    combined: Option<syn::Error>,
}

impl Errors {
    pub(crate) fn new() -> Self {
        Self::default()
    }

    pub(crate) fn push(&mut self, error: syn::Error) {
        match &mut self.combined {
            Some(combined) => combined.combine(error),
            None => self.combined = Some(error),
        }
    }

    /// Records the error of `result`, if any, and returns its value otherwise.
    pub(crate) fn check<T>(&mut self, result: syn::Result<T>) -> Option<T> {
        result.map_err(|error| self.push(error)).ok()
    }

    #[cfg(test)]
    pub(crate) fn is_empty(&self) -> bool {
        self.combined.is_none()
    }

    pub(crate) fn finish(self) -> syn::Result<()> {
        self.combined.map_or(Ok(()), Err)
    }

    /// All accumulated errors followed by `last`.
    pub(crate) fn with(self, last: syn::Error) -> syn::Error {
        match self.combined {
            Some(mut combined) => {
                combined.combine(last);
                combined
            }
            None => last,
        }
    }
}

/// Renders tokens the way a person writes them (`&'a str`, `Vec<u8>`,
/// `impl Fn(&str) -> u32`), for quoting user code inside messages.
pub(crate) fn tokens_to_string(tokens: &impl ToTokens) -> String {
    let mut out = String::new();
    write_tokens(&mut out, tokens.to_token_stream());
    out
}

fn write_tokens(out: &mut String, tokens: TokenStream) {
    /// Keywords after which a group or an operator is separated by a space
    /// (`&mut [u8]`, `move || x`, `impl (Fn())`).
    const SPACED_KEYWORDS: &[&str] = &[
        "as", "async", "const", "dyn", "for", "if", "impl", "in", "match", "move", "mut", "ref",
        "return", "static", "unsafe", "where", "while",
    ];
    // What was written last: a word (identifier, literal, group) or a
    // keyword after which operators and groups take a space.
    let mut previous_word = false;
    let mut previous_keyword = false;
    let mut tokens = tokens.into_iter().peekable();
    while let Some(token) = tokens.next() {
        match token {
            TokenTree::Ident(ident) => {
                if previous_word || previous_keyword {
                    out.push(' ');
                }
                let ident = ident.to_string();
                previous_keyword = SPACED_KEYWORDS.contains(&ident.as_str());
                out.push_str(&ident);
                previous_word = true;
            }
            TokenTree::Literal(literal) => {
                if previous_word || previous_keyword {
                    out.push(' ');
                }
                // A message is two lines: a literal's line breaks
                // (multi-line strings, block doc comments) show escaped.
                let literal = literal.to_string();
                out.push_str(&literal.replace("\r\n", "\\n").replace(['\n', '\r'], "\\n"));
                previous_word = true;
                previous_keyword = false;
            }
            TokenTree::Punct(punct) => {
                // A lifetime's apostrophe glues to the following identifier;
                // the lifetime is spaced like a keyword (`&'a [u8]`).
                if punct.as_char() == '\'' {
                    if previous_word || previous_keyword {
                        out.push(' ');
                    }
                    out.push('\'');
                    out.extend(
                        tokens
                            .next_if(|t| matches!(t, TokenTree::Ident(_)))
                            .map(|t| t.to_string()),
                    );
                    previous_word = true;
                    previous_keyword = true;
                    continue;
                }
                let mut op = String::from(punct.as_char());
                let mut spacing = punct.spacing();
                while spacing == proc_macro2::Spacing::Joint {
                    match tokens.peek() {
                        Some(TokenTree::Punct(next)) if next.as_char() != '\'' => {
                            op.push(next.as_char());
                            spacing = next.spacing();
                            tokens.next();
                        }
                        _ => break,
                    }
                }
                write_operator(
                    out,
                    &op,
                    previous_word && !previous_keyword,
                    previous_keyword,
                );
                // `for<'a> fn`, `Vec<u8> as T`: a closing `>` ends a word.
                previous_word = op == ">";
                previous_keyword = false;
            }
            TokenTree::Group(group) => {
                let (open, close) = match group.delimiter() {
                    Delimiter::Parenthesis => ("(", ")"),
                    Delimiter::Brace => ("{ ", " }"),
                    Delimiter::Bracket => ("[", "]"),
                    Delimiter::None => ("", ""),
                };
                if previous_keyword || (previous_word && group.delimiter() == Delimiter::Brace) {
                    out.push(' ');
                }
                out.push_str(open);
                write_tokens(out, group.stream());
                out.push_str(close);
                previous_word = true;
                previous_keyword = false;
            }
        }
    }
    // Separators leave dangling spaces (`a, `): trim them.
    while out.ends_with(' ') {
        out.pop();
    }
}

/// Writes the operator `op`, spaced by what it is and what came before it.
fn write_operator(out: &mut String, op: &str, after_operand: bool, after_keyword: bool) {
    match op {
        "," | ";" | ":" => {
            out.push_str(op);
            out.push(' ');
        }
        "::" | "." | ".." | "..=" | "?" | "#" | "!" | "<" | ">" | "$" => out.push_str(op),
        // Prefix operators, unless they follow an operand.
        "&" | "&&" | "*" | "-" | "|" | "||" if !after_operand => {
            if after_keyword {
                out.push(' ');
            }
            out.push_str(op);
            if op.starts_with('|') {
                out.push(' ');
            }
        }
        _ => {
            if !out.is_empty() && !out.ends_with(['(', '[', ' ']) {
                out.push(' ');
            }
            out.push_str(op);
            out.push(' ');
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::quote;

    #[test]
    fn renders_types_like_people_write_them() {
        let cases = [
            (quote!(&str), "&str"),
            (quote!(&'a mut Vec<u8>), "&'a mut Vec<u8>"),
            (quote!(Option<&'a str>), "Option<&'a str>"),
            (
                quote!(impl Fn(&str) -> u32 + 'static),
                "impl Fn(&str) -> u32 + 'static",
            ),
            (quote!(HashMap<K, V>), "HashMap<K, V>"),
            (quote!(&dyn Display), "&dyn Display"),
            (quote!(Foo<'_>), "Foo<'_>"),
            (quote!([u8; 4]), "[u8; 4]"),
            (quote!(self: Box<Self>), "self: Box<Self>"),
            (quote!(::std::path::Path), "::std::path::Path"),
            (quote!(&'_ mut [u8]), "&'_ mut [u8]"),
            (quote!(&'a [u32]), "&'a [u32]"),
            (quote!(&'a (u8, u16)), "&'a (u8, u16)"),
            (quote!(Foo<'a>), "Foo<'a>"),
            (quote!(move || tick()), "move || tick()"),
            (quote!(a || b), "a || b"),
            (quote!((delay * 2)), "(delay * 2)"),
            (quote!(*lp), "*lp"),
            (quote!(=> tock()), "=> tock()"),
            (quote!(x as Coroutine), "x as Coroutine"),
            (quote!(#[test]), "#[test]"),
            (quote!(format!("x{}", 1)), "format!(\"x{}\", 1)"),
            (quote!(a.b().await?), "a.b().await?"),
            (quote!(for<'a> fn(&'a u8)), "for<'a> fn(&'a u8)"),
            (quote!(Iterator<Item = u8>), "Iterator<Item = u8>"),
        ];
        for (tokens, expected) in cases {
            assert_eq!(tokens_to_string(&tokens), expected);
        }
    }

    #[test]
    fn help_lines_are_added_where_missing() {
        let mut error = syn::Error::new(Span::call_site(), "expected `fn`");
        error.combine(super::error(Span::call_site(), "bad", "fix it"));
        let messages: Vec<String> = ensure_help(error, "write `x`")
            .into_iter()
            .map(|e| e.to_string())
            .collect();
        assert_eq!(
            messages,
            ["expected `fn`\nhelp: write `x`", "bad\nhelp: fix it"]
        );
    }

    #[test]
    fn errors_accumulate_in_order() {
        let mut errors = Errors::new();
        assert!(errors.is_empty());
        errors.push(error(Span::call_site(), "first", "fix one"));
        assert_eq!(
            errors.check::<()>(Err(syn::Error::new(Span::call_site(), "second"))),
            None
        );
        assert_eq!(errors.check(Ok(3)), Some(3));
        let messages: Vec<String> = errors
            .finish()
            .unwrap_err()
            .into_iter()
            .map(|e| e.to_string())
            .collect();
        assert_eq!(messages, ["first\nhelp: fix one", "second"]);
    }
}
