// Input:
// #[cosched::main(flavor = "multi")]
// fn main() {}
//
// Expansion:

fn main() {}
::core::compile_error! {
    "unknown option `flavor` in `#[main]`\nhelp: the only option is `crate = my::reexport::cosched`"
}
::core::compile_error! {
    "`#[main]` requires an `async fn`\nhelp: add `async`: `async fn main()`"
}
