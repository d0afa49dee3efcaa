// `name` given twice: the second one is pointed at.
#[cosched::task(name = "a", name = "b")]
async fn fetch() {}

fn main() {}
