//! Nothing here but the README's code, compiled as a doctest so that the
//! README cannot drift from the API; the package exists for its
//! integration tests, its trybuild UI tests and the `stress` binary
//! (`src/bin/stress/`).

/// The README's code blocks.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
pub struct ReadmeDoctests;
