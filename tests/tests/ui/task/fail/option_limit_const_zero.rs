// `limit = NONE` where `NONE` is 0 would never run anything: refused when rustc evaluates it,
// at the expression.
const NONE: usize = 0;

#[cosched::task(limit = NONE)]
async fn fetch() {}

fn main() {}
