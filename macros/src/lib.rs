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
//!
//! # Map
//!
//! Each macro parses, checks, then expands:
//!
//! * Options, of every macro (`options.rs`): one table, `OPTIONS`, with
//!   each option's name, kind of value, example and where it is allowed
//!   (`#[task]`, `#[main]`, `#[test]`, `schedule!`, `schedule!(every ..)`),
//!   and one parser, `parse_list`, for the attributes' arguments and
//!   `schedule!`'s options alike. A new option is one `Spec` row, plus its
//!   field and expansion in the macro that reads it.
//! * `schedule!` (`schedule/`): `parse.rs` reads the input against `MODES`
//!   (each mode's word, what follows it and the runtime call), then the
//!   options; `expand.rs` writes the call (`every` with options as
//!   `::cosched::Every`'s builder). A new mode is one `MODES` entry, plus an
//!   arm in `expand.rs` if it lowers to a new shape of call.
//! * `#[task]` (`task/`): `parse.rs` reads its options into `TaskOptions`,
//!   `check.rs` rejects signatures a task cannot have, `expand.rs` writes
//!   the function.
//! * `#[main]`, `#[test]` (`entry.rs`).
//! * Shared: `fn_item.rs` (an `fn` item, kept as written for IDEs),
//!   `plain.rs` (the commonest signatures, read without syn's parser, for
//!   speed), `errors.rs` (errors with a `help:` line, collected so that all
//!   are reported at once), `suggest.rs` ("did you mean").
//! * `tests/`: unit tests, expansion snapshots (`tests/snapshots.rs`) and a
//!   corpus that no input makes a macro panic; the UI cases are in the
//!   workspace's `tests/tests/ui`.

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
