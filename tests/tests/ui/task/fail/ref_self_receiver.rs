// `&self` borrows: refused at `&self`, with a help showing the `self: Arc<Self>` form and how to call it.
struct Counter {
    count: u32,
}

impl Counter {
    #[cosched::task]
    async fn current(&self) -> u32 {
        self.count
    }
}

fn main() {
    let _ = Counter { count: 0 }.current();
}
