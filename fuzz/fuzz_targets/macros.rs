//! Fuzzes the parsers of `#[task]`, `#[main]`, `#[test]` and `schedule!`:
//! bytes -> UTF-8 text -> `proc_macro2::TokenStream` -> every macro, which
//! must neither panic nor write tokens the compiler could not read. See
//! `cosched_fuzz::check` and `../README.md`.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        cosched_fuzz::check(text);
    }
});
