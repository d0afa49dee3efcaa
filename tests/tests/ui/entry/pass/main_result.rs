// `#[cosched::main]` accepts a returned `Result`, and `?` works in its body.
use std::error::Error;

#[cosched::task]
async fn parse(text: &'static str) -> Result<u32, std::num::ParseIntError> {
    text.parse()
}

#[cosched::main]
async fn main() -> Result<(), Box<dyn Error>> {
    let n = parse("41").await?;
    let task = cosched::create_task(async move { n + 1 });
    assert_eq!(task.await?, 42);
    Ok(())
}
