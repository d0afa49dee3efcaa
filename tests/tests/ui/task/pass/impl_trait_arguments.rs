// `impl Trait` arguments, including closures taking references (`impl Fn(&str)`), which borrow nothing from the caller.
use std::fmt::Debug;

#[cosched::task]
async fn measure(text: String, f: impl Fn(&str) -> usize + Send) -> usize {
    cosched::yield_now().await;
    f(&text)
}

#[cosched::task]
async fn collect(items: impl IntoIterator<Item = u8> + Send, label: impl Debug + Send) -> String {
    let total: u32 = items.into_iter().map(u32::from).sum();
    format!("{label:?}={total}")
}

fn main() {
    cosched::run(async {
        assert_eq!(measure("four".to_owned(), str::len).spawn().await, Ok(4));
        assert_eq!(
            measure("a b c".to_owned(), |s| s.split(' ').count()).await,
            3
        );
        assert_eq!(
            collect(vec![1, 2, 3], "sum").spawn().await.as_deref(),
            Ok("\"sum\"=6")
        );
    });
}
