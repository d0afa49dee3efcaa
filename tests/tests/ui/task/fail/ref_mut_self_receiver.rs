// `&mut self` borrows: refused at `&mut self`, with a help showing `self` by value or a `Mutex` behind `self: Arc<Self>`.
struct Counter {
    count: u32,
}

impl Counter {
    #[cosched::task]
    async fn bump(&mut self) {
        self.count += 1;
    }
}

fn main() {
    let mut counter = Counter { count: 0 };
    let _ = counter.bump();
}
