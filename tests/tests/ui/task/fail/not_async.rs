// `#[task]` on a fn that is not `async`: the error is at `fn tick`, the help says to add `async`.
#[cosched::task]
fn tick() {}

fn main() {}
