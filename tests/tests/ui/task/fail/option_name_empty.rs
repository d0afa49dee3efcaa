// `name = ""`: an empty name prefix is refused; the help says how to keep the fn's name.
#[cosched::task(name = "")]
async fn fetch() {}

fn main() {}
