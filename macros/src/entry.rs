//! `#[main]` and `#[test]`: run an `async fn` to completion with
//! `cosched::run`.
//!
//! ```text
//! #[cosched::main]                  fn main() -> R {
//! async fn main() -> R { .. }  =>      ::cosched::run(async { .. })
//!                                   }
//! ```
//!
//! `#[test]` adds `#[::core::prelude::v1::test]` after the user's own
//! attributes (`#[should_panic]`, `#[ignore]` keep working).

use proc_macro2::{Span, TokenStream};
use quote::{quote, quote_spanned};

use crate::errors::{Errors, error, error_spanned, tokens_to_string};
use crate::fn_item::{self, FnItem};
use crate::options::{self, ALLOW_LOST_PANICS, Place, START_PAUSED};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Entry {
    Main,
    Test,
}

impl Entry {
    fn name(self) -> &'static str {
        match self {
            Self::Main => "main",
            Self::Test => "test",
        }
    }

    fn usage(self) -> &'static str {
        match self {
            Self::Main => "#[cosched::main] async fn main() { .. }",
            Self::Test => "#[cosched::test] async fn it_works() { .. }",
        }
    }
}

pub(crate) fn main(args: TokenStream, item: TokenStream) -> TokenStream {
    entry(Entry::Main, args, item)
}

pub(crate) fn test(args: TokenStream, item: TokenStream) -> TokenStream {
    entry(Entry::Test, args, item)
}

fn entry(entry: Entry, args: TokenStream, item: TokenStream) -> TokenStream {
    let mut errors = Errors::new();
    let place = match entry {
        Entry::Main => Place::Main,
        Entry::Test => Place::Test,
    };
    let options = options::parse_attribute(args, place, &mut errors);
    let parsed = errors.check(fn_item::parse(item.clone(), entry.name(), entry.usage()));
    if let Some(parsed) = &parsed {
        check(entry, parsed, &mut errors);
    }
    match (errors.finish(), parsed) {
        (Ok(()), Some(parsed)) => expand(
            entry,
            &options.crate_path(),
            TestFlags {
                allow_lost_panics: options.flag(ALLOW_LOST_PANICS.name),
                start_paused: options.flag(START_PAUSED.name),
            },
            parsed,
        ),
        (Ok(()), None) => item,
        (Err(error), parsed) => {
            let mut output = parsed.map_or(item, |parsed| as_written(entry, &parsed));
            output.extend(error.into_compile_error());
            output
        }
    }
}

/// The item as written, for the output of a macro that failed, less what
/// rustc would reject a second time: `const` beside `async` ("functions
/// cannot be both `const` and `async`") is dropped, and an `async fn main`
/// is nested in a placeholder `fn main() {}` (as the program's entry point,
/// rustc would say "`main` function is not allowed to be `async`"; nested,
/// its body is still checked and completed by IDEs).
fn as_written(entry: Entry, item: &FnItem) -> TokenStream {
    let mut item = item.clone();
    if item.sig.asyncness.is_some() {
        item.sig.constness = None;
    }
    let original = item.to_original_tokens();
    if entry != Entry::Main || item.sig.asyncness.is_none() || item.sig.ident != "main" {
        return original;
    }
    quote! {
        fn main() {
            #[allow(dead_code)]
            #original
        }
    }
}

fn check(entry: Entry, item: &FnItem, errors: &mut Errors) {
    let name = entry.name();
    let sig = &item.sig;
    if let Some(constness) = &sig.constness {
        errors.push(error(
            constness.span,
            format!("`#[{name}]` cannot be applied to a `const fn`"),
            "remove `const`",
        ));
    }
    if sig.asyncness.is_none() {
        errors.push(error_spanned(
            crate::errors::both(&sig.fn_token, &sig.ident),
            format!("`#[{name}]` requires an `async fn`"),
            format!("add `async`: `async fn {}()`", sig.ident),
        ));
    }
    if !sig.generics.params.is_empty() {
        errors.push(error_spanned(
            &sig.generics,
            format!("`#[{name}]` functions cannot have generic parameters"),
            format!("remove `{}`", tokens_to_string(&sig.generics)),
        ));
    }
    if !sig.inputs.is_empty() || sig.variadic.is_some() {
        let mut arguments = TokenStream::new();
        sig.paren_token.surround(&mut arguments, |tokens| {
            tokens.extend(sig.inputs.pairs().map(|pair| quote!(#pair)));
            if let Some(variadic) = &sig.variadic {
                tokens.extend(quote!(#variadic));
            }
        });
        let (what, fix) = match entry {
            Entry::Main => (
                "`#[main]` functions take no arguments",
                "remove the arguments; read command-line arguments with `std::env::args()`",
            ),
            Entry::Test => (
                "`#[test]` functions take no arguments",
                "remove the arguments and build the values inside the test",
            ),
        };
        errors.push(error_spanned(arguments, what, fix));
    }
    if entry == Entry::Test {
        if let Some(attr) = item.attrs.iter().find(|attr| is_test_attribute(attr)) {
            errors.push(error_spanned(
                attr,
                "second test attribute: `#[cosched::test]` already marks the function as a test",
                format!("remove `{}`", tokens_to_string(attr)),
            ));
        }
    }
}

/// `#[test]`, `#[core::prelude::v1::test]`, `#[::std::prelude::rust_2024::test]`…
fn is_test_attribute(attr: &syn::Attribute) -> bool {
    let syn::Meta::Path(path) = &attr.meta else {
        return false;
    };
    let segments: Vec<String> = path.segments.iter().map(|s| s.ident.to_string()).collect();
    match segments.as_slice() {
        [test] => test == "test" && path.leading_colon.is_none(),
        [krate, prelude, _, test] => {
            (krate == "core" || krate == "std") && prelude == "prelude" && test == "test"
        }
        _ => false,
    }
}

/// `#[test]`'s flags, passed on to `run_test` (both `false` for `#[main]`,
/// which takes neither).
#[derive(Clone, Copy)]
struct TestFlags {
    allow_lost_panics: bool,
    start_paused: bool,
}

fn expand(entry: Entry, krate: &TokenStream, flags: TestFlags, item: FnItem) -> TokenStream {
    let TestFlags {
        allow_lost_panics,
        start_paused,
    } = flags;
    let FnItem {
        attrs,
        vis,
        mut sig,
        body,
    } = item;
    let async_span = sig
        .asyncness
        .take()
        .map_or_else(Span::call_site, |asyncness| asyncness.span);
    let krate_tokens: Vec<_> = krate.clone().into_iter().collect();
    let inside = fn_item::async_body(&sig, &krate_tokens, TokenStream::new(), &body);
    let body = quote_spanned! {Span::call_site().located_at(async_span)=>
        async { #inside }
    };
    match entry {
        Entry::Main => quote! {
            #(#attrs)*
            #vis #sig {
                #krate::run(#body)
            }
        },
        // `run` (on a paused clock with `start_paused`), then a failure if
        // a task's panic was never retrieved.
        Entry::Test => quote! {
            #(#attrs)*
            #[::core::prelude::v1::test]
            #vis #sig {
                #krate::__private::run_test(#body, #allow_lost_panics, #start_paused)
            }
        },
    }
}
