//! The expansion functions of `cosched-macros`, as a library.
//!
//! A proc-macro crate can export nothing but its macros, so its modules are
//! compiled here a second time, from the same files, under the same names
//! as in `macros/src/lib.rs` (which `crate::…` paths inside them rely on):
//! keep this list in step with that file's `mod` lines.
//!
//! [`check`] runs every macro on one input and panics (which the fuzzer
//! reports as a crash) when one of them panics or writes tokens the
//! compiler could not read in the input's place.

#![allow(dead_code, unreachable_pub)]

#[path = "../../macros/src/entry.rs"]
mod entry;
#[path = "../../macros/src/errors.rs"]
mod errors;
#[path = "../../macros/src/fn_item.rs"]
mod fn_item;
#[path = "../../macros/src/options.rs"]
mod options;
#[path = "../../macros/src/plain.rs"]
mod plain;
#[path = "../../macros/src/schedule/mod.rs"]
mod schedule;
#[path = "../../macros/src/suggest.rs"]
mod suggest;
#[path = "../../macros/src/task/mod.rs"]
mod task;
// Not one of the macro's modules: the corpus test's reading of an
// expansion's errors, shared so both judge them alike.
#[path = "../../macros/src/tests/messages.rs"]
mod messages;

use messages::error_messages;

use std::str::FromStr;

use proc_macro2::{TokenStream, TokenTree};

/// `#[task(args)] item`.
pub fn task(args: TokenStream, item: TokenStream) -> TokenStream {
    task::task(args, item)
}

/// `#[main(args)] item`.
pub fn main(args: TokenStream, item: TokenStream) -> TokenStream {
    entry::main(args, item)
}

/// `#[test(args)] item`.
pub fn test(args: TokenStream, item: TokenStream) -> TokenStream {
    entry::test(args, item)
}

/// `schedule!(input)`.
pub fn schedule(input: TokenStream) -> TokenStream {
    schedule::schedule(input)
}

/// Deeper nesting than this is skipped: syn parses groups recursively, and
/// a fuzzer's thousand nested parentheses overflow the stack in syn itself
/// (in rustc as in here), which says nothing about the macros.
pub const MAX_DEPTH: usize = 48;

/// Runs every macro on `text` and checks what each wrote; panics on a
/// problem. Input that does not tokenize, or nests too deeply, is skipped.
///
/// `text` is tried whole as the item (no options) and as `schedule!`'s
/// input; if it has a line break, its first line is also tried as the
/// options of the rest.
pub fn check(text: &str) {
    let Some(whole) = tokens(text) else {
        return;
    };
    let none = TokenStream::new();
    check_attributes(&none, &whole);
    check_schedule(&whole);
    if let Some((first, rest)) = text.split_once('\n') {
        if let (Some(args), Some(item)) = (tokens(first), tokens(rest)) {
            check_attributes(&args, &item);
        }
    }
}

fn tokens(text: &str) -> Option<TokenStream> {
    let tokens = TokenStream::from_str(text).ok()?;
    (depth(&tokens) <= MAX_DEPTH).then_some(tokens)
}

fn depth(tokens: &TokenStream) -> usize {
    tokens
        .clone()
        .into_iter()
        .map(|token| match token {
            TokenTree::Group(group) => 1 + depth(&group.stream()),
            _ => 0,
        })
        .max()
        .unwrap_or(0)
}

fn check_attributes(args: &TokenStream, item: &TokenStream) {
    let item_is_valid = syn::parse2::<syn::File>(item.clone()).is_ok();
    for (name, expand) in [
        ("task", task as fn(TokenStream, TokenStream) -> TokenStream),
        ("main", main),
        ("test", test),
    ] {
        let output = expand(args.clone(), item.clone());
        check_tokens(name, &output);
        // Items in, items out (the expansion, or the item and errors).
        if item_is_valid {
            if let Err(error) = syn::parse2::<syn::File>(output.clone()) {
                panic!(
                    "#[{name}({args})] on `{item}` wrote tokens that are not items: {error}\n{output}"
                );
            }
        }
    }
}

fn check_schedule(input: &TokenStream) {
    let output = schedule(input.clone());
    check_tokens("schedule", &output);
    if let Err(error) = syn::parse2::<syn::Expr>(output.clone()) {
        panic!("schedule!({input}) wrote tokens that are not an expression: {error}\n{output}");
    }
}

/// The output prints as tokens that tokenize again, and each of its
/// `compile_error!`s has the macros' two-line message.
fn check_tokens(name: &str, output: &TokenStream) {
    let printed = output.to_string();
    if let Err(error) = TokenStream::from_str(&printed) {
        panic!("{name} wrote tokens that do not tokenize again: {error}\n{printed}");
    }
    for message in error_messages(output) {
        let lines: Vec<&str> = message.lines().collect();
        assert!(
            lines.len() == 2 && !lines[0].is_empty() && lines[1].starts_with("help: "),
            "{name} wrote an error without its one `help:` line: {message:?}"
        );
    }
}
