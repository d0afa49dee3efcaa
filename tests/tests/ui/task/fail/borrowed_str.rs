// A `&str` argument (elided lifetime): the help suggests `String` or `&'static str`.
#[cosched::task]
async fn greet(name: &str) -> usize {
    name.len()
}

fn main() {}
