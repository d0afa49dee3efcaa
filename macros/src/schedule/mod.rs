//! `schedule!`: the scheduling DSL.
//!
//! ```text
//! schedule!(EXPR)                        ::cosched::create_task(EXPR)
//! schedule!(create_task EXPR)            ::cosched::create_task(EXPR)
//! schedule!(ensure_future EXPR)          ::cosched::ensure_future(EXPR)
//! schedule!(after DURATION => EXPR)      ::cosched::create_task(::cosched::after(DURATION, EXPR))
//! schedule!(at INSTANT => EXPR)          ::cosched::create_task(::cosched::at(INSTANT, EXPR))
//! schedule!(every PERIOD => EXPR)        ::cosched::create_task(::cosched::every(PERIOD, move || EXPR))
//! schedule!(every PERIOD => EXPR, missed = burst, jitter = J, first = after_period, times = N)
//!     ::cosched::create_task(::cosched::Every::new(PERIOD).missed(::cosched::Missed::Burst)
//!         .jitter(J).first(::cosched::FirstRun::AfterPeriod).times(N, move || EXPR))
//!     (`.forever(move || EXPR)` without `times`; each option only if given)
//! schedule!(cron "EXPR" => EXPR)       ::cosched::create_task(::cosched::__private::cron("EXPR", "UTC").forever(move || EXPR))
//! schedule!(cron "EXPR" => EXPR, tz = "Europe/Berlin", times = N)
//!     ::cosched::create_task(::cosched::__private::cron("EXPR", "Europe/Berlin").times(N, move || EXPR))
//!     (the expression and `tz` are checked here: `cron.rs`)
//! schedule!(.., on = LOOP)               ::cosched::EventLoop::create_task(&LOOP, ..)
//! schedule!(.., name = NAME)             ::cosched::Builder::new().name(NAME).create_task(..)
//! schedule!(.., name = NAME, on = LOOP)  ::cosched::Builder::new().name(NAME).on(&LOOP).create_task(..)
//! schedule!(.., crate = path)            path::create_task(..)
//! ```
//!
//! See [`parse`] for how a leading identifier is told apart from an
//! expression. The modes are one table there (`MODES`: word, what follows
//! it, runtime call); the options are rows of the table all macros share
//! (`crate::options::OPTIONS`, which says where each is allowed).

pub(crate) mod cron;
mod expand;
mod parse;

use proc_macro2::TokenStream;
use quote::quote;

use crate::errors::ensure_help;

pub(crate) fn schedule(input: TokenStream) -> TokenStream {
    match parse::parse(input) {
        Ok(schedule) => expand::expand(schedule),
        Err(error) => {
            let error = ensure_help(error, parse::USAGE);
            // An expression position takes one expression: several
            // `compile_error!`s go in a block (whose type is the error's,
            // so that no follow-up type error is reported).
            let errors: Vec<TokenStream> = error
                .into_iter()
                .map(syn::Error::into_compile_error)
                .collect();
            match errors.as_slice() {
                [single] => single.clone(),
                [init @ .., last] => quote!({ #(#init;)* #last }),
                [] => TokenStream::new(),
            }
        }
    }
}
