//! Reading back what an expansion reports. Shared by the corpus test and,
//! through `#[path]`, by the fuzz target (fuzz/src/lib.rs), so the two
//! judge an expansion's errors the same way.

use proc_macro2::{Delimiter, TokenStream, TokenTree};

/// The messages of the `compile_error!`s an expansion reports: at its top
/// level for the attributes, alone or in a block for `schedule!`. (The
/// user's own `compile_error!`s sit deeper, inside items.)
pub(crate) fn error_messages(output: &TokenStream) -> Vec<String> {
    let tokens: Vec<TokenTree> = output.clone().into_iter().collect();
    if let [TokenTree::Group(block)] = tokens.as_slice() {
        if block.delimiter() == Delimiter::Brace {
            return error_messages(&block.stream());
        }
    }
    let mut messages = Vec::new();
    for (index, token) in tokens.iter().enumerate() {
        let TokenTree::Ident(ident) = token else {
            continue;
        };
        let is_error = ident == "compile_error"
            && index >= 2
            && matches!(&tokens[index - 1], TokenTree::Punct(p) if p.as_char() == ':')
            && matches!(&tokens[index - 2], TokenTree::Punct(p) if p.as_char() == ':');
        if !is_error {
            continue;
        }
        if let Some(TokenTree::Group(group)) = tokens.get(index + 2) {
            let message = syn::parse2::<syn::LitStr>(group.stream()).map_or_else(
                |e| format!("<not a string literal: {e}>"),
                |lit| lit.value(),
            );
            messages.push(message);
        }
    }
    messages
}
