// An `impl Trait` return type: the coroutine's output is the opaque type.
use std::fmt::Display;

#[cosched::task]
async fn describe(n: u32) -> impl Display + Send + 'static {
    format!("#{n}")
}

#[cosched::task]
async fn evens(limit: u32) -> Vec<impl Display + Send + 'static> {
    (0..limit).filter(|n| n % 2 == 0).collect()
}

fn main() {
    cosched::run(async {
        assert_eq!(describe(3).spawn().await.expect("runs").to_string(), "#3");
        let evens = evens(5).await;
        let shown: Vec<String> = evens.iter().map(ToString::to_string).collect();
        assert_eq!(shown, ["0", "2", "4"]);
    });
}
