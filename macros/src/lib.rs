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
mod schedule;
mod suggest;
mod task;

#[cfg(test)]
mod tests;

use proc_macro::TokenStream;

/// Turns an `async fn` into a `fn` returning a lazy `cosched::Coroutine`.
///
/// ```text
/// /// Prints a dot every `period`.
/// #[cosched::task(name = "dots", limit = 4)]
/// pub async fn indication(period: Duration) { /* .. */ }
/// ```
///
/// The function keeps its name, visibility, attributes, generics and
/// arguments (all moved into the coroutine, as in an `async fn`); type
/// parameters and `impl Trait` arguments get a `'static` bound. Options:
/// `name = "..."` (task-name prefix), `local` (`!Send` body, run on the
/// loop's thread), `limit = N` (at most `N` running at once) and
/// `crate = path`. Borrowed arguments, `self`, lifetime parameters and
/// `const`/`unsafe`/`extern` functions are rejected.
#[proc_macro_attribute]
pub fn task(args: TokenStream, item: TokenStream) -> TokenStream {
    task::task(args.into(), item.into()).into()
}

/// Runs an `async fn main` to completion with `cosched::run`.
///
/// ```text
/// #[cosched::main]
/// async fn main() -> Result<(), Error> { /* .. */ }
/// ```
///
/// Option: `crate = path`.
#[proc_macro_attribute]
pub fn main(args: TokenStream, item: TokenStream) -> TokenStream {
    entry::main(args.into(), item.into()).into()
}

/// Marks an `async fn` as a test, run to completion with `cosched::run`;
/// `#[should_panic]`, `#[ignore]` and a `Result` return type work as with
/// `#[test]`.
///
/// ```text
/// #[cosched::test]
/// async fn works() { /* .. */ }
/// ```
///
/// Option: `crate = path`.
#[proc_macro_attribute]
pub fn test(args: TokenStream, item: TokenStream) -> TokenStream {
    entry::test(args.into(), item.into()).into()
}

/// Schedules a coroutine; lowers to exactly one runtime call.
///
/// ```text
/// let task = schedule!(tick(period));                          // create_task
/// let task = schedule!(create_task tick(period));
/// let task = schedule!(ensure_future task_or_coroutine);
/// let task = schedule!(after Duration::from_secs(1) => tick(period));
/// let task = schedule!(at deadline => tick(period));
/// let task = schedule!(every Duration::from_secs(1) => tick(period));
/// let task = schedule!(fetch(url), name = "fetch", on = event_loop);
/// ```
///
/// A leading `create_task`, `ensure_future`, `after`, `at` or `every` is a
/// mode only when an expression follows it directly (`create_task f()`);
/// followed by `(`, `.`, `::`, `!` or an operator it is part of the
/// expression (`create_task(f())` calls a function of that name). `after`,
/// `at` and `every` are also modes whenever an expression and `=>` follow
/// (`after (d) => f()`). Raw identifiers (`r#after`) are never modes.
/// Options, after a comma in any order: `name = EXPR`, `on = EXPR` (an
/// event loop) and `crate = path`.
#[proc_macro]
pub fn schedule(input: TokenStream) -> TokenStream {
    schedule::schedule(input.into()).into()
}
