// `#[cosched::main]` on a fn that is not `async`: pointed at `fn main`, with the fix.
#[cosched::main]
fn main() {}
