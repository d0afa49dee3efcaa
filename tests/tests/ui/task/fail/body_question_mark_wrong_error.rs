// `?` on an error that does not convert into the declared one: reported at the `?`, as in an `async fn`.
#[cosched::task]
async fn parse(text: String) -> Result<u32, String> {
    let n: u32 = text.parse()?;
    Ok(n)
}

fn main() {
    let _ = parse(String::new());
}
