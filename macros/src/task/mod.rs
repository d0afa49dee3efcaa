//! `#[task]`: turns an `async fn` into a plain `fn` returning a lazy
//! `Coroutine`.
//!
//! [`parse`] reads the options and the item, [`check`] rejects signatures
//! a task cannot have, [`expand`] writes the new function. All problems are
//! collected first; if there is any, the output is the user's function as
//! written (so that IDEs keep completing it) followed by one
//! `compile_error!` per problem.

mod check;
mod expand;
mod parse;

use proc_macro2::TokenStream;

use crate::errors::Errors;

pub(crate) fn task(args: TokenStream, item: TokenStream) -> TokenStream {
    let mut errors = Errors::new();
    let options = parse::options(args, &mut errors);
    let parsed = errors.check(parse::item(item.clone()));
    if let Some(parsed) = &parsed {
        check::signature(&parsed.sig, options.local, &mut errors);
    }
    match (errors.finish(), parsed) {
        (Ok(()), Some(parsed)) => expand::expand(&options, parsed),
        (Ok(()), None) => item,
        (Err(error), parsed) => {
            let mut output = match parsed {
                Some(mut parsed) => {
                    // Drop what rustc would reject a second time.
                    if parsed.sig.asyncness.is_some() {
                        parsed.sig.constness = None;
                    }
                    parsed.sig.variadic = None;
                    parsed.to_original_tokens()
                }
                None => item,
            };
            output.extend(error.into_compile_error());
            output
        }
    }
}
