// `name = 5`: the name must be a string literal.
#[cosched::task(name = 5)]
async fn fetch() {}

fn main() {}
