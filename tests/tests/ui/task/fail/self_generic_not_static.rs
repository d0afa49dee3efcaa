// A method of `impl<T: Send> Queue<T>`: `T` may borrow; rustc's error is at `self`, and its help adds `T: 'static` to the impl.
struct Queue<T> {
    items: Vec<T>,
}

impl<T: Send> Queue<T> {
    #[cosched::task]
    async fn drain(self) -> usize {
        self.items.len()
    }
}

fn main() {
    let _ = Queue { items: vec![1] }.drain();
}
