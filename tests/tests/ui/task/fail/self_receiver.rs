// `#[task]` on a method taking `self`: tasks are free functions.
struct Counter {
    count: u32,
}

impl Counter {
    #[cosched::task]
    async fn bump(self) -> u32 {
        self.count + 1
    }
}

fn main() {
    let _ = Counter { count: 0 }.bump();
}
