//! Procedural macros of [cosched](https://docs.rs/cosched): asyncio's
//! `create_task` / `ensure_future` for Rust.
//!
//! Do not depend on this crate directly: use the re-exports in `cosched`
//! (`#[cosched::task]`, `#[cosched::main]`, `#[cosched::test]`,
//! `cosched::schedule!`), whose documentation describes the macros in full.
//! Expansions name the runtime by absolute paths (`::cosched::…`, or the
//! path given with the `crate = path` option).
//!
//! Invalid input never makes a macro panic: each problem is reported as a
//! `compile_error!` at the offending tokens, with a `help:` line naming the
//! fix, and attribute macros still emit the function as written so that
//! IDE completion keeps working.

#![forbid(unsafe_code)]

mod entry;
mod errors;
mod fn_item;
mod options;
mod plain;
mod schedule;
mod suggest;
mod task;

#[cfg(test)]
mod tests;

use proc_macro::TokenStream;

/// (Implemented in the `cosched-macros` crate; the user documentation is on the re-export in `cosched`.)
#[proc_macro_attribute]
pub fn task(args: TokenStream, item: TokenStream) -> TokenStream {
    task::task(args.into(), item.into()).into()
}

/// (Implemented in the `cosched-macros` crate; the user documentation is on the re-export in `cosched`.)
#[proc_macro_attribute]
pub fn main(args: TokenStream, item: TokenStream) -> TokenStream {
    entry::main(args.into(), item.into()).into()
}

/// (Implemented in the `cosched-macros` crate; the user documentation is on the re-export in `cosched`.)
#[proc_macro_attribute]
pub fn test(args: TokenStream, item: TokenStream) -> TokenStream {
    entry::test(args.into(), item.into()).into()
}

/// (Implemented in the `cosched-macros` crate; the user documentation is on the re-export in `cosched`.)
#[proc_macro]
pub fn schedule(input: TokenStream) -> TokenStream {
    schedule::schedule(input.into()).into()
}
