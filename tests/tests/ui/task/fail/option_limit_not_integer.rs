// `limit = "x"`: the value must be a positive integer literal; the help shows one.
#[cosched::task(limit = "x")]
async fn fetch() {}

fn main() {}
