//! The library side of cosched's examples: [`example_path`], where
//! `cargo test` put an example's binary, for the tests that run one.

use std::path::PathBuf;

/// The example `name`'s binary, which `cargo test -p cosched-examples`
/// builds beside the test binary calling this.
///
/// ```
/// let path = cosched_examples::example_path("indication");
/// assert!(path.ends_with(format!("examples/indication{}", std::env::consts::EXE_SUFFIX)));
/// ```
///
/// # Panics
///
/// If the running binary cannot say where it is.
pub fn example_path(name: &str) -> PathBuf {
    let mut path = std::env::current_exe().expect("the test knows where it is");
    path.pop(); // the test binary
    if path.ends_with("deps") {
        path.pop();
    }
    path.join("examples")
        .join(format!("{name}{}", std::env::consts::EXE_SUFFIX))
}
