// `Option<&'a str>`: the borrow inside the `Option`, and the `<'a>` it needs, are refused.
#[cosched::task]
async fn label<'a>(prefix: Option<&'a str>) -> String {
    prefix.unwrap_or("none").to_owned()
}

fn main() {}
