// Input:
// #[cosched::task(nmae = "x")]
// /// Docs stay.
// async fn method(&self, name: &str) -> usize {
//     name.len()
// }
//
// Expansion:

/// Docs stay.
async fn method(&self, name: &str) -> usize {
    name.len()
}
::core::compile_error! {
    "unknown option `nmae` in `#[task]`\nhelp: did you mean `name`? valid options are `name = \"tick\"`, `local`, `limit = 4`, `eager` or `crate = my::reexport::cosched`"
}
::core::compile_error! {
    "a task cannot borrow `self`: `&self` has an elided lifetime, not `'static`\nhelp: a task outlives its caller; take `self: Arc<Self>` (and call it as `shared.clone().method(..)`), or `self` by value"
}
::core::compile_error! {
    "argument `name` of a task cannot borrow: `&str` has an elided lifetime, not `'static`\nhelp: a task outlives its caller; take the value by ownership, e.g. `String` instead of `&str`, or use `&'static str`"
}
