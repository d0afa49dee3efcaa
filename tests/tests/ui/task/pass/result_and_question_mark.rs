// A `Result` return type: `?` converts errors as in an `async fn`, and the task gives `Ok(Err(..))`.
use std::num::ParseIntError;

#[cosched::task]
async fn parse(text: String) -> Result<u32, ParseIntError> {
    let n: u32 = text.trim().parse()?;
    cosched::yield_now().await;
    Ok(n * 2)
}

#[cosched::task]
async fn first_digit(text: String) -> Result<u32, Box<dyn std::error::Error + Send + Sync>> {
    let first = text.chars().next().ok_or("empty")?;
    Ok(first.to_digit(10).ok_or("not a digit")?)
}

fn main() {
    cosched::run(async {
        assert_eq!(parse(" 21 ".to_owned()).spawn().await, Ok(Ok(42)));
        assert!(parse("x".to_owned()).spawn().await.expect("runs").is_err());
        assert_eq!(first_digit("7up".to_owned()).await.expect("a digit"), 7);
        assert_eq!(
            first_digit(String::new()).await.unwrap_err().to_string(),
            "empty"
        );
    });
}
