//! Tests over the `TokenStream` functions behind the macros: expansion
//! snapshots, error messages of whole invocations, and robustness.

mod corpus;
mod entry;
mod locations;
mod messages;
mod never_panics;
mod schedule;
mod snapshots;
mod task;

use proc_macro2::{TokenStream, TokenTree};

/// Tokenizes test input.
#[track_caller]
pub(crate) fn tokens(source: &str) -> TokenStream {
    match source.parse() {
        Ok(tokens) => tokens,
        Err(error) => panic!("test input does not tokenize: {error}\n{source}"),
    }
}

/// The messages of the `compile_error!`s in `output`, in order.
pub(crate) fn compile_errors(output: &TokenStream) -> Vec<String> {
    let mut messages = Vec::new();
    collect_compile_errors(output.clone(), &mut messages);
    messages
}

fn collect_compile_errors(tokens: TokenStream, messages: &mut Vec<String>) {
    let tokens: Vec<TokenTree> = tokens.into_iter().collect();
    for (index, token) in tokens.iter().enumerate() {
        match token {
            TokenTree::Ident(ident) if ident == "compile_error" => {
                if let Some(TokenTree::Group(group)) = tokens.get(index + 2) {
                    let literal: syn::LitStr = syn::parse2(group.stream())
                        .unwrap_or_else(|e| panic!("compile_error! without a message: {e}"));
                    messages.push(literal.value());
                }
            }
            TokenTree::Group(group) => collect_compile_errors(group.stream(), messages),
            _ => {}
        }
    }
}

/// Each `compile_error!` of `output`: the first line of its message and the
/// source text its span covers (`None` for the call site).
pub(crate) fn located_errors(output: &TokenStream) -> Vec<(String, Option<String>)> {
    let mut found = Vec::new();
    collect_located(output.clone(), &mut found);
    found
}

fn collect_located(tokens: TokenStream, found: &mut Vec<(String, Option<String>)>) {
    let tokens: Vec<TokenTree> = tokens.into_iter().collect();
    for (index, token) in tokens.iter().enumerate() {
        match token {
            TokenTree::Ident(ident) if ident == "compile_error" => {
                if let Some(TokenTree::Group(group)) = tokens.get(index + 2) {
                    let literal: syn::LitStr = syn::parse2(group.stream())
                        .unwrap_or_else(|e| panic!("compile_error! without a message: {e}"));
                    let message = literal.value();
                    let first_line = message.lines().next().unwrap_or_default().to_owned();
                    // syn puts the error's first span on `compile_error` and
                    // its last one on the braces.
                    let covered = ident
                        .span()
                        .join(group.span())
                        .and_then(|span| span.source_text());
                    found.push((first_line, covered));
                }
            }
            TokenTree::Group(group) => collect_located(group.stream(), found),
            _ => {}
        }
    }
}

/// `output`, an item list, pretty-printed.
pub(crate) fn pretty_file(output: &TokenStream) -> String {
    match syn::parse2::<syn::File>(output.clone()) {
        Ok(file) => prettyplease::unparse(&file),
        Err(error) => panic!("expansion is not a valid file: {error}\n{output}"),
    }
}
