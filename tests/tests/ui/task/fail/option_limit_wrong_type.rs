// `limit` is a `usize`: a constant of another type is rustc's mismatched types, at the constant.
const JOBS: u32 = 4;

#[cosched::task(limit = JOBS)]
async fn fetch() {}

fn main() {}
