// Methods of a generic `impl<T: Send + Sync + 'static>`: `Self` is `'static` and its `Arc` is `Send`, so the coroutine is too.
use std::fmt::Display;
use std::sync::Arc;

struct Labeled<T> {
    label: T,
}

impl<T: Display + Send + Sync + 'static> Labeled<T> {
    #[cosched::task]
    async fn show(self: Arc<Self>, n: u32) -> String {
        cosched::yield_now().await;
        format!("{}: {n}", self.label)
    }

    #[cosched::task]
    async fn with<U>(self, other: U) -> (T, U)
    where
        U: Send,
    {
        (self.label, other)
    }
}

fn main() {
    cosched::run(async {
        let labeled = Arc::new(Labeled { label: "count" });
        assert_eq!(labeled.clone().show(3).spawn().await.as_deref(), Ok("count: 3"));
        let pair = Labeled { label: 1_u8 }.with(String::from("x")).spawn().await;
        assert_eq!(pair, Ok((1, String::from("x"))));
    });
}
