// `crate = "cosched"`: the option takes a path, not a string.
#[cosched::task(crate = "cosched")]
async fn fetch() {}

fn main() {}
