// `limit = "x"`: the value must be a positive integer or a constant expression; the help shows both.
#[cosched::task(limit = "x")]
async fn fetch() {}

fn main() {}
