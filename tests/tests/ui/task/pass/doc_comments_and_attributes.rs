// Doc comments, inner attributes and other attributes on the fn are kept; lint attributes on arguments apply.
#![deny(unused_variables)]

/// Adds one.
///
/// More docs.
#[cosched::task]
#[inline]
#[doc(alias = "increment")]
async fn add_one(#[allow(unused_variables)] unused: u32, value: u32) -> u32 {
    #![allow(clippy::let_and_return)]
    let result = value + 1;
    result
}

/// A `#[must_use]` of the user's replaces the generated one.
#[must_use = "the answer matters"]
#[cosched::task]
async fn answer() -> u32 {
    42
}

fn main() {
    cosched::run(async {
        assert_eq!(add_one(0, 1).spawn().await, Ok(2));
        assert_eq!(answer().await, 42);
    });
}
