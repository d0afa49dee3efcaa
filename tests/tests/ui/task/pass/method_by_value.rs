// A method taking `self` or `mut self` by value: the value moves into the coroutine, and the task may give it back.
struct Counter {
    count: u32,
}

impl Counter {
    #[cosched::task]
    async fn current(self) -> u32 {
        cosched::yield_now().await;
        self.count
    }

    /// Counts `times` more, and returns the counter.
    #[cosched::task]
    pub async fn bump(mut self, times: u32) -> Self {
        for _ in 0..times {
            self.count += 1;
            cosched::yield_now().await;
        }
        self
    }
}

fn main() {
    cosched::run(async {
        let counter = Counter { count: 1 }.bump(2).spawn().await.expect("runs");
        assert_eq!(counter.count, 3);
        assert_eq!(counter.current().await, 3);
    });
}
