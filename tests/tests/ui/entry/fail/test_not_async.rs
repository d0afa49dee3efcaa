// `#[cosched::test]` on a fn that is not `async`.
#[cosched::test]
fn works() {}

fn main() {}
