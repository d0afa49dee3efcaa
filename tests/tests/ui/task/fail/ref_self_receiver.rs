// `&self` is a borrow too: refused at `&self`, with the same help as `self`.
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
